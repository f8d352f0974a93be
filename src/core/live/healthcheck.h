// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "live/healthwarning.h"

struct Snapshot;

// HealthCheck: turns one Snapshot (and the one before it) into the health warnings a developer
// would want pointed out, each with a stable code and a plain-language message that names the
// processes involved. The SQLite version's WAL-reset bug is not among them: it is said once per
// sampler, as a notice (WalResetBug). Pure functions; any thread.
class HealthCheck {
public:
    // A pinned checkpoint is "starved" once this many frames wait behind the reader (SQLite's
    // default wal_autocheckpoint), or earlier when the lag keeps growing over several samples.
    static constexpr qint64 StarvedLagFrames = 1000;
    static constexpr qint64 GrowingLagFrames = 100;
    static constexpr qint64 GrowingSamples = 3;
    // A -wal is "much larger than its content" above this size and this factor...
    static constexpr qint64 LargeWalBytes = 1 << 20;
    static constexpr qint64 LargeWalFactor = 4;
    // ...and above this many times the size SQLite's automatic checkpoint lets it reach (its default
    // wal_autocheckpoint, 1,000 frames): a -wal that size is WAL's steady state, reused from its start after each
    // checkpoint, not the high-water mark of an earlier burst (at 4 KiB pages ~4 MiB holding anything from 0 to
    // 4 MiB of content: the warning came and went from one sample to the next, `check` exiting 0 then 4, #28).
    static constexpr qint64 AutocheckpointFrames = 1000;
    static constexpr qint64 SteadyWalFactor = 2;

    // Above this share of time with the write lock held, writers queue (write_lock_contention).
    static constexpr double BusyShare = 0.5;
    // ...measured over at least this span of rates (Snapshot::rateSpanMs): a share read over the first 0.4 s of
    // watching is one open transaction caught in a few samples, not a lock "held most of the time" (#28).
    static constexpr qint64 ContentionSpanMs = 2000;

    static HealthWarnings evaluate(const Snapshot& snapshot, const Snapshot* previous);
    // A process as every panel, dialog and the CLI name it: "PID 7 (python3 app.py)", "PID 7", and "a process
    // CacheScope cannot see (…)" for a pid /proc/locks does not give (0, -1). ActivityWording::holderName is this.
    static QString describe(qint64 pid, const QString& name, const QString& cmdline);
    // not_wal's message, one wording for `info` (the PRAGMA's mode: DELETE, TRUNCATE…) and the live sampler
    // (the db header's "rollback": named DELETE, the default rollback mode, as the Overview and Scan name it). The
    // GUI's Health list puts its menu item in place of the command (HealthList).
    static QString notWalMessage(const QString& journalMode);

private:
    static void checkStarved(const Snapshot& s, const Snapshot* previous, HealthWarnings& out);
    static void checkWalSize(const Snapshot& s, HealthWarnings& out);
    static void checkShm(const Snapshot& s, HealthWarnings& out);
    static void checkDeleted(const Snapshot& s, HealthWarnings& out);
    static void checkRollbackWriters(const Snapshot& s, HealthWarnings& out);
    static void checkContention(const Snapshot& s, HealthWarnings& out);
};
