// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <sys/types.h>

// CacheFiles: the four files that make up one SQLite database on disk (db, -wal, -shm,
// -journal) and their sizes. It only ever calls stat()/statfs() on paths and never opens a
// file, so it is safe to use in a process that holds SQLite connections to the cache
// (docs/WAL.md §4: closing any fd on these files would drop that process's locks).
// A plain value; any thread.
class CacheFiles {
public:
    enum class Kind { Db, Wal, Shm, Journal };
    static constexpr int KindCount = 4;

    struct FileInfo {
        QString path;
        bool exists = false;
        qint64 bytes = -1; // -1 when absent
        dev_t device = 0;
        ino_t inode = 0;
        qint64 mtimeNs = 0; // last modification, ns since the epoch
        // Same file (device, inode) with the same size and mtime.
        bool sameAs(const FileInfo& other) const
        {
            return exists == other.exists && device == other.device && inode == other.inode && bytes == other.bytes
                && mtimeNs == other.mtimeNs;
        }
    };

    struct Filesystem {
        QString type; // "ext4", "nfs", … or "0x…" for an unknown magic
        bool network = false;
    };

    explicit CacheFiles(const QString& dbPath);

    QString dbPath() const { return m_dbPath; }
    QString path(Kind kind) const;
    // stat() each file now.
    FileInfo stat(Kind kind) const;
    static QString kindName(Kind kind); // "db", "wal", "shm", "journal"
    static Filesystem filesystemOf(const QString& path);

private:
    QString m_dbPath;
};
