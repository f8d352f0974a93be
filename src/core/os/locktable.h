// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/error.h"
#include "os/cachefiles.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>

// LockTable: every POSIX/OFD lock other processes (and this one) hold on a cache's files, read
// from /proc/locks (docs/WAL.md §3) — it needs no fd on the cache at all. Entries are
// matched to the db/-wal/-shm/-journal by (st_dev, st_ino) and split into SQLite's named lock
// bytes (the kernel merges adjacent same-type ranges of one process, e.g. read4+dms). Locks on
// an inode the path used to have (passed in as a former file) are flagged: someone is still
// writing into a deleted database. OFD locks carry no pid in /proc/locks; they are reported
// with pid -1 and ofd set. An immutable value; build it on any thread.
class LockTable {
public:
    // One line of /proc/locks.
    struct Entry {
        QByteArray lockClass; // POSIX, OFDLCK, FLOCK, LEASE, …
        bool waiting = false; // "->": blocked, waiting for the lock
        bool write = false;
        qint64 pid = 0;
        quint32 major = 0;
        quint32 minor = 0;
        quint64 inode = 0;
        qint64 start = 0;
        qint64 end = -1; // -1 = EOF
    };

    // One named SQLite lock held (or waited for) by one process.
    struct Lock {
        qint64 pid = 0; // -1 for OFD locks (no owner pid in /proc/locks)
        bool ofd = false;
        bool waiting = false;
        CacheFiles::Kind file = CacheFiles::Kind::Db;
        QString name; // write, checkpoint, recover, read0..read4, dms, db_pending, db_reserved, db_shared, other
        bool write = false;
        bool deletedFile = false; // held on an inode that no longer is at the path
        QString typeName() const { return write ? QStringLiteral("write") : QStringLiteral("read"); }
        QJsonObject toJson() const;
    };

    // A file identity to match: one of the current files, or one the path used to have.
    struct Target {
        CacheFiles::Kind kind = CacheFiles::Kind::Db;
        quint64 device = 0;
        quint64 inode = 0;
        bool former = false;
        QString path; // a current file's path: collect() checks it still names this inode
    };

    static QList<Entry> parse(const QByteArray& procLocksText);
    // /proc/locks as one consistent text: read until two reads agree (at most five), every lock
    // any of them listed (a single read can skip a held lock while others come and go).
    static Result<QByteArray> readProcLocks();
    static QList<Target> targetsOf(const CacheFiles::FileInfo (&files)[CacheFiles::KindCount]);
    // Locks on the targets, pid excludePid (e.g. the CLI itself) left out; 0 excludes nobody.
    static LockTable match(const QList<Entry>& entries, const QList<Target>& targets, qint64 excludePid = 0);
    // Reads /proc/locks now and matches it. A current target whose path names another inode
    // (or nothing) once /proc/locks is read is left out: a -wal, -shm or -journal deleted since
    // its stat() gave its inode number back, and the next new file anywhere on the file system
    // may have it — locks on that file are not the cache's.
    static Result<LockTable> collect(const QList<Target>& targets, qint64 excludePid = 0);

    const QList<Lock>& locks() const { return m_locks; }
    // Holders of a named lock (granted, not waiting), in /proc/locks order.
    QList<Lock> holders(const QString& name) const;
    bool anyOnDeletedFile() const;
    bool anyOn(CacheFiles::Kind kind) const;
    QJsonArray toJson() const;

private:
    static void addNamedLocks(const Entry& entry, const Target& target, QList<Lock>& out);
    QList<Lock> m_locks;
};
