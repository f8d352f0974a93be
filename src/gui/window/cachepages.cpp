// SPDX-License-Identifier: GPL-3.0-or-later
#include "window/cachepages.h"

#include "models/activityfeed.h"
#include "pages/activitypage.h"
#include "pages/entriespage.h"
#include "pages/overviewpage.h"
#include "pages/sqlpage.h"
#include "sqlite/database.h"

#include <QTimer>

CachePages::CachePages(std::function<QString()> databasePath, QWidget* parent)
    : QTabWidget(parent)
{
    m_overview = new OverviewPage(this);
    m_entries = new EntriesPage(this);
    addTab(m_overview, tr("Overview"));
    addTab(m_entries, tr("Entries"));
    m_activity = new ActivityPage(this);
    addTab(m_activity, tr("Activity"));
    m_sql = new SqlPage(std::move(databasePath), this);
    addTab(m_sql, tr("SQL"));
    // The Overview's health and writers come from the Activity tab's live probe.
    connect(m_activity->feed(), &ActivityFeed::sampleReceived, m_overview, &OverviewPage::applySample);
    connect(m_activity->feed(), &ActivityFeed::sampleReceived, m_overview, [this](const ActivitySample& sample) {
        m_overview->showSampledSizes(m_activity->watchedPath(), sample); // the sizes Activity shows
    });
    connect(m_overview, &OverviewPage::entryRequested, this, [this](const QString& table, qint64 rowid, int shard) {
        setCurrentWidget(m_entries);
        m_entries->showEntryWithRowid(table, rowid, shard);
    });
}

void CachePages::showDatabase(Database* database, const FanoutDatabases& fanout, const QList<ActivityPage::Part>& parts,
    std::function<void()> firstShown, std::function<void()> shown)
{
    // Shown in slices, each an event of its own after the one that called this (which released
    // the cache shown before: up to 6 ms for a big detail pane), so that no single delivery holds
    // the GUI thread for all of it (bench_gui_stall): the page in sight (firstShown runs then),
    // the other page, Activity's watch. `shown` runs once all of it is done; a cache shown or
    // cleared meanwhile drops the slices left.
    const CancelToken token = m_showing.start();
    m_sql->setParts(fanout); // a FanoutCache: which of its files a statement runs on
    const auto next = [this, token](std::function<void()> slice) {
        QTimer::singleShot(0, this, [this, token, slice = std::move(slice)] {
            if (m_showing.isCurrent(token))
                slice();
        });
    };
    const bool entriesInSight = currentWidget() == m_entries;
    const QString path = database->path();
    const auto showPage = [this, database, fanout](bool entries) {
        if (entries)
            m_entries->showDatabase(database, fanout);
        else
            m_overview->showDatabase(database, fanout);
    };
    next([=] {
        showPage(entriesInSight);
        if (firstShown)
            firstShown();
        next([=] {
            showPage(!entriesInSight);
            next([=] {
                m_activity->showDatabase(path, parts);
                if (shown)
                    shown();
            });
        });
    });
}

void CachePages::clear()
{
    m_showing.drop(); // the slices of a cache still being shown
    m_activity->clear();
    m_entries->clear();
    m_overview->clear();
    m_sql->setParts({});
}

void CachePages::showFilter()
{
    setCurrentWidget(m_entries);
    m_entries->focusFilter();
}
