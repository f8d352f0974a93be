// SPDX-License-Identifier: GPL-3.0-or-later
#include "maintenance/prunetables.h"

#include "entries/cacheformats.h"
#include "entries/entrysql.h"
#include "entries/internaltables.h"
#include "entries/profiles.h"
#include "maintenance/cachefolder.h"
#include "sqlite/database.h"

using namespace Qt::Literals::StringLiterals;

PruneTables::Table PruneTables::Table::of(const EntryView& view)
{
    Table table;
    table.name = view.table;
    table.profile = view.profile;
    table.isMain = view.isMainTable && !CacheFormats::isGeneric(view.profile);
    table.expiry = view.columnIndex(EntryColumn::Role::Expired) >= 0;
    if (const EntryColumn* created = EntrySql::createdColumn(view))
        table.createdColumn = created->name;
    if (const EntrySql::Grouping grouping = EntrySql::grouping(view); !grouping.isEmpty())
        table.groupBy = grouping.by.isEmpty() ? u"group"_s : grouping.by;
    table.budget = !EntrySql::bytes(view).isEmpty();
    return table;
}

QString PruneTables::Table::refusal(const EntryView& view, bool tableNamed)
{
    if (view.schema.withoutRowid || view.schema.rowidName.isEmpty())
        return u"table %1 has no rowid: prune removes entries of rowid tables only"_s.arg(view.table);
    const bool generic = CacheFormats::isGeneric(view.profile);
    if (generic && !tableNamed)
        return u"no cache format recognised in the main table %1: name the table to prune with --table, and "
               "select entries by its columns (--match, --column)"_s.arg(view.table);
    if (!generic && !view.isMainTable)
        return u"table %1 is %2's own bookkeeping, not its entries: prune the entries' table (the default) "
               "and what belongs to them goes with them"_s.arg(view.table, view.profile);
    return QString();
}

Result<PruneTables> PruneTables::of(Database* database)
{
    auto main = Profiles::mainView(database);
    if (!main)
        return main.error();
    PruneTables found;
    if (!CacheFormats::isGeneric(main->profile)) {
        if (!Table::refusal(main.value(), true).isEmpty())
            return found;
        found.tables << Table::of(main.value());
        return found;
    }
    auto names = database->tables();
    if (!names)
        return names.error();
    auto internal = InternalTables::of(database);
    if (!internal)
        return internal.error();
    for (const QString& name : names.value()) {
        if (internal->contains(name))
            continue;
        auto view = name == main->table ? main : Profiles::view(database, name);
        if (!view)
            return view.error();
        if (Table::refusal(view.value(), true).isEmpty())
            found.tables << Table::of(view.value());
    }
    return found;
}

Result<PruneTables> PruneTables::read(const QString& path)
{
    auto folder = CacheFolder::resolve(path);
    if (!folder)
        return folder.error();
    if (folder->databases.isEmpty())
        return Error { Error::Kind::NotFound, u"%1 holds no database"_s.arg(path) };
    Database::Options open;
    open.mode = Database::Mode::ReadOnly;
    open.switchToWal = false;
    auto database = Database::open(folder->databases.first(), open);
    if (!database)
        return database.error();
    return of(database->get());
}
