// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "live/healthwarning.h"

#include <QJsonObject>
#include <QString>

#include <optional>

struct Snapshot;
struct WatchLine;

// ThresholdReading: the numbers of one cache that Thresholds are set on, taken from one
// Snapshot (`check`, `metrics`) or one `watch` line (the GUI, which never samples in its own
// process), plus the entry counts where a pass over the table gave them. A plain value; any
// thread.
struct ThresholdReading {
    QString path;
    qint64 walBytes = 0; // 0 without a -wal
    qint64 checkpointLagFrames = 0; // committed frames not yet copied back (live -shm only)
    double checkpointPinnedS = 0; // how long one reader has pinned the checkpoint (0: nobody)
    std::optional<qint64> pinningPid;
    std::optional<double> writeLockBusy; // 0..1 over the last 10 s; null before enough samples
    // What writeLockBusy covers, the rates' span (RateWindow::spanText): shorter than 10 s while watching has not
    // lasted that long; 0 when not known.
    qint64 writeLockBusySpanMs = 0;
    std::optional<qint64> entries; // null: not counted
    std::optional<qint64> expiredEntries; // null: not counted, or the format keeps no expiry
    HealthWarnings warnings;

    // expiredEntries / entries; null when either is unknown or there are no entries.
    std::optional<double> expiredRatio() const;
    static ThresholdReading of(const Snapshot& snapshot);
    static ThresholdReading of(const QString& path, const WatchLine& line);
    // {"path","wal_bytes","checkpoint_lag_frames","checkpoint_pinned_s","pinning_pid",
    //  "write_lock_busy","entries","expired_entries","expired_ratio","warnings"} (docs/CLI.md, check)
    QJsonObject toJson() const;
};
