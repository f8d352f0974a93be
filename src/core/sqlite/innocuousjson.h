// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/error.h"

struct sqlite3;

// InnocuousJson: lets a connection with trusted_schema off (docs/WAL.md §9) read schemas
// that use SQLite's JSON functions (a generated column `json_extract(doc, '$.name')` is common
// in caches). SQLite before 3.45 does not mark them innocuous, so such a schema is refused as
// "malformed … unsafe use of json_extract()". JSON functions are pure — no side effects, no
// file or network access — so they are registered again on the connection, flagged
// SQLITE_INNOCUOUS, each evaluated by the library's own implementation on a private
// in-memory connection. Other non-innocuous functions stay refused. Install once per
// connection before the schema is first read; the helper lives as long as the connection.
namespace InnocuousJson {
// Registers the wrappers; the returned helper must be closed after `db` (sqlite3_close_v2).
Result<sqlite3*> install(sqlite3* db);
} // namespace InnocuousJson
