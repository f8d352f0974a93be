// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/fanoutdatabases.h"
#include "pages/activitypage.h"
#include "tasks/latesttask.h"

#include <QList>
#include <QStringList>
#include <QTabWidget>

#include <functional>

class Database;
class OverviewPage;
class EntriesPage;
class SqlPage;

// CachePages: the tabs that show the one open cache — Overview, Entries, Activity and SQL — and
// what ties them together: the Overview's health and writers come from the Activity tab's live
// probe, and an entry the Overview names opens in Entries. GUI thread.
class CachePages : public QTabWidget {
    Q_OBJECT
public:
    // databasePath: the open cache's file, read by the SQL tab when it runs a statement.
    explicit CachePages(std::function<QString()> databasePath, QWidget* parent = nullptr);

    OverviewPage* overview() const { return m_overview; }
    EntriesPage* entries() const { return m_entries; }
    ActivityPage* activity() const { return m_activity; }
    SqlPage* sql() const { return m_sql; }

    // fanout: a FanoutCache's databases (the first shard is database), else empty; parts: what
    // Activity watches, one at a time (a FanoutCache's shards and sub-caches), else empty.
    // The pages are shown in slices, each an event of its own after this call: firstShown runs
    // once the page in sight is, shown once all are.
    void showDatabase(Database* database, const FanoutDatabases& fanout, const QList<ActivityPage::Part>& parts,
        std::function<void()> firstShown = {}, std::function<void()> shown = {});
    void clear(); // the cache shown closes: every page lets go of it
    void showFilter(); // Ctrl+F: Entries, its filter focused

private:
    OverviewPage* m_overview = nullptr;
    EntriesPage* m_entries = nullptr;
    ActivityPage* m_activity = nullptr;
    SqlPage* m_sql = nullptr;
    LatestTask m_showing; // the cache being shown, slice after slice
};
