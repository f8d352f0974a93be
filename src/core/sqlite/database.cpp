// SPDX-License-Identifier: GPL-3.0-or-later
#include "sqlite/database.h"
#include "common/logging.h"

#include "sqlite/changewatch.h"
#include "sqlite/databaseheader.h"
#include "sqlite/innocuousjson.h"
#include "sqlite/openplan.h"
#include "sqlite/sqliteerror.h"
#include "sqlite/statement.h"
#include "sqlite/statementbudget.h"

#include <QFile>
#include <QMap>
#include <QMutex>
#include <QUrl>

#include <sqlite3.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

using namespace Qt::Literals::StringLiterals;

namespace {

// Inodes this process has a Database open on, and how many of those read the file directly.
// A raw open()+close() of such a file would drop the locks SQLite holds on it (docs/WAL.md
// §4.1), so the header pre-check is skipped — unless every Database on it reads a snapshot
// (immutable takes no lock; a private copy is another file), when probing is safe.
struct OpenCount {
    int all = 0;
    int direct = 0;
};
QMutex s_openInodesMutex;
QMap<QPair<quint64, quint64>, OpenCount> s_openInodes;

void registerInode(quint64 dev, quint64 ino, int delta, bool direct)
{
    QMutexLocker lock(&s_openInodesMutex);
    const auto key = qMakePair(dev, ino);
    OpenCount count = s_openInodes.value(key);
    count.all += delta;
    if (direct)
        count.direct += delta;
    if (count.all <= 0)
        s_openInodes.remove(key);
    else
        s_openInodes.insert(key, count);
}

OpenCount openCount(quint64 dev, quint64 ino)
{
    QMutexLocker lock(&s_openInodesMutex);
    return s_openInodes.value(qMakePair(dev, ino));
}

std::atomic<int> s_readOnlyBusyMs { 3000 };
std::atomic<int> s_readWriteBusyMs { 30000 };
std::atomic<int> s_statementMs { 30000 };
std::atomic_bool s_readInPlace { false };

struct CheckedFile {
    struct stat st { };
    bool walHeader = false;
    bool openInProcess = false;
};

// Everything that can be said about the file before SQLite sees it, each with its own reason.
Result<CheckedFile> checkFile(const QString& path, Database::Mode mode)
{
    CheckedFile file;
    const QByteArray native = QFile::encodeName(path);
    if (::lstat(native.constData(), &file.st) != 0) {
        const int err = errno;
        if (err == EACCES)
            return Error { Error::Kind::PermissionDenied, u"permission denied: cannot reach %1"_s.arg(path) };
        return Error { Error::Kind::NotFound, u"does not exist: %1"_s.arg(path) };
    }
    if (S_ISLNK(file.st.st_mode)) {
        const QString target = QFile::symLinkTarget(path);
        return Error { Error::Kind::SymbolicLink,
            u"is a symbolic link (to %1); CacheScope does not follow links in untrusted paths — open the "
            "target itself"_s.arg(target.isEmpty() ? u"?"_s : target) };
    }
    if (S_ISDIR(file.st.st_mode))
        return Error { Error::Kind::IsDirectory, u"is a directory, not a database file: %1"_s.arg(path) };
    if (!S_ISREG(file.st.st_mode))
        return Error { Error::Kind::NotRegularFile, u"not a regular file (a device, FIFO or socket): %1"_s.arg(path) };
    if (::access(native.constData(), R_OK) != 0)
        return Error { Error::Kind::PermissionDenied, u"permission denied: cannot read %1"_s.arg(path) };
    if (mode == Database::Mode::ReadWrite && ::access(native.constData(), W_OK) != 0)
        return Error { Error::Kind::PermissionDenied,
            u"permission denied: %1 is not writable by this user; it can be inspected (read-only) but not "
            "changed"_s.arg(path) };
    if (file.st.st_size == 0)
        return Error { Error::Kind::EmptyFile, u"empty file (0 bytes): no SQLite database in it yet: %1"_s.arg(path) };
    if (openCount(quint64(file.st.st_dev), quint64(file.st.st_ino)).direct > 0) {
        file.openInProcess = true;
        return file; // SQLite itself will report a bad file; we must not open+close it here.
    }

    auto header = DatabaseHeader::readFrom(path);
    if (!header)
        return header.error();
    // No size check here: a live cache's file grows and shrinks under a checkpoint while the
    // header already says the new size. Only SQLite's verdict, under its lock, says "corrupt".
    const DatabaseHeader& h = header.value();
    file.walHeader = h.isWal();
    return file;
}

QString openUri(const QString& path, bool immutable)
{
    QString uri = u"file:"_s + QString::fromLatin1(QUrl::toPercentEncoding(path, "/"));
    if (immutable)
        uri += u"?immutable=1"_s;
    return uri;
}

} // namespace

