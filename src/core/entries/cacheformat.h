// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "entries/entrycolumn.h"
#include "entries/readyquery.h"
#include "sqlite/tableschema.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <QVariant>

#include <optional>

// CacheFormat: everything CacheScope knows about one cache format (docs/FORMATS.md), said in
// one place: how its tables are recognised (from names and types only, never by running
// anything from the file), the columns its users think in, which table holds its entries, the
// SQL console's ready queries, the tables whose rows belong to an entry, and whether values
// live in files beside the database. One subclass per format, each in one file
// (entries/<name>format.cpp), listed in CacheFormats (cacheformats.cpp). Stateless; any thread.
class CacheFormat {
public:
    virtual ~CacheFormat() = default;

    // The profile name shown in views, JSON ("profile") and the docs: "diskcache", …
    virtual QString id() const = 0;
    // Whether `schema` is one of this format's tables; `tables`: every table of the database.
    virtual bool recognises(const TableSchema& schema, const QStringList& tables) const = 0;
    // The columns of one of its tables; nullopt: that table is shown with the generic columns.
    virtual std::optional<QList<EntryColumn>> columns(const TableSchema& schema, const QStringList& tables) const = 0;
    // A table holding the format's entries (not its bookkeeping).
    virtual bool isMainTable(const QString& table) const = 0;
    // What the SQL console offers for `table` (quoted as `quotedTable`).
    virtual QList<ReadyQuery> readyQueries(const QString& table, const QString& quotedTable) const
    {
        Q_UNUSED(table);
        Q_UNUSED(quotedTable);
        return {};
    }
    // Values above a size kept in files beside the database (diskcache's .val files): the
    // Overview, info, scan, vacuum, safe delete and prune account for them.
    virtual bool keepsValueFiles() const { return false; }
    // Rows of another table that belong to an entry and go with it (prune): `column` holds the
    // entry's parentKeyColumn(); alsoKey: the row's own key may be an entry's key too.
    struct Dependent {
        QString column;
        bool alsoKey = false;
    };
    virtual std::optional<Dependent> dependent(const TableSchema& schema) const
    {
        Q_UNUSED(schema);
        return std::nullopt;
    }
    // The column of the main table a dependent's column refers to.
    virtual QString parentKeyColumn() const { return QStringLiteral("id"); }
    // The value as the row stores it, where the Value column computes it (diskcache: inline
    // value or file name); empty: the Value column's own SQL. What a prune backup keeps.
    virtual QString storedValueSql() const { return QString(); }
    // Its full-text index is kept by triggers of its own that write an FTS table (llm logs,
    // through sqlite-utils): a prune lets exactly those run (PruneTarget checks their shape).
    virtual bool keepsFtsByTriggers() const { return false; }
    // Columns of its view its users rarely need, hidden in the Entries table until asked for (the header's "Show
    // column" menu; the entry detail shows them all), so the others fit the default window.
    virtual QStringList rarelyShownColumns() const { return {}; }
    // What its users call the thing the Entries search finds by default (the key column and
    // every decoded column): "url" for requests-cache, whose key is a hash nobody searches by;
    // empty: the key column's name.
    virtual QString searchedAs() const { return QString(); }
    // What a column of one of its tables holds, said to someone who has not read the library's
    // source (the detail pane's "as stored" rows): "1: the key is stored as is; 0: pickled".
    // Empty for a column that needs no words.
    virtual QString storedColumnNote(const QString& table, const QString& column) const
    {
        Q_UNUSED(table);
        Q_UNUSED(column);
        return QString();
    }
    // The same for a column of its view (the detail pane's decoded rows): what "mode" holds.
    virtual QString shownColumnNote(const QString& column) const
    {
        Q_UNUSED(column);
        return QString();
    }
    // A value of its view's column in plain words where the bare value says nothing to a user:
    // diskcache's NULL "expires" is "never expires", its "mode" raw is "stored as it was given".
    // Empty: the value needs no words.
    virtual QString shownValueWords(const QString& column, const QVariant& value) const
    {
        Q_UNUSED(column);
        Q_UNUSED(value);
        return QString();
    }
    // What a table cell of its view's column shows for NULL where NULL means something a word
    // says better: diskcache's NULL "expires" is "never" (shownValueWords says it whole). Empty:
    // "NULL", drawn apart from the text "NULL".
    virtual QString nullCellWord(const QString& column) const
    {
        Q_UNUSED(column);
        return QString();
    }
};
