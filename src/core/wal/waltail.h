// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "wal/walgenerations.h"

#include <QString>

// WalTail: one -wal file followed frame by frame through an O_RDONLY fd opened the moment the
// file was seen and kept until it is deleted (docs/WAL.md §1, §10): every
// read() walks the frame headers written since the last one and counts the commit frames (a
// non-zero "database size after commit") whose salts match the header's. It resumes after the
// last commit frame (frames of a transaction still being written are read again next time) and
// counts each generation once through WalGenerations. Because the fd is held, the frames of a
// -wal that SQLite unlinks (the last connection closing) are still read, and its inode number
// cannot be handed to a new file meanwhile. It reports, never hides, what it could not see: a
// -wal reset and rewritten past the last frame read, or truncated while a transaction's frames
// were unread. Only frame headers are read (24 bytes each); checksums are not verified.
// Lock hazard (docs/WAL.md §4.1): closing this fd drops every POSIX lock this process holds on
// the -wal, so it belongs in a process with no SQLite connection to the cache (`watch`).
// Not thread-safe; one thread.
class WalTail {
public:
    struct Read {
        qint64 commits = 0; // commit frames counted now (not counted before, in any generation)
        qint64 frames = 0; // frames of those commits
        QString missed; // non-empty: commits may have been written that could not be read
    };

    // Takes ownership of fd (a -wal opened O_RDONLY).
    WalTail(int fd, quint64 device, quint64 inode);
    ~WalTail();
    WalTail(const WalTail&) = delete;
    WalTail& operator=(const WalTail&) = delete;

    // Opens path O_RDONLY|O_NOFOLLOW|O_CLOEXEC; nullptr (and errno set) when it cannot.
    static WalTail* open(const QString& path);

    quint64 device() const { return m_device; }
    quint64 inode() const { return m_inode; }
    int fd() const { return m_fd; }
    bool unlinked() const; // the file has no name any more (st_nlink 0)
    // Reads what was written since the last call. count false: the frames found are recorded as
    // counted without being counted (what the -wal held when watching started).
    Read read(WalGenerations& generations, bool count = true);

private:
    struct Header {
        quint32 pageSize = 0;
        quint32 salt1 = 0;
        quint32 salt2 = 0;
    };
    bool readHeader(qint64 fileBytes, Header& header) const;
    // Walks frames of the current generation from m_next; adds to read.
    void walk(qint64 fileBytes, Read& read, bool count, quint32* stopSalt1 = nullptr, quint32* stopSalt2 = nullptr);
    qint64 frameOffset(qint64 frame) const { return 32 + (frame - 1) * (qint64(m_header.pageSize) + 24); }

    int m_fd = -1;
    quint64 m_device = 0;
    quint64 m_inode = 0;
    bool m_haveHeader = false;
    Header m_header;
    qint64 m_next = 1; // the frame after the last commit frame read
    qint64 m_pending = 0; // frames of this generation after it, read last time (a transaction in progress)
};
