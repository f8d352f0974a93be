// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "live/healthwarning.h"

struct Snapshot;

// HealthCheck: turns one Snapshot (and the one before it) into the health warnings a developer
// would want pointed out, each with a stable code and a plain-language message that names the
// processes involved. Pure functions; any thread.
class HealthCheck {
public:
    // A pinned checkpoint is "starved" once this many frames wait behind the reader (SQLite's
    // default wal_autocheckpoint), or earlier when the lag keeps growing over several samples.
    static constexpr qint64 StarvedLagFrames = 1000;
    static constexpr qint64 GrowingLagFrames = 100;
    static constexpr qint64 GrowingSamples = 3;
    // A -wal is "much larger than its content" above this size and this factor.
    static constexpr qint64 LargeWalBytes = 1 << 20;
    static constexpr qint64 LargeWalFactor = 4;

    static HealthWarnings evaluate(const Snapshot& snapshot, const Snapshot* previous);
    // SQLite 3.7.0 through 3.51.2 have the WAL-reset bug (wal.html#walresetbug).
    static bool hasWalResetBug(const QString& sqliteVersion);

private:
    static void checkStarved(const Snapshot& s, const Snapshot* previous, HealthWarnings& out);
    static void checkWalSize(const Snapshot& s, HealthWarnings& out);
    static void checkShm(const Snapshot& s, HealthWarnings& out);
    static void checkDeleted(const Snapshot& s, HealthWarnings& out);
    static void checkResetBug(const Snapshot& s, HealthWarnings& out);
};
