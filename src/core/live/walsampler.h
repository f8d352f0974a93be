// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "os/cachefiles.h"
#include "wal/walindex.h"
#include "live/watchsample.h"

#include <QElapsedTimer>

#include <optional>

// WalSampler: takes WatchSamples of one cache, one per call: stat() of db/-wal/-shm and a
// lock-free read of the -shm header through its own WalIndex, and the commit and frame rates
// since its previous sample (only when both came from the same live -shm). It holds no SQLite
// connection and takes no lock, so it never disturbs the writers; but it keeps an fd on -shm,
// so like WalIndex it belongs in a process without SQLite connections to the cache (the CLI).
// Lives on the thread that calls sample().
class WalSampler {
public:
    explicit WalSampler(const QString& dbPath);

    WatchSample sample();

private:
    void readIndex(WatchSample& sample);
    void computeRates(WatchSample& sample, qint64 nowMs, ino_t inode);

    CacheFiles m_files;
    WalIndex m_index;
    QElapsedTimer m_clock;
    struct Previous {
        qint64 tMs = 0;
        ino_t inode = 0;
        WalIndex::Header header;
    };
    std::optional<Previous> m_previous;
};
