// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QMap>
#include <QString>

// ReadyQuery: a query offered by the SQL console for a known cache format (docs/FORMATS.md in
// docs/FORMATS.md): entries per model, expired entries, largest entries. Identifiers are quoted;
// nothing from the file is spliced in except table names, quoted as identifiers.
struct ReadyQuery {
    QString title;
    QString sql;
};

namespace ReadyQueries {
// Queries for the tables found, given each table's profile (Profiles::detect); always ends
// with the generic ones (tables and row counts of the first table).
QList<ReadyQuery> forProfiles(const QMap<QString, QString>& profileByTable);
} // namespace ReadyQueries
