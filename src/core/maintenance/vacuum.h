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
// writers are active (warningsBefore); VACUUM INTO is one read transaction, never the write lock,
// and the warnings say what that read does to writers instead (Access). Progress is reported from
// sqlite3_progress_handler (and between the copy-back steps of VacuumInPlace) and the callback can cancel until the
// commit: the run is rolled back, leaving the cache as it was. VACUUM INTO writes a temporary name beside the target
// and renames it into place when complete, so a cancelled, failed or killed copy never sits under the target's name.
// Runs on the calling thread, which it blocks for the whole run: the GUI calls it from a worker thread. A diskcache (a
// folder path, or its cache.db) copied INTO gets a folder of its own (a new or empty DIR, or DIR/cache.db): the copy's
// referenced value files are copied there too (maintenance/valuecopy.h), so diskcache opens the copy as a working
// cache; values a live writer removed meanwhile are reported as lost. A FanoutCache folder is vacuumed shard by shard
// by FolderVacuum, INTO DIR/000/cache.db, DIR/001/cache.db, ….
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
        // A -wal that cannot belong to the database (WalOrigin) is refused unless accepted.
        bool acceptForeignWal = false;
        // Writers seen before (BriefWatch, the GUI's Activity tab): named in the warnings with
        // the write lock's holders at the start.
        QList<qint64> alsoWriting = {};
        // Called on the vacuuming thread every few thousand VM steps; return false to cancel.
        std::function<bool(const Progress&)> progress;
        // Called after VACUUM INTO wrote the copy, before a diskcache's value files are copied
        // (the tests make a live writer remove a value here).
        std::function<void()> afterSnapshot;
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
        bool diskcache = false; // the source keeps values in files (Cache.filename)
        int valueFilesCopied = 0; // INTO a diskcache: value files copied into the copy's folder
        qint64 valueBytesCopied = 0;
        QStringList valueFilesLost; // referenced by the copy but removed from the source meanwhile
        QStringList valueFilesChanged; // copied with a size other than Cache.size
        bool checkpointBusy = false; // the TRUNCATE checkpoint afterwards could not complete
        // A cancel arrived after the vacuum (or the copy) had committed: it stands; in place in
        // WAL mode the TRUNCATE checkpoint afterwards is stopped (the -wal keeps the pages).
        bool cancelledAfterCommit = false;
        // In place: other connections committed while it ran (PRAGMA data_version of its own
        // connection moved between its start and its end), so the sizes after hold their rows too.
        bool othersWrote = false;
        // Who they were, when othersWrote: the writers seen before (alsoWriting) and the write
        // lock's holders at the end, (pid, process name); empty when none was seen.
        QList<std::pair<qint64, QString>> writers;
        HealthWarnings warnings;

        QJsonObject toJson() const;
        // The warnings first, unless the caller already showed them before acting (the CLI
        // prints them on stderr then: once is enough in a terminal).
        QString toText(bool withWarnings = true) const;
        // Why the database file grew, when it did or others wrote while it ran: "The database grew
        // by 32 KiB (124 KiB → 156 KiB): writers added rows while it ran — PID 7 (python3)." or the
        // -wal's pages copied into it. Empty otherwise.
        QString growthText() const;
    };

    // dbPath: a database, or a diskcache folder.
    static Result<Outcome> run(const QString& dbPath, const Options& options);
    // The database file VACUUM INTO will write for this source and --into value, checked: an
    // empty target, an existing file, a missing folder, a non-empty folder for a diskcache copy
    // are refused with the reason (the CLI makes these usage errors).
    static Result<QString> resolveInto(const QString& dbPath, const QString& intoPath);
    // True for a diskcache (its folder, or a cache.db with diskcache's tables): INTO copies value files.
    static bool copiesValueFiles(const QString& path);
    // Space needed: 2× the db (temporary copy + WAL) in place; the used bytes for INTO.
    static Status checkFreeSpace(const QString& dbPath, const QString& intoPath);
    // Whether intoPath names a sidecar of dbPath (-wal, -shm, -journal), by resolved directory:
    // SQLite would take a copy written there for the source's own WAL, index or hot journal.
    static bool isSidecarOf(const QString& dbPath, const QString& intoPath);
    // Refuses an INTO target that exists in any form (file, directory, dangling symlink).
    static Status checkTarget(const QString& intoPath);
    // How a run meets the cache's writers, which the warnings before it describe.
    enum class Access {
        InPlace, // VACUUM: waits for the write lock, then holds it for its whole run (then a TRUNCATE checkpoint)
        CopyOfWal, // VACUUM INTO from a WAL cache: one read; writers commit on, checkpoints stop at its snapshot
        CopyOfRollback, // VACUUM INTO from a rollback-journal cache: its shared lock holds their commits back
    };
    // The access of a run with or without --into on a database in this journal mode ("wal", "delete", …).
    static Access accessFor(bool into, const QString& journalMode);
    // Same, with the journal mode read from the database's header: only in a process that has no
    // connection to it (the CLI before it runs; opening and closing the file would drop that
    // connection's locks, docs/WAL.md §4.1). A process that has it open gets CopyOfWal for a copy:
    // it knows its journal mode (Database::Facts) and says accessFor.
    static Access accessOf(const QString& dbPath, bool into);
    // What warningsBefore reads: a -wal that cannot belong to the database, and who writes now.
    struct Before {
        HealthWarnings others; // ForeignWal
        QList<qint64> writers; // the write lock's holders now (CacheHolders::writers), then alsoWriting's others
        HealthWarnings warnings(Access access) const { return others + writerWarnings(writers, access); }
    };
    static Before readBefore(const QString& dbPath, const QList<qint64>& alsoWriting = {});
    // "writers are active": in place VACUUM will wait for them, then stall them for its whole run;
    // a copy (VACUUM INTO) only reads and says what that read does to them.
    static HealthWarnings warningsBefore(
        const QString& dbPath, const QList<qint64>& alsoWriting = {}, Access access = Access::InPlace);
    // What warningsBefore says about these writers. In place (it ends with a TRUNCATE checkpoint):
    // Checkpoint::writerWarnings' WAL-reset advice naming them, then that they stall (named there
    // when the advice does not apply). A copy takes no write lock and no checkpoint, so no such
    // advice: from a WAL cache their commits go on while the -wal grows behind its snapshot; from a
    // rollback-journal cache their commits wait until it ends. The GUI passes the writers Activity
    // names too.
    static HealthWarnings writerWarnings(const QList<qint64>& writerPids, Access access = Access::InPlace);
};
