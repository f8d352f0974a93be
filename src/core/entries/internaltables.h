// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/error.h"

#include <QMap>
#include <QString>

class Database;

// InternalTables: the tables of a database that hold no cache entries of their own — virtual
// tables of SQLite's index modules (FTS3/4/5 full-text search, R*Tree) and the shadow tables
// those keep their data in (`responses_fts_data`, `_idx`, `_docsize`, `_config`, `_content`,
// …), as `llm`'s logs.db has. The Entries page and `info` list them apart from the cache
// tables. Told from sqlite_schema's type and CREATE VIRTUAL TABLE … USING text (read, never
// run). Used on the thread that owns the Database.
namespace InternalTables {
// table name → what it is, in plain words ("full-text index (fts5)", "data of full-text index
// responses_fts").
Result<QMap<QString, QString>> of(Database* database);
} // namespace InternalTables
