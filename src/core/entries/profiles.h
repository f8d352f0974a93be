// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "sqlite/tableschema.h"

#include <QList>
#include <QMap>
#include <QString>

// EntryColumn: one column as a cache's users think of it ("key", "model", "expires"), defined
// as an SQL expression over quoted identifiers of the table (nothing from the file is ever
// spliced in unquoted or executed). Text and BLOB values are cut to previewChars in pages;
// the whole value is read only for one entry at a time.
struct EntryColumn {
    enum class Role { Other, Key, Value, Size, Created, Accessed, Expires, Hits, Model, Tokens };
    QString name;
    QString sql;
    Role role = Role::Other;
    int previewChars = 300; // 0: never cut (small values: numbers, model names)

    static QString roleName(Role role);
};

// EntryView: how one table is shown: its profile, the user-facing columns, and the text
// expression that free-text search runs over (the key or the prompt). An immutable value.
struct EntryView {
    QString table;
    QString profile = QStringLiteral("generic");
    TableSchema schema;
    QList<EntryColumn> columns;
    QString searchSql; // empty: search over every text column
    bool isMainTable = false;

    QStringList columnNames() const;
    int columnIndex(EntryColumn::Role role) const; // -1 if absent
};

// Profiles: recognises the cache formats of CACHE_SCHEMAS.md by schema (never by running
// anything from the file) and builds the EntryView of each table: diskcache, LangChain,
// requests-cache, GPTCache, sqlitedict, llm logs.db, and the generic view with roles guessed
// from column names and types for everything else. Stateless; call on the Database's thread.
class Profiles {
public:
    static const QStringList& names(); // every profile name, "generic" last
    // The profile of each user table, by table name.
    static Result<QMap<QString, QString>> detect(Database* database);
    static Result<EntryView> view(Database* database, const QString& table);
    // The table a user of the format looks at first: Cache for diskcache, … ; else the first.
    static Result<QString> mainTable(Database* database);
    // The view of mainTable(), reading each schema once.
    static Result<EntryView> mainView(Database* database);
    static EntryView viewOf(const TableSchema& schema, const QStringList& allTables);
};
