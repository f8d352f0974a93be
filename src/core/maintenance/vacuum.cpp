// SPDX-License-Identifier: GPL-3.0-or-later
#include "maintenance/vacuum.h"
#include "wal/walorigin.h"

#include "os/cachefiles.h"
#include "os/cacheholders.h"
#include "sqlite/database.h"
#include "common/format.h"
#include "sqlite/statement.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>

#include <sqlite3.h>

#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

using namespace Qt::Literals::StringLiterals;

namespace {

constexpr int ProgressInterval = 1000; // VM instructions between progress callbacks

qint64 sizeOf(const QString& path)
{
    struct stat st { };
    return ::lstat(QFile::encodeName(path).constData(), &st) == 0 ? qint64(st.st_size) : 0;
}

qint64 freeBytes(const QString& directory)
{
    struct statvfs st { };
    if (::statvfs(QFile::encodeName(directory).constData(), &st) != 0)
        return -1;
    return qint64(st.f_bavail) * qint64(st.f_frsize);
}

struct ProgressContext {
    const Vacuum::Options* options = nullptr;
    Vacuum::Progress progress;
    bool cancelled = false;
};

int onProgress(void* data)
{
    auto* context = static_cast<ProgressContext*>(data);
    if (!context->options->progress)
        return 0;
    ++context->progress.steps;
    if (!context->options->intoPath.isEmpty())
        context->progress.bytesDone = sizeOf(context->options->intoPath);
    if (!context->options->progress(context->progress))
        context->cancelled = true;
    return context->cancelled ? 1 : 0;
}

Status runVacuum(Database& database, const Vacuum::Options& options)
{
    auto statement = Statement::prepare(
        database.handle(), options.intoPath.isEmpty() ? u"VACUUM main"_s : u"VACUUM main INTO ?1"_s);
    if (!statement)
        return statement.error();
    if (!options.intoPath.isEmpty())
        statement->bind(1, options.intoPath); // bound, never spliced into the SQL
    const int rc = statement->step();
    if (rc == SQLITE_DONE)
        return {};
    Error error = database.lastError(u"VACUUM failed"_s);
    if ((rc & 0xff) == SQLITE_BUSY) {
        QStringList who;
        for (const auto& holder : CacheHolders::of(database.path()))
            who << holder.describe();
        error.message += who.isEmpty() ? u" (another process holds a lock VACUUM needs)"_s
                                       : u" (the database is in use by %1)"_s.arg(who.join(u"; "_s));
    }
    return error;
}

} // namespace

QJsonObject Vacuum::Outcome::toJson() const
{
    QJsonArray warningList;
    for (const auto& warning : warnings)
        warningList.append(warning.toJson());
    return QJsonObject { { u"path"_s, dbPath }, { u"into"_s, intoPath.isEmpty() ? QJsonValue() : QJsonValue(intoPath) },
        { u"cancelled"_s, cancelled }, { u"db_bytes_before"_s, dbBytesBefore },
        { u"wal_bytes_before"_s, walBytesBefore }, { u"db_bytes_after"_s, dbBytesAfter },
        { u"wal_bytes_after"_s, walBytesAfter },
        { u"into_bytes"_s, intoBytes < 0 ? QJsonValue() : QJsonValue(intoBytes) },
        { u"free_pages_before"_s, freePagesBefore }, { u"checkpoint_busy"_s, checkpointBusy },
        { u"warnings"_s, warningList } };
}

QString Vacuum::Outcome::toText() const
{
    QString text;
    for (const auto& warning : warnings)
        text += u"warning: "_s + warning.message + u'\n';
    if (cancelled)
        return text + u"vacuum cancelled: SQLite rolled it back; %1 is unchanged\n"_s.arg(dbPath);
    if (!intoPath.isEmpty())
        return text + u"copied %1 into %2 (%3)\n"_s.arg(dbPath, intoPath, Format::bytes(intoBytes));
    text += u"vacuumed %1 (%2 free pages before)\n"_s.arg(dbPath).arg(freePagesBefore);
    text += u"  db:    %1 → %2\n  -wal:  %3 → %4\n"_s.arg(Format::bytes(dbBytesBefore), Format::bytes(dbBytesAfter),
        Format::bytes(walBytesBefore), Format::bytes(walBytesAfter));
    if (checkpointBusy)
        text += u"  the TRUNCATE checkpoint afterwards was busy: other readers keep the -wal until they finish\n"_s;
    return text;
}

