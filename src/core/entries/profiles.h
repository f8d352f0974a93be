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
    enum class Role { Other, Key, Value, Size, Created, Accessed, Expires, Hits, Model, Tokens, Expired };
    // How the SQL value is turned into what users of the format read (EntryDecoder): pickles
    // decoded, diskcache values read from their files, epoch seconds as times, 0/1 as booleans.
    enum class Decode {
        None,
        Pickle, // a pickled BLOB → its plain data (other values unchanged)
        PickleOrJson, // sqlitedict: a pickle, else JSON text parsed, else unchanged
        DiskcacheKey, // aux = "raw": raw keys unchanged, pickled keys decoded
        DiskcacheValue, // sql = value or filename, aux = mode * 2 + (stored in a file)
        EpochTime, // seconds since 1970 (REAL/INTEGER) → time
        IsoTime, // naive ISO 8601 text in UTC (requests-cache) → time
        Bool, // 0/1 → false/true
        PickleField, // a field (field: dotted path) of a pickled dict, e.g. "request.url"
    };
    QString name;
    QString sql;
    Role role = Role::Other;
    int previewChars = 300; // 0: never cut (small values: numbers, model names)
    Decode decode = Decode::None;
    QString auxSql; // a second SQL value the decoder needs (DiskcacheKey, DiskcacheValue)
    QString field; // PickleField: dotted path; "@header:Name" a header; "@bytes:name" a BLOB's size

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

// Profiles: recognises the cache formats of docs/FORMATS.md by schema (never by running
// anything from the file) and builds the EntryView of each table: diskcache, LangChain,
// requests-cache, GPTCache, sqlitedict, llm logs.db, and the generic view with roles guessed
// from column names and types for everything else. Stateless; call on the Database's thread.
class Profiles {
public:
    static const QStringList& names(); // every profile name, "generic" last
    // The profile of each user table, by table name.
    static Result<QMap<QString, QString>> detect(Database* database);
    static Result<EntryView> view(Database* database, const QString& table, int firstColumn = 0);
    // The table a user of the format looks at first: Cache for diskcache, … ; else the first.
    static Result<QString> mainTable(Database* database);
    // The view of mainTable(), reading each schema once.
    static Result<EntryView> mainView(Database* database);
    // firstColumn: where the window of MaxColumns columns starts in a wider table (clamped).
    static EntryView viewOf(const TableSchema& schema, const QStringList& allTables, int firstColumn = 0);
};
