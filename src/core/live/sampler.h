// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "live/commitcounter.h"
#include "live/ratewindow.h"
#include "live/snapshot.h"
#include "live/writertracker.h"
#include "wal/walfile.h"
#include "wal/walindex.h"

#include <QString>

#include <optional>

// Sampler: the one sampling pipeline of a live cache (`watch`, and through it the GUI's Activity
// page): takes Snapshots, one per sample() call, keeping what must live across samples: WalIndex
// with its kept-open -shm fd, WalFile (resumed between samples; its fd is released after each
// walk), the rate window (RateWindow), the writer/contention tracker (WriterTracker), the
// previous Snapshot (how long the writer has held the lock, how long a reader has pinned the
// checkpoint), who had a deleted cache file open for writing at the last scan, the count of WAL
// resets and of -shm generations seen, and whether the once-per-sampler notices were said.
// Commits are counted elsewhere, from events (CommitCounter, passed in Options::counted): the
// sample carries its totals, derives exact rates from them and, with fanotify, its writers.
// Every sample re-resolves db/-wal/-shm by path and inode (docs/WAL.md, "Files that come and
// go"): a sidecar that appears, vanishes or is replaced is picked up at that sample, and a -shm
// header the -wal contradicts is reported as "inconsistent", never as counters.
// Lock hazard (docs/WAL.md §4.1): it opens and closes fds on db/-wal/-shm, so
// it belongs in a process with no SQLite connection to the cache (the CLI's info/watch, a
// probe child). Not thread-safe; lives on the thread that samples.
class Sampler {
public:
    struct Options {
        bool scanProcesses = false; // the /proc/*/fd scan (ms on a busy machine)
        bool readWalFrames = true; // walk new -wal frames (resumes; cheap once caught up); also
                                   // whenever the -shm's committed frame is not the last walk's
        qint64 excludePid = 0; // leave this pid out of lock holders (the CLI itself)
        QList<qint64> excludePids; // never writers, nor their children (the GUI that runs watch)
        bool trackWriters = true; // /proc/PID/io of the processes seen on the cache
        // What CommitCounter counted since the previous sample: exact commits, and with fanotify
        // the writers; nullptr: rates from the -shm header and writers sampled.
        const CommitCounter::Reading* counted = nullptr;
    };

    explicit Sampler(const QString& dbPath);
    ~Sampler();
    Sampler(const Sampler&) = delete;
    Sampler& operator=(const Sampler&) = delete;

    Snapshot sample(const Options& options);
    const Snapshot* previous() const { return m_previous ? &*m_previous : nullptr; }
    static qint64 nowMs(); // the steady clock Snapshot::takenAtMs uses

private:
    QString readJournalMode();
    void readIndex(Snapshot& s);
    bool consistentWithWal(const WalIndex::Header& header, QString& why) const;
    void readWal(Snapshot& s, bool walkFrames);
    void classifyFiles(Snapshot& s);
    void deriveRates(Snapshot& s, bool filesChanged);
    void deriveWriters(Snapshot& s, bool cacheChanged, const Options& options);
    void trackResets(Snapshot& now);
    void trackDeleted(Snapshot& s);
    QList<qint64> excludedPids(const Options& options) const;

    QString m_path;
    CacheFiles m_files;
    WalIndex m_index;
    WalFile m_walFile;
    RateWindow m_rates;
    WriterTracker m_writers;
    std::optional<Snapshot> m_previous;
    QList<qint64> m_deletedLastScan; // pids with a deleted cache file open for writing at the last scan
    qint64 m_lastScanMs = 0;
    struct Recent {
        Snapshot::ActiveWriter writer; // the last time it was named
        QList<std::pair<qint64, std::optional<qint64>>> commits; // (when, commits) per sample it was named
    };
    QHash<qint64, Recent> m_recent; // pid → the writers of the last WriterTracker::BusyWindowMs
    QList<qint64> m_inexactAt; // when an interval's writers were not exact, over the same window
    void trackRecentWriters(Snapshot& s);
    qint64 m_resets = 0;
    quint64 m_lastShmInode = 0;
    bool m_shmSeenLast = false;
    qint64 m_shmGenerations = 0;
    bool m_noticesSaid = false;
    bool m_shmLive = false; // the -shm's DMS byte is held (even when its header is not trusted)
    QList<Snapshot::Holder> m_fileHolders; // from the last /proc scan: who has the files open
    qint64 m_lastStepCommits = 0;
    qint64 m_excludedWroteMs = -1; // see Snapshot::excludedWroteMs (-1: never)
};