Status Vacuum::checkTarget(const QString& intoPath)
{
    struct stat st { };
    if (::lstat(QFile::encodeName(intoPath).constData(), &st) == 0)
        return Error { Error::Kind::Invalid,
            u"refusing to overwrite %1: it already exists (VACUUM INTO writes a new file)"_s.arg(intoPath) };
    if (!QFileInfo(QFileInfo(intoPath).absolutePath()).isDir())
        return Error { Error::Kind::NotFound, u"the directory for %1 does not exist"_s.arg(intoPath) };
    return {};
}

Status Vacuum::checkFreeSpace(const QString& dbPath, const QString& intoPath)
{
    const CacheFiles files(dbPath);
    const qint64 db = files.stat(CacheFiles::Kind::Db).bytes;
    const bool into = !intoPath.isEmpty();
    const qint64 needed = into ? db : 2 * db;
    const QString directory = QFileInfo(into ? intoPath : dbPath).absolutePath();
    const qint64 available = freeBytes(directory);
    if (available < 0)
        return Error { Error::Kind::Io, u"cannot tell the free space in %1"_s.arg(directory) };
    if (available < needed)
        return Error { Error::Kind::Io,
            u"not enough free space in %1: VACUUM%2 needs up to %3, only %4 free"_s.arg(
                directory, into ? u" INTO"_s : QString(), Format::bytes(needed), Format::bytes(available)) };
    return {};
}

HealthWarnings Vacuum::warningsBefore(const QString& dbPath)
{
    HealthWarnings warnings;
    if (const QString foreign = WalOrigin::problem(dbPath); !foreign.isEmpty())
        warnings << HealthWarning { WalOrigin::warningCode(), foreign }; // #12.10
    const auto writers = CacheHolders::writers(dbPath);
    if (writers.isEmpty())
        return warnings;
    QStringList pids;
    for (const auto& writer : writers)
        pids << QString::number(writer.pid);
    warnings << HealthWarning { u"writers_active"_s,
        u"writers are active (pid %1): VACUUM waits for the write lock, then holds it for its "
        "whole run and their commits stall until it ends"_s.arg(pids.join(u", "_s)) };
    return warnings;
}

Result<Vacuum::Outcome> Vacuum::run(const QString& dbPath, const Options& options)
{
    const CacheFiles files(dbPath);
    Outcome outcome;
    outcome.dbPath = dbPath;
    outcome.intoPath = options.intoPath;
    if (!options.intoPath.isEmpty()) {
        if (Status status = checkTarget(options.intoPath); !status)
            return status.error();
    }
    if (Status status = checkFreeSpace(dbPath, options.intoPath); !status)
        return status.error();
    outcome.warnings = warningsBefore(dbPath);
    Database::Options open;
    open.busyTimeoutMs = options.busyTimeoutMs;
    open.switchToWal = false;
    auto opened = Database::open(dbPath, open);
    if (!opened)
        return opened.error();
    std::unique_ptr<Database> database = std::move(opened.value());
    auto facts = database->facts();
    if (!facts)
        return facts.error();
    outcome.freePagesBefore = facts->freelistCount;
    outcome.dbBytesBefore = files.stat(CacheFiles::Kind::Db).bytes;
    outcome.walBytesBefore = qMax<qint64>(0, files.stat(CacheFiles::Kind::Wal).bytes);

    ProgressContext context;
    context.options = &options;
    context.progress.bytesExpected
        = options.intoPath.isEmpty() ? -1 : (facts->pageCount - facts->freelistCount) * facts->pageSize;
    sqlite3_progress_handler(database->handle(), ProgressInterval, onProgress, &context);
    Status status = runVacuum(*database, options);
    sqlite3_progress_handler(database->handle(), 0, nullptr, nullptr);
    if (context.cancelled) {
        outcome.cancelled = true; // SQLite rolled back; a partial copy is ours to remove
        if (!options.intoPath.isEmpty())
            QFile::remove(options.intoPath);
    } else if (!status) {
        // The target did not exist before; unless SQLite found one created since, it is our partial copy.
        if (!options.intoPath.isEmpty() && !status.error().message.contains(u"already exists"_s))
            QFile::remove(options.intoPath);
        return status.error();
    }
    if (!outcome.cancelled && options.intoPath.isEmpty() && database->journalMode() == u"wal"_s) {
        int log = 0, done = 0;
        const int rc = sqlite3_wal_checkpoint_v2(database->handle(), nullptr, SQLITE_CHECKPOINT_TRUNCATE, &log, &done);
        outcome.checkpointBusy = rc != SQLITE_OK;
    }
    database.reset();
    outcome.dbBytesAfter = files.stat(CacheFiles::Kind::Db).bytes;
    outcome.walBytesAfter = qMax<qint64>(0, files.stat(CacheFiles::Kind::Wal).bytes);
    if (!options.intoPath.isEmpty() && !outcome.cancelled)
        outcome.intoBytes = sizeOf(options.intoPath);
    return outcome;
}
