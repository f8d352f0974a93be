// SPDX-License-Identifier: GPL-3.0-or-later
#include "maintenance/vacuum.h"
#include "live/warningcatalog.h"
#include "wal/walorigin.h"

#include "common/format.h"
#include "maintenance/cachefolder.h"
#include "maintenance/checkpoint.h"
#include "maintenance/vacuuminplace.h"
#include "maintenance/valuecopy.h"
#include "maintenance/valuefiles.h"
#include "os/cachefiles.h"
#include "os/cacheholders.h"
#include "os/processtable.h"
#include "sqlite/database.h"
#include "sqlite/databaseheader.h"
#include "sqlite/statement.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>

#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <thread>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

using namespace Qt::Literals::StringLiterals;

namespace {

constexpr int ProgressInterval = 1000; // VM instructions between progress callbacks
constexpr int CheckpointPollMs = 10; // how often a cancel is looked for during the checkpoint

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
        error.namesHolders = !who.isEmpty();
    }
    return error;
}

const QString DiskcacheDbName = u"cache.db"_s;

// A name beside the target nobody uses: .NAME.cachescope-partial-XXXXXX.
QString partialNameFor(const QString& target)
{
    const QFileInfo info(target);
    const QString stem = info.absolutePath() + u"/."_s + info.fileName() + u".cachescope-partial-"_s;
    struct stat st { };
    QString name;
    do {
        name = stem + QString::number(QRandomGenerator::global()->generate64() % 0x1000000000, 36);
    } while (::lstat(QFile::encodeName(name).constData(), &st) == 0);
    return name;
}

// Renames the complete copy to the target, never over a file that appeared there meanwhile.
Status placeCopy(const QString& partial, const QString& target)
{
    const QByteArray from = QFile::encodeName(partial);
    const QByteArray to = QFile::encodeName(target);
    int rc = ::renameat2(AT_FDCWD, from.constData(), AT_FDCWD, to.constData(), RENAME_NOREPLACE);
    if (rc != 0 && errno == EINVAL) { // a filesystem without RENAME_NOREPLACE: link() never replaces
        rc = ::link(from.constData(), to.constData());
        if (rc == 0)
            ::unlink(from.constData());
    }
    if (rc == 0)
        return {};
    const int error = errno;
    return Error { error == EEXIST ? Error::Kind::Invalid : Error::Kind::Io,
        error == EEXIST
            ? u"the copy was removed: %1 appeared while it was written (VACUUM INTO never overwrites)"_s.arg(target)
            : u"the copy was removed: cannot rename it to %1: %2"_s.arg(
                target, QString::fromLocal8Bit(std::strerror(error))) };
}

// The database a folder path names (diskcache), or the path itself.
Result<QString> databaseOf(const QString& path)
{
    auto folder = CacheFolder::resolve(path);
    if (!folder)
        return folder.error();
    if (folder->layout == CacheFolder::Layout::Fanout)
        return Error { Error::Kind::IsDirectory,
            u"%1 is a FanoutCache folder: vacuum it shard by shard (%1/%2/cache.db, …)"_s.arg(
                path, folder->shards.first()) };
    return folder->databases.first();
}

bool isEmptyFolder(const QString& path)
{
    return QDir(path).entryList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot).isEmpty();
}

bool existsNoFollow(const QString& path, struct stat& st)
{
    return ::lstat(QFile::encodeName(path).constData(), &st) == 0;
}

// The diskcache copy's database: DIR/cache.db in a new or empty DIR.
Result<QString> diskcacheTarget(const QString& intoPath)
{
    struct stat st { };
    QString folder = intoPath;
    if (existsNoFollow(intoPath, st)) {
        if (!S_ISDIR(st.st_mode))
            return Error { Error::Kind::Invalid,
                u"refusing to overwrite %1: it already exists (a diskcache copy needs a new or empty folder)"_s.arg(
                    intoPath) };
    } else if (QFileInfo(intoPath).fileName() == DiskcacheDbName) {
        folder = QFileInfo(intoPath).absolutePath();
    }
    if (existsNoFollow(folder, st)) {
        if (!S_ISDIR(st.st_mode))
            return Error { Error::Kind::Invalid, u"%1 exists and is not a folder"_s.arg(folder) };
        if (!isEmptyFolder(folder))
            return Error { Error::Kind::Invalid,
                u"the folder %1 is not empty: a diskcache copy needs a folder of its own (its value files are "
                "copied there and diskcache counts every file in it)"_s.arg(folder) };
    } else if (!QFileInfo(QFileInfo(folder).absolutePath()).isDir()) {
        return Error { Error::Kind::NotFound, u"the folder for %1 does not exist"_s.arg(folder) };
    }
    return QDir(folder).absoluteFilePath(DiskcacheDbName);
}

} // namespace

