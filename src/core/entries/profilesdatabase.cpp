// SPDX-License-Identifier: GPL-3.0-or-later
// Profiles, choosing what to show from a Database: one table's view, and the table shown first
// (the format's main table, never a search index). profiles.cpp knows the formats.
#include "entries/profiles.h"

#include "entries/internaltables.h"

#include <optional>

using namespace Qt::Literals::StringLiterals;

Result<EntryView> Profiles::view(Database* database, const QString& table, int firstColumn)
{
    auto tables = database->tables();
    if (!tables)
        return tables.error();
    auto schema = TableSchema::read(database, table);
    if (!schema)
        return schema.error();
    return viewOf(schema.value(), tables.value(), firstColumn);
}

Result<QString> Profiles::mainTable(Database* database)
{
    auto view = mainView(database);
    if (!view)
        return view.error();
    return view->table;
}

Result<EntryView> Profiles::mainView(Database* database)
{
    auto tables = database->tables();
    if (!tables)
        return tables.error();
    if (tables->isEmpty())
        return Error { Error::Kind::NotFound, u"the database has no tables"_s };
    std::optional<EntryView> first;
    // A search index or its shadow tables is never the first thing to show.
    const auto internal = InternalTables::of(database);
    for (const QString& table : tables.value()) {
        auto schema = TableSchema::read(database, table);
        if (!schema)
            continue;
        EntryView view = viewOf(schema.value(), tables.value());
        if (view.isMainTable)
            return view;
        if (!first && !(internal && internal->contains(table)))
            first = view;
    }
    if (first)
        return *first;
    return view(database, tables->first());
}
