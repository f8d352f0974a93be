// SPDX-License-Identifier: GPL-3.0-or-later
#include "query/readonlyquery.h"
#include "sqlite/innocuousjson.h"

#include <QAtomicInteger>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QSqlDatabase>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QUrl>

#include <sqlite3.h>

#include <sys/stat.h>

using namespace Qt::Literals::StringLiterals;

namespace {

QAtomicInteger<quint64> s_connectionCounter;

const QStringList& readPragmasWithArgument()
{
    // Pragmas that take an argument only to say what to read (a table, an index).
    static const QStringList names { u"table_info"_s, u"table_xinfo"_s, u"table_list"_s, u"index_list"_s,
        u"index_info"_s, u"index_xinfo"_s, u"foreign_key_list"_s, u"foreign_key_check"_s, u"integrity_check"_s,
        u"quick_check"_s };
    return names;
}

const QStringList& actingPragmas()
{
    // Pragmas that act even without an argument: a checkpoint takes the CKPT lock and stalls the
    // writers' own checkpoints (docs/WAL.md); the others change or shrink something.
    static const QStringList names { u"wal_checkpoint"_s, u"optimize"_s, u"incremental_vacuum"_s, u"shrink_memory"_s };
    return names;
}

QString openUri(const QString& path, bool immutable)
{
    QString uri = u"file:"_s + QString::fromLatin1(QUrl::toPercentEncoding(path, "/"));
    uri += immutable ? u"?mode=ro&immutable=1"_s : u"?mode=ro"_s;
    return uri;
}

sqlite3* driverHandle(const QSqlDatabase& db)
{
    const QVariant handle = db.driver()->handle();
    if (!handle.isValid() || qstrcmp(handle.typeName(), "sqlite3*") != 0)
        return nullptr;
    return *static_cast<sqlite3* const*>(handle.constData());
}

Error sqlError(int rc, const QString& message)
{
    switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return { Error::Kind::Locked, u"locked by another process: "_s + message };
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return { Error::Kind::Corrupt, u"truncated or corrupt: "_s + message };
    case SQLITE_READONLY:
        return { Error::Kind::ReadOnly, u"refused: the SQL console is read-only ("_s + message + u')' };
    case SQLITE_TOOBIG:
        return { Error::Kind::Invalid,
            u"%1: a value is larger than %2 MiB, the most the console reads of one value (a cell shows at most "
            "its first %3 characters); select length(…) or substr(…, 1, N) instead"_s.arg(message)
                .arg(ReadOnlyQuery::MaxValueBytes / (1024 * 1024))
                .arg(QueryLimits().textChars) };
    default:
        return { Error::Kind::Invalid, message };
    }
}

} // namespace

int readOnlyQueryAuthorizer(void* context, int action, const char* arg1, const char* arg2, const char*, const char*)
{
    auto* query = static_cast<ReadOnlyQuery*>(context);
    switch (action) {
    case SQLITE_TRANSACTION:
    case SQLITE_SAVEPOINT:
        query->m_refusal = u"refused: transactions (BEGIN, COMMIT, SAVEPOINT…) are not allowed: the console runs "
                           "each query on its own and never holds a read transaction open"_s;
        return SQLITE_DENY;
    case SQLITE_ATTACH:
    case SQLITE_DETACH:
        query->m_refusal = u"refused: ATTACH and DETACH are not allowed: the console reads only this cache"_s;
        return SQLITE_DENY;
    case SQLITE_REINDEX:
    case SQLITE_ANALYZE:
        query->m_refusal = u"refused: REINDEX and ANALYZE rebuild or write statistics; the console only reads"_s;
        return SQLITE_DENY;
    case SQLITE_PRAGMA: {
        const QString name = QString::fromUtf8(arg1).toLower();
        const bool acting = arg2 ? !readPragmasWithArgument().contains(name) : actingPragmas().contains(name);
        if (acting) {
            query->m_refusal
                = u"refused: PRAGMA %1 changes a setting or the database; the console only reads"_s.arg(name);
            return SQLITE_DENY;
        }
        // A snapshot (immutable=1) has no journal: SQLite would answer "delete" for a WAL cache.
        if (name == u"journal_mode"_s && query->m_fileGuard->readsImmutable()) {
            query->m_refusal
                = u"refused: nobody has this cache open, so the console reads it as an unchanging "
                  "snapshot, where SQLite answers \"delete\" whatever the file says; its journal mode "
                  "is %1 (shown by the Overview and by `cachescope-cli info`)"_s.arg(query->m_fileGuard->journalMode());
            return SQLITE_DENY;
        }
        // A setting read without "=": SQLite does not call every such statement read-only
        // (PRAGMA journal_mode, locking_mode), but it changes nothing.
        query->m_readsPragma = true;
        return SQLITE_OK;
    }
    default:
        return SQLITE_OK;
    }
}

