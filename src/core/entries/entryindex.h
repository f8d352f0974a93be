// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "entries/entrypager.h"

#include <QList>
#include <QVariantList>

#include <atomic>
#include <functional>

// EntryIndex: the exact row count of a (filtered) table and a sparse index holding the key of
// every stride-th row, so any position can be read with one keyset statement (row r lives in
// the page that starts at keys[r / stride]). Built by walking the table one stride per short
// statement — never one long read transaction — so it is cancellable between statements and
// reports progress. build() runs wherever it is called: the GUI runs it on a worker thread
// with that thread's own read-only Database. The result is an immutable value.
struct EntryIndex {
    int stride = 256;
    qint64 count = 0;
    QList<QVariantList> keys; // keys[i]: key of row i * stride
    QVariantList lastKey; // key of row count - 1 (empty when count == 0)
    bool cancelled = false;

    using Progress = std::function<void(qint64 rowsSeen)>;
    static Result<EntryIndex> build(
        EntryPager& pager, int stride, const std::atomic_bool& cancel, const Progress& progress = {});
    // Opens `path` read-only on the calling thread and builds the index of `table`.
    static Result<EntryIndex> build(const QString& path, const QString& table, const EntryFilter& filter, int stride,
        const std::atomic_bool& cancel, const Progress& progress = {});
};
