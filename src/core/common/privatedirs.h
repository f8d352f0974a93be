// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

// PrivateDirs: the folders CacheScope makes in $TMPDIR for what it must never write beside a
// cache — private copies read instead of a cache at rest (cachescope-read-*), the compacted
// database an in-place vacuum builds before copying it back (cachescope-vacuum-*) — and the
// demo's cache (cachescope-demo-*, llm-cache.db, made by the GUI's DemoSession). Each name
// carries its owner: cachescope-<purpose>-<pid>.<start>-XXXXXX, <start> being the owner's start
// time in clock ticks since boot (/proc/PID/stat), so a pid reused by another process is not
// taken for the owner. The owner removes its folder when done; sweepStale() removes the
// folders of owners that died without doing so (SIGKILL, a crash, a power cut). A folder is
// removed only when all of this holds: its name carries a pid and start time; that pid is
// gone, runs with another start time, or the folder is older than the last boot; it is a real
// folder (no symlink) owned by this user; and it holds only the files CacheScope puts there
// (no subfolder, nothing else). A demo folder named before it carried a start time
// (cachescope-demo-<pid>-XXXXXX) is removed only once that pid is gone. Anything else is left
// alone. Both programs sweep once on start: the GUI as it starts, the CLI before it reads a cache.
class PrivateDirs {
public:
    // A QTemporaryDir template in QDir::tempPath() for this process: …/cachescope-<purpose>-<pid>.<start>-XXXXXX.
    static QString templateFor(const QString& purpose);
    // Removes the stale folders of every purpose in QDir::tempPath(); returns how many were removed.
    static int sweepStale();
    // sweepStale() the first time it is called in this process, nothing later.
    static void sweepStaleOnce();
    // True when the process pid runs now with this start time (false when gone or reused; true
    // when /proc cannot tell, and for any running pid when startTicks is negative).
    static bool ownerAlive(qint64 pid, qint64 startTicks);
    // The start time of a running process in clock ticks since boot, or -1.
    static qint64 startTicksOf(qint64 pid);

    // Folders of this process to remove if a signal ends it before their owner does (up to 32
    // at once; more are left to the next run's sweep).
    static void track(const QString& folder);
    static void untrack(const QString& folder);
    // Removes the tracked folders' files (cache.db/vacuum.db and sidecars) and the folders;
    // async-signal-safe (unlink, rmdir), for a signal handler that is about to end the process.
    static void removeTrackedNow();
    // For commands that do not handle SIGINT/SIGTERM/SIGHUP themselves: remove the tracked
    // folders, then die of the signal as before (a command that installs its own handler later
    // replaces this one and exits normally, removing them on the way).
    static void removeOnFatalSignals();
};
