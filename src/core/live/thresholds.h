// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "live/thresholdcrossing.h"
#include "live/thresholdreading.h"

#include <QList>
#include <QString>

#include <optional>

// Thresholds: the limits a user puts on a cache's health, under one set of names shared by
// `cachescope-cli check`'s options (--max-wal-bytes …) and the GUI's Preferences — and which of
// them a reading crosses. A limit left unset is not checked; with `warnings` every health
// warning (HealthCheck) counts as crossed too. A plain value; any thread.
struct Thresholds {
    // The names, in the order they are listed (the `check` option without its dashes).
    static constexpr const char* MaxWalBytes = "max-wal-bytes";
    static constexpr const char* MaxCheckpointLagFrames = "max-checkpoint-lag-frames";
    static constexpr const char* MaxCheckpointPinnedS = "max-checkpoint-pinned-s";
    static constexpr const char* MaxWriteLockBusy = "max-write-lock-busy";
    static constexpr const char* MaxExpiredRatio = "max-expired-ratio";
    static constexpr const char* Warning = "warning";

    std::optional<qint64> maxWalBytes;
    std::optional<qint64> maxCheckpointLagFrames;
    std::optional<double> maxCheckpointPinnedS;
    std::optional<double> maxWriteLockBusy; // 0..1
    std::optional<double> maxExpiredRatio; // 0..1
    bool warnings = true;

    static QStringList names();
    // The value is over its limit (strictly: a limit equal to the value holds). The write lock's share counts only once
    // it covers at least a second (WatchLine::MinShownRateSpanMs; a span of 0 is not known).
    QList<ThresholdCrossing> crossedBy(const ThresholdReading& reading) const;
    // "0.8", "80%", ".5": a ratio from 0 to 1; nullopt otherwise.
    static std::optional<double> parseRatio(const QString& text);
};
