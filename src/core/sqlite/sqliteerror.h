// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/error.h"

struct sqlite3;

// SqliteError: turns an SQLite failure into an Error with a plain reason a user can act on
// (busy with what to do, read-only with why, a stopped statement with the limit that stopped
// it) — never the SQL CacheScope ran.
namespace SqliteError {
// Longest value (TEXT or BLOB) a connection reads: SQLITE_LIMIT_LENGTH (Database sets it).
constexpr int MaxValueBytes = 512 << 20;

struct Failure {
    int code = 0; // extended result code
    QString message; // sqlite3_errmsg
    int systemErrno = 0;
    int busyTimeoutMs = -1; // -1: unknown
    bool budgetExceeded = false; // StatementBudget stopped the step
};

Error from(const Failure& failure, const QString& context);
// The connection's last error.
Error of(sqlite3* db, const QString& context = QString(), int busyTimeoutMs = -1);
} // namespace SqliteError
