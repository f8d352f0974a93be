// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/error.h"

#include <QString>

// WalOrigin: whether the -wal beside a database can have been written for it.
// SQLite adopts any -wal with a valid header and checksums, so a -wal copied or left from
// another database replaces the db's content at the next checkpoint. What can be told from
// the files: the -wal's page size differs from the database's (impossible in WAL mode), or
// its newest committed copy of page 1 is not a database header, has another text encoding or
// application_id, a change counter or schema version older than the db file's own (page 1 of a
// genuine WAL only moves forward), or another schema: the same schema version with other
// tables, or none of the database's tables. Reads the db header and the -wal with its own fds
// and closes them, so (docs/WAL.md §4.1) it refuses to look when this process has the database open.
namespace WalOrigin {
// A plain sentence saying why the -wal looks foreign, or an empty string (also when there is
// no -wal, it holds no committed page 1, or it cannot be read).
QString problem(const QString& dbPath);
// An Error (Kind::Refused, "refusing to <action>: <why>") when the -wal looks foreign: SQLite
// would adopt it and a checkpoint would replace the database's content, so checkpoint, vacuum
// and enable-wal do not go ahead unless the user accepts it.
Status refuseForeign(const QString& dbPath, const QString& action);
// What they print before acting is a warning with code WarningCode::ForeignWal (live/warningcatalog.h).
} // namespace WalOrigin
