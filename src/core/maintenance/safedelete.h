// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "os/cacheholders.h"
#include "common/error.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <functional>

// SafeDelete: removes a database together with its -wal, -journal and -shm — and nothing
// else — only when no other process has any of them open or locked (WAL_REFERENCE.md §7).
// It refuses, naming the holders, for idle connections, readers, writers and processes that
// merely have a file open. Race-safe: it takes the write locks SQLite itself uses (db
// [PENDING, +512), -shm [WRITE..DMS]) so no connection can start, re-checks /proc while
// holding them, then unlinks (or moves to the trash) -wal, -journal, -shm, db.
// It never follows a symlink: a DB path (or sidecar) that is a symbolic link is refused with
// the link's target named, because deleting the link would leave the real database and its
// sidecars behind, and deleting the target through the link is following it.
// The calling process must hold no SQLite connection to the cache (it is refused otherwise:
// closing this process's lock fds would drop that connection's locks). Blocking (/proc scan);
// call it off the GUI thread or from the CLI.
class SafeDelete {
public:
    struct Options {
        bool trash = false; // QFile::moveToTrash instead of unlink
        bool dryRun = false; // list files and holders only; take no lock, remove nothing
        // Called while the locks are held, after the re-check, before anything is removed.
        std::function<void()> whileLocked;
    };
    struct File {
        QString kind; // "db", "wal", "shm", "journal"
        QString path;
        qint64 bytes = 0;
    };
    struct Outcome {
        QString dbPath;
        bool dryRun = false;
        bool refused = false;
        QString reason; // why it was refused
        QList<File> files; // what exists (and would be / was removed), in removal order
        QStringList deleted; // paths removed or moved to the trash
        QStringList trashedTo; // where --trash put them
        QList<CacheHolders::Process> holders;

        QJsonObject toJson() const;
        QString toText() const;
    };

    static Result<Outcome> run(const QString& dbPath, const Options& options);
};
