// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/error.h"

#include <QObject>
#include <QStringList>

class Database;
class QListWidget;
class QSplitter;
class QWidget;

// CacheTableList: the Entries page's list of the open cache's tables — the cache tables with
// their cache format first, a FanoutCache's main table as every shard's, the search indexes'
// tables apart below a heading — as wide as its names within a quarter of the page. Each item
// holds its table's name (Qt::UserRole); the heading holds none. GUI thread.
class CacheTableList : public QObject {
    Q_OBJECT
public:
    static constexpr int MinWidth = 90; // as wide as its names, within a quarter of the page

    // list: the page's table list, the left side of splitter; page: the Entries page.
    CacheTableList(QListWidget* list, QSplitter* splitter, QWidget* page);

    // Lists database's tables (shardCount > 0: a FanoutCache of that many shards, the first
    // labelled firstShard). Returns its main table (empty: it has none), or why its tables'
    // formats could not be read (nothing listed then).
    Result<QString> show(Database* database, int shardCount = 0, const QString& firstShard = {});
    void clear();
    QStringList tableNames() const;
    void selectTable(const QString& table);
    QString currentTable() const;

Q_SIGNALS:
    void tableChosen(const QString& table); // the current item changed to this table

private:
    void fit();

    QListWidget* m_list;
    QSplitter* m_splitter;
    QWidget* m_page;
};
