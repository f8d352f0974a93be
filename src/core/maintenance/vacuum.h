// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/error.h"
#include "live/healthwarning.h"

#include <QJsonObject>
#include <QString>

#include <functional>

// Vacuum: compacts a cache (VACUUM, then a TRUNCATE checkpoint so the files really shrink) or
// writes a consistent copy of a live cache to a new file (VACUUM INTO), through its own
// ReadWrite connection. Before it starts it checks the free space (VACUUM needs up to twice
// the database). VACUUM holds the write lock for its whole run, so callers warn first when
// writers are active (warningsBefore). Progress is reported from sqlite3_progress_handler and
// the callback can cancel: SQLite then interrupts and rolls back, leaving the cache as it was
// (and a partial VACUUM INTO target is removed). Runs on the calling thread, which it blocks
// for the whole run: the GUI calls it from a worker thread.
class Vacuum {
public:
    struct Progress {
        qint64 steps = 0; // progress-handler calls so far
        qint64 bytesDone = -1; // VACUUM INTO: bytes written to the target so far
        qint64 bytesExpected = -1; // VACUUM INTO: bytes the copy will have (used pages)
    };
    struct Options {
        QString intoPath; // empty: vacuum in place
        int busyTimeoutMs = 5000;
        // Called on the vacuuming thread every few thousand VM steps; return false to cancel.
        std::function<bool(const Progress&)> progress;
    };
    struct Outcome {
        QString dbPath;
        QString intoPath;
        bool cancelled = false;
        qint64 dbBytesBefore = 0;
        qint64 walBytesBefore = 0;
        qint64 dbBytesAfter = 0;
        qint64 walBytesAfter = 0;
        qint64 intoBytes = -1;
        qint64 freePagesBefore = 0;
        bool checkpointBusy = false; // the TRUNCATE checkpoint afterwards could not complete
        HealthWarnings warnings;

        QJsonObject toJson() const;
        QString toText() const;
    };

    static Result<Outcome> run(const QString& dbPath, const Options& options);
    // Space needed: 2× the db (temporary copy + WAL) in place; the used bytes for INTO.
    static Status checkFreeSpace(const QString& dbPath, const QString& intoPath);
    // Refuses an INTO target that exists in any form (file, directory, dangling symlink).
    static Status checkTarget(const QString& intoPath);
    // "writers are active": VACUUM will wait for them, then stall them for its whole run.
    static HealthWarnings warningsBefore(const QString& dbPath);
};
