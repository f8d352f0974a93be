// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "entries/entrycolumn.h"
#include "sqlite/tableschema.h"

#include <QList>
#include <QString>
#include <QStringList>

// EntryView: how one table is shown: its profile, the user-facing columns, and the text
// expression that free-text search runs over (the key or the prompt). An immutable value.
struct EntryView {
    QString table;
    QString profile = QStringLiteral("generic");
    TableSchema schema;
    QList<EntryColumn> columns;
    QString searchSql; // empty: search over every text column
    bool isMainTable = false;
    // Columns of a very wide table left out of the view: a page reads two or three values per
    // column and SQLite returns at most 2,000 per row ("too many columns in result set").
    // A wider table is shown MaxColumns at a time from firstColumn (0-based); omittedColumns
    // counts the user-facing columns before and after that window.
    static constexpr int MaxColumns = 400;
    int firstColumn = 0;
    int omittedColumns = 0;
    int totalColumns() const { return int(columns.size()) + omittedColumns; }

    QStringList columnNames() const;
    int columnIndex(EntryColumn::Role role) const; // -1 if absent
};
