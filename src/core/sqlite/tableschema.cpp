// SPDX-License-Identifier: GPL-3.0-or-later
#include "sqlite/tableschema.h"

#include "sqlite/statement.h"

#include <sqlite3.h>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace {
// pragma_table_list (SQLite ≥ 3.37) says directly whether a table is WITHOUT ROWID; older
// libraries, and names it lists under another spelling, fall back to preparing a rowid
// select, which fails on such tables.
Result<bool> isWithoutRowid(Database* database, const QString& table, const QString& rowidName)
{
    auto statement
        = Statement::prepare(database->handle(), u"SELECT wr FROM pragma_table_list(?1) WHERE schema = 'main'"_s);
    if (statement) {
        statement->bind(1, table);
        const int rc = statement->step();
        if (rc == SQLITE_ROW)
            return statement->column(0).toLongLong() != 0;
        if (rc != SQLITE_DONE)
            return database->lastError(u"reading the schema of "_s + table);
        // No row: a name pragma_table_list lists under another spelling (sqlite_master is
        // listed as sqlite_schema, and the reverse): ask the table itself, as below.
    }
    if (rowidName.isEmpty())
        return false;
    auto probe = Statement::prepare(
        database->handle(), u"SELECT "_s + rowidName + u" FROM "_s + Database::quoteIdentifier(table) + u" LIMIT 0"_s);
    return !probe.ok();
}
} // namespace

Result<TableSchema> TableSchema::read(Database* database, const QString& table)
{
    TableSchema schema;
    schema.name = table;
    auto statement = Statement::prepare(
        database->handle(), u"SELECT name, upper(type), pk, \"notnull\", hidden FROM pragma_table_xinfo(?1)"_s);
    if (!statement)
        return statement.error();
    statement->bind(1, table);
    int rc;
    while ((rc = statement->step()) == SQLITE_ROW) {
        Column column { statement->column(0).toString(), statement->column(1).toString(),
            int(statement->column(2).toLongLong()), statement->column(3).toLongLong() != 0,
            statement->column(4).toLongLong() == 1, statement->column(4).toLongLong() >= 2 };
        schema.columns.append(column);
    }
    if (rc != SQLITE_DONE)
        return database->lastError(u"reading the columns of "_s + table);
    statement->finalize();
    if (schema.columns.isEmpty())
        return Error { Error::Kind::NotFound, u"no table named \"%1\""_s.arg(table) };
    for (const QString& alias : { u"rowid"_s, u"_rowid_"_s, u"oid"_s }) {
        if (!schema.hasColumn(alias)) {
            schema.rowidName = alias;
            break;
        }
    }
    // A column named rowid that is the INTEGER PRIMARY KEY is the rowid itself (diskcache).
    if (schema.rowidName.isEmpty() && schema.primaryKey().size() == 1) {
        const Column* pk = schema.column(schema.primaryKey().first());
        if (pk->type == u"INTEGER"_s)
            schema.rowidName = Database::quoteIdentifier(pk->name);
    }
    auto withoutRowid = isWithoutRowid(database, table, schema.rowidName);
    if (!withoutRowid)
        return withoutRowid.error();
    schema.withoutRowid = withoutRowid.value();
    if (schema.withoutRowid)
        schema.rowidName.clear();
    return schema;
}

bool TableSchema::hasColumn(const QString& name) const
{
    return column(name) != nullptr;
}

const TableSchema::Column* TableSchema::column(const QString& name) const
{
    for (const Column& c : columns) {
        if (c.name.compare(name, Qt::CaseInsensitive) == 0)
            return &c;
    }
    return nullptr;
}

QStringList TableSchema::columnNames() const
{
    QStringList names;
    for (const Column& c : columns) {
        if (!c.hidden)
            names << c.name;
    }
    return names;
}

QStringList TableSchema::primaryKey() const
{
    QList<Column> keyed;
    for (const Column& c : columns) {
        if (c.primaryKeyIndex > 0)
            keyed << c;
    }
    std::sort(keyed.begin(), keyed.end(),
        [](const Column& a, const Column& b) { return a.primaryKeyIndex < b.primaryKeyIndex; });
    QStringList names;
    for (const Column& c : keyed)
        names << c.name;
    return names;
}

QStringList TableSchema::pagingKeySql() const
{
    if (!withoutRowid && !rowidName.isEmpty())
        return { rowidName };
    if (!withoutRowid)
        return {};
    QStringList key;
    for (const QString& name : primaryKey())
        key << Database::quoteIdentifier(name);
    return key;
}
