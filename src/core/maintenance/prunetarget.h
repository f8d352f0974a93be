// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "entries/profiles.h"
#include "maintenance/pruneselection.h"

#include <QList>
#include <QString>
#include <QVariantList>

// PruneTarget: one table of one database as a prune removes from it, in its library's terms:
// the SQL condition of the selectors SQL can decide (the Entries filter, expiry), what an
// entry weighs, its diskcache value file, the order the library evicts in (for a byte budget),
// the columns that show a row is still the one that was chosen (a diskcache set() rewrites its
// row in place, so store_time and filename; everywhere the key), and the rows of other tables
// that belong to an entry and go with it (requests-cache redirects pointing at a response,
// GPTCache answers, deps and sessions of a question, llm logs' rows of a response). Built by
// of(), which refuses a selection the table cannot answer (--expired on a format without
// expiry, a table of no known format without --table, a library's bookkeeping table) with
// the reason. A plain value; used on the thread of the Database it was read from.
struct PruneTarget {
    struct Dependent {
        QString table; // quoted
        QString column; // quoted: holds the entry's parentSql value
        bool alsoKey = false; // requests-cache: a redirect whose own key is the response's key
    };

    EntryView view;
    PruneSelection selection;
    QString folder; // the database's folder (diskcache value files are relative to it)
    QString from; // the quoted table
    QString rowid; // the quoted rowid alias
    QString condition; // SQL selectors; never empty ("1" when none)
    QVariantList params; // bound to condition's "?" in order
    QString bytesSql; // "0" when the format keeps no size
    QString fileSql; // diskcache: the value file column; else empty
    QString orderSql; // the eviction order, first to go first (for maxBytes)
    QString orderBy; // what orderSql is, for the text ("store_time (least-recently-stored)")
    QStringList fingerprint; // quoted columns compared with IS when deleting
    QString parentSql; // the value dependents refer to (empty: no dependents)
    QList<Dependent> dependents;
    // diskcache without its own triggers for Settings count/size: kept right by the prune.
    bool updatesCount = false;
    bool updatesSize = false;
    // llm logs: every trigger in the file is one of sqlite-utils' full-text triggers (an INSERT
    // into TABLE_fts of 'delete', old/new rowid and columns): the prune's own connection lets
    // them write the FTS5 table (trusted_schema on for it alone), so the index stays right.
    bool runsFtsTriggers = false;

    static Result<PruneTarget> of(Database* database, const PruneSelection& selection);
};
