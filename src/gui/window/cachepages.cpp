// SPDX-License-Identifier: GPL-3.0-or-later
#include "window/cachepages.h"

#include "models/activityfeed.h"
#include "pages/activitypage.h"
#include "pages/entriespage.h"
#include "pages/overviewpage.h"
#include "pages/sqlpage.h"
#include "sqlite/database.h"

CachePages::CachePages(std::function<QString()> databasePath, QWidget* parent)
    : QTabWidget(parent)
{
    m_overview = new OverviewPage(this);
    m_entries = new EntriesPage(this);
    addTab(m_overview, tr("Overview"));
    addTab(m_entries, tr("Entries"));
    m_activity = new ActivityPage(this);
    addTab(m_activity, tr("Activity"));
    addTab(new SqlPage(std::move(databasePath), this), tr("SQL"));
    // The Overview's health and writers come from the Activity tab's live probe.
    connect(m_activity->feed(), &ActivityFeed::sampleReceived, m_overview, &OverviewPage::applySample);
    connect(m_overview, &OverviewPage::entryRequested, this, [this](const QString& table, qint64 rowid, int shard) {
        setCurrentWidget(m_entries);
        m_entries->showEntryWithRowid(table, rowid, shard);
    });
}

void CachePages::showDatabase(Database* database, const QList<Database*>& shards, const QStringList& shardLabels,
    const QList<ActivityPage::Part>& parts)
{
    m_overview->showDatabase(database, shards, shardLabels);
    m_entries->showDatabase(database, shards, shardLabels);
    m_activity->showDatabase(database->path(), parts);
}

void CachePages::clear()
{
    m_activity->clear();
    m_entries->clear();
    m_overview->clear();
}

void CachePages::showFilter()
{
    setCurrentWidget(m_entries);
    m_entries->focusFilter();
}