int readOnlyQueryProgress(void* context)
{
    auto* query = static_cast<ReadOnlyQuery*>(context);
    if (query->m_cancel && query->m_cancel->load()) {
        query->m_cancelled = true;
        return 1;
    }
    if (QDateTime::currentMSecsSinceEpoch() > query->m_deadlineMs) {
        query->m_timedOut = true;
        return 1;
    }
    return 0;
}

Result<std::unique_ptr<ReadOnlyQuery>> ReadOnlyQuery::open(const QString& path, int busyTimeoutMs)
{
    if (!QSqlDatabase::isDriverAvailable(u"QSQLITE"_s))
        return Error { Error::Kind::Other,
            u"the Qt SQLite driver (QSQLITE) is not installed: install libqt6sql6-sqlite"_s };
    Database::Options options;
    options.mode = Database::Mode::ReadOnly;
    options.busyTimeoutMs = busyTimeoutMs;
    auto guard = Database::open(path, options);
    if (!guard)
        return guard.error();
    // Read what core's connection reads: immutable for a WAL cache at rest, the private copy
    // for one with an orphaned -wal or a hot journal, so no sidecar is created or rewritten.
    const bool immutable = guard.value()->readsImmutable();
    const QString sqlitePath = guard.value()->sqlitePath();

    const QString name = u"cachescope-query-%1"_s.arg(s_connectionCounter.fetchAndAddOrdered(1));
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
        db.setDatabaseName(openUri(sqlitePath, immutable));
        db.setConnectOptions(u"QSQLITE_OPEN_READONLY;QSQLITE_OPEN_URI;QSQLITE_BUSY_TIMEOUT=%1"_s.arg(busyTimeoutMs));
        if (!db.open()) {
            const QString reason = db.lastError().text();
            db = QSqlDatabase();
            QSqlDatabase::removeDatabase(name);
            return Error { Error::Kind::Other, u"cannot open %1 with Qt's SQLite driver: %2"_s.arg(path, reason) };
        }
    }
    std::unique_ptr<ReadOnlyQuery> query(new ReadOnlyQuery(std::move(guard.value()), path, name));
    if (Status status = query->configure(); !status)
        return status.error();
    return query;
}

bool ReadOnlyQuery::snapshotOutdated() const
{
    return m_fileGuard->snapshotOutdated();
}

ReadOnlyQuery::ReadOnlyQuery(std::unique_ptr<Database> fileGuard, const QString& path, const QString& connectionName)
    : m_fileGuard(std::move(fileGuard))
    , m_path(path)
    , m_connectionName(connectionName)
{
}

