// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

// CacheHolders: the other processes that have one cache's files (db, -wal, -shm, -journal)
// open or locked, with their names and command lines, for the maintenance actions that must
// name who blocks them (checkpoint, vacuum, safe delete, scan). It reads /proc only (no fd is
// opened on the cache files) and always leaves out the calling process, and a CacheScope watcher
// that only has files open read-only (it counts commits, docs/WAL.md §10). A plain value; any
// thread (the /proc scan is slow enough to keep off the GUI thread).
class CacheHolders {
public:
    struct Process {
        qint64 pid = 0;
        QString name;
        QString cmdline;
        QStringList files; // "db", "wal", "shm", "journal": open or locked
        QStringList locks; // lock names as in the JSON contract: "write", "read1", "db_shared", …

        QJsonObject toJson() const;
        static Process fromJson(const QJsonObject& json); // toJson()'s object read back
        QString describe() const; // "PID 123 (python3: python3 worker.py) — db, wal, shm"
        QString filesText() const { return CacheHolders::filesText(files); } // "database, -wal, -shm"
    };

    // Files as Process::files names them ("db", "wal", "shm (locked)", a value file's label) in the words every
    // window uses: "database, -wal, -shm (locked)".
    static QString filesText(const QStringList& files);

    // One file to look for besides the four (e.g. a diskcache value file), by identity.
    struct FileId {
        quint64 device = 0;
        quint64 inode = 0;
        QString label; // what Process::files says, e.g. "value ab/cd/….val"
    };

    // Every other process that has any of the four files open or holds a lock on them.
    static QList<Process> of(const QString& dbPath);
    // Same; *uninspectable gets the number of processes whose open files could not be read
    // (other users' processes when not root): only their locks (/proc/locks) are seen.
    static QList<Process> of(const QString& dbPath, int* uninspectable);
    // Every other process that has one of these files open (/proc/*/fd, matched by device and
    // inode, nothing opened) or locked (/proc/locks, readable for every user's processes).
    static QList<Process> ofFiles(const QList<FileId>& files, int* uninspectable = nullptr);
    // Adds the processes of `more` to `into`, merging the ones with the same pid.
    static void merge(QList<Process>& into, const QList<Process>& more);
    // The processes (from of()) holding at least one of the named locks.
    static QList<Process> holdingAny(const QList<Process>& processes, const QStringList& lockNames);
    // Processes holding the WAL write lock (or, in rollback mode, RESERVED/PENDING on the db) at
    // this instant: all one read of /proc can tell. A writer between two transactions (a
    // python3-diskcache set lasts well under a millisecond) holds nothing and is not among them;
    // the GUI's dialogs therefore also take the writers the Activity tab names (they wrote in its
    // last 10 s, WriterTracker), and warn about both (WriterWarnings).
    static QList<Process> writers(const QString& dbPath);
    static QList<qint64> pids(const QList<Process>& processes);
    // Pids as a message names them: "12, 345".
    static QString pidList(const QList<qint64>& pids);
};
