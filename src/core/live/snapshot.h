// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "live/healthwarning.h"
#include "os/cachefiles.h"
#include "os/locktable.h"
#include "os/processtable.h"
#include "wal/walfile.h"
#include "wal/walindex.h"

#include <QJsonObject>
#include <QList>
#include <QStringList>

#include <optional>

// Snapshot: one sample of everything known about a live cache — file sizes, filesystem, the
// -shm header (WalIndex), what the -wal holds (WalFile), who holds which lock (LockTable),
// optionally who has the files open (ProcessTable) — plus what follows from it and the
// previous samples: commit/frame rates over a sliding window (RateWindow), the processes that
// wrote and the share of time the write lock was held (WriterTracker), the lock holder and how
// long it has held it, the readers with their read marks, the reader pinning the checkpoint, and
// health warnings (HealthCheck, which depends on Snapshot, never the other way round).
// Built by Sampler (which owns the kept-open fds); afterwards an immutable value that can be
// copied to any thread.
struct Snapshot {
    struct Holder {
        qint64 pid = 0;
        QString name;
        QString cmdline;
        bool ofd = false;
    };
    struct Writer : Holder {
        qint64 heldSinceMs = 0; // steady-clock ms (same clock as takenAtMs)
        qint64 heldForMs = 0;
    };
    // A process that wrote during the last interval, and the evidence that names it.
    struct ActiveWriter : Holder {
        std::optional<double> writesPerSecond; // write() calls/s from /proc/PID/io
        std::optional<double> bytesPerSecond;
        QStringList evidence; // "lock", "io"
        double lockShare = 0; // share of the contention window it held the write lock
    };
    // at_rest: no -wal, no -shm; live: a connection has the -shm (DMS lock held); stale: sidecars
    // nobody uses (left over, or a -wal without -shm).
    enum class FilesState { AtRest, Live, Stale };
    struct Reader : Holder {
        int slot = 0; // read0..read4
        quint32 readMark = 0; // end of its snapshot (frames); 0 for slot 0
        bool isWriter = false;
    };

    qint64 takenAtMs = 0; // steady clock
    QString path;
    CacheFiles::FileInfo files[CacheFiles::KindCount];
    CacheFiles::Filesystem filesystem;
    QString journalMode; // "wal", "rollback", or empty when the db header is unreadable
    std::optional<WalIndex::Header> walIndex; // only a header consistent with the -wal (see shmState)
    QString walIndexProblem;
    // "absent", "live", "initialising", "stale", "invalid", or "inconsistent" (a checksummed
    // header the -wal contradicts: more committed frames than the -wal can hold).
    QString shmState = QStringLiteral("absent");
    FilesState filesState = FilesState::AtRest;
    WalFile::Summary walFile;
    LockTable locks;
    QString locksProblem;
    bool processesScanned = false;
    ProcessTable processes;

    // Rates over RateWindow::WindowMs (RateWindow). lowerBound: part of the activity could not be
    // counted (a restart, a WAL reset, sidecars that came and went between samples).
    bool ratesValid = false;
    double commitsPerSecond = 0;
    double framesPerSecond = 0;
    bool ratesLowerBound = false;
    bool walReset = false; // the WAL started again at frame 1 since the previous sample
    qint64 counterRestarts = 0; // the -shm commit counter restarted (rebuilt -shm), since start
    qint64 resetsSeen = 0; // WAL resets seen by this sampler (salt-1 changed)
    qint64 sidecarGenerations = 0; // distinct -shm files seen by this sampler (they come and go)

    // Writers and contention (WriterTracker).
    QList<ActiveWriter> writers;
    std::optional<double> writeLockBusy; // 0..1 over WriterTracker::BusyWindowMs; null at first
    int busySamples = 0;
    // Said once per sampler (e.g. the SQLite version's WAL-reset bug), not in every sample.
    HealthWarnings notices;

    std::optional<Writer> writer;
    QList<Reader> readers;
    int pinningReader = -1; // index into readers, or -1
    qint64 pinnedSamples = 0; // consecutive samples the same pid pinned the checkpoint
    HealthWarnings warnings;

    const CacheFiles::FileInfo& file(CacheFiles::Kind kind) const { return files[int(kind)]; }
    qint64 fileBytes(CacheFiles::Kind kind) const { return files[int(kind)].exists ? files[int(kind)].bytes : 0; }
    qint64 lagFrames() const { return walIndex ? walIndex->checkpointLag() : 0; }
    const Reader* pinning() const { return pinningReader >= 0 ? &readers.at(pinningReader) : nullptr; }
    QList<qint64> readerPids() const;
    bool hasWarning(const QString& code) const;

    // The JSON contract's pieces (docs/CLI.md).
    QJsonValue walJson() const; // "wal" object or null
    QJsonValue writerJson() const; // {"pid","name","cmdline", …} or null
    QJsonArray readersJson() const;
    QJsonArray warningsJson() const;
    QJsonArray writersJson() const;
    static QString filesStateName(FilesState state); // "at_rest", "live", "stale"
    // The activity fields of one `watch --json` line (all but t_ms): sizes (null when the file
    // does not exist), files_state, -shm counters, rates, writers, write_lock_busy, writer_pid,
    // reader_pids, lag_frames, and the writer/readers/WAL facts/warnings the GUI's Activity page
    // shows; "processes" only when they were scanned, "notices" only when there are some.
    QJsonObject sampleJson() const;
    // Filled by Sampler: the lock holder, readers and pinning reader (against the previous sample).
    void derive(const Snapshot* previous);

private:
    void deriveWriter(const Snapshot* previous);
    void deriveReaders();
    void derivePinning(const Snapshot* previous);
    Holder holderFor(const LockTable::Lock& lock) const;
};
