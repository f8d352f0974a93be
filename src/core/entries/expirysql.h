// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "entries/profiles.h"

#include <QString>

struct sqlite3;

// ExpirySql: the SQL condition "this entry has expired" for a view's Role::Expired column, so
// the "expired only" / "live only" filter runs in SQLite like every other filter. diskcache's
// expiry is plain SQL (expire_time against now); requests-cache keeps it inside the pickled
// response, read by cachescope_pickle_expired(value, field): an application function of ours
// (the same EntryDecoder code that fills the column, nothing from the file executed) that is
// registered SQLITE_DIRECTONLY, so the file's schema, views and triggers cannot call it.
namespace ExpirySql {
// Registers cachescope_pickle_expired() on one connection (each pager's; idempotent).
void install(sqlite3* db);
// An expression that is 1 for an expired entry and 0 otherwise (never NULL); empty when the
// view cannot tell expiry (no Role::Expired column).
QString expiredCondition(const EntryView& view);
} // namespace ExpirySql
