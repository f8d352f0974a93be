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
// A build may have a second step, a count of its own (the table without the filter, for a
// filtered view's "of N"): it runs after the index is delivered, so the index never waits for it,
// and the next build waits for it as for the index.
class EntryCounter : public QObject {
    Q_OBJECT
public:
    static constexpr int StartDelayMs = 500;
    // One build, run on the worker: what it reads (path, table, filter) is fixed when it starts.
    using Build = std::function<Result<EntryIndex>(const std::atomic_bool& cancel, const EntryIndex::Progress&)>;
    // A build's second step, run on the worker after its index is delivered; none when empty.
    using Count = std::function<Result<qint64>(const std::atomic_bool& cancel)>;

    // The rows of `table` without a filter, read through a connection of its own (on a worker):
    // a filtered view's Count step.
    static Result<qint64> countWholeTable(const QString& path, const QString& table, const std::atomic_bool& cancel);

    // makeBuild and makeCount run on the GUI thread each time a build starts.
    explicit EntryCounter(
        std::function<Build()> makeBuild, std::function<Count()> makeCount = {}, QObject* parent = nullptr);
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
    // The build's Count step ended with this many rows (not emitted when it failed or was cancelled).
    void counted(qint64 rows);

private:
    void apply(const CancelToken& build, const Result<EntryIndex>& built);
    void countAfter(const CancelToken& build);
    void ended();

    std::function<Build()> m_makeBuild;
    std::function<Count()> m_makeCount;
    Count m_count; // the running build's second step, until it starts
    QFuture<void> m_build; // the latest build's step, possibly stopped and finishing its statement
    QFutureWatcher<void> m_stopped; // that stopped step, when a start waits for it to end
    bool m_startWhenStoppedEnds = false;
    bool m_running = false; // a build is running whose result is still wanted
    LatestTask m_task;
    bool m_again = false;
    bool m_afterFirstPage = false;
    QTimer m_delay;
    QElapsedTimer m_clock;
    qint64 m_lastBuildMs = 0;
};