ReadOnlyQuery::~ReadOnlyQuery()
{
    {
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        if (m_handle) {
            sqlite3_progress_handler(m_handle, 0, nullptr, nullptr);
            sqlite3_set_authorizer(m_handle, nullptr, nullptr);
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(m_connectionName);
    sqlite3_close_v2(m_jsonHelper);
    // m_fileGuard closes after the Qt connection: the inode stays registered while it is open.
}

Status ReadOnlyQuery::configure()
{
    m_handle = driverHandle(QSqlDatabase::database(m_connectionName, false));
    if (!m_handle)
        return Error { Error::Kind::Other, u"Qt's SQLite driver did not hand out its sqlite3 handle"_s };
    // The same hardening as core's Database (docs/WAL.md, "Opening an untrusted file").
    sqlite3_extended_result_codes(m_handle, 1);
    sqlite3_db_config(m_handle, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
    sqlite3_db_config(m_handle, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);
    sqlite3_db_config(m_handle, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, nullptr);
    sqlite3_limit(m_handle, SQLITE_LIMIT_LENGTH, MaxValueBytes);
    sqlite3_limit(m_handle, SQLITE_LIMIT_SQL_LENGTH, MaxSqlBytes);
    sqlite3_limit(m_handle, SQLITE_LIMIT_ATTACHED, 0);
    for (const char* pragma : { "PRAGMA cell_size_check=ON", "PRAGMA mmap_size=0", "PRAGMA query_only=1" }) {
        if (sqlite3_exec(m_handle, pragma, nullptr, nullptr, nullptr) != SQLITE_OK)
            return Error { Error::Kind::Other,
                u"%1: %2"_s.arg(QLatin1String(pragma), QString::fromUtf8(sqlite3_errmsg(m_handle))) };
    }
    // A schema whose generated column or index uses the JSON functions is read as core's
    // connection reads it ("unsafe use of json_extract()" was once called corruption).
    auto helper = InnocuousJson::install(m_handle);
    if (!helper)
        return helper.error();
    m_jsonHelper = helper.value();
    sqlite3_set_authorizer(m_handle, readOnlyQueryAuthorizer, this);
    return {};
}

bool ReadOnlyQuery::hasOpenStatements() const
{
    for (sqlite3_stmt* stmt = sqlite3_next_stmt(m_handle, nullptr); stmt; stmt = sqlite3_next_stmt(m_handle, stmt)) {
        if (sqlite3_stmt_busy(stmt))
            return true;
    }
    return false;
}

bool ReadOnlyQuery::inTransaction() const
{
    return sqlite3_get_autocommit(m_handle) == 0;
}

// Prepares the statement on the raw handle to see what it is before Qt Sql runs it.
Status ReadOnlyQuery::checkStatement(const QString& sql, QStringList* columns, QString* firstStatement)
{
    const QByteArray utf8 = sql.toUtf8();
    if (utf8.size() > MaxSqlBytes)
        return Error { Error::Kind::Invalid, u"the statement is longer than %1 bytes"_s.arg(MaxSqlBytes) };
    m_refusal.clear();
    m_readsPragma = false;
    sqlite3_stmt* stmt = nullptr;
    const char* tail = nullptr;
    int rc = sqlite3_prepare_v2(m_handle, utf8.constData(), int(utf8.size()), &stmt, &tail);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(stmt);
        if (!m_refusal.isEmpty())
            return Error { Error::Kind::ReadOnly, m_refusal };
        return sqlError(rc, QString::fromUtf8(sqlite3_errmsg(m_handle)));
    }
    if (!stmt)
        return Error { Error::Kind::Invalid, u"no SQL statement to run (only blanks or comments)"_s };
    const bool readOnly = sqlite3_stmt_readonly(stmt) != 0 || m_readsPragma;
    for (int c = 0; c < sqlite3_column_count(stmt); ++c)
        *columns << QString::fromUtf8(sqlite3_column_name(stmt, c));
    sqlite3_finalize(stmt);
    if (!readOnly)
        return Error { Error::Kind::ReadOnly,
            u"refused: this statement writes to the database (INSERT, UPDATE, DELETE, CREATE, DROP, …); the SQL "
            "console is read-only"_s };
    // Anything after the first statement must be blanks or comments.
    const qsizetype rest = utf8.size() - (tail - utf8.constData());
    sqlite3_stmt* next = nullptr;
    rc = sqlite3_prepare_v2(m_handle, tail, int(rest), &next, nullptr);
    const bool more = rc != SQLITE_OK || next != nullptr;
    sqlite3_finalize(next);
    if (more)
        return Error { Error::Kind::Invalid, u"only one statement at a time: remove what follows the first \";\""_s };
    // Qt's driver refuses any text after the statement, even a comment: hand it only the statement.
    *firstStatement = QString::fromUtf8(utf8.constData(), tail - utf8.constData());
    return {};
}

Result<QueryResult> ReadOnlyQuery::run(const QString& sql, const QueryLimits& limits, const std::atomic_bool* cancel)
{
    QElapsedTimer clock;
    clock.start();
    m_cancel = cancel;
    m_cancelled = false;
    m_timedOut = false;
    m_deadlineMs = QDateTime::currentMSecsSinceEpoch() + std::max(1, limits.timeoutMs);
    sqlite3_progress_handler(m_handle, 1000, readOnlyQueryProgress, this);
    auto result = [&]() -> Result<QueryResult> {
        QStringList columns;
        QString statement;
        if (Status status = checkStatement(sql, &columns, &statement); !status)
            return status.error();
        return execute(statement, columns, limits);
    }();
    sqlite3_progress_handler(m_handle, 0, nullptr, nullptr);
    m_cancel = nullptr;
    // Never leave a transaction behind (the authorizer refuses BEGIN; this is the backstop).
    if (inTransaction())
        sqlite3_exec(m_handle, "ROLLBACK", nullptr, nullptr, nullptr);
    if (result)
        result->elapsedMs = clock.elapsed();
    return result;
}

Result<QueryResult> ReadOnlyQuery::execute(const QString& sql, const QStringList& columns, const QueryLimits& limits)
{
    QueryResult result;
    result.columns = columns;
    result.maxRows = limits.maxRows;
    qint64 bytes = 0;
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    query.setForwardOnly(true);
    bool ok = query.exec(sql);
    while (ok && query.next()) {
        if (result.rows.size() >= limits.maxRows || bytes >= limits.maxBytes) {
            result.truncated = true;
            result.truncatedReason = result.rows.size() >= limits.maxRows ? u"max_rows"_s : u"max_bytes"_s;
            break;
        }
        EntryRow row;
        for (int c = 0; c < columns.size(); ++c) {
            QVariant value = query.value(c);
            qint64 length = 0;
            if (value.typeId() == QMetaType::QByteArray) {
                const QByteArray blob = value.toByteArray();
                length = blob.size();
                value = blob.left(limits.blobPreviewBytes);
            } else if (value.typeId() == QMetaType::QString && !value.isNull()) {
                const QString text = value.toString();
                length = text.size();
                if (text.size() > limits.textChars)
                    value = text.left(limits.textChars);
            }
            if (value.typeId() == QMetaType::QString)
                bytes += 16 + 2 * qint64(value.toString().size());
            else
                bytes += 16 + (value.typeId() == QMetaType::QByteArray ? value.toByteArray().size() : 8);
            row.values << value;
            row.lengths << length;
        }
        result.rows << std::move(row);
    }
    const QSqlError error = query.lastError();
    const bool failed = !ok || error.isValid();
    // Finalise at once: no statement, no read transaction, no pinned WAL after this line.
    query.finish();
    query = QSqlQuery();
    if (m_cancelled)
        return Error { Error::Kind::Other, u"cancelled"_s };
    if (m_timedOut)
        return Error { Error::Kind::Other,
            u"interrupted: the query ran longer than its %1 ms time limit"_s.arg(limits.timeoutMs) };
    if (failed)
        return sqlError(
            error.nativeErrorCode().toInt(), error.databaseText().isEmpty() ? error.text() : error.databaseText());
    return result;
}
