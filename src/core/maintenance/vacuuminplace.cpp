// SPDX-License-Identifier: GPL-3.0-or-later
#include "maintenance/vacuuminplace.h"

#include "common/format.h"
#include "common/privatedirs.h"
#include "os/cacheholders.h"
#include "sqlite/database.h"
#include "sqlite/statement.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QScopeGuard>
#include <QStorageInfo>
#include <QTemporaryDir>
#include <QThread>

#include <sqlite3.h>

using namespace Qt::Literals::StringLiterals;

namespace {

// The holders named when a lock stays busy, like SQLite's VACUUM error would be.
Error busyError(const QString& dbPath, const QString& what)
{
    QStringList who;
    for (const auto& holder : CacheHolders::of(dbPath))
        who << holder.describe();
    Error error { Error::Kind::Locked,
        who.isEmpty() ? u"%1: another process holds a lock VACUUM needs"_s.arg(what)
                      : u"%1: the database is in use by %2"_s.arg(what, who.join(u"; "_s)) };
    error.namesHolders = !who.isEmpty();
    return error;
}

Result<qint64> dataVersion(Database& holder)
{
    auto value = holder.queryValue(u"PRAGMA data_version"_s);
    if (!value)
        return value.error();
    return value->toLongLong();
}

// The second connection's write lock while the copy is written: writers wait, as for VACUUM.
class LockHolder {
public:
    static Result<std::unique_ptr<LockHolder>> take(const QString& dbPath, int busyTimeoutMs)
    {
        Database::Options options;
        options.busyTimeoutMs = busyTimeoutMs;
        options.switchToWal = false;
        auto opened = Database::open(dbPath, options);
        if (!opened)
            return opened.error();
        std::unique_ptr<LockHolder> lock(new LockHolder(std::move(opened.value())));
        const int rc = sqlite3_exec(lock->m_db->handle(), "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
        if ((rc & 0xff) == SQLITE_BUSY)
            return busyError(dbPath, u"VACUUM failed: the write lock stayed busy"_s);
        if (rc != SQLITE_OK)
            return lock->m_db->lastError(u"VACUUM failed: taking the write lock"_s);
        lock->m_open = true;
        lock->m_wal = lock->m_db->journalMode() == u"wal"_s;
        auto version = lock->version();
        if (!version)
            return version.error();
        lock->m_version = version.value();
        return lock;
    }
    ~LockHolder() { release(); }
    void release()
    {
        if (m_open)
            sqlite3_exec(m_db->handle(), "ROLLBACK", nullptr, nullptr, nullptr); // nothing was written
        m_open = false;
    }
    // True when another connection committed since the lock was taken.
    Result<bool> changedSince()
    {
        auto now = version();
        if (!now)
            return now.error();
        return now.value() != m_version;
    }

private:
    // WAL: PRAGMA data_version (readers may read while the copy back holds the write lock).
    // Rollback: the copy back holds EXCLUSIVE, so no read: the header's change counter, read
    // through SQLite's own file handle (an fd of our own, closed, would drop the process's locks).
    Result<qint64> version()
    {
        if (m_wal)
            return dataVersion(*m_db);
        sqlite3_file* file = nullptr;
        unsigned char counter[4] = {};
        if (sqlite3_file_control(m_db->handle(), "main", SQLITE_FCNTL_FILE_POINTER, &file) != SQLITE_OK || !file
            || !file->pMethods || file->pMethods->xRead(file, counter, 4, ChangeCounterOffset) != SQLITE_OK)
            return Error { Error::Kind::Io, u"VACUUM failed: cannot read the database header's change counter"_s };
        return qint64(counter[0]) << 24 | qint64(counter[1]) << 16 | qint64(counter[2]) << 8 | qint64(counter[3]);
    }
    static constexpr int ChangeCounterOffset = 24;

    explicit LockHolder(std::unique_ptr<Database> db)
        : m_db(std::move(db))
    {
    }
    std::unique_ptr<Database> m_db;
    bool m_open = false;
    bool m_wal = false;
    qint64 m_version = 0;
};

// Copies the compacted file's pages over the cache inside one write transaction of `target`.
class CopyBack {
public:
    CopyBack(sqlite3* target, sqlite3* source)
        : m_backup(sqlite3_backup_init(target, "main", source, "main"))
    {
    }
    ~CopyBack() { finish(); }
    bool valid() const { return m_backup != nullptr; }
    int step(int pages) { return sqlite3_backup_step(m_backup, pages); }
    int remaining() const { return sqlite3_backup_remaining(m_backup); }
    // Before SQLITE_DONE this rolls the target's transaction back.
    int finish()
    {
        const int rc = m_backup ? sqlite3_backup_finish(m_backup) : SQLITE_OK;
        m_backup = nullptr;
        return rc;
    }

private:
    sqlite3_backup* m_backup = nullptr;
};

struct Connection {
    sqlite3* db = nullptr;
    ~Connection() { sqlite3_close_v2(db); }
};

// fsync()s the database file through SQLite's own handle (never an fd of ours: closing it
// would drop this process's locks).
void syncMainFile(sqlite3* db)
{
    sqlite3_file* file = nullptr;
    if (sqlite3_file_control(db, "main", SQLITE_FCNTL_FILE_POINTER, &file) == SQLITE_OK && file && file->pMethods)
        file->pMethods->xSync(file, SQLITE_SYNC_NORMAL);
}

enum class Attempt { Done, Cancelled, WriterSlippedIn };

Result<Attempt> attempt(Database& database, int busyTimeoutMs, const std::function<bool()>& keepGoing)
{
    const QString dbPath = database.path();
    auto lock = LockHolder::take(dbPath, busyTimeoutMs);
    if (!lock)
        return lock.error();
    QTemporaryDir folder(PrivateDirs::templateFor(u"vacuum"_s));
    if (!folder.isValid())
        return Error { Error::Kind::Io,
            u"cannot create a private folder in %1 for the compacted copy: %2"_s.arg(
                QDir::tempPath(), folder.errorString()) };
    PrivateDirs::track(folder.path());
    const auto untrack = qScopeGuard([&folder] { PrivateDirs::untrack(folder.path()); });
    const QString copy = folder.filePath(u"vacuum.db"_s);
    {
        auto statement = Statement::prepare(database.handle(), u"VACUUM main INTO ?1"_s);
        if (!statement)
            return statement.error();
        statement->bind(1, copy);
        if (statement->step() != SQLITE_DONE) {
            if (!keepGoing())
                return Attempt::Cancelled;
            return database.lastError(u"VACUUM failed"_s);
        }
    }
    if (!keepGoing())
        return Attempt::Cancelled;
    Connection source;
    if (sqlite3_open_v2(QFile::encodeName(copy).constData(), &source.db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK)
        return Error { Error::Kind::Io, u"VACUUM failed: cannot read the compacted copy %1"_s.arg(copy) };
    // Everything the copy back needs is made ready while the lock is still held, so the instant
    // between letting the lock go and taking it back is as short as it can be: the backup is set
    // up (it needs no transaction on the cache yet) and the compacted copy is already being read.
    CopyBack back(database.handle(), source.db);
    if (!back.valid())
        return database.lastError(u"VACUUM failed: copying back"_s);
    if (sqlite3_exec(source.db, "BEGIN; SELECT count(*) FROM sqlite_schema", nullptr, nullptr, nullptr) != SQLITE_OK)
        return Error { Error::Kind::Io, u"VACUUM failed: cannot read the compacted copy %1"_s.arg(copy) };
    lock.value()->release();
    // Take the write lock back now (no pages yet); a writer that landed in between is seen
    // below and makes this attempt start over.
    QDeadlineTimer deadline(busyTimeoutMs);
    int rc = back.step(0);
    while ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) && !deadline.hasExpired() && keepGoing()) {
        QThread::msleep(2);
        rc = back.step(0);
    }
    if (!keepGoing())
        return Attempt::Cancelled;
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
        return busyError(dbPath, u"VACUUM failed: the write lock stayed busy"_s);
    if (rc != SQLITE_OK && rc != SQLITE_DONE) {
        back.finish();
        return database.lastError(u"VACUUM failed: copying back"_s);
    }
    auto changed = lock.value()->changedSince();
    if (!changed)
        return changed.error();
    if (changed.value())
        return Attempt::WriterSlippedIn;
    bool synced = false;
    while (rc != SQLITE_DONE) {
        if (!keepGoing())
            return Attempt::Cancelled; // ~CopyBack rolls the transaction back
        if (!synced && back.remaining() <= VacuumInPlace::PagesPerStep) {
            // The last step commits, and the commit flushes everything written so far: do that
            // flush now, while a cancel can still roll back, so the commit itself is short.
            syncMainFile(database.handle());
            synced = true;
            if (!keepGoing())
                return Attempt::Cancelled;
        }
        rc = back.step(VacuumInPlace::PagesPerStep);
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) { // the commit waits for readers (rollback mode)
            if (deadline.hasExpired())
                return busyError(dbPath, u"VACUUM failed: readers kept the database busy at the commit"_s);
            QThread::msleep(2);
        } else if (rc != SQLITE_OK && rc != SQLITE_DONE) {
            back.finish();
            return database.lastError(u"VACUUM failed: copying back"_s);
        }
    }
    if (const int finished = back.finish(); finished != SQLITE_OK)
        return database.lastError(u"VACUUM failed: copying back"_s);
    return Attempt::Done;
}

} // namespace

Result<bool> VacuumInPlace::run(Database& database, int busyTimeoutMs, const std::function<bool()>& keepGoing)
{
    PrivateDirs::sweepStaleOnce(); // compacted copies of vacuums that were killed
    const qint64 needed = QFileInfo(database.path()).size();
    QStorageInfo storage(QDir::tempPath());
    if (storage.isValid() && storage.bytesAvailable() < needed)
        return Error { Error::Kind::Io,
            u"not enough free space in %1 for the compacted copy VACUUM builds: it needs up to %2, only %3 free. "
            "Set TMPDIR to a folder with room."_s.arg(
                QDir::tempPath(), Format::bytes(needed), Format::bytes(storage.bytesAvailable())) };
    for (int i = 0; i < Attempts; ++i) {
        auto outcome = attempt(database, busyTimeoutMs, keepGoing);
        if (!outcome)
            return outcome.error();
        if (outcome.value() != Attempt::WriterSlippedIn)
            return outcome.value() == Attempt::Cancelled;
    }
    return Error { Error::Kind::Locked,
        u"VACUUM gave up: a writer committed each time between the compacted copy and the copy back (%1 tries); "
        "nothing was changed"_s.arg(Attempts) };
}
