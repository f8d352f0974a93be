// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

// RollbackCounter: commits of a rollback-journal database (DELETE, TRUNCATE, PERSIST) from its
// header's file change counter (offset 24, big-endian), which every write transaction increments
// by one as it writes page 1 (docs/WAL.md §10): the delta between two
// reads is the exact number of commits however late the read and however many events coalesced.
// In WAL mode (header bytes 18/19 = 2) the counter is not kept per commit; read() then only
// follows it. The db is read through one kept O_RDONLY fd (no lock; a process without SQLite
// connections, docs/WAL.md §4.1). Not thread-safe; one thread.
class RollbackCounter {
public:
    struct Read {
        qint64 commits = 0;
        bool wal = false; // the header says WAL: nothing counted from it
        bool wentBack = false; // the counter went down: a hot journal was rolled back (or a new file)
    };
    RollbackCounter() = default;
    ~RollbackCounter();
    RollbackCounter(const RollbackCounter&) = delete;
    RollbackCounter& operator=(const RollbackCounter&) = delete;

    // (Re)opens path and takes its counter as the baseline; false when it cannot be read.
    bool open(const QString& path);
    void close();
    bool isOpen() const { return m_fd >= 0; }
    quint64 device() const { return m_device; }
    quint64 inode() const { return m_inode; }
    Read read();
    bool lastSaidWal() const { return m_wal; }

private:
    bool readHeader(quint32& counter, bool& wal) const;
    int m_fd = -1;
    quint64 m_device = 0;
    quint64 m_inode = 0;
    bool m_haveCounter = false;
    quint32 m_counter = 0;
    bool m_wal = false;
};
