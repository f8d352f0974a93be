// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/error.h"

#include <QString>

#include <functional>

class Database;

// VacuumInPlace: compacts a cache in place so that a cancel is honoured until the very commit.
// SQLite's own VACUUM builds the compacted database in a temporary file and then copies it
// back over the cache in one call nothing interrupts (sqlite3BtreeCopyFile): a Ctrl-C that
// arrived in that second half was ignored and the vacuum finished. Here the same two
// halves are done in the open:
//  1. a second connection takes the write lock (BEGIN IMMEDIATE, as VACUUM would: writers wait)
//     and notes PRAGMA data_version; the cache's connection writes the compacted copy with
//     VACUUM INTO a file in a private folder (PrivateDirs "vacuum", removed afterwards or by
//     the next run if this one is killed);
//  2. the lock holder lets go, the cache's connection takes the write lock back at once (the
//     backup API's first step), and the holder checks data_version: a writer that slipped in
//     between means the copy is stale — it is dropped and the whole run tried again (3 tries);
//  3. the copy's pages are written over the cache a few hundred at a time through that write
//     transaction (sqlite3_backup_step), asking keepGoing() between steps; a cancel rolls the
//     transaction back (sqlite3_backup_finish before the end) and the cache is as it was.
// Page size, reserved bytes, auto_vacuum and the header's meta values carry over (VACUUM INTO
// copies them); the journal mode stays (the backup keeps a WAL database in WAL).
class VacuumInPlace {
public:
    // keepGoing is called on this thread (and, while VACUUM INTO runs, from its progress
    // handler by the caller); false cancels. Returns true when cancelled (nothing changed).
    static Result<bool> run(Database& database, int busyTimeoutMs, const std::function<bool()>& keepGoing);
    // Pages copied back per step: one step is a few ms of writing, so a cancel waits no longer.
    static constexpr int PagesPerStep = 256;
    static constexpr int Attempts = 3;
};
