// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "os/processio.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

// WriterTracker: names the processes that write to one cache and measures how busy its write
// lock is (docs/WAL.md, "Naming writers" and "Contention"), across samples.
//  - Candidates: the pids seen holding the write lock or with the db or -journal open for writing
//    (/proc/PID/fdinfo), remembered for RememberMs (a connection-per-call client holds nothing
//    between calls) — never the excluded pids (the inspector itself and its children): a
//    reader, a second watcher or the GUI is never a candidate.
//  - Evidence "lock": it held the write lock (WAL) or RESERVED/PENDING/EXCLUSIVE (rollback)
//    at this sample. Evidence "io": its write() calls (/proc/PID/io syscw, wchar) grew by at
//    least one frame's bytes during an interval in which commits were counted — this catches
//    sub-millisecond writes no lock sample ever sees. /proc/PID/io counts writes to anything, so
//    a candidate that writes elsewhere while others commit can still be named: the evidence
//    says which kind it was, and fanotify (CommitCounter) is exact where it may be used.
//  - write_lock_busy: the share of samples in the last BusyWindowMs in which some process held
//    the write lock — a sampled fraction, an unbiased estimate of the time share even when single
//    short holds are missed; per process too. Null until MinBusySamples samples are in the window.
// A plain value; one thread. Reads /proc/PID/io only (never a cache file).
class WriterTracker {
public:
    static constexpr qint64 BusyWindowMs = 10000;
    static constexpr int MinBusySamples = 5;
    static constexpr qint64 RememberMs = 60000;
    static constexpr int MaxCandidates = 256;

    struct Input {
        qint64 tMs = 0;
        QList<qint64> lockHolders; // pids holding the write lock now (WAL write / db RESERVED+)
        // The write lock is held now by a lock /proc/locks names no process for (pid 0 or -1): busy, nobody named.
        bool heldByUnseen = false;
        QList<qint64> seen; // pids with the db or -journal open for writing now
        QList<qint64> excluded; // never candidates: the inspector and its children
        bool cacheChanged = false; // commits counted since the last sample
        qint64 minWriteBytes = 1; // io evidence needs at least this many bytes written (one frame)
    };
    struct Writer {
        qint64 pid = 0;
        std::optional<double> writesPerSecond; // write() calls/s (syscw); null when io unreadable
        std::optional<double> bytesPerSecond; // bytes written/s by write() calls (wchar)
        QStringList evidence; // "lock", "io"
        double lockShare = 0; // share of the busy window's samples it held the write lock
    };
    struct Result {
        QList<Writer> writers; // wrote during the last interval, ordered by pid
        std::optional<double> writeLockBusy;
        int busySamples = 0; // samples in the busy window
        QHash<qint64, double> lockShares; // per pid, over the busy window
        int candidates = 0;
        int ioUnreadable = 0; // candidates whose /proc/PID/io we may not read
    };

    explicit WriterTracker(qint64 selfPid = 0)
        : m_selfPid(selfPid)
    {
    }
    // readIo false: contention only (the lock table), no /proc/PID/io reads (benchmark baseline).
    Result add(const Input& input, bool readIo = true);

private:
    struct Candidate {
        qint64 lastSeenMs = 0;
        std::optional<ProcessIo> io;
        qint64 ioAtMs = 0;
    };
    struct BusySample {
        qint64 tMs = 0;
        QList<qint64> holders;
        bool heldByUnseen = false;
    };
    void remember(const Input& input);

    qint64 m_selfPid = 0;
    QHash<qint64, Candidate> m_candidates;
    QList<BusySample> m_busy;
};
