// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/error.h"
#include "os/cacheholders.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <functional>

// SafeDelete: removes a cache — a database with its -wal, -journal and -shm, and for a
// diskcache the value files its Cache table references (plus value folders left empty) — and
// nothing else, only when no other process has any of them open or locked (docs/WAL.md §7).
// The path may be a database file or a cache folder (diskcache DIR/cache.db, FanoutCache
// DIR/000/cache.db…: every shard); a file that is not an SQLite database, or a folder that is no
// cache, is refused. It refuses, naming the holders, for idle connections, readers, writers and
// processes that merely have a file (a value file too) open. Race-safe: it takes the write
// locks SQLite itself uses (db [PENDING, +512), -shm [WRITE..DMS]) on every database so no
// connection can start, re-checks /proc and that the database did not change since its value
// files were listed, while holding them, then unlinks (or moves to the trash) value files,
// -wal, -journal, -shm, db. It never follows a symlink: a DB path (or sidecar, or a folder on
// the way to a value file) that is a symbolic link is refused. The trash is our own
// (maintenance/trash.h): when it is unusable nothing is removed.
// The calling process must hold no SQLite connection to the cache (it is refused otherwise:
// closing this process's lock fds would drop that connection's locks); a dry run may (it opens
// no fd on the cache files then, and this process is never listed as a holder). Blocking (/proc scan);
// call it off the GUI thread or from the CLI.
class SafeDelete {
public:
    struct Options {
        bool trash = false; // move to the desktop trash instead of unlink
        bool dryRun = false; // list files and holders only; take no lock, remove nothing
        // Called while the locks are held, after the re-check, before anything is removed.
        std::function<void()> whileLocked;
    };
    struct File {
        QString kind; // "db", "wal", "shm", "journal", "value"
        QString path;
        qint64 bytes = 0;
    };
    struct KindTotal {
        QString kind;
        int count = 0;
        qint64 bytes = 0;
    };
    struct Outcome {
        QString dbPath; // the path given (a database or a cache folder)
        QString layout = QStringLiteral("file"); // "file", "diskcache", "fanout"
        QStringList databases;
        bool dryRun = false;
        bool refused = false;
        QString reason; // why it was refused
        QList<File> files; // what exists (and would be / was removed), in removal order
        QStringList deleted; // paths removed or moved to the trash
        QStringList trashedTo; // where --trash put them
        QStringList removedFolders; // value folders (and shard folders) left empty and removed
        int missingValueFiles = 0; // referenced but already absent: nothing to remove
        int uninspectableProcesses = 0; // processes whose open files could not be read
        QList<CacheHolders::Process> holders;

        QList<KindTotal> totals() const; // count and bytes per kind, in removal order
        QJsonObject toJson() const;
        // toJson()'s object read back (a delete run on another host, `delete --json` there).
        static Outcome fromJson(const QJsonObject& json);
        QString toText() const;
    };

    static Result<Outcome> run(const QString& path, const Options& options);
};
