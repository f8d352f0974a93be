// SPDX-License-Identifier: GPL-3.0-or-later
#include "sqlite/sqliteerror.h"

#include "sqlite/statementbudget.h"

#include <QRegularExpression>

#include <sqlite3.h>

#include <cstring>

using namespace Qt::Literals::StringLiterals;

namespace {

QString readOnlyReason(int extended)
{
    switch (extended) {
    case SQLITE_READONLY_RECOVERY:
        return u"the -wal must be recovered first, and a read-only look cannot do that"_s;
    case SQLITE_READONLY_CANTINIT:
    case SQLITE_READONLY_CANTLOCK:
        return u"the -shm cannot be set up by a read-only look"_s;
    case SQLITE_READONLY_ROLLBACK:
        return u"a hot -journal must be rolled back first"_s;
    case SQLITE_READONLY_DIRECTORY:
        return u"its directory is read-only"_s;
    default:
        return u"SQLite needed to write"_s;
    }
}

// "unsafe use of json_extract()" → "json_extract()"
QString unsafeFunction(const QString& sqliteMessage)
{
    static const QRegularExpression pattern(u"unsafe use of ([^ ]+)"_s);
    const auto match = pattern.match(sqliteMessage);
    return match.hasMatch() ? match.captured(1) : QString();
}

// One plain sentence per kind of failure; SQLite's own words only where they add something,
// never the SQL CacheScope ran.
} // namespace

namespace SqliteError {

Error from(const Failure& f, const QString& context)
{
    const QString reason = context.isEmpty() ? f.message : context + u": "_s + f.message;
    const QString function = unsafeFunction(f.message);
    if (!function.isEmpty())
        return { (f.code & 0xff) == SQLITE_CORRUPT ? Error::Kind::Corrupt : Error::Kind::Other,
            u"the schema uses %1 (in a view, trigger or generated column), which CacheScope does not run on files it "
            "does not trust (SQLite's trusted_schema is off)%2; the rest of the file can still be read"_s.arg(
                function, (f.code & 0xff) == SQLITE_CORRUPT ? u", so SQLite refuses the whole schema"_s : QString()) };
    const QString system = f.systemErrno ? u" ("_s + QString::fromLocal8Bit(strerror(f.systemErrno)) + u')' : QString();
    switch (f.code & 0xff) {
    case SQLITE_NOTADB:
        return { Error::Kind::NotSqlite, u"not an SQLite database: bad header ("_s + reason + u')' };
    case SQLITE_CORRUPT:
        return { Error::Kind::Corrupt, u"truncated or corrupt: "_s + reason };
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return { Error::Kind::Locked,
            u"busy: the database is locked by another process, which did not release it %1(a transaction in "
            "progress, or a connection in EXCLUSIVE locking mode); wait longer with --busy-timeout-ms, or stop "
            "that process"_s.arg(f.busyTimeoutMs >= 0 ? u"within %1 ms "_s.arg(f.busyTimeoutMs) : QString()) };
    case SQLITE_PERM:
    case SQLITE_AUTH:
        return { Error::Kind::PermissionDenied, u"permission denied: "_s + reason + system };
    case SQLITE_READONLY:
        return { Error::Kind::ReadOnly, u"read-only: %1 (%2)"_s.arg(readOnlyReason(f.code), reason) };
    case SQLITE_IOERR:
        return { Error::Kind::Io, u"I/O error: "_s + reason + system };
    case SQLITE_CANTOPEN:
        return { Error::Kind::Io, u"cannot open the database or its -wal/-shm: "_s + reason + system };
    case SQLITE_INTERRUPT:
        if (f.budgetExceeded)
            return { Error::Kind::Other,
                u"stopped: one read took longer than CacheScope allows for untrusted data (a view or expression that "
                "does not end, or a very slow disk); raise the limit with --statement-timeout-ms"_s };
        return { Error::Kind::Other, u"interrupted: "_s + reason };
    case SQLITE_TOOBIG:
        return { Error::Kind::Other,
            u"a value is larger than the %1 MiB CacheScope reads at once (a view or expression building a huge "
            "string or blob?)"_s.arg(MaxValueBytes >> 20) };
    case SQLITE_NOMEM:
        return { Error::Kind::Other, u"out of memory while reading: "_s + reason };
    default:
        return { Error::Kind::Other, reason };
    }
}

Error of(sqlite3* db, const QString& context, int busyTimeoutMs)
{
    return from({ sqlite3_extended_errcode(db), QString::fromUtf8(sqlite3_errmsg(db)), sqlite3_system_errno(db),
                    busyTimeoutMs, StatementBudget::exceeded() },
        context);
}

} // namespace SqliteError
