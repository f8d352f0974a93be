// SPDX-License-Identifier: GPL-3.0-or-later
#include "entries/profiles.h"

#include "entries/cacheformats.h"
#include "entries/formatcolumns.h"
#include "entries/internaltables.h"

#include <optional>

using namespace Qt::Literals::StringLiterals;

const QStringList& Profiles::names()
{
    static const QStringList list = CacheFormats::ids();
    return list;
}

EntryView Profiles::viewOf(const TableSchema& schema, const QStringList& allTables, int firstColumn)
{
    EntryView view;
    view.table = schema.name;
    view.schema = schema;
    const CacheFormat& format = CacheFormats::of(schema, allTables);
    view.profile = format.id();
    view.columns = format.columns(schema, allTables).value_or(FormatColumns::genericColumns(schema));
    view.isMainTable = format.isMainTable(schema.name);
    // The key is searched whichever window of a wide table is shown.
    const int key = view.columnIndex(EntryColumn::Role::Key);
    if (key >= 0)
        view.searchSql = view.columns[key].sql;
    if (view.columns.size() > EntryView::MaxColumns || firstColumn > 0) {
        const int total = int(view.columns.size());
        view.firstColumn = std::clamp(firstColumn, 0, std::max(0, total - 1));
        view.columns = view.columns.mid(view.firstColumn, EntryView::MaxColumns);
        view.omittedColumns = total - int(view.columns.size());
    }
    return view;
}

Result<QMap<QString, QString>> Profiles::detect(Database* database)
{
    auto tables = database->tables();
    if (!tables)
        return tables.error();
    QMap<QString, QString> profiles;
    for (const QString& table : tables.value()) {
        auto schema = TableSchema::read(database, table);
        profiles.insert(
            table, schema ? CacheFormats::of(schema.value(), tables.value()).id() : Formats::generic().id());
    }
    return profiles;
}

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
