// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/error.h"
#include "models/fanoutdatabases.h"

#include <QMap>
#include <QObject>
#include <QStringList>

class Database;
class QListWidget;
class QSplitter;
class QWidget;

// CacheTableList: the Entries page's list of the open cache's tables — the cache tables with
// their cache format first, a FanoutCache's main table as every shard's, the search indexes'
// tables apart below a heading, then each named sub-cache of a FanoutCache below a heading naming
// it — as wide as its names within a quarter of the page, also when the width restored from the last session or
// dragged for another cache was narrower. Each item holds its table's name
// (Qt::UserRole) and its sub-cache (SubCacheRole: the index in FanoutDatabases::subCaches, -1
// for the open database's own tables); a heading holds no name. GUI thread.
class CacheTableList : public QObject {
    Q_OBJECT
public:
    static constexpr int MinWidth = 90; // as wide as its names, within a quarter of the page
    static constexpr int SubCacheRole = Qt::UserRole + 1;

    // list: the page's table list, the left side of splitter; page: the Entries page.
    CacheTableList(QListWidget* list, QSplitter* splitter, QWidget* page);

    // Lists database's tables (fanout: a FanoutCache's shards, the first being database, and its
    // sub-caches' tables). Returns its main table (empty: it has none), or why its tables'
    // formats could not be read (nothing listed then).
    Result<QString> show(Database* database, const FanoutDatabases& fanout = {});
    void clear();
    QStringList tableNames() const; // the open database's own
    // subCache: the index of a sub-cache in FanoutDatabases::subCaches, -1: the open database.
    void selectTable(const QString& table, int subCache = -1);
    QString currentTable() const;
    int currentSubCache() const;

Q_SIGNALS:
    void tableChosen(const QString& table, int subCache); // the current item changed to this table

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    // database's tables, of the sub-cache subCache (-1: the open database, of a FanoutCache when
    // fanout has shards); the cache tables, then the internal ones below a heading.
    void addTables(Database* database, const QMap<QString, QString>& profiles, int subCache,
        const FanoutDatabases& fanout, const Result<QString>& main);
    void addHeading(const QString& text, const QString& toolTip);
    void fit();
    // Each item as wide as the list: a longer name is cut in its middle with "…" (whole on hover), keeping its end,
    // never under the list's right edge.
    void elideToWidth();

    QListWidget* m_list;
    QWidget* m_viewport; // m_list's, whose resizes elide the names
    QSplitter* m_splitter;
    QWidget* m_page;
};
