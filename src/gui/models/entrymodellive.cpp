// SPDX-License-Identifier: GPL-3.0-or-later
// EntryModel's counting and following: the exact count and sparse index built in the
// background (restarted, at a measured pace, when other processes change the cache), and the
// rows other processes append, counted on the reader and inserted without a reset. The model
// interface is in entrymodel.cpp, the page cache in entrymodelpages.cpp.
#include "models/entrymodel.h"

using namespace Qt::Literals::StringLiterals;

namespace {
constexpr qint64 LiveAppendCap = 1000000;
} // namespace

void EntryModel::startIndex()
{
    if (m_indexing) {
        m_reindexPending = true;
        return;
    }
    m_reindexPending = false;
    m_indexAfterFirstPage = false;
    m_reindexDelay.stop();
    m_indexClock.start();
    m_indexBuild.waitForFinished(); // a cancelled build still reading (stopIndex waited already)
    const quint64 generation = ++m_generation;
    m_cancel = std::make_shared<std::atomic_bool>(false);
    const QString path = m_database->path();
    const QString table = view().table;
    const EntryFilter filter = m_pager->filter();
    const qint64 estimate = m_count;
    auto cancel = m_cancel;
    m_indexing = true;
    // The worker opens its own read-only connection: connections are never shared across threads.
    // It reports progress to `this`, which waits for it in stopIndex() before going away.
    m_indexBuild = BackgroundTask::run<Result<EntryIndex>>(
        this,
        [this, path, table, filter, estimate, cancel] {
            qint64 reported = 0;
            auto progress = [&](qint64 seen) {
                if (seen - reported < 50 * PageRows)
                    return;
                reported = seen;
                QMetaObject::invokeMethod(
                    this, [this, seen, estimate] { Q_EMIT countProgress(seen, estimate); }, Qt::QueuedConnection);
            };
            return EntryIndex::build(path, table, filter, PageRows, *cancel, progress);
        },
        [this, generation](Result<EntryIndex> index) { applyIndex(generation, index); });
}

void EntryModel::stopIndex()
{
    if (m_cancel)
        m_cancel->store(true);
    m_indexBuild.waitForFinished();
    if (m_indexing)
        ++m_generation; // its result, if not yet delivered, is now stale
    m_indexing = false;
}

void EntryModel::applyIndex(quint64 generation, const Result<EntryIndex>& built)
{
    if (generation != m_generation)
        return; // a superseded build (filter changed, model restarted)
    m_indexing = false;
    if (!built) {
        m_error = built.error().message;
    } else if (built->cancelled) {
        Q_EMIT countCancelled();
    } else {
        m_index = built.value();
        m_chainMode = false;
        m_countExact = true;
        m_endKey = m_index->lastKey;
        // Pages read before were placed by interpolation: shown until read again by the index.
        markPagesStale();
        resizeTo(m_index->count);
        if (rowCount() > 0)
            Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1));
        Q_EMIT countFinished(m_count);
        readTail(); // rows appended while the index was built follow its last key
        continueLocate();
    }
    m_lastIndexMs = m_indexClock.elapsed();
    if (m_reindexPending)
        scheduleReindex();
}

void EntryModel::scheduleReindex()
{
    // A cache written continuously would otherwise be re-indexed back to back: rebuilding waits
    // four times as long as the last build took (at least a second), keeping the walk light.
    if (m_indexing) {
        m_reindexPending = true;
        return;
    }
    if (!m_reindexDelay.isActive())
        m_reindexDelay.start(int(std::max<qint64>(1000, 4 * m_lastIndexMs)));
}

void EntryModel::cancelCount()
{
    if (!m_indexing)
        return;
    m_reindexPending = false;
    m_cancel->store(true); // the worker stops between two short statements; its result is dropped
}

void EntryModel::setLiveInterval(int intervalMs)
{
    if (intervalMs <= 0)
        m_liveTimer.stop();
    else
        m_liveTimer.start(intervalMs);
}

void EntryModel::checkForChanges()
{
    if (!m_pager)
        return;
    // data_version changes when another connection commits; reading it is one short statement.
    auto version = m_database->queryValue(u"PRAGMA data_version"_s);
    if (!version || version.value() == m_dataVersion)
        return;
    m_dataVersion = version.value();
    readTail();
    // Values may have changed anywhere (updates, replaces): the pages on screen are read again
    // (still showing their rows meanwhile), and the index is rebuilt so deletions are reconciled.
    markPagesStale();
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1));
    scheduleReindex();
}

void EntryModel::readTail()
{
    if (m_endKey.isEmpty() || m_chainMode || !m_reader)
        return;
    if (m_tailReading) {
        m_tailAgain = true; // counted again once this count is in
        return;
    }
    m_tailReading = true;
    const QVariantList from = m_endKey;
    const quint64 reset = m_resetGeneration;
    m_reader->read<Tail>(
        this,
        [from](EntryPager& pager) -> Result<Tail> {
            Tail tail;
            auto added = pager.countAfter(from, LiveAppendCap);
            if (!added)
                return added.error();
            if (added.value() <= 0)
                return tail;
            auto newEnd = pager.keyAfter(from, int(added.value()));
            if (!newEnd)
                return newEnd.error();
            if (newEnd.value()) {
                tail.added = added.value();
                tail.newEnd = *newEnd.value();
            }
            return tail;
        },
        [this, reset, from](Result<Tail> tail) { applyTail(reset, from, tail); });
}

void EntryModel::applyTail(quint64 reset, const QVariantList& from, const Result<Tail>& tail)
{
    if (reset != m_resetGeneration)
        return; // the filter changed: its own counts follow
    m_tailReading = false;
    if (tail && tail->added > 0 && from == m_endKey) {
        m_endKey = tail->newEnd;
        // The tail page was partial: it is read again with the new rows.
        auto last = m_pages.find(int(m_count / PageRows));
        if (last != m_pages.end())
            last->stale = !last->pending;
        resizeTo(m_count + tail->added);
        Q_EMIT rowsAppended(int(tail->added));
    }
    if (m_tailAgain) {
        m_tailAgain = false;
        readTail();
    }
}
