// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/error.h"

#include <QString>

#include <array>
#include <sys/types.h>

// WalIndex: reads the header of one -shm file (the WAL index, docs/WAL.md §2) without
// a lock and without SQLite: pread() on an O_RDONLY|O_NOFOLLOW fd, the two 48-byte copies
// compared and checksummed, retried up to 100 times, and the DMS byte (128) probed with
// F_OFD_GETLK to tell a live index from a stale leftover. It never creates, writes or mmaps
// the file. It owns that fd and keeps it open for its whole life so it can be polled
// cheaply; it reopens only when the path names a different inode (the last connection
// deleted -shm and a new one created it) and closes it when the file is gone.
// Closing an fd on -shm drops every POSIX lock the calling process holds on it (§4): use a
// WalIndex only in a process that holds no SQLite connection to the cache (the CLI, a probe
// child), or keep the WalIndex alive until those connections are closed.
// Not thread-safe; lives on the thread that polls it.
class WalIndex {
public:
    // Who holds the DMS lock byte: Live = read-locked by connections (contents trustworthy),
    // Initialising = write-locked (being set up or torn down), Stale = nobody (a leftover).
    enum class Liveness { Live, Initialising, Stale };

    struct Header {
        quint32 version = 0; // iVersion, 3007000
        quint32 commitCounter = 0; // iChange: +1 per commit
        bool bigEndianChecksum = false;
        qint64 pageSize = 0;
        quint32 committedFrame = 0; // mxFrame
        quint32 dbPages = 0; // nPage
        quint32 salt1 = 0; // as in the -wal header (big-endian there)
        quint32 salt2 = 0;
        quint32 backfilled = 0; // nBackfill
        quint32 backfillAttempted = 0; // nBackfillAttempted
        std::array<quint32, 5> readMarks {}; // 0xffffffff = unused slot
        Liveness liveness = Liveness::Stale;
        int attempts = 0; // tries the consistent read needed (1 = first)

        // Frames committed but not yet copied into the database.
        qint64 checkpointLag() const { return qint64(committedFrame) - qint64(backfilled); }
        bool isLive() const { return liveness == Liveness::Live; }
    };

    static constexpr int HeaderBytes = 136;
    static constexpr quint32 Version = 3007000;
    static constexpr quint32 UnusedReadMark = 0xffffffffU;
    static constexpr int MaxAttempts = 100;

    explicit WalIndex(const QString& shmPath);
    ~WalIndex();
    WalIndex(const WalIndex&) = delete;
    WalIndex& operator=(const WalIndex&) = delete;

    QString path() const { return m_path; }
    // The inode of the -shm read last (0 when none): rates are only comparable within one.
    ino_t inode() const { return m_fd >= 0 ? m_inode : 0; }
    // One consistent read of the header now. Errors are values: NotFound (no -shm), EmptyFile,
    // Corrupt (too short, bad version/checksum, copies never agree), SymbolicLink,
    // NotRegularFile, PermissionDenied, Io.
    Result<Header> read();
    // Who holds the DMS byte now (F_OFD_GETLK: asks, takes nothing), whatever the header holds:
    // a live connection's -shm whose header cannot be read whole is still in use.
    Result<Liveness> liveness();
    // Parses 136 header bytes as they would be read from -shm (no lock probe; liveness Stale).
    // Fails with Corrupt when they are not one consistent, checksummed header.
    static Result<Header> parse(const QByteArray& bytes);
    static QString livenessName(Liveness liveness); // "live", "initialising", "stale"

private:
    Status ensureOpen();
    void close();
    Result<Liveness> probeDms() const;
    Result<Header> readConsistent();

    QString m_path;
    int m_fd = -1;
    dev_t m_device = 0;
    ino_t m_inode = 0;
};
