// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/entrycounter.h"

#include "tasks/backgroundtask.h"

namespace {
constexpr qint64 ProgressEveryRows = 50 * 256; // rows walked between two progress reports
} // namespace

EntryCounter::EntryCounter(std::function<Build()> makeBuild, QObject* parent)
    : QObject(parent)
    , m_makeBuild(std::move(makeBuild))
{
    m_delay.setSingleShot(true);
    connect(&m_delay, &QTimer::timeout, this, &EntryCounter::start);
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
    m_clock.start();
    m_build.waitForFinished(); // a cancelled build still reading (stop() waited already)
    const quint64 generation = ++m_generation;
    m_cancel = std::make_shared<std::atomic_bool>(false);
    auto cancel = m_cancel;
    Build build = m_makeBuild();
    m_running = true;
    // It reports progress to `this`, which waits for it in stop() before going away.
    m_build = BackgroundTask::run<Result<EntryIndex>>(
        this,
        [this, build = std::move(build), cancel] {
            qint64 reported = 0;
            auto report = [&](qint64 seen) {
                if (seen - reported < ProgressEveryRows)
                    return;
                reported = seen;
                QMetaObject::invokeMethod(
                    this, [this, seen] { Q_EMIT progress(seen); }, Qt::QueuedConnection);
            };
            return build(*cancel, report);
        },
        [this, generation](Result<EntryIndex> index) { apply(generation, index); });
}

void EntryCounter::stop()
{
    if (m_cancel)
        m_cancel->store(true);
    m_build.waitForFinished();
    if (m_running)
        ++m_generation; // its result, if not yet delivered, is now stale
    m_running = false;
}

void EntryCounter::apply(quint64 generation, const Result<EntryIndex>& built)
{
    if (generation != m_generation)
        return; // a superseded build (filter changed, model restarted)
    m_running = false;
    Q_EMIT finished(built);
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
    if (!m_running)
        return;
    m_again = false;
    m_cancel->store(true); // the worker stops between two short statements and reports a cancelled index
}
