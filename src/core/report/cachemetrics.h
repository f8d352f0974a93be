// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>

#include <optional>

struct Snapshot;

// CacheMetrics: one cache's numbers as `cachescope-cli metrics` exposes them (PrometheusText):
// from one Snapshot of the sampler (sizes, frames, exact commits, lag, pin, write lock, readers,
// writers, warnings) plus the counts a pass over the entries gave (Counts, refreshed at the
// Overview's slower pace, never per scrape). A plain value; any thread.
struct CacheMetrics {
    // What a pass over the main table said: the format (the `format` label), entries, expired
    // entries (null: the format keeps no expiry) and a diskcache's value files on disk.
    struct Counts {
        QString format;
        std::optional<qint64> entries;
        std::optional<qint64> expiredEntries;
        std::optional<qint64> valueFilesBytes;
    };

    QString path;
    QString format;
    bool up = false; // the database file exists and its header was read at the last sample
    qint64 dbBytes = 0;
    qint64 walBytes = 0;
    qint64 shmBytes = 0;
    std::optional<qint64> valueFilesBytes;
    qint64 commitsTotal = 0; // counted from events since metrics started
    qint64 walFrames = 0; // committed frames of a live -shm, else valid frames of the -wal's last walk
    qint64 checkpointLagFrames = 0;
    double checkpointPinnedSeconds = 0;
    std::optional<double> writeLockBusy;
    qint64 readers = 0; // processes holding a read lock
    qint64 writers = 0; // processes that wrote in the last 10 s
    std::optional<qint64> entries;
    std::optional<qint64> expiredEntries;
    QStringList warningCodes;

    static CacheMetrics of(const Snapshot& snapshot, const Counts& counts);
};
