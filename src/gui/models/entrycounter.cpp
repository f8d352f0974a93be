// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/entrycounter.h"

#include "models/entrypagecache.h"
#include "report/cachesummary.h"
#include "sqlite/database.h"
#include "tasks/backgroundtask.h"

#include <utility>

namespace {
constexpr qint64 ProgressEveryRows = 50 * 256; // rows walked between two progress reports
} // namespace

EntryCounter::EntryCounter(std::function<Build()> makeBuild, std::function<Count()> makeCount, QObject* parent)
    : QObject(parent)
    , m_makeBuild(std::move(makeBuild))
    , m_makeCount(std::move(makeCount))
{
    m_delay.setSingleShot(true);
    connect(&m_delay, &QTimer::timeout, this, &EntryCounter::start);
    connect(&m_stopped, &QFutureWatcherBase::finished, this, [this] {
        if (std::exchange(m_startWhenStoppedEnds, false))
            start();
    });
}

EntryCounter::~EntryCounter()
{
    stop();
}

void EntryCounter::startAfterFirstPage()
{
    m_afterFirstPage = true;
    m_delay.start(StartDelayMs);
}

void EntryCounter::firstPageShown()
{
    if (m_afterFirstPage && !m_running)
        start(); // the first rows are shown: now the walk over the table may begin
}

void EntryCounter::start()
{
    if (m_running) {
        m_again = true;
        return;
    }
    m_again = false;
    m_afterFirstPage = false;
    m_delay.stop();
    if (m_build.isRunning()) {
        // A stopped build finishing its statement (with a filter that matches nothing, one
        // statement may walk the whole table): the GUI thread does not wait for it; this build
        // starts when it ends.
        m_startWhenStoppedEnds = true;
        m_stopped.setFuture(m_build);
        return;
    }
    m_clock.start();
    const CancelToken token = m_task.start();
    Build build = m_makeBuild();
    m_count = m_makeCount ? m_makeCount() : Count {};
    m_running = true;
    const TaskProgress<qint64> progressTo(
        this,
        [this, token](const qint64& seen) {
            if (!token.isCancelled()) // a stopped build's last report is no news about the next one
                Q_EMIT progress(seen);
        },
        0);
    m_build = QFuture<void>(BackgroundTask::run<Result<EntryIndex>>(
        this,
        [build = std::move(build), token, progressTo] {
            qint64 reported = 0;
            auto report = [&](qint64 seen) {
                if (seen - reported < ProgressEveryRows)
                    return;
                reported = seen;
                progressTo.reportNow(seen);
            };
            return build(token.flag(), report);
        },
        [this, token](Result<EntryIndex> index) { apply(token, index); }));
}

void EntryCounter::stop()
{
    m_task.cancelCurrent(); // the worker stops after its current statement; nothing waits for it
    if (m_running)
        m_task.drop(); // its result, if not yet delivered, is now stale
    m_running = false;
    m_startWhenStoppedEnds = false;
}

void EntryCounter::apply(const CancelToken& build, const Result<EntryIndex>& built)
{
    if (!m_task.isCurrent(build))
        return; // a superseded build (filter changed, model restarted)
    const bool countNext = built && !built->cancelled && m_count;
    if (!countNext)
        m_running = false;
    Q_EMIT finished(built);
    if (!countNext) {
        ended();
    } else if (m_task.isCurrent(build)) {
        countAfter(build); // the index is shown: now the second step
    }
}

void EntryCounter::countAfter(const CancelToken& build)
{
    m_build = QFuture<void>(BackgroundTask::run<Result<qint64>>(
        this, [count = std::exchange(m_count, {}), build] { return count(build.flag()); },
        [this, build](Result<qint64> rows) {
            if (!m_task.isCurrent(build))
                return; // stopped meanwhile: a new build may be running
            m_running = false;
            if (rows && !build.isCancelled() && rows.value() >= 0)
                Q_EMIT counted(rows.value());
            ended();
        }));
}

void EntryCounter::ended()
{
    m_lastBuildMs = m_clock.elapsed();
    if (m_again)
        schedule();
}

void EntryCounter::schedule()
{
    // A cache written continuously would otherwise be re-indexed back to back.
    if (m_running) {
        m_again = true;
        return;
    }
    if (!m_delay.isActive())
        m_delay.start(int(std::max<qint64>(1000, 4 * m_lastBuildMs)));
}

void EntryCounter::cancel()
{
    m_startWhenStoppedEnds = false;
    if (!m_running)
        return;
    m_again = false;
    m_task.cancelCurrent(); // the worker stops between two short statements and reports a cancelled index
}

Result<qint64> EntryCounter::countWholeTable(const QString& path, const QString& table, const std::atomic_bool& cancel)
{
    auto database = Database::open(path, Database::Mode::ReadOnly);
    if (!database)
        return database.error();
    auto rows = CacheSummary::countRows(database->get(), table, cancel); // in short chunks of rowids
    if (!rows || rows.value() >= 0 || cancel)
        return rows;
    // A WITHOUT ROWID table: walked by its key instead.
    auto whole = EntryIndex::build(path, table, EntryFilter {}, EntryPageCache::PageRows, cancel);
    if (!whole)
        return whole.error();
    return whole->cancelled ? qint64(-1) : whole->count;
}
