// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

// ReadyQuery: a query the SQL console offers for a known cache format (entries per model,
// expired entries, largest entries). Identifiers are quoted; nothing from the file is spliced
// in except table names, quoted as identifiers. A plain value.
struct ReadyQuery {
    QString title;
    QString sql;
};
