// SPDX-License-Identifier: GPL-3.0-or-later
#include "maintenance/safedelete.h"

#include "common/format.h"
#include "maintenance/cachefolder.h"
#include "maintenance/trash.h"
#include "maintenance/valuefiles.h"
#include "os/cachefiles.h"
#include "sqlite/database.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <memory>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

using namespace Qt::Literals::StringLiterals;

namespace {

// Removal order from docs/WAL.md §7: sidecars first, the database last.
constexpr CacheFiles::Kind RemovalOrder[]
    = { CacheFiles::Kind::Wal, CacheFiles::Kind::Journal, CacheFiles::Kind::Shm, CacheFiles::Kind::Db };
constexpr off_t DbLockStart = 0x40000000; // PENDING, RESERVED, SHARED range: 512 bytes
constexpr off_t DbLockLength = 512;
constexpr off_t ShmLockStart = 120; // WRITE, CKPT, RECOVER, READ0..4, DMS
constexpr off_t ShmLockLength = 9;
const QByteArray SqliteMagic("SQLite format 3\0", 16);

QString errnoText()
{
    return QString::fromLocal8Bit(std::strerror(errno));
}

// Owns the directory fd and the locked file fds; closing them releases the locks.
struct LockedFiles {
    int directory = -1;
    int db = -1;
    int shm = -1;
    LockedFiles() = default;
    LockedFiles(const LockedFiles&) = delete;
    LockedFiles& operator=(const LockedFiles&) = delete;
    ~LockedFiles()
    {
        for (int fd : { db, shm, directory }) {
            if (fd >= 0)
                ::close(fd);
        }
    }
};

// What db and -wal look like: any commit (or checkpoint) in between changes one of them.
struct Signature {
    CacheFiles::FileInfo db, wal;
    static Signature now(const CacheFiles& files)
    {
        return { files.stat(CacheFiles::Kind::Db), files.stat(CacheFiles::Kind::Wal) };
    }
    bool operator==(const Signature& other) const { return db.sameAs(other.db) && wal.sameAs(other.wal); }
};

// One database of the cache with what belongs to it.
struct Unit {
    explicit Unit(const QString& dbPath)
        : files(dbPath)
    {
    }
    CacheFiles files;
    QList<SafeDelete::File> own; // its existing db/-wal/-journal/-shm, in removal order
    ValueFiles values;
    Signature before;
    LockedFiles locked;
};
using Units = std::vector<std::unique_ptr<Unit>>;

// Refusal reason for a path that is not a plain file, or an empty string.
QString notPlainFile(const QString& path, const struct stat& st, bool isDb)
{
    if (S_ISLNK(st.st_mode)) {
        const QString target = QFile::symLinkTarget(path);
        return u"%1 is a symbolic link (to %2). Safe delete never follows links: deleting the link would leave the "
               "real database and its sidecars, and deleting the target through it could remove something else. "
               "Run delete on the target itself."_s.arg(path, target.isEmpty() ? u"?"_s : target);
    }
    if (!S_ISREG(st.st_mode))
        return u"%1 is not a regular file%2; refusing to remove it"_s.arg(
            path, isDb ? QString() : u" (a sidecar name taken by a directory, device or FIFO)"_s);
    return {};
}

// lstat()s the four files; fills unit.own or sets a refusal.
void inspect(Unit& unit, SafeDelete::Outcome& outcome)
{
    for (CacheFiles::Kind kind : RemovalOrder) {
        const QString path = unit.files.path(kind);
        struct stat st { };
        if (::lstat(QFile::encodeName(path).constData(), &st) != 0)
            continue;
        if (const QString reason = notPlainFile(path, st, kind == CacheFiles::Kind::Db); !reason.isEmpty()) {
            outcome.refused = true;
            outcome.reason = reason;
            return;
        }
        unit.own << SafeDelete::File { CacheFiles::kindName(kind), path, qint64(st.st_size) };
    }
}

// The database must start with SQLite's magic: delete removes caches, not any file given.
// Read with open()+pread()+close(), before this process holds any lock on it.
Status checkIsSqlite(const QString& dbPath)
{
    const int fd = ::open(QFile::encodeName(dbPath).constData(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return Error { errno == EACCES ? Error::Kind::PermissionDenied : Error::Kind::Io,
            u"cannot read %1 to check it is an SQLite database: %2"_s.arg(dbPath, errnoText()) };
    char header[16] = {};
    const ssize_t got = ::pread(fd, header, sizeof header, 0);
    ::close(fd); // no lock of ours is on it yet (and this process has no connection to it)
    if (got == 0)
        return Error { Error::Kind::EmptyFile,
            u"refusing to delete %1: it is empty, not an SQLite database (delete removes caches only)"_s.arg(dbPath) };
    if (got != sizeof header || QByteArray(header, sizeof header) != SqliteMagic)
        return Error { Error::Kind::NotSqlite,
            u"refusing to delete %1: it is not an SQLite database (its header is not \"SQLite format 3\"); "
            "delete removes caches only"_s.arg(dbPath) };
    return {};
}

QList<CacheHolders::FileId> valueIds(const Units& units)
{
    QList<CacheHolders::FileId> ids;
    for (const auto& unit : units) {
        for (const ValueFiles::File& file : unit->values.present)
            ids << CacheHolders::FileId { file.device, file.inode, u"value "_s + file.relative };
    }
    return ids;
}

bool refuseIfHeld(const Units& units, SafeDelete::Outcome& outcome, const QString& when)
{
    outcome.holders.clear();
    outcome.uninspectableProcesses = 0;
    for (const auto& unit : units) {
        int uninspectable = 0;
        CacheHolders::merge(outcome.holders, CacheHolders::of(unit->files.dbPath(), &uninspectable));
        outcome.uninspectableProcesses = qMax(outcome.uninspectableProcesses, uninspectable);
    }
    int uninspectable = 0;
    CacheHolders::merge(outcome.holders, CacheHolders::ofFiles(valueIds(units), &uninspectable));
    outcome.uninspectableProcesses = qMax(outcome.uninspectableProcesses, uninspectable);
    if (outcome.holders.isEmpty())
        return false;
    outcome.refused = true;
    outcome.reason = u"%1 %2 the files open or locked%3"_s.arg(
        Format::counted(outcome.holders.size(), u"other process"_s, u"other processes"_s),
        outcome.holders.size() == 1 ? u"has"_s : u"have"_s, when);
    return true;
}

// Opens name in the directory without following links and write-locks [start, +length).
// Returns the fd, -1 when someone holds a conflicting lock.
Result<int> openAndLock(int directory, const QString& path, off_t start, off_t length)
{
    const int fd = ::openat(directory, QFile::encodeName(QFileInfo(path).fileName()).constData(),
        O_RDWR | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0)
        return Error { errno == EACCES ? Error::Kind::PermissionDenied : Error::Kind::Io,
            u"cannot open %1 to lock it: %2"_s.arg(path, errnoText()) };
    struct flock lock { };
    lock.l_type = F_WRLCK;
    lock.l_whence = SEEK_SET;
    lock.l_start = start;
    lock.l_len = length;
    if (::fcntl(fd, F_SETLK, &lock) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

Status takeLocks(Unit& unit, SafeDelete::Outcome& outcome)
{
    const QByteArray directory = QFile::encodeName(QFileInfo(unit.files.dbPath()).absolutePath());
    unit.locked.directory = ::open(directory.constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (unit.locked.directory < 0)
        return Error { Error::Kind::Io, u"cannot open the directory %1"_s.arg(QString::fromLocal8Bit(directory)) };
    struct Target {
        CacheFiles::Kind kind;
        off_t start;
        off_t length;
        int* fd;
    };
    const Target targets[] = { { CacheFiles::Kind::Db, DbLockStart, DbLockLength, &unit.locked.db },
        { CacheFiles::Kind::Shm, ShmLockStart, ShmLockLength, &unit.locked.shm } };
    for (const Target& target : targets) {
        if (!unit.files.stat(target.kind).exists)
            continue;
        auto fd = openAndLock(unit.locked.directory, unit.files.path(target.kind), target.start, target.length);
        if (!fd)
            return fd.error();
        if (fd.value() < 0) {
            outcome.refused = true;
            outcome.reason = u"%1 is locked by another process (a connection is open, reading or writing)"_s.arg(
                unit.files.path(target.kind));
            return {};
        }
        *target.fd = fd.value();
    }
    return {};
}

// Opens the folder `relative` (a/b) below directory without following any link; -1 on failure.
int openFolder(int directory, const QString& relative)
{
    int current = ::dup(directory);
    for (const QString& part : relative.split(u'/', Qt::SkipEmptyParts)) {
        const int next
            = ::openat(current, QFile::encodeName(part).constData(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        ::close(current); // a directory fd
        if (next < 0)
            return -1;
        current = next;
    }
    return current;
}

// Unlinks relative (below the pinned directory) if it is still a regular file; false if gone.
Result<bool> unlinkBelow(int directory, const QString& relative, const QString& path)
{
    const qsizetype slash = relative.lastIndexOf(u'/');
    const int folder = slash < 0 ? ::dup(directory) : openFolder(directory, relative.left(slash));
    if (folder < 0)
        return false; // the folder is gone: so is the file
    const QByteArray name = QFile::encodeName(slash < 0 ? relative : relative.mid(slash + 1));
    struct stat st { };
    Result<bool> result = true;
    if (::fstatat(folder, name.constData(), &st, AT_SYMLINK_NOFOLLOW) != 0)
        result = false; // gone already (e.g. SQLite removed an empty -journal)
    else if (!S_ISREG(st.st_mode))
        result = Error { Error::Kind::NotRegularFile, u"%1 changed into a non-regular file; stopped"_s.arg(path) };
    else if (::unlinkat(folder, name.constData(), 0) != 0)
        result = Error { Error::Kind::Io, u"cannot remove %1: %2"_s.arg(path, errnoText()) };
    ::close(folder);
    return result;
}

// Removes the value folders (deepest first) that are empty now; non-empty ones stay.
void removeEmptyFolders(const Unit& unit, const QStringList& folders, SafeDelete::Outcome& outcome)
{
    for (const QString& relative : folders) {
        const qsizetype slash = relative.lastIndexOf(u'/');
        const int parent
            = slash < 0 ? ::dup(unit.locked.directory) : openFolder(unit.locked.directory, relative.left(slash));
        if (parent < 0)
            continue;
        const QByteArray name = QFile::encodeName(slash < 0 ? relative : relative.mid(slash + 1));
        if (::unlinkat(parent, name.constData(), AT_REMOVEDIR) == 0)
            outcome.removedFolders << unit.values.folder + u'/' + relative;
        ::close(parent);
    }
}

Status unlinkAll(const Units& units, SafeDelete::Outcome& outcome)
{
    for (const auto& unit : units) {
        for (const ValueFiles::File& file : unit->values.present) {
            auto removed = unlinkBelow(unit->locked.directory, file.relative, file.path);
            if (!removed)
                return removed.error();
            if (removed.value())
                outcome.deleted << file.path;
        }
        removeEmptyFolders(*unit, ValueFiles::foldersOf(unit->values.present), outcome);
        for (const SafeDelete::File& file : std::as_const(unit->own)) {
            auto removed = unlinkBelow(unit->locked.directory, QFileInfo(file.path).fileName(), file.path);
            if (!removed)
                return removed.error();
            if (removed.value())
                outcome.deleted << file.path;
        }
    }
    return {};
}

// Every file must have a usable trash before anything moves.
Status checkTrash(const QList<SafeDelete::File>& files)
{
    QStringList checkedFolders;
    for (const SafeDelete::File& file : files) {
        const QString folder = QFileInfo(file.path).absolutePath();
        if (checkedFolders.contains(folder))
            continue;
        checkedFolders << folder;
        if (auto location = Trash::locationFor(file.path); !location)
            return Error { location.error().kind,
                u"cannot move %1 to the trash, so nothing was removed: %2"_s.arg(file.path, location.error().message) };
    }
    return {};
}

// Moves every file to the trash; on a failure moves the ones already trashed back.
Status trashAll(const Units& units, SafeDelete::Outcome& outcome)
{
    for (const SafeDelete::File& file : std::as_const(outcome.files)) {
        auto inTrash = Trash::move(file.path);
        if (inTrash) {
            outcome.deleted << file.path;
            outcome.trashedTo << inTrash.value();
            continue;
        }
        QStringList notRestored;
        for (qsizetype i = outcome.deleted.size() - 1; i >= 0; --i) {
            if (!Trash::restore(outcome.trashedTo.at(i), outcome.deleted.at(i)))
                notRestored << outcome.trashedTo.at(i);
        }
        outcome.deleted.clear();
        outcome.trashedTo.clear();
        return Error { Error::Kind::Io,
            u"cannot move %1 to the trash (%2); %3"_s.arg(file.path, inTrash.error().message,
                notRestored.isEmpty() ? u"the files already moved were put back"_s
                                      : u"could not put back: "_s + notRestored.join(u", "_s)) };
    }
    for (const auto& unit : units)
        removeEmptyFolders(*unit, ValueFiles::foldersOf(unit->values.present), outcome);
    return {};
}

QString describeUnsafe(const QStringList& unsafe)
{
    return u"the cache references value files it is not safe to remove (%1%2); refusing"_s.arg(
        unsafe.first(), unsafe.size() > 1 ? u" and %1 more"_s.arg(unsafe.size() - 1) : QString());
}

// Removing a file takes write permission on its directory: said before anything is locked.
Status checkDirectoriesWritable(const Units& units)
{
    for (const auto& unit : units) {
        const QString dbPath = unit->files.dbPath();
        const QString dir = QFileInfo(dbPath).absolutePath();
        if (::access(QFile::encodeName(dir).constData(), W_OK | X_OK) == 0 || (errno != EACCES && errno != EROFS))
            continue;
        return Error { Error::Kind::PermissionDenied,
            (errno == EROFS ? u"cannot delete %1: %2 is on a read-only file system"_s
                            : u"permission denied: cannot delete %1: its directory %2 is not writable by this user "
                              "(removing a file needs write permission on its directory)"_s)
                    .arg(dbPath, dir)
                + u"; nothing was deleted"_s };
    }
    return {};
}

} // namespace

Result<SafeDelete::Outcome> SafeDelete::run(const QString& path, const Options& options)
{
    Outcome outcome;
    outcome.dbPath = path;
    outcome.dryRun = options.dryRun;
    auto folder = CacheFolder::resolve(path);
    if (!folder)
        return folder.error();
    outcome.layout = CacheFolder::layoutName(folder->layout);
    outcome.databases = folder->everyDatabase(); // a FanoutCache: its shards and its named sub-caches
    Units units;
    for (const QString& dbPath : std::as_const(outcome.databases)) {
        units.push_back(std::make_unique<Unit>(dbPath));
        inspect(*units.back(), outcome);
        if (outcome.refused)
            return outcome;
        if (units.back()->own.isEmpty()) {
            // Not found may be "not allowed to look": say which.
            struct stat st { };
            if (::lstat(QFile::encodeName(dbPath).constData(), &st) != 0 && errno == EACCES)
                return Error { Error::Kind::PermissionDenied,
                    u"permission denied: cannot reach %1 (a directory on its path is not searchable by this user); "
                    "nothing was deleted"_s.arg(dbPath) };
            return Error { Error::Kind::NotFound,
                u"nothing to delete: neither %1 nor its -wal/-shm/-journal exist"_s.arg(dbPath) };
        }
    }
    for (const auto& unit : units) {
        const QString dbPath = unit->files.dbPath();
        const bool ownConnection = Database::isOpenInProcess(dbPath);
        if (ownConnection && !options.dryRun) {
            outcome.refused = true;
            outcome.reason = u"this process still has a connection to %1: close it first"_s.arg(dbPath);
            return outcome;
        }
        if (!unit->files.stat(CacheFiles::Kind::Db).exists)
            continue; // orphaned sidecars only
        // A dry run may list a cache this process has open (the GUI's confirmation, shown while
        // the cache stays open): its connection proves it is SQLite, and reading the header here
        // would close an fd on it, dropping that connection's locks.
        if (Status status = ownConnection ? Status {} : checkIsSqlite(dbPath); !status) {
            // An empty file a process holds open is a cache being created right now (a writer
            // racing the delete): a held cache, refused with its holders named.
            if (status.error().kind == Error::Kind::EmptyFile
                && refuseIfHeld(units, outcome, u" (%1 is empty: a writer is creating it right now)"_s.arg(dbPath))) {
                outcome.files << unit->own;
                return outcome;
            }
            // Empty when read, no longer held, but filled since: a writer created it, wrote and
            // closed between the two looks — a cache, not "an empty file".
            struct stat now { };
            if (status.error().kind == Error::Kind::EmptyFile
                && ::lstat(QFile::encodeName(dbPath).constData(), &now) == 0 && now.st_size > 0) {
                outcome.refused = true;
                outcome.reason = u"%1 was empty a moment ago and holds %2 bytes now: a writer created it while it was "
                                 "being looked at; nothing was removed: run delete again"_s.arg(
                                     dbPath, QString::number(qint64(now.st_size)));
                outcome.files << unit->own;
                return outcome;
            }
            return status.error();
        }
        unit->before = Signature::now(unit->files);
        auto values = ValueFiles::read(dbPath);
        if (!values)
            return Error { values.error().kind,
                u"cannot list the value files of %1, so nothing was removed: %2"_s.arg(
                    dbPath, values.error().message) };
        unit->values = values.value();
        if (!unit->values.unsafe.isEmpty()) {
            outcome.refused = true;
            outcome.reason = describeUnsafe(unit->values.unsafe);
            return outcome;
        }
    }
    for (const auto& unit : units) {
        outcome.missingValueFiles += int(unit->values.missing.size());
        for (const ValueFiles::File& file : unit->values.present)
            outcome.files << File { u"value"_s, file.path, file.bytes };
    }
    for (const auto& unit : units)
        outcome.files << unit->own;
    if (refuseIfHeld(units, outcome, QString()))
        return outcome;
    if (Status writable = checkDirectoriesWritable(units); !writable)
        return writable.error(); // a dry run must not promise what the real one cannot do
    if (options.dryRun)
        return outcome;
    if (options.trash) {
        if (Status status = checkTrash(outcome.files); !status)
            return status.error();
    }
    for (const auto& unit : units) {
        if (Status status = takeLocks(*unit, outcome); !status)
            return status.error();
        if (outcome.refused) {
            refuseIfHeld(units, outcome, QString());
            outcome.refused = true;
            return outcome;
        }
    }
    if (refuseIfHeld(units, outcome, u" (seen while holding the locks)"_s))
        return outcome;
    for (const auto& unit : units) {
        if (unit->files.stat(CacheFiles::Kind::Db).exists && !(Signature::now(unit->files) == unit->before)) {
            outcome.refused = true;
            outcome.reason = u"%1 changed while its value files were being listed (a writer committed); nothing "
                             "was removed: run delete again"_s.arg(unit->files.dbPath());
            return outcome;
        }
    }
    if (options.whileLocked)
        options.whileLocked();
    Status removed = options.trash ? trashAll(units, outcome) : unlinkAll(units, outcome);
    if (!removed)
        return removed.error();
    if (folder->layout == CacheFolder::Layout::Fanout) {
        // Shard and sub-cache folders left empty go too (a sub-cache's up to DIR/index,
        // DIR/cache, DIR/deque, also emptied); the cache folder itself stays.
        const QString root = QDir::cleanPath(QDir(path).absolutePath());
        for (const auto& unit : units) {
            QString folderPath = QFileInfo(unit->files.dbPath()).absolutePath();
            while (folderPath.startsWith(root + u'/') && ::rmdir(QFile::encodeName(folderPath).constData()) == 0) {
                outcome.removedFolders << folderPath;
                folderPath = QFileInfo(folderPath).absolutePath();
            }
        }
    }
    return outcome;
}
