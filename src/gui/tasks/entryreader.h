// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "entries/entrypager.h"
#include "tasks/backgroundtask.h"

#include <QMutex>

#include <atomic>
#include <memory>

struct sqlite3;

// EntryReader: the reads of one table view (an EntryView and its filter) that the Entries
// page needs — pages of rows, one whole entry for the detail pane, the rows appended by live
// writers — run off the GUI thread, so no cell however big (a 100 MiB value) and no lock
// held by another process ever blocks the window. It owns one read-only connection of its
// own, opened by its first read; reads are serialised by its mutex, so that connection is
// used by one thread at a time and each read is one short statement (no read transaction
// outlives it, docs/WAL.md §4.3). Results reach the GUI thread through BackgroundTask and are
// dropped when the context object is gone. Created and used on the GUI thread. When it goes,
// a read still running is interrupted (sqlite3_interrupt) but not waited for (one OP_Column of
// a 100 MiB cell, a pickle decode or a private copy made by the open cannot be interrupted, and
// on a loaded machine the GUI thread waited seconds for such a read on its nice +10 worker);
// reads still queued fail. The connection is closed at once when no read runs, else by the
// last read holding it, on its worker. Whoever needs this process to hold no connection to the
// cache (Delete Cache Safely, a journal mode switch) waits for BackgroundTask::pool() after
// closing the cache.
class EntryReader {
public:
    EntryReader(const QString& path, const EntryView& view, const EntryFilter& filter);
    ~EntryReader();
    EntryReader(const EntryReader&) = delete;
    EntryReader& operator=(const EntryReader&) = delete;

    template <typename T>
    QFuture<Result<T>> read(
        QObject* context, std::function<Result<T>(EntryPager&)> work, std::function<void(Result<T>)> done) const
    {
        auto shared = m_shared;
        return BackgroundTask::run<Result<T>>(
            context,
            [shared, work = std::move(work)]() -> Result<T> {
                QMutexLocker lock(&shared->mutex);
                auto pager = shared->pagerOrError();
                if (!pager)
                    return pager.error();
                return work(*pager.value());
            },
            std::move(done));
    }

private:
    struct Shared {
        QMutex mutex;
        QString path;
        EntryView view;
        EntryFilter filter;
        std::unique_ptr<Database> database; // declared before the pager that uses it
        std::unique_ptr<EntryPager> pager;
        std::atomic<sqlite3*> handle { nullptr }; // for sqlite3_interrupt from the GUI thread
        std::atomic_bool closed { false }; // the reader is gone: no connection is opened again
        Result<EntryPager*> pagerOrError();
    };
    std::shared_ptr<Shared> m_shared;
};
