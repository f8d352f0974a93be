// SPDX-License-Identifier: GPL-3.0-or-later
#include "maintenance/safedelete.h"

#include "os/cachefiles.h"
#include "sqlite/database.h"
#include "common/format.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>

#include <cerrno>
#include <cstdio>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::Literals::StringLiterals;

namespace {

// Removal order from WAL_REFERENCE.md §7: sidecars first, the database last.
constexpr CacheFiles::Kind RemovalOrder[]
    = { CacheFiles::Kind::Wal, CacheFiles::Kind::Journal, CacheFiles::Kind::Shm, CacheFiles::Kind::Db };
constexpr off_t DbLockStart = 0x40000000; // PENDING, RESERVED, SHARED range: 512 bytes
constexpr off_t DbLockLength = 512;
constexpr off_t ShmLockStart = 120; // WRITE, CKPT, RECOVER, READ0..4, DMS
constexpr off_t ShmLockLength = 9;

// Owns the directory fd and the locked file fds; closing them releases the locks.
struct LockedFiles {
    int directory = -1;
    int db = -1;
    int shm = -1;
    ~LockedFiles()
    {
        for (int fd : { db, shm, directory }) {
            if (fd >= 0)
                ::close(fd);
        }
    }
};

QString fileName(const QString& path)
{
    return QFileInfo(path).fileName();
}

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

// lstat()s the four files; fills outcome.files or sets a refusal. NotFound when none exists.
Status inspect(const CacheFiles& files, SafeDelete::Outcome& outcome)
{
    for (CacheFiles::Kind kind : RemovalOrder) {
        const QString path = files.path(kind);
        struct stat st { };
        if (::lstat(QFile::encodeName(path).constData(), &st) != 0)
            continue;
        if (const QString reason = notPlainFile(path, st, kind == CacheFiles::Kind::Db); !reason.isEmpty()) {
            outcome.refused = true;
            outcome.reason = reason;
            return {};
        }
        outcome.files << SafeDelete::File { CacheFiles::kindName(kind), path, qint64(st.st_size) };
    }
    if (outcome.files.isEmpty())
        return Error { Error::Kind::NotFound,
            u"nothing to delete: neither %1 nor its -wal/-shm/-journal exist"_s.arg(files.dbPath()) };
    return {};
}

bool refuseIfHeld(SafeDelete::Outcome& outcome, const QString& when)
{
    outcome.holders = CacheHolders::of(outcome.dbPath);
    if (outcome.holders.isEmpty())
        return false;
    outcome.refused = true;
    outcome.reason = u"%1 other process(es) have the files open or locked%2"_s.arg(outcome.holders.size()).arg(when);
    return true;
}

// Opens name in the directory without following links and write-locks [start, +length).
// Returns the fd, -1 with outcome refused when someone holds a conflicting lock.
Result<int> openAndLock(int directory, const QString& path, off_t start, off_t length)
{
    const int fd = ::openat(directory, QFile::encodeName(fileName(path)).constData(),
        O_RDWR | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0)
        return Error { errno == EACCES ? Error::Kind::PermissionDenied : Error::Kind::Io,
            u"cannot open %1 to lock it: %2"_s.arg(path, QString::fromLocal8Bit(strerror(errno))) };
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

Status takeLocks(const CacheFiles& files, LockedFiles& locked, SafeDelete::Outcome& outcome)
{
    const QByteArray directory = QFile::encodeName(QFileInfo(files.dbPath()).absolutePath());
    locked.directory = ::open(directory.constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (locked.directory < 0)
        return Error { Error::Kind::Io, u"cannot open the directory %1"_s.arg(QString::fromLocal8Bit(directory)) };
    struct Target {
        CacheFiles::Kind kind;
        off_t start;
        off_t length;
        int* fd;
    };
    const Target targets[] = { { CacheFiles::Kind::Db, DbLockStart, DbLockLength, &locked.db },
        { CacheFiles::Kind::Shm, ShmLockStart, ShmLockLength, &locked.shm } };
    for (const Target& target : targets) {
        if (!files.stat(target.kind).exists)
            continue;
        auto fd = openAndLock(locked.directory, files.path(target.kind), target.start, target.length);
        if (!fd)
            return fd.error();
        if (fd.value() < 0) {
            refuseIfHeld(outcome, QString());
            outcome.refused = true;
            outcome.reason = u"%1 is locked by another process (a connection is open, reading or writing)"_s.arg(
                files.path(target.kind));
            return {};
        }
        *target.fd = fd.value();
    }
    return {};
}

// Unlinks the files by name in the pinned directory, each only if it is still a regular file.
Status unlinkAll(int directory, SafeDelete::Outcome& outcome)
{
    for (const SafeDelete::File& file : std::as_const(outcome.files)) {
        const QByteArray name = QFile::encodeName(fileName(file.path));
        struct stat st { };
        if (::fstatat(directory, name.constData(), &st, AT_SYMLINK_NOFOLLOW) != 0)
            continue; // gone already (e.g. SQLite removed an empty -journal)
        if (!S_ISREG(st.st_mode))
            return Error { Error::Kind::NotRegularFile,
                u"%1 changed into a non-regular file; stopped"_s.arg(file.path) };
        if (::unlinkat(directory, name.constData(), 0) != 0)
            return Error { Error::Kind::Io,
                u"cannot remove %1: %2"_s.arg(file.path, QString::fromLocal8Bit(strerror(errno))) };
        outcome.deleted << file.path;
    }
    return {};
}

// Moves every file to the trash; on a failure moves the ones already trashed back.
Status trashAll(SafeDelete::Outcome& outcome)
{
    for (const SafeDelete::File& file : std::as_const(outcome.files)) {
        QString inTrash;
        if (QFile::moveToTrash(file.path, &inTrash)) {
            outcome.deleted << file.path;
            outcome.trashedTo << inTrash;
            continue;
        }
        for (qsizetype i = outcome.deleted.size() - 1; i >= 0; --i)
            QFile::rename(outcome.trashedTo.at(i), outcome.deleted.at(i));
        outcome.deleted.clear();
        outcome.trashedTo.clear();
        return Error { Error::Kind::Io, u"cannot move %1 to the trash; nothing was moved"_s.arg(file.path) };
    }
    return {};
}

} // namespace

Result<SafeDelete::Outcome> SafeDelete::run(const QString& dbPath, const Options& options)
{
    const CacheFiles files(dbPath);
    Outcome outcome;
    outcome.dbPath = dbPath;
    outcome.dryRun = options.dryRun;
    if (Status status = inspect(files, outcome); !status)
        return status.error();
    if (outcome.refused)
        return outcome;
    if (Database::isOpenInProcess(dbPath)) {
        outcome.refused = true;
        outcome.reason = u"this process still has a connection to %1: close it first"_s.arg(dbPath);
        return outcome;
    }
    if (refuseIfHeld(outcome, QString()) || options.dryRun)
        return outcome;
    LockedFiles locked;
    if (Status status = takeLocks(files, locked, outcome); !status)
        return status.error();
    if (outcome.refused || refuseIfHeld(outcome, u" (seen while holding the locks)"_s))
        return outcome;
    if (options.whileLocked)
        options.whileLocked();
    Status removed = options.trash ? trashAll(outcome) : unlinkAll(locked.directory, outcome);
    if (!removed)
        return removed.error();
    return outcome;
}

QJsonObject SafeDelete::Outcome::toJson() const
{
    QJsonArray holderList;
    for (const auto& holder : holders)
        holderList.append(holder.toJson());
    QJsonArray fileList;
    for (const auto& file : files)
        fileList.append(QJsonObject { { u"kind"_s, file.kind }, { u"path"_s, file.path }, { u"bytes"_s, file.bytes } });
    QJsonObject json { { u"path"_s, dbPath }, { u"deleted"_s, QJsonArray::fromStringList(deleted) },
        { u"refused"_s, refused }, { u"holders"_s, holderList }, { u"files"_s, fileList }, { u"dry_run"_s, dryRun } };
    if (refused)
        json.insert(u"reason"_s, reason);
    if (!trashedTo.isEmpty())
        json.insert(u"trashed_to"_s, QJsonArray::fromStringList(trashedTo));
    return json;
}

QString SafeDelete::Outcome::toText() const
{
    QString text;
    if (refused)
        text += u"refused: "_s + reason + u'\n';
    for (const auto& holder : holders)
        text += u"  held by "_s + holder.describe() + u'\n';
    const QString verb = refused ? u"would remove"_s
        : dryRun                 ? u"would remove"_s
        : trashedTo.isEmpty()    ? u"removed"_s
                                 : u"moved to the trash"_s;
    for (const auto& file : files) {
        if (!dryRun && !refused && !deleted.contains(file.path))
            continue;
        text += u"%1 %2 (%3)\n"_s.arg(verb, file.path, Format::bytes(file.bytes));
    }
    if (!refused && !dryRun && !deleted.isEmpty())
        text += u"Writers that open the database with CREATE will make a new empty one: stop them first.\n"_s;
    return text;
}
