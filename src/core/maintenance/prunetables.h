// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/error.h"
#include "entries/entryview.h"

#include <QList>
#include <QString>

class Database;

// PruneTables: the tables of a cache a prune can remove entries from — the format's entries
// table of a known format (its bookkeeping tables never), every rowid table of a database of no
// known format — each with the selectors it can answer. PruneTarget refuses a selection by the
// same answers; the Prune dialog offers only what they allow. Read from the first database of a cache folder (every
// shard of a FanoutCache has the same tables). A plain value; any thread.
struct PruneTables {
    struct Table {
        QString name;
        QString profile; // "diskcache", "generic", …
        bool isMain = false; // the format's entries table (a known format)
        bool expiry = false; // --expired: the format keeps an expiry time
        QString createdColumn; // --older-than: the column read as the creation time; empty: none
        QString groupBy; // --group: "model", "tag" or "host"; empty: nothing to group by
        bool budget = false; // --max-bytes: the entries have a size

        // What a prune can select in the view's table (whether the table itself can be pruned: refusal()).
        static Table of(const EntryView& view);
        // Why a prune cannot remove entries of this table, or empty: no rowid; a table of no known
        // format when it was not named (tableNamed false); a known format's bookkeeping table.
        static QString refusal(const EntryView& view, bool tableNamed);
    };

    QList<Table> tables; // the format's entries table alone, or every table of a database of no known format
    bool generic() const { return !tables.isEmpty() && tables.first().profile == QLatin1String("generic"); }

    // path: a database, a diskcache folder or a FanoutCache folder; read-only, short reads of the schema.
    static Result<PruneTables> read(const QString& path);
    static Result<PruneTables> of(Database* database);
};
