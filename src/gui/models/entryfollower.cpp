// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/entryfollower.h"

#include "sqlite/database.h"
#include "tasks/entryreader.h"

using namespace Qt::Literals::StringLiterals;

EntryFollower::EntryFollower(Database* database, QObject* parent)
    : QObject(parent)
    , m_database(database)
{
    connect(&m_timer, &QTimer::timeout, this, &EntryFollower::pollDue);
}

void EntryFollower::rememberVersion()
{
    const NoLockWait noWait(m_database); // held: the first poll that reads counts the tail again
    if (auto version = m_database->queryValue(u"PRAGMA data_version"_s))
        m_dataVersion = version.value();
}

void EntryFollower::setInterval(int intervalMs)
{
    if (intervalMs <= 0)
        m_timer.stop();
    else
        m_timer.start(intervalMs);
}

bool EntryFollower::poll()
{
    // Without waiting for a lock: data_version needs a read lock, and a writer of a rollback-journal
    // cache holding its EXCLUSIVE lock made each poll wait the GUI connection's busy timeout
    // (100 ms) on the GUI thread (bench_gui_stall, open_rollback_cache_with_held_write_lock). A
    // busy cache is polled again on the next tick.
    const NoLockWait noWait(m_database);
    auto version = m_database->queryValue(u"PRAGMA data_version"_s);
    if (!version || version.value() == m_dataVersion)
        return false;
    m_dataVersion = version.value();
    return true;
}

void EntryFollower::restart()
{
    m_task.start(); // counts for the old filter are dropped
    m_counting = false;
    m_again = false;
}

void EntryFollower::countAfter(const EntryReader& reader, const QVariantList& from)
{
    if (m_counting) {
        m_again = true; // counted again once this count is in
        return;
    }
    m_counting = true;
    const CancelToken token = m_task.current();
    reader.read<Tail>(
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
        [this, token, from](Result<Tail> tail) {
            if (!m_task.isCurrent(token))
                return; // the filter changed: its own counts follow
            m_counting = false;
            if (tail && tail->added > 0)
                Q_EMIT appended(from, tail.value());
            if (m_again) {
                m_again = false;
                Q_EMIT countAgain();
            }
        });
}
