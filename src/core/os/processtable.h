// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "os/cachefiles.h"
#include "os/locktable.h"

#include <QJsonArray>
#include <QList>
#include <QString>

#include <functional>

// ProcessTable: the one reader of /proc/*/fd. scan(): every process that has one of the
// cache's files open, found by scanning /proc/*/fd (docs/WAL.md §7) — idle rollback-mode connections hold no lock, so
// /proc/locks alone misses them. Each fd is stat()ed through its /proc magic link and matched
// by (st_dev, st_ino) — a -journal, -wal or -shm only while its link still names that sidecar
// (its inode number may have gone to another file since it was stat()ed); the cache files
// themselves are never opened. An fd on an unlinked file
// is reported as deleted only when its link reads "<our path> (deleted)" — never by a
// remembered inode number, which ext4 hands to the next new file at once (docs/WAL.md §7). The
// fd's access mode (/proc/PID/fdinfo "flags") says which files it has open for writing.
// Processes that vanish mid-scan or whose fds we may not read (EACCES or EPERM) are skipped and
// counted. The scan costs a few ms on a
// busy machine, so GUIs run it off their GUI thread; the result is an immutable value.
class ProcessTable {
public:
    struct Process {
        qint64 pid = 0;
        QString name; // /proc/PID/comm
        QString cmdline; // arguments joined with spaces
        QList<CacheFiles::Kind> files; // current files it has open
        QList<CacheFiles::Kind> deletedFiles; // unlinked former files it still has open
        QList<CacheFiles::Kind> writableFiles; // current files open O_WRONLY/O_RDWR
        QList<CacheFiles::Kind> deletedWritable; // unlinked former files open for writing
        // A current db or -journal open for writing: what a process that may commit holds (a
        // read-only SQLite connection opens the db O_RDONLY; every connection opens -wal/-shm O_RDWR).
        bool mayWrite() const
        {
            return writableFiles.contains(CacheFiles::Kind::Db) || writableFiles.contains(CacheFiles::Kind::Journal);
        }
        bool isSelf = false;
        QJsonObject toJson() const;
    };

    // Scans /proc now for the current files (targets with former=false; former targets are ignored:
    // an inode number alone does not identify a file that is gone).
    static ProcessTable scan(const QString& dbPath, const QList<LockTable::Target>& targets);

    const QList<Process>& processes() const { return m_processes; }
    // Same list without this process (the CLI leaves itself out of holders).
    QList<Process> others() const;
    const Process* find(qint64 pid) const;
    // File identities of deleted files some process still holds: feed LockTable as former targets.
    QList<LockTable::Target> deletedTargets() const { return m_deletedTargets; }
    int unreadableProcesses() const { return m_unreadable; }
    int scannedProcesses() const { return m_scanned; }
    QJsonArray toJson(bool includeSelf = false) const;

    // Every process id in /proc, this process's too.
    static QList<qint64> processIds();
    // One regular file a process has open, seen through its /proc/PID/fd magic link: stat()ed
    // through the link for its identity, never opened.
    struct OpenFile {
        quint64 device = 0;
        quint64 inode = 0;
        bool unlinked = false; // no name left (st_nlink == 0)
        int fdDirectory = -1;
        const char* fdName = nullptr;
        QString linkTarget() const; // what the link reads, e.g. "/path/cache.db-wal (deleted)"
    };
    enum class FdAccess { Read, Unreadable, Gone };
    // Calls visit for every regular file pid has open. Unreadable: its fds may not be listed
    // (EACCES or EPERM: another user's process); Gone: it exited.
    static FdAccess forEachOpenFile(qint64 pid, const std::function<void(const OpenFile&)>& visit);

    // Reads /proc/PID/comm and /proc/PID/cmdline (empty when gone or unreadable).
    static QString processName(qint64 pid);
    static QString processCommandLine(qint64 pid);
    // The parent pid from /proc/PID/stat (0 when gone or unreadable).
    static qint64 parentOf(qint64 pid);

private:
    // The cache's four paths as given and with the folder's symbolic links resolved (what a
    // /proc/PID/fd link reads).
    struct OurPaths {
        explicit OurPaths(const QString& dbPath);
        bool names(CacheFiles::Kind kind, const QString& link, const QString& suffix = QString()) const;
        QString plain[CacheFiles::KindCount];
        QString canonical[CacheFiles::KindCount];
    };
    void scanProcess(qint64 pid, const OurPaths& ours, const QList<LockTable::Target>& targets);
    QList<Process> m_processes;
    QList<LockTable::Target> m_deletedTargets;
    int m_unreadable = 0;
    int m_scanned = 0;
};
