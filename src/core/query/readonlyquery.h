// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "query/queryresult.h"
#include "sqlite/database.h"

#include <QString>

#include <atomic>
#include <memory>

struct sqlite3;

// ReadOnlyQuery: the SQL console's connection to one cache, through Qt Sql (QSqlDatabase with
// the QSQLITE driver, which links the same system libsqlite3 as core: one SQLite per process,
// docs/WAL.md). Opened read-only (QSQLITE_OPEN_READONLY, query_only) and hardened through the
// driver's sqlite3* handle like core's Database: DEFENSIVE, TRUSTED_SCHEMA off, no extension
// loading, cell_size_check, mmap_size=0, a 16 MiB value limit. A core read-only Database on
// the same file is kept open beside it: it checks the file first (symlink, directory, bad
// header…) and registers the inode, so no other code in the process opens and closes a raw fd
// on it while this connection holds SQLite's locks.
// run() refuses anything that writes (sqlite3_stmt_readonly, plus an authorizer that refuses
// transactions, ATTACH/DETACH, REINDEX/ANALYZE and setting pragmas), materialises rows up to the limits and
// finalises the statement before returning, so no read transaction stays open and no WAL is
// pinned. A progress handler enforces the time limit and the cancel flag.
// Lives on the thread that opened it (a QSqlDatabase connection is per thread).
class ReadOnlyQuery {
public:
    static Result<std::unique_ptr<ReadOnlyQuery>> open(const QString& path, int busyTimeoutMs = 5000);
    ~ReadOnlyQuery();
    ReadOnlyQuery(const ReadOnlyQuery&) = delete;
    ReadOnlyQuery& operator=(const ReadOnlyQuery&) = delete;

    // Errors: Kind::ReadOnly for refused statements ("refused: …"), Kind::Locked when busy,
    // Kind::Other with "cancelled" or "interrupted: … time limit", Kind::Invalid for SQL errors.
    Result<QueryResult> run(
        const QString& sql, const QueryLimits& limits = {}, const std::atomic_bool* cancel = nullptr);

    QString path() const { return m_path; }
    // Read from a snapshot that a writer has changed since (Database::snapshotOutdated): what
    // the statement read may be torn, run it again on a new ReadOnlyQuery.
    bool snapshotOutdated() const;
    // For tests and assertions: statements not finalised / a transaction left open.
    bool hasOpenStatements() const;
    bool inTransaction() const;
    sqlite3* handle() const { return m_handle; }

    static constexpr int MaxSqlBytes = 1024 * 1024;
    static constexpr int MaxValueBytes = 16 * 1024 * 1024;

private:
    ReadOnlyQuery(std::unique_ptr<Database> fileGuard, const QString& path, const QString& connectionName);
    Status configure();
    Status checkStatement(const QString& sql, QStringList* columns, QString* firstStatement);
    Result<QueryResult> execute(const QString& sql, const QStringList& columns, const QueryLimits& limits);

    std::unique_ptr<Database> m_fileGuard;
    QString m_path;
    QString m_connectionName;
    sqlite3* m_handle = nullptr;
    sqlite3* m_jsonHelper = nullptr; // InnocuousJson's, closed after the Qt connection
    QString m_refusal; // why the authorizer refused the statement being prepared
    bool m_readsPragma = false; // the statement being prepared is a PRAGMA the authorizer let read
    // Read by the progress handler while a statement runs.
    const std::atomic_bool* m_cancel = nullptr;
    qint64 m_deadlineMs = 0;
    bool m_timedOut = false;
    bool m_cancelled = false;

    friend int readOnlyQueryAuthorizer(void*, int, const char*, const char*, const char*, const char*);
    friend int readOnlyQueryProgress(void*);
};
