// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "entries/entryview.h"
#include "sqlite/tableschema.h"

#include <QList>
#include <QMap>
#include <QString>

// Profiles: builds the EntryView of each table of a database — its format (CacheFormats: the
// first that recognises it, from names and types only, never by running anything from the
// file), the columns its users think in, and which table to show first. Stateless; call on
// the Database's thread.
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
