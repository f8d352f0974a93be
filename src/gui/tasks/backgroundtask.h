// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tasks/canceltoken.h"
#include "tasks/latesttask.h"
#include "tasks/taskprogress.h"

#include <QFuture>
#include <QFutureWatcher>
#include <QObject>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

#include <functional>

// BackgroundTask: the GUI's one way to run work off the GUI thread (docs/ARCHITECTURE.md,
// "Threads"). `work` runs on a thread of BackgroundTask::pool() (QtConcurrent); its result
// reaches `done` on the GUI thread through a QFutureWatcher owned by `context`: when the context
// is deleted first, the watcher goes with it and the result is dropped. Work that can take long
// captures a CancelToken it checks between short statements, and its owner keeps the returned
// QFuture to wait for it before the data it uses goes away; work that may be superseded is
// started from its owner's LatestTask, whose token also says whether its result is still wanted;
// progress reaches the GUI through a TaskProgress.
namespace BackgroundTask {

// A pool of its own, so a long walk (an index over 10 M rows, an export) never queues the
// short tasks (a page, an Overview refresh) behind it, as Qt's global pool of ideal-thread-count
// threads would on a two-core machine.
QThreadPool* pool();

// How far below the GUI thread the pool's threads run (Linux nice, per thread, added to the
// process's; nothing elsewhere). A
// page read, a count over 1,000,000 rows or a decode takes its CPU from the same two cores the
// GUI thread draws with: at nice 0 a busy worker delays the GUI thread's next frame by its
// whole time slice (bench_gui_stall). At this nice a waking GUI thread preempts it at once and
// gets ~9 times its share while both want a core; the workers still run whenever the GUI
// thread waits.
constexpr int WorkerNice = 10;
// Lowers the calling thread by WorkerNice, once per thread (a pool thread, on its first task).
void lowerThreadPriority();

template <typename T> QFuture<T> run(QObject* context, std::function<T()> work, std::function<void(T)> done)
{
    auto* watcher = new QFutureWatcher<T>(context);
    QObject::connect(watcher, &QFutureWatcherBase::finished, context, [watcher, done = std::move(done)] {
        watcher->deleteLater();
        if (!watcher->future().isCanceled())
            done(watcher->future().result());
    });
    QFuture<T> future = QtConcurrent::run(pool(), [work = std::move(work)] {
        lowerThreadPriority();
        return work();
    });
    watcher->setFuture(future);
    return future;
}

} // namespace BackgroundTask
