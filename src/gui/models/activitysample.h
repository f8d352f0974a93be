// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "live/healthwarning.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

// ActivitySample: one line of `cachescope-cli watch --json` as the Activity page uses it — the
// GUI never probes the cache's files itself (it holds an SQLite connection to them, and
// closing a probe fd would drop that connection's locks, docs/WAL.md §4.1), it reads what
// the child process measured. Missing fields keep their defaults. A plain value; any thread.
struct ActivitySample {
    struct Holder {
        qint64 pid = 0;
        QString name;
        QString cmdline;
    };
    struct Reader : Holder {
        int slot = 0;
        qint64 readMark = 0;
        bool isWriter = false;
        bool pinning = false;
    };
    struct Writer : Holder {
        std::optional<double> writesPerSecond;
        QStringList evidence;
        double lockShare = 0;
    };
    struct Process : Holder {
        QStringList files;
    };

    qint64 tMs = 0;
    qint64 walBytes = 0;
    qint64 shmBytes = 0;
    qint64 dbBytes = 0;
    std::optional<qint64> committedFrame; // null when there is no live -shm
    std::optional<qint64> backfilled;
    std::optional<qint64> commitCounter;
    double commitsPerSecond = 0; // over watch's sliding window (rate_window_ms)
    double framesPerSecond = 0;
    bool ratesKnown = false; // false while the window has no step yet (null in the JSON)
    bool ratesLowerBound = false;
    QString filesState; // "at_rest", "live", "stale"
    QList<Writer> writers; // wrote during the last interval
    std::optional<double> writeLockBusy;
    HealthWarnings notices; // said once, in the first line
    qint64 lagFrames = 0;
    std::optional<Holder> writer;
    qint64 writerHeldMs = 0;
    QList<Reader> readers;
    qint64 walValidFrames = 0;
    qint64 walContentBytes = 0;
    qint64 checkpointSeq = 0;
    qint64 resetsSeen = 0;
    HealthWarnings warnings;
    std::optional<QList<Process>> processes; // only in lines that carry the process list

    static std::optional<ActivitySample> fromJson(const QByteArray& line);
    static ActivitySample fromJson(const QJsonObject& object);
    const Reader* pinningReader() const;
};
