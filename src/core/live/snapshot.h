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
        QStringList evidence; // "fanotify", "lock", "io"
        double lockShare = 0; // share of the contention window it held the write lock
        std::optional<qint64> commits; // commits in the last interval, where they can be attributed
        QStringList files; // fanotify: the files it wrote ("db", "wal", "journal")
        qint64 lastWroteMs = 0; // recentWriters: when it was last named (steady clock)
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
    // Some process holds the -shm's DMS byte (a live SQLite connection, or one setting it up) —
    // also when its header is not trusted, and also a process left out of `locks` (--exclude-pid).
    bool shmInUse = false;
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
    qint64 rateSpanMs = 0; // the time the rates cover: RateWindow::WindowMs once watched that long
    bool walReset = false; // the WAL started again at frame 1 since the previous sample
    qint64 counterRestarts = 0; // the -shm commit counter restarted (rebuilt -shm), since start
    qint64 resetsSeen = 0; // WAL resets seen by this sampler (salt-1 changed)
    qint64 sidecarGenerations = 0; // distinct -shm files seen by this sampler (they come and go)

    // Every commit, counted from events (CommitCounter); null counts when no counter ran.
    bool counted = false;
    qint64 commitsTotal = 0; // since watching started
    qint64 framesTotal = 0; // frames of those commits (WAL)
    bool commitsExact = false;
    QString commitsMissedReason;
    qint64 intervalCommits = 0; // since the previous sample
    QString attribution; // "fanotify" or "sampled"
    QString attributionNote; // why not fanotify

    // Writers and contention (WriterTracker, or fanotify's pids).
    QList<ActiveWriter> writers;
    // The writers of the last WriterTracker::BusyWindowMs, with their commits summed over it (null
    // when some were not attributable): what every panel names (Activity, its lanes, Overview).
    QList<ActiveWriter> recentWriters;
    int writersRecently = 0; // recentWriters.size()
    // When a process left out of the writers (Options::excludePids — the GUI that runs the watch —
    // or a CacheScope process it started) was last heard writing, within the last
    // WriterTracker::BusyWindowMs (steady clock; fanotify only): its own checkpoint, vacuum, prune.
    std::optional<qint64> excludedWroteMs;
    // fanotify: writers and recentWriters are exact over the last 10 s (every commit went to the
    // one process heard writing it); null with the sampled method.
    std::optional<bool> writersExact;
    std::optional<bool> intervalWritersExact; // the same, over the last interval only
    std::optional<int> writeOpeners; // processes with the db/-journal open for writing (last scan)
    QList<qint64> deletedWriters;
    // Processes other than the sampler with the db, -wal or -shm open, as of the last /proc scan
    // (kept between scans; empty when none ran): whoever holds the files, connection or not.
    QList<Holder> fileHolders; // have a deleted db/-wal/-journal open for writing, in two scans running
    QString rollbackLock; // rollback mode: "reserved", "pending", "exclusive" held now, or empty
    std::optional<double> writeLockBusy; // 0..1 over WriterTracker::BusyWindowMs; null at first
    int busySamples = 0;
    // Said once per sampler (e.g. the SQLite version's WAL-reset bug), not in every sample.
    HealthWarnings notices;

    std::optional<Writer> writer;
    QList<Reader> readers;
    int pinningReader = -1; // index into readers, or -1
    qint64 pinnedSamples = 0; // consecutive samples the same pid pinned the checkpoint
    // How long that pid has pinned it: since the first sample that saw it pin (a lower bound by
    // up to one interval; /proc/locks keeps no time). 0 when nothing pins.
    qint64 pinnedForMs = 0;
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
    static QString filesStateName(FilesState state); // "at_rest", "live", "stale"
    // (The `watch --json` line is WatchLine::of(snapshot).)
    // Filled by Sampler: the lock holder, readers and pinning reader (against the previous sample).
    void derive(const Snapshot* previous);

private:
    void deriveWriter(const Snapshot* previous);
    void deriveReaders();
    void derivePinning(const Snapshot* previous);
    Holder holderFor(const LockTable::Lock& lock) const;
};