bool Vacuum::copiesValueFiles(const QString& path)
{
    if (QFileInfo(path).isDir())
        return true; // a diskcache folder
    if (QFileInfo(path).fileName() != DiskcacheDbName || !QFileInfo(path).isFile())
        return false;
    auto values = ValueFiles::read(path);
    return values && values->isDiskcache;
}

Result<QString> Vacuum::resolveInto(const QString& dbPath, const QString& intoPath)
{
    if (intoPath.trimmed().isEmpty())
        return Error { Error::Kind::Invalid, u"the --into target is empty: give the new file (or folder) to write"_s };
    auto database = databaseOf(dbPath);
    if (!database)
        return database.error();
    if (isSidecarOf(database.value(), intoPath))
        return Error { Error::Kind::Invalid,
            u"--into %1 is the source's own %2: SQLite would read a copy written there as the source's "
            "write-ahead log, shared-memory index or hot journal. Give a new file of its own."_s.arg(
                intoPath, intoPath.mid(intoPath.lastIndexOf(u'-'))) };
    if (copiesValueFiles(dbPath))
        return diskcacheTarget(intoPath);
    if (Status status = checkTarget(intoPath); !status)
        return status.error();
    return intoPath;
}

bool Vacuum::isSidecarOf(const QString& dbPath, const QString& intoPath)
{
    const auto resolved = [](const QString& path) -> QString {
        const QFileInfo info(path);
        const QString dir = QFileInfo(info.absolutePath()).canonicalFilePath();
        return (dir.isEmpty() ? info.absolutePath() : dir) + u'/' + info.fileName();
    };
    const QString into = resolved(intoPath);
    const QString db = resolved(dbPath);
    for (const QString& suffix : { u"-wal"_s, u"-shm"_s, u"-journal"_s }) {
        if (into == db + suffix)
            return true;
    }
    return false;
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

Vacuum::Access Vacuum::accessFor(bool into, const QString& journalMode)
{
    if (!into)
        return Access::InPlace;
    return journalMode.compare(u"wal"_s, Qt::CaseInsensitive) == 0 ? Access::CopyOfWal : Access::CopyOfRollback;
}

Vacuum::Access Vacuum::accessOf(const QString& dbPath, bool into)
{
    if (!into || Database::isOpenInProcess(dbPath)) // its header is not ours to open then
        return into ? Access::CopyOfWal : Access::InPlace;
    auto header = DatabaseHeader::readFrom(dbPath);
    return !header || header->isWal() ? Access::CopyOfWal : Access::CopyOfRollback;
}

Vacuum::Before Vacuum::readBefore(const QString& dbPath, const QList<qint64>& alsoWriting)
{
    Before before;
    if (const QString foreign = WalOrigin::problem(dbPath); !foreign.isEmpty())
        before.others << HealthWarning { WarningCode::ForeignWal, foreign };
    before.writers = Checkpoint::writersNow(dbPath, alsoWriting);
    return before;
}

HealthWarnings Vacuum::warningsBefore(const QString& dbPath, const QList<qint64>& alsoWriting, Access access)
{
    return readBefore(dbPath, alsoWriting).warnings(access);
}

HealthWarnings Vacuum::writerWarnings(const QList<qint64>& writerPids, Access access)
{
    if (writerPids.isEmpty())
        return {};
    // "PID 7" / "PIDs 7, 8", as every panel names a process.
    const QString who
        = u"%1 %2"_s.arg(writerPids.size() == 1 ? u"PID"_s : u"PIDs"_s, CacheHolders::pidList(writerPids));
    if (access == Access::CopyOfWal)
        return { { WarningCode::WritersActive,
            u"writers are active (%1): VACUUM INTO only reads, so their commits go on while it copies (the copy "
            "holds what was committed when it began); but until it ends no checkpoint can copy their later "
            "frames back into the database, so the -wal grows"_s.arg(who) } };
    if (access == Access::CopyOfRollback)
        return { { WarningCode::WritersActive,
            u"writers are active (%1): VACUUM INTO only reads, but in this rollback-journal cache its read holds a "
            "shared lock for the whole copy: their commits wait until it ends, and one whose busy timeout runs out "
            "first fails with \"database is locked\""_s.arg(who) } };
    // It ends with a TRUNCATE checkpoint: Checkpoint's WAL-reset advice applies, and names them.
    HealthWarnings warnings = Checkpoint::writerWarnings(writerPids);
    const QString stall = u"VACUUM waits for the write lock, then holds it for its whole run and their commits stall "
                          "until it ends"_s;
    warnings << HealthWarning { WarningCode::WritersActive,
        warnings.isEmpty() ? u"writers are active (%1): %2"_s.arg(who, stall) : stall };
    return warnings;
}

Result<Vacuum::Outcome> Vacuum::run(const QString& path, const Options& givenOptions)
{
    auto resolved = databaseOf(path);
    if (!resolved)
        return resolved.error();
    const QString dbPath = resolved.value();
    Options options = givenOptions;
    if (!options.acceptForeignWal) { // before SQLite sees the -wal: opening adopts it
        if (Status foreign = WalOrigin::refuseForeign(dbPath, u"vacuum"_s); !foreign)
            return foreign.error();
    }
    const CacheFiles files(dbPath);
    Outcome outcome;
    outcome.dbPath = dbPath;
    bool createdFolder = false;
    if (!options.intoPath.isEmpty()) {
        auto into = resolveInto(path, options.intoPath);
        if (!into)
            return into.error();
        const QString intoFolder = QFileInfo(into.value()).absolutePath();
        outcome.diskcache = copiesValueFiles(path);
        if (outcome.diskcache) {
            auto values = ValueFiles::read(dbPath);
            if (!values)
                return values.error();
            if (!values->unsafe.isEmpty())
                return Error { Error::Kind::Invalid,
                    u"refusing to copy %1: it references value files that cannot be copied safely (%2)"_s.arg(
                        dbPath, values->unsafe.first()) };
            const qint64 available = freeBytes(QFileInfo(intoFolder).absolutePath());
            const qint64 needed = files.stat(CacheFiles::Kind::Db).bytes + values->presentBytes();
            if (available >= 0 && available < needed)
                return Error { Error::Kind::Io,
                    u"not enough free space for the copy: it needs up to %1 with its value files, only %2 free"_s.arg(
                        Format::bytes(needed), Format::bytes(available)) };
            if (!QFileInfo(intoFolder).isDir()) {
                if (!QDir().mkdir(intoFolder))
                    return Error { Error::Kind::Io, u"cannot create the folder %1"_s.arg(intoFolder) };
                createdFolder = true;
            }
        }
        // SQLite writes a name of our own in the target's folder; it becomes the target only
        // when complete, so a killed or failed run leaves no half copy under the user's name.
        outcome.intoPath = into.value();
        options.intoPath = partialNameFor(into.value());
    }
    const auto dropFolder = [&] {
        if (createdFolder)
            QDir().rmdir(QFileInfo(options.intoPath).absolutePath());
    };
    if (Status status = checkFreeSpace(dbPath, options.intoPath); !status) {
        dropFolder();
        return status.error();
    }
    const Before before = readBefore(dbPath, options.alsoWriting);
    Database::Options open;
    open.busyTimeoutMs = options.busyTimeoutMs;
    open.switchToWal = false;
    auto opened = Database::open(dbPath, open);
    if (!opened) {
        dropFolder();
        return opened.error();
    }
    std::unique_ptr<Database> database = std::move(opened.value());
    auto facts = database->facts();
    if (!facts)
        return facts.error();
    outcome.freePagesBefore = facts->freelistCount;
    outcome.warnings = before.warnings(accessFor(!options.intoPath.isEmpty(), database->journalMode()));
    outcome.dbBytesBefore = files.stat(CacheFiles::Kind::Db).bytes;
    outcome.walBytesBefore = qMax<qint64>(0, files.stat(CacheFiles::Kind::Wal).bytes);
    const auto versionBefore = database->queryValue(u"PRAGMA data_version"_s); // others' commits move it

    ProgressContext context;
    context.options = &options;
    context.progress.bytesExpected
        = options.intoPath.isEmpty() ? -1 : (facts->pageCount - facts->freelistCount) * facts->pageSize;
    sqlite3_progress_handler(database->handle(), ProgressInterval, onProgress, &context);
    Status status;
    if (options.intoPath.isEmpty()) {
        // Not SQLite's VACUUM: its second half (the copy back) ignores a cancel (VacuumInPlace).
        auto inPlace = VacuumInPlace::run(*database, options.busyTimeoutMs, [&context] {
            if (!context.cancelled && context.options->progress && !context.options->progress(context.progress))
                context.cancelled = true;
            return !context.cancelled;
        });
        if (!inPlace)
            status = inPlace.error();
    } else {
        status = runVacuum(*database, options);
    }
    sqlite3_progress_handler(database->handle(), 0, nullptr, nullptr);
    if (context.cancelled) {
        outcome.cancelled = true; // SQLite rolled back; a partial copy is ours to remove
        if (!options.intoPath.isEmpty())
            QFile::remove(options.intoPath);
    } else if (!status) {
        if (!options.intoPath.isEmpty())
            QFile::remove(options.intoPath); // our partial copy, under its temporary name
        dropFolder();
        return status.error();
    }
    if (!outcome.cancelled && options.intoPath.isEmpty() && database->journalMode() == u"wal"_s) {
        // The vacuum is committed; a cancel now stops the checkpoint (SQLite checks for an
        // interrupt between pages): the -wal keeps the vacuumed pages for a later checkpoint.
        std::atomic<bool> checkpointing { true };
        std::thread watcher([&] {
            while (checkpointing.load()) {
                if (options.progress && !options.progress(context.progress)) {
                    outcome.cancelledAfterCommit = true;
                    sqlite3_interrupt(database->handle());
                    return;
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(CheckpointPollMs));
            }
        });
        int log = 0, done = 0;
        const int rc = sqlite3_wal_checkpoint_v2(database->handle(), nullptr, SQLITE_CHECKPOINT_TRUNCATE, &log, &done);
        checkpointing = false;
        watcher.join();
        outcome.checkpointBusy = rc != SQLITE_OK && !outcome.cancelledAfterCommit;
        if (outcome.cancelledAfterCommit) // closing the last connection would run the checkpoint anyway
            sqlite3_db_config(database->handle(), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
    }
    if (options.intoPath.isEmpty() && versionBefore) {
        const auto versionAfter = database->queryValue(u"PRAGMA data_version"_s);
        outcome.othersWrote = versionAfter && versionAfter->toLongLong() != versionBefore->toLongLong();
    }
    database.reset();
    if (outcome.othersWrote) {
        for (qint64 pid : Checkpoint::writersNow(dbPath, options.alsoWriting))
            outcome.writers.append({ pid, ProcessTable::processName(pid) });
    }
    outcome.dbBytesAfter = files.stat(CacheFiles::Kind::Db).bytes;
    outcome.walBytesAfter = qMax<qint64>(0, files.stat(CacheFiles::Kind::Wal).bytes);
    if (outcome.cancelled)
        dropFolder();
    QStringList valuesCreated;
    if (outcome.diskcache && !outcome.cancelled) {
        if (options.afterSnapshot)
            options.afterSnapshot();
        auto copied = ValueCopy::run(QFileInfo(dbPath).absolutePath(), options.intoPath);
        if (!copied) {
            QFile::remove(options.intoPath);
            dropFolder();
            return Error { copied.error().kind,
                u"the copy was removed: its value files could not be copied (%1)"_s.arg(copied.error().message) };
        }
        valuesCreated = copied->createdPaths;
        outcome.valueFilesCopied = copied->copied;
        outcome.valueBytesCopied = copied->bytes;
        outcome.valueFilesLost = copied->lost;
        outcome.valueFilesChanged = copied->changed;
        if (!copied->lost.isEmpty())
            outcome.warnings << HealthWarning { WarningCode::ValueFilesLost,
                u"Value files the copy references were removed from %1 before they could be copied (a live writer "
                "deleted or replaced them): the copy misses %2, e.g. %3"_s.arg(QFileInfo(dbPath).absolutePath(),
                    Format::counted(copied->lost.size(), u"value"_s, u"values"_s), copied->lost.first()) };
    }
    if (!options.intoPath.isEmpty() && !outcome.cancelled) {
        const bool wanted = !options.progress || options.progress(context.progress);
        Status placed = wanted ? placeCopy(options.intoPath, outcome.intoPath) : Status();
        if (!wanted || !placed) {
            QFile::remove(options.intoPath);
            ValueCopy::removeCreated(valuesCreated);
            dropFolder();
            if (!placed)
                return placed.error();
            outcome.cancelled = true;
            outcome.valueFilesCopied = 0;
            outcome.valueBytesCopied = 0;
            return outcome;
        }
        outcome.intoBytes = sizeOf(outcome.intoPath);
    }
    return outcome;
}
