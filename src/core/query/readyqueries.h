// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "entries/readyquery.h"

#include <QList>
#include <QMap>
#include <QString>

namespace ReadyQueries {
// Queries for the tables found, given each table's profile (Profiles::detect); always ends
// with the generic ones (tables and row counts of the first table).
QList<ReadyQuery> forProfiles(const QMap<QString, QString>& profileByTable);
} // namespace ReadyQueries
