// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <atomic>
#include <functional>

// PruneOptions: how a prune runs (Prune): a dry run, the backup file, the longest a batch may
// hold the write lock, cancel and progress. PruneProgress: what it reports after each batch.
// Plain values; the callbacks are called on the pruning thread.
struct PruneProgress {
    QString shard; // FanoutCache: the shard being pruned
    qint64 matched = -1; // -1 while still choosing
    qint64 removed = 0;
    int batches = 0;
};
struct PruneOptions {
    bool dryRun = false;
    QString backupPath; // empty: no backup
    int batchMs = 50;
    int busyTimeoutMs = -1; // -1: the default for changes (Database)
    bool acceptForeignWal = false; // prune a cache whose -wal looks foreign (WalOrigin) anyway
    const std::atomic_bool* cancel = nullptr;
    std::function<void(const PruneProgress&)> progress; // on the pruning thread, after each batch
    std::function<void(int batch)> afterBatch; // tests: after batch N committed
};
