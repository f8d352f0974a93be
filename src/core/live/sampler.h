// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "live/snapshot.h"
#include "wal/walfile.h"
#include "wal/walindex.h"

#include <QString>

#include <optional>

// Sampler: takes Snapshots of one cache, one per sample() call, keeping what must live across
// samples: WalIndex with its kept-open -shm fd, WalFile (resumed between samples; its fd is
// released after each walk), the previous Snapshot (rates, how long the writer has held the lock, how long
// a reader has pinned the checkpoint), inodes the paths used to have (locks on a deleted
// database) and the count of WAL resets seen.
// Lock hazard (WAL_REFERENCE.md §4.1): it opens and closes fds on db/-wal/-shm, so
// it belongs in a process with no SQLite connection to the cache (the CLI's info/watch, a
// probe child). Not thread-safe; lives on the thread that samples.
class Sampler {
public:
    struct Options {
        bool scanProcesses = false; // the /proc/*/fd scan (ms on a busy machine)
        bool readWalFrames = true; // walk new -wal frames (resumes; cheap once caught up)
        qint64 excludePid = 0; // leave this pid out of lock holders (the CLI itself)
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
    void rememberFormerFiles(const Snapshot& now);
    void trackResets(Snapshot& now);

    QString m_path;
    CacheFiles m_files;
    WalIndex m_index;
    WalFile m_walFile;
    std::optional<Snapshot> m_previous;
    QList<LockTable::Target> m_formerTargets;
    qint64 m_resets = 0;
};