Database::Database(sqlite3* db, const QString& path, const Options& options, quint64 device, quint64 inode, bool direct)
    : m_db(db)
    , m_path(path)
    , m_options(options)
    , m_device(device)
    , m_inode(inode)
    , m_direct(direct)
{
    registerInode(m_device, m_inode, +1, m_direct);
}

Database::~Database()
{
    sqlite3_close_v2(m_db);
    sqlite3_close_v2(m_jsonHelper);
    registerInode(m_device, m_inode, -1, m_direct);
}

Result<std::unique_ptr<Database>> Database::open(const QString& path, Mode mode)
{
    Options options;
    options.mode = mode;
    return open(path, options);
}

Result<std::unique_ptr<Database>> Database::open(const QString& path, const Options& requested)
{
    // A snapshot planned while nobody held the cache can be torn by a writer that opens it a
    // moment later: its failure says nothing about the cache, so it is planned again.
    for (int attempt = 1;; ++attempt) {
        bool outdated = false;
        auto database = openOnce(path, requested, outdated);
        if (database || !outdated || attempt >= SnapshotAttempts)
            return database;
        pauseBeforeAttempt(attempt);
    }
}

void Database::pauseBeforeAttempt(int attempt)
{
    std::this_thread::sleep_for(std::chrono::milliseconds(std::min(2 * attempt, 50)));
}

Result<std::unique_ptr<Database>> Database::openOnce(const QString& path, const Options& requested, bool& outdated)
{
    Options options = requested;
    if (options.busyTimeoutMs < 0)
        options.busyTimeoutMs = defaultBusyTimeoutMs(options.mode);
    if (options.statementTimeoutMs < 0)
        options.statementTimeoutMs = defaultStatementTimeoutMs();
    auto checked = checkFile(path, options.mode);
    if (!checked)
        return checked.error();
    const bool readOnly = options.mode == Mode::ReadOnly;
    // Watched from before the plan, so a writer that starts after the check is seen.
    auto watch = readOnly && !checked->openInProcess ? std::make_unique<ChangeWatch>(path) : nullptr;
    const FileStamp stampBefore = stampOf(path);
    // A failure while another process changed the files (a -wal gone while it was copied) says
    // nothing about the cache: the caller plans again.
    const auto changedMeanwhile = [&] { return (watch && watch->changed()) || !(stampOf(path) == stampBefore); };
    if (Status sidecars = OpenPlan::checkSidecars(path, readOnly); !sidecars) {
        outdated = changedMeanwhile();
        return sidecars.error();
    }
    auto plan = OpenPlan::decide(
        path, readOnly, checked->walHeader, !checked->openInProcess, options.readInPlace || defaultReadInPlace());
    if (!plan) {
        outdated = changedMeanwhile();
        return plan.error();
    }
    const bool immutable = plan->strategy() == OpenPlan::Strategy::Immutable;

    int flags = SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_URI | SQLITE_OPEN_FULLMUTEX;
    flags |= readOnly && !plan->openCopyReadWrite() ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
    sqlite3* db = nullptr;
    const int rc = sqlite3_open_v2(openUri(plan->sqlitePath(), immutable).toUtf8().constData(), &db, flags, nullptr);
    if (rc != SQLITE_OK) {
        const int sysErr = db ? sqlite3_system_errno(db) : 0;
        const QString message = db ? QString::fromUtf8(sqlite3_errmsg(db)) : QString::fromLatin1(sqlite3_errstr(rc));
        sqlite3_close_v2(db);
        if (sysErr == EACCES || sysErr == EPERM)
            return Error { Error::Kind::PermissionDenied, u"permission denied: "_s + message };
        return SqliteError::from({ rc, message, sysErr, options.busyTimeoutMs, false }, u"cannot open"_s);
    }
    std::unique_ptr<Database> database(new Database(db, path, options, quint64(checked->st.st_dev),
        quint64(checked->st.st_ino), plan->strategy() == OpenPlan::Strategy::Direct));
    database->m_notes = plan->notes();
    if (plan->strategy() != OpenPlan::Strategy::Direct) {
        database->m_openStamp = stampBefore;
        database->m_watch = std::move(watch);
    }
    database->m_plan = std::make_unique<OpenPlan>(std::move(plan.value()));
    if (Status status = database->configure(); !status) {
        outdated = database->snapshotOutdated();
        return status.error();
    }
    if (immutable || database->m_plan->strategy() == OpenPlan::Strategy::PrivateCopy) {
        if (checked->walHeader)
            database->m_journalMode = u"wal"_s; // immutable and copies may report "delete"; the header says WAL
    }
    database->m_previousJournalMode = database->m_journalMode;
    if (!readOnly && options.switchToWal && database->m_journalMode != u"wal"_s) {
        if (Status status = database->switchToWal(); !status)
            return status.error();
    }
    for (const QString& note : database->m_notes)
        qCInfo(lcDatabase).noquote() << note;
    return database;
}

