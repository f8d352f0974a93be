// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/error.h"
#include "os/cacheholders.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

// Scanner: finds every SQLite database below a directory — by its 100-byte header, never by
// its extension — with its journal mode (header bytes 18/19), db/-wal/-shm/-journal sizes and
// the processes that have it open, plus orphaned sidecars (a -wal, -shm or -journal whose
// database is gone), which SafeDelete can remove with the same rules. Symbolic links are
// never followed (so the scan cannot leave DIR), unreadable directories are listed and
// skipped. It reads headers with open()+pread()+close(), so it skips (and marks) files this
// process has SQLite connections to (Database::isOpenInProcess) and never opens a file named
// like a sidecar (-wal, -shm, -journal): those are only stat()ed. The cache profile comes from
// a short read-only connection (no lasting read transaction). Blocking; run it off the
// GUI thread.
class Scanner {
public:
    struct Options {
        bool holders = true; // scan /proc for processes that have each file open
        bool profiles = true; // recognise the cache format (a short read-only connection)
    };
    struct Found {
        QString path;
        QString journalMode; // "wal", "rollback", or "" (unreadable)
        qint64 dbBytes = 0;
        qint64 walBytes = -1; // -1 when absent
        qint64 shmBytes = -1;
        qint64 journalBytes = -1;
        QString profile; // empty when not recognised
        // diskcache: its value files (count, bytes, missing, orphans); absent otherwise
        int valueFiles = -1;
        qint64 valueBytes = 0;
        int missingValueFiles = 0;
        int orphanValueFiles = 0;
        qint64 orphanValueBytes = 0;
        qint64 totalBytes() const; // db + sidecars + value files
        // The journal mode as every screen and the CLI's text say it: "WAL", or "DELETE" for a
        // rollback journal (the header only tells WAL from a rollback journal; a database nobody
        // has open in a rollback mode is in DELETE mode: the others are set per connection, not
        // stored); empty when unreadable.
        QString journalModeName() const;
        bool openInThisProcess = false;
        QList<CacheHolders::Process> holders;
        QJsonObject toJson() const;
    };
    struct Orphan {
        QString path;
        QString kind; // "wal", "shm", "journal"
        QString dbPath; // the database it belonged to (gone)
        qint64 bytes = 0;
        QList<CacheHolders::Process> holders;
        QJsonObject toJson() const;
    };
    // A FanoutCache folder (docs/FORMATS.md): its shards and its named sub-caches
    // (FanoutCache.index('NAME') → index/NAME/cache.db, .cache('NAME') → cache/NAME/cache.db),
    // which are listed among the databases too, and named here as one cache.
    struct Fanout {
        QString folder;
        QStringList shards; // database paths, in order
        QStringList subCaches; // "index/NAME", "cache/NAME", "deque/NAME" (CacheFolder::subCaches)
        QStringList subCachePaths;
        qint64 totalBytes = 0; // every member's Found::totalBytes()
        QJsonObject toJson() const;
    };
    struct Report {
        QString root;
        QList<Found> databases;
        QList<Fanout> fanouts;
        QList<Orphan> orphans;
        QStringList unreadable; // directories (or files) that could not be read
        int skippedSymlinks = 0;
        QJsonObject toJson() const;
        QString toText() const;
        // toJson()'s object read back (`scan --json` run elsewhere: a folder on another host).
        static Report fromJson(const QJsonObject& json);
    };

    static Result<Report> scan(const QString& directory, const Options& options);
    static Result<Report> scan(const QString& directory) { return scan(directory, Options {}); }
};
