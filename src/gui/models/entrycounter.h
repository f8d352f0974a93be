// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "entries/entryindex.h"
#include "tasks/latesttask.h"

#include <QElapsedTimer>
#include <QFuture>
#include <QFutureWatcher>
#include <QObject>
#include <QTimer>

#include <atomic>
#include <functional>
#include <memory>

// EntryCounter: the exact count and sparse EntryIndex of an EntryModel's table, built on a
// worker (BackgroundTask) that opens its own read-only connection, one build at a time. The
// index walks the whole table; on two cores it would delay the first page and the first
// paint, so the first build waits until the first page is shown (or StartDelayMs). A build
// asked for while one runs is made when it ends; rebuilds for a cache written continuously wait
// four times as long as the last build took (at least a second), keeping the walk light. A
// build is cancelled between two short statements; a stopped or superseded build's result is
// dropped (LatestTask). GUI thread. Nothing waits for a stopped build: it reads only what it
// was given (path, table, filter) through a connection of its own and reports to this object
// through a watcher it owns and a TaskProgress, so it may finish its current statement after
// the counter is gone; a build asked for meanwhile starts when it ends (one walk at a time).
class EntryCounter : public QObject {
    Q_OBJECT
public:
    static constexpr int StartDelayMs = 500;
    // One build, run on the worker: what it reads (path, table, filter) is fixed when it starts.
    using Build = std::function<Result<EntryIndex>(const std::atomic_bool& cancel, const EntryIndex::Progress&)>;

    // makeBuild runs on the GUI thread each time a build starts.
    explicit EntryCounter(std::function<Build()> makeBuild, QObject* parent = nullptr);
    ~EntryCounter() override;

    // A new table or filter: the first build starts once firstPageShown() or after StartDelayMs.
    void startAfterFirstPage();
    void firstPageShown();
    // Builds now, or once the running build ends.
    void start();
    // Builds again after a pause measured from the last build.
    void schedule();
    // Stops the running build without waiting for it; its result and progress are dropped.
    void stop();
    // Asks the running build to stop; it reports cancelled() and nothing is rebuilt.
    void cancel();
    bool isRunning() const { return m_running; }

Q_SIGNALS:
    void progress(qint64 rowsSeen);
    // A build ended (error, cancelled, or the index).
    void finished(const Result<EntryIndex>& index);

private:
    void apply(const CancelToken& build, const Result<EntryIndex>& built);

    std::function<Build()> m_makeBuild;
    QFuture<Result<EntryIndex>> m_build; // the latest build, possibly stopped and finishing its statement
    QFutureWatcher<Result<EntryIndex>> m_stopped; // that stopped build, when a start waits for it to end
    bool m_startWhenStoppedEnds = false;
    bool m_running = false; // a build is running whose result is still wanted
    LatestTask m_task;
    bool m_again = false;
    bool m_afterFirstPage = false;
    QTimer m_delay;
    QElapsedTimer m_clock;
    qint64 m_lastBuildMs = 0;
};
