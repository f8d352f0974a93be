// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "sqlite/database.h"

#include <QList>
#include <QString>
#include <QStringList>

// TableSchema: the shape of one table as SQLite reports it (pragma_table_xinfo with the table
// name bound, never spliced into SQL): its columns with declared types, its PRIMARY KEY and
// whether it has a rowid (and under which name the rowid can be reached). An immutable value
// read on the thread that owns the Database.
struct TableSchema {
    struct Column {
        QString name;
        QString type; // declared type, upper-cased ("" when none)
        int primaryKeyIndex = 0; // 1-based position in the PRIMARY KEY, 0 if not part of it
        bool notNull = false;
        bool hidden = false; // a virtual table's hidden column (not part of SELECT *)
        bool generated = false; // GENERATED ALWAYS AS (…): shown, computed by SQLite
    };

    QString name;
    QList<Column> columns;
    bool withoutRowid = false;
    // How to address the rowid ("rowid", "_rowid_" or "oid": the first that no column shadows);
    // empty for WITHOUT ROWID tables and when every alias is shadowed.
    QString rowidName;

    static Result<TableSchema> read(Database* database, const QString& table);

    bool hasColumn(const QString& column) const;
    const Column* column(const QString& column) const;
    QStringList columnNames() const;
    QStringList primaryKey() const; // in key order
    // SQL expressions that page the table in a stable order: the rowid, else the quoted
    // PRIMARY KEY columns. Empty when neither exists (every rowid alias shadowed, no key).
    QStringList pagingKeySql() const;
};