Status Database::configure()
{
    sqlite3_extended_result_codes(m_db, 1);
    sqlite3_db_config(m_db, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
    sqlite3_db_config(m_db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);
    sqlite3_db_config(m_db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, nullptr);
    // diskcache's triggers use double-quoted string literals; keep DQS_DML on (the default).
    sqlite3_db_config(m_db, SQLITE_DBCONFIG_DQS_DML, 1, nullptr);
    sqlite3_busy_timeout(m_db, m_options.busyTimeoutMs);
    sqlite3_limit(m_db, SQLITE_LIMIT_LENGTH, MaxValueBytes);
    StatementBudget::install(m_db, m_options.statementTimeoutMs);
    auto helper = InnocuousJson::install(m_db);
    if (!helper)
        return helper.error();
    m_jsonHelper = helper.value();
    QStringList pragmas { u"PRAGMA cell_size_check=ON"_s, u"PRAGMA mmap_size=0"_s };
    if (isReadOnly())
        pragmas << u"PRAGMA query_only=1"_s;
    else
        pragmas << u"PRAGMA synchronous=NORMAL"_s;
    for (const QString& pragma : pragmas) {
        if (sqlite3_exec(m_db, pragma.toUtf8().constData(), nullptr, nullptr, nullptr) != SQLITE_OK)
            return lastError(u"setting up the connection"_s);
    }
    // Reading the schema is the first real access: bad headers, corruption and locks show here.
    auto schemaCount = queryValue(u"SELECT count(*) FROM sqlite_schema"_s);
    if (!schemaCount)
        return schemaCount.error();
    auto mode = queryValue(u"PRAGMA journal_mode"_s);
    if (!mode)
        return mode.error();
    m_journalMode = mode->toString().toLower();
    return checkLength();
}

// A file shorter than the pages SQLite means to read is truncated — said only from inside a
// read transaction, where no writer can be growing it. In WAL mode the newest pages may live
// in the -wal, so there the size says nothing and SQLite's own reads are the verdict.
Status Database::checkLength()
{
    if (m_journalMode == u"wal"_s)
        return {};
    if (sqlite3_exec(m_db, "BEGIN", nullptr, nullptr, nullptr) != SQLITE_OK)
        return lastError(u"starting a read"_s);
    auto pages = queryValue(u"SELECT count(*) FROM sqlite_schema"_s); // takes SQLite's read lock
    if (pages)
        pages = queryValue(u"PRAGMA page_count"_s);
    auto pageSize = queryValue(u"PRAGMA page_size"_s);
    struct stat st { };
    const bool statted = ::stat(QFile::encodeName(m_plan ? m_plan->sqlitePath() : m_path).constData(), &st) == 0;
    sqlite3_exec(m_db, "COMMIT", nullptr, nullptr, nullptr);
    if (!pages)
        return pages.error();
    if (!pageSize)
        return pageSize.error();
    const qint64 needed = pages->toLongLong() * pageSize->toLongLong();
    if (statted && needed > qint64(st.st_size))
        return Error { Error::Kind::Corrupt,
            u"truncated: SQLite reads %1 pages (%2 bytes) but the file holds only %3 bytes"_s.arg(pages->toLongLong())
                .arg(needed)
                .arg(qint64(st.st_size)) };
    return {};
}

Status Database::switchToWal()
{
    sqlite3_busy_timeout(m_db, m_options.walSwitchTimeoutMs);
    auto mode = queryValue(u"PRAGMA journal_mode=WAL"_s);
    sqlite3_busy_timeout(m_db, m_options.busyTimeoutMs);
    if (!mode) {
        if (mode.error().kind == Error::Kind::Locked)
            return Error { Error::Kind::Locked,
                u"locked: cannot switch to WAL because another process has the database open or locked "
                "(switching needs it exclusively; stop the other process or open read-only)"_s };
        return Error { mode.error().kind, u"cannot switch to WAL: "_s + mode.error().message };
    }
    const QString now = mode->toString().toLower();
    if (now != u"wal"_s)
        return Error { Error::Kind::Other, u"cannot switch to WAL: SQLite kept journal mode \"%1\""_s.arg(now) };
    m_journalMode = now;
    return {};
}

Result<QString> Database::enableWal()
{
    if (isReadOnly())
        return Error { Error::Kind::ReadOnly, u"opened read-only: the journal mode cannot be changed"_s };
    if (m_journalMode != u"wal"_s) {
        if (Status status = switchToWal(); !status)
            return status.error();
    }
    return m_journalMode;
}

Result<QVariant> Database::queryValue(const QString& sql)
{
    auto statement = Statement::prepare(m_db, sql);
    if (!statement)
        return lastError(QString());
    const int rc = statement->step();
    if (rc == SQLITE_ROW)
        return statement->column(0);
    if (rc == SQLITE_DONE)
        return QVariant();
    return lastError(QString());
}

Result<Database::Facts> Database::facts()
{
    Facts facts;
    facts.sqliteVersion = runtimeVersion();
    facts.journalMode = m_journalMode;
    struct Field {
        const char* pragma;
        qint64* target;
    };
    const Field fields[] = {
        { "page_size", &facts.pageSize },
        { "page_count", &facts.pageCount },
        { "freelist_count", &facts.freelistCount },
        { "auto_vacuum", &facts.autoVacuum },
        { "wal_autocheckpoint", &facts.walAutocheckpoint },
        { "journal_size_limit", &facts.journalSizeLimit },
    };
    for (const Field& field : fields) {
        auto value = queryValue(u"PRAGMA "_s + QLatin1String(field.pragma));
        if (!value)
            return value.error();
        *field.target = value->toLongLong();
    }
    return facts;
}

Result<QStringList> Database::tables()
{
    auto statement = Statement::prepare(m_db,
        u"SELECT name FROM sqlite_schema WHERE type='table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY rowid"_s);
    if (!statement)
        return statement.error();
    QStringList names;
    int rc;
    while ((rc = statement->step()) == SQLITE_ROW)
        names << statement->column(0).toString();
    if (rc != SQLITE_DONE)
        return lastError(u"reading the schema"_s);
    return names;
}

Result<qint64> Database::rowCount(const QString& table)
{
    auto value = queryValue(u"SELECT count(*) FROM "_s + quoteIdentifier(table));
    if (!value)
        return value.error();
    return value->toLongLong();
}

Error Database::lastError(const QString& context) const
{
    return SqliteError::of(m_db, context, m_options.busyTimeoutMs);
}

QString Database::quoteIdentifier(const QString& identifier)
{
    QString quoted = identifier;
    quoted.replace(u'"', u"\"\""_s);
    return u'"' + quoted + u'"';
}

QString Database::runtimeVersion()
{
    return QString::fromLatin1(sqlite3_libversion());
}

Database::FileStamp Database::stampOf(const QString& path)
{
    FileStamp stamp;
    struct stat st { };
    if (::stat(QFile::encodeName(path).constData(), &st) == 0) {
        stamp.dbBytes = qint64(st.st_size);
        stamp.dbMtimeNs = qint64(st.st_mtim.tv_sec) * 1000000000LL + st.st_mtim.tv_nsec;
    }
    if (::stat(QFile::encodeName(path + u"-wal"_s).constData(), &st) == 0)
        stamp.walBytes = qint64(st.st_size);
    return stamp;
}

QString Database::sqlitePath() const
{
    return m_plan ? m_plan->sqlitePath() : m_path;
}

bool Database::readsImmutable() const
{
    return m_plan && m_plan->strategy() == OpenPlan::Strategy::Immutable;
}

bool Database::snapshotOutdated() const
{
    if (!m_plan || m_plan->strategy() == OpenPlan::Strategy::Direct)
        return false;
    if ((m_watch && m_watch->changed()) || !(stampOf(m_path) == m_openStamp))
        return true;
    // Our own connection holds no lock on the original (immutable takes none; a private copy is
    // elsewhere), so probing it is safe unless another Database reads it directly.
    if (openCount(m_device, m_inode).direct > 0)
        return false;
    return OpenPlan::isLive(m_path);
}

bool Database::isOpenInProcess(const QString& path)
{
    struct stat st { };
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return false;
    return openCount(quint64(st.st_dev), quint64(st.st_ino)).all > 0;
}

int Database::defaultBusyTimeoutMs(Mode mode)
{
    return mode == Mode::ReadOnly ? s_readOnlyBusyMs.load() : s_readWriteBusyMs.load();
}

void Database::setDefaultBusyTimeoutMs(Mode mode, int ms)
{
    (mode == Mode::ReadOnly ? s_readOnlyBusyMs : s_readWriteBusyMs).store(ms);
}

int Database::defaultStatementTimeoutMs()
{
    return s_statementMs.load();
}

void Database::setDefaultStatementTimeoutMs(int ms)
{
    s_statementMs.store(ms);
}

bool Database::defaultReadInPlace()
{
    return s_readInPlace.load();
}

void Database::setDefaultReadInPlace(bool readInPlace)
{
    s_readInPlace.store(readInPlace);
}

NoLockWait::NoLockWait(Database* database)
    : m_database(database)
{
    sqlite3_busy_timeout(m_database->handle(), 0);
}

NoLockWait::~NoLockWait()
{
    sqlite3_busy_timeout(m_database->handle(), m_database->busyTimeoutMs());
}
