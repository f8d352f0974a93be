// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

// FileProbe: what OpenPlan looks at on a cache's files before it decides how to open them —
// a file's state (lstat), whether a process holds a lock on a byte range (F_OFD_GETLK, no lock
// taken), whether a -wal holds frames or a -journal is hot. Each probe opens an fd of its own
// and closes it, which drops this process's POSIX locks on that file (docs/WAL.md §4.1): only
// for a file this process holds no SQLite connection to. Any thread.
namespace FileProbe {

struct FileState {
    bool exists = false;
    bool regular = false;
    qint64 bytes = -1;
    quint64 inode = 0;
    qint64 mtimeNs = 0;
    bool operator==(const FileState& o) const
    {
        return exists == o.exists && bytes == o.bytes && inode == o.inode && mtimeNs == o.mtimeNs;
    }
};

QByteArray native(const QString& path);
// An fd on a regular file only: O_NONBLOCK so a FIFO never blocks the open. -1 otherwise.
int openRegular(const QString& path);
// Whether any process holds a lock that overlaps [start, start + length): a query, no lock taken.
bool lockedRange(const QString& path, qint64 start, qint64 length);
FileState stateOf(const QString& path);
QByteArray readPrefix(const QString& path, int bytes);
// A -wal that holds at least one whole frame after a header with SQLite's magic: reading the
// database in place would replay it (and build a -shm for it).
bool walHasFrames(const QString& walPath, qint64 walBytes);
// A rollback journal SQLite would play back: non-empty and starting with the journal magic.
bool journalIsHot(const QString& journalPath);

} // namespace FileProbe
