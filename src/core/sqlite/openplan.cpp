// SPDX-License-Identifier: GPL-3.0-or-later
#include "sqlite/openplan.h"

#include "common/format.h"
#include "common/privatedirs.h"
#include "sqlite/copyremovals.h"
#include "sqlite/fileprobe.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMutex>
#include <QStorageInfo>
#include <QTemporaryDir>

#include <sqlite3.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::Literals::StringLiterals;

namespace {

constexpr qint64 PendingByte = 0x40000000;
constexpr qint64 DbLockBytes = 512; // PENDING, RESERVED and the 510-byte SHARED range
constexpr qint64 ShmFirstLock = 120; // WRITE … DMS (docs/WAL.md §3)
constexpr qint64 ShmLockBytes = 9;

// The private copies alive in this process, so connections opened on other threads (a page
// reader, the index, the Overview) read the copy already made instead of copying again.
struct SharedCopy {
    QString source;
    QString suffix;
    FileProbe::FileState db;
    FileProbe::FileState sidecar;
    QString copy;
    std::weak_ptr<QTemporaryDir> dir;
};
QMutex s_copiesMutex;
QList<SharedCopy> s_copies;

// The path with its directories resolved: SQLITE_OPEN_NOFOLLOW refuses a symbolic link
// anywhere in the path, but only the file itself is untrusted (a ~/.cache that is a link to
// another disk is ordinary).
QString resolvedPath(const QString& path)
{
    const QFileInfo info(path);
    const QString dir = QFileInfo(info.absolutePath()).canonicalFilePath();
    return dir.isEmpty() ? path : QDir(dir).filePath(info.fileName());
}

QString sidecarName(const QString& suffix)
{
    if (suffix == u"-shm"_s)
        return u"-shm (SQLite's shared-memory index)"_s;
    if (suffix == u"-wal"_s)
        return u"-wal (SQLite's write-ahead log)"_s;
    return u"-journal (SQLite's rollback journal)"_s;
}

Status checkSidecar(const QString& dbPath, const QString& suffix, bool readOnly)
{
    const QString path = dbPath + suffix;
    struct stat st { };
    if (::lstat(FileProbe::native(path).constData(), &st) != 0)
        return {};
    const QString what = u"the %1 beside the database"_s.arg(sidecarName(suffix));
    const QString fix = u"If no process is using the database, remove it (%1) and try again."_s.arg(path);
    if (S_ISLNK(st.st_mode)) {
        const QString target = QFile::symLinkTarget(path);
        return Error { Error::Kind::SymbolicLink,
            u"%1 is a symbolic link (to %2), not a file SQLite made; SQLite will not follow it, so the database "
            "cannot be opened. %3"_s.arg(what, target.isEmpty() ? u"?"_s : target, fix) };
    }
    if (S_ISDIR(st.st_mode))
        return Error { Error::Kind::IsDirectory,
            u"%1 is a directory, not a file SQLite made, so the database cannot be opened. %2"_s.arg(what, fix) };
    if (!S_ISREG(st.st_mode))
        return Error { Error::Kind::NotRegularFile,
            u"%1 is %2, not a regular file, so the database cannot be opened. %3"_s.arg(
                what, S_ISFIFO(st.st_mode) ? u"a FIFO (named pipe)"_s : u"a device or socket"_s, fix) };
    // A sidecar that vanished since lstat (a writer closing its connection) is no permission
    // problem ("permission denied" for a -wal that was simply gone, even as root).
    if (::access(FileProbe::native(path).constData(), readOnly ? R_OK : (R_OK | W_OK)) != 0 && errno != ENOENT)
        return Error { Error::Kind::PermissionDenied,
            u"permission denied: cannot %1 %2 (%3). Run as the user that owns the cache, or fix the file's "
            "permissions."_s.arg(readOnly ? u"read"_s : u"write"_s, what, path) };
    return {};
}

// A read-write open must be able to create -wal/-shm/-journal beside the database.
Status checkDirectoryWritable(const QString& dbPath)
{
    const QString dir = QFileInfo(dbPath).absolutePath();
    if (::access(FileProbe::native(dir).constData(), W_OK) == 0)
        return {};
    const bool readOnlyMount = errno == EROFS;
    return Error { Error::Kind::ReadOnly,
        u"cannot change the database: its directory %1 %2, and SQLite must create its -wal, -shm or -journal "
        "there to write. Read-only commands (info, entries) still work."_s.arg(
            dir, readOnlyMount ? u"is on a read-only filesystem"_s : u"is not writable for this user"_s) };
}

Status copyFile(const QString& from, const QString& to, qint64 bytes)
{
    const int in = FileProbe::openRegular(from);
    if (in < 0)
        return Error { Error::Kind::Io, u"cannot read %1: %2"_s.arg(from, QString::fromLocal8Bit(strerror(errno))) };
    const int out = ::open(FileProbe::native(to).constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (out < 0) {
        ::close(in);
        return Error { Error::Kind::Io, u"cannot create %1: %2"_s.arg(to, QString::fromLocal8Bit(strerror(errno))) };
    }
    // A reflink where the filesystem has them (btrfs, xfs: instant, no space used), else an
    // in-kernel copy (no round trip through this process), else read and write.
    bool ok = true;
    qint64 done = 0;
    if (::ioctl(out, FICLONE, in) == 0) {
        done = bytes;
    } else {
        while (done < bytes) {
            const ssize_t copied = ::copy_file_range(in, nullptr, out, nullptr, size_t(bytes - done), 0);
            if (copied <= 0)
                break; // not supported here (EXDEV, ENOSYS, EINVAL): the loop below goes on from `done`
            done += copied;
        }
    }
    QByteArray buffer(1 << 20, '\0');
    while (ok && done < bytes) {
        const ssize_t got = ::pread(in, buffer.data(), size_t(std::min<qint64>(buffer.size(), bytes - done)), done);
        ok = got > 0 && ::write(out, buffer.constData(), size_t(got)) == got;
        done += got > 0 ? got : 0;
    }
    ::close(in);
    ok = ::close(out) == 0 && ok;
    if (!ok)
        return Error { Error::Kind::Io, u"cannot copy %1 into a private directory (disk full?)"_s.arg(from) };
    return {};
}

} // namespace

OpenPlan::OpenPlan() = default;
OpenPlan::~OpenPlan() = default;
OpenPlan::OpenPlan(OpenPlan&&) noexcept = default;
OpenPlan& OpenPlan::operator=(OpenPlan&&) noexcept = default;

Status OpenPlan::checkSidecars(const QString& path, bool readOnly)
{
    for (const QString& suffix : { u"-wal"_s, u"-shm"_s, u"-journal"_s }) {
        if (Status status = checkSidecar(path, suffix, readOnly); !status)
            return status;
    }
    if (!readOnly)
        return checkDirectoryWritable(path);
    return {};
}

bool OpenPlan::isLive(const QString& path)
{
    if (FileProbe::lockedRange(path, PendingByte, DbLockBytes))
        return true;
    return FileProbe::stateOf(path + u"-shm"_s).regular
        && FileProbe::lockedRange(path + u"-shm"_s, ShmFirstLock, ShmLockBytes);
}

int OpenPlan::maxPathBytes()
{
    const sqlite3_vfs* vfs = sqlite3_vfs_find(nullptr);
    return vfs ? vfs->mxPathname : 512;
}

Result<OpenPlan> OpenPlan::decide(const QString& path, bool readOnly, bool walHeader, bool canProbe, bool readInPlace)
{
    OpenPlan plan;
    plan.m_sqlitePath = resolvedPath(path);
    const FileProbe::FileState wal = FileProbe::stateOf(path + u"-wal"_s);
    const qint64 pathBytes = QFile::encodeName(QFileInfo(plan.m_sqlitePath).absoluteFilePath()).size();
    if (pathBytes > maxPathBytes()) { // SQLite would say "unable to open database file"
        if (Status status = plan.decideForLongPath(path, readOnly, pathBytes); !status)
            return status.error();
        return plan;
    }
    if (!readOnly)
        return plan;
    PrivateDirs::sweepStaleOnce(); // copies left by runs that died (SIGKILL) while reading
    if (!canProbe) { // our own connection keeps it open: read it the way that connection does
        plan.m_strategy = walHeader && !wal.exists ? Strategy::Immutable : Strategy::Direct;
        return plan;
    }
    if (isLive(path))
        return plan;
    const QString journalPath = path + u"-journal"_s;
    if (!wal.exists) {
        if (walHeader)
            plan.m_strategy = Strategy::Immutable;
        else if (FileProbe::stateOf(journalPath).bytes > 0 && FileProbe::journalIsHot(journalPath)) {
            if (Status copied = plan.makePrivateCopy(path, u"-journal"_s); !copied)
                return copied.error();
        }
        return plan;
    }
    if (!FileProbe::walHasFrames(path + u"-wal"_s, wal.bytes)) {
        plan.m_strategy = Strategy::Immutable; // everything is in the db file
        return plan;
    }
    if (readInPlace) {
        if (Status inPlace = plan.readWalInPlace(path, wal.bytes); !inPlace)
            return inPlace.error();
        return plan;
    }
    if (Status copied = plan.makePrivateCopy(path, u"-wal"_s); !copied)
        return copied.error();
    return plan;
}

Status OpenPlan::readWalInPlace(const QString& path, qint64 walBytes)
{
    const QString shm = path + u"-shm"_s;
    const QString dir = QFileInfo(path).absolutePath();
    if (!FileProbe::stateOf(shm).exists && ::access(FileProbe::native(dir).constData(), W_OK | X_OK) != 0) {
        const bool readOnlyMount = errno == EROFS;
        return Error { Error::Kind::Refused,
            u"cannot read %1 in place: its -wal holds changes, and SQLite must create the -shm beside it to read "
            "them, but %2 %3. Read it through a private copy instead (without --read-in-place; it needs room in "
            "TMPDIR)."_s.arg(QFileInfo(path).fileName(), dir,
                readOnlyMount ? u"is on a read-only filesystem"_s : u"is not writable for this user"_s) };
    }
    m_strategy = Strategy::Direct;
    m_notes << u"the -wal (%1) was left by a process that has closed or died; read in place as asked: SQLite "
               "replayed it in memory and wrote the -shm beside the cache (the database and its -wal were not "
               "changed)"_s.arg(Format::bytes(walBytes));
    return {};
}

// SQLite opens a database only by its full path (made absolute, symlinks resolved: a shorter
// relative path, /proc/self/fd/N or a symlink all end up as the same long path), and refuses
// one longer than its VFS's mxPathname. A cache at rest is read through a private copy in
// TMPDIR, whose path is short; a cache in use, or any change, needs the real path: refused
// with the limit named.
Status OpenPlan::decideForLongPath(const QString& path, bool readOnly, qint64 pathBytes)
{
    const QString limit = u"its path is %1 bytes long and SQLite opens a database only by its full path, at most "
                          "%2 bytes (the limit of its unix VFS; a relative path, a symlink or /proc/self/fd/N is "
                          "resolved to the same full path)"_s.arg(pathBytes)
                              .arg(maxPathBytes());
    const QString shorter = u"Move the cache to a shorter path (or bind-mount its folder at one) to %1."_s;
    if (!readOnly)
        return Error { Error::Kind::Invalid,
            u"cannot change %1 in place: %2. %3"_s.arg(
                QFileInfo(path).fileName(), limit, shorter.arg(u"change it"_s)) };
    if (isLive(path))
        return Error { Error::Kind::Invalid,
            u"cannot read %1: %2, and a cache in use must be read where it is (its -wal and -shm beside it). "
            "At rest it is read through a private copy. %3"_s.arg(
                QFileInfo(path).fileName(), limit, shorter.arg(u"read it live"_s)) };
    const QString journal = path + u"-journal"_s;
    QString suffix;
    if (FileProbe::stateOf(path + u"-wal"_s).exists)
        suffix = u"-wal"_s;
    else if (FileProbe::stateOf(journal).bytes > 0 && FileProbe::journalIsHot(journal))
        suffix = u"-journal"_s;
    if (Status copied = makePrivateCopy(path, suffix, false); !copied) // SQLite cannot read it in place
        return copied.error();
    if (m_strategy != Strategy::PrivateCopy) // a process started using it while we copied
        return Error { Error::Kind::Invalid,
            u"cannot read %1: %2, and a process started using it while it was copied. %3"_s.arg(
                QFileInfo(path).fileName(), limit, shorter.arg(u"read it live"_s)) };
    m_notes.clear();
    m_notes << u"the path of %1 is longer than SQLite opens (%2 bytes, at most %3): CacheScope read a private copy "
               "of it; the files were not changed"_s.arg(QFileInfo(path).fileName())
                   .arg(pathBytes)
                   .arg(maxPathBytes());
    return {};
}

Status OpenPlan::makePrivateCopy(const QString& path, const QString& suffix, bool inPlacePossible)
{
    const FileProbe::FileState db = FileProbe::stateOf(path);
    const FileProbe::FileState sidecar
        = suffix.isEmpty() ? FileProbe::FileState() : FileProbe::stateOf(path + suffix); // empty: the db alone
    const bool journal = suffix == u"-journal"_s;
    const QString left = suffix.isEmpty() ? u"its path is longer than SQLite opens"_s
        : journal
        ? u"the -journal holds a write that was interrupted, and SQLite rolls it back before reading (which changes "
          "the files)"_s
        : u"the -wal (%1) was left by a process that has closed or died, and reading it in place would make SQLite "
          "create or rewrite the -shm beside it"_s.arg(Format::bytes(sidecar.bytes));
    const QString note = u"%1; CacheScope read a private copy of the database and its %2 instead: the files were not "
                         "changed"_s.arg(left, suffix);
    {
        QMutexLocker lock(&s_copiesMutex);
        s_copies.removeIf([](const SharedCopy& c) { return c.dir.expired(); });
        for (const SharedCopy& c : std::as_const(s_copies)) {
            auto dir = c.dir.lock();
            if (!dir || c.source != path || c.suffix != suffix || !(c.db == db) || !(c.sidecar == sidecar))
                continue;
            m_strategy = Strategy::PrivateCopy;
            m_sqlitePath = c.copy;
            m_copyReadWrite = journal;
            m_copyDir = std::move(dir);
            m_notes << note;
            return {};
        }
    }
    const qint64 total = db.bytes + sidecar.bytes;
    QStorageInfo storage(QDir::tempPath());
    bool limitSet = false;
    const qint64 limit = qEnvironmentVariable("CACHESCOPE_PRIVATE_COPY_MAX_BYTES").toLongLong(&limitSet);
    const qint64 maxCopy = limitSet && limit >= 0 ? limit : MaxPrivateCopyBytes;
    const bool noRoom = storage.isValid() && storage.bytesAvailable() < total + (qint64(64) << 20);
    if (total > maxCopy || noRoom) {
        // The db file alone is not the cache (a checkpoint killed midway leaves it inconsistent
        // while db + -wal are whole): reading it would call a healthy cache corrupt.
        const bool wal = suffix == u"-wal"_s && inPlacePossible;
        Error refused { Error::Kind::Refused,
            u"%1. The cache is fine, but it cannot be read without writing beside it or copying %2: %3. "
            "Either set TMPDIR to a directory with %2 free (CacheScope then reads a private copy), %4or let "
            "SQLite replay the %5 into the database (cachescope-cli checkpoint, which writes to the cache)."_s.arg(left,
                Format::bytes(total),
                noRoom ? u"%1 has only %2 free"_s.arg(QDir::tempPath(), Format::bytes(storage.bytesAvailable()))
                       : u"private copies stop at %1"_s.arg(Format::bytes(maxCopy)),
                wal ? u"read it in place (--read-in-place: SQLite then writes a -shm beside the cache and nothing "
                      "else; the database and its -wal stay as they are), "_s
                    : QString(),
                suffix) };
        refused.readableInPlace = wal;
        return refused;
    }
    std::shared_ptr<QTemporaryDir> dir(new QTemporaryDir(PrivateDirs::templateFor(u"read"_s)), CopyRemovals::release);
    if (!dir->isValid())
        return Error { Error::Kind::Io,
            u"cannot create a private directory in %1 to read the cache: %2"_s.arg(
                QDir::tempPath(), dir->errorString()) };
    PrivateDirs::track(dir->path()); // removed even if a signal ends the process while it is read
    const QString copy = dir->filePath(u"cache.db"_s);
    if (Status s = copyFile(path, copy, db.bytes); !s)
        return s;
    if (Status s = suffix.isEmpty() ? Status() : copyFile(path + suffix, copy + suffix, sidecar.bytes); !s)
        return s;
    if (!(FileProbe::stateOf(path) == db) || (!suffix.isEmpty() && !(FileProbe::stateOf(path + suffix) == sidecar))
        || isLive(path))
        return {}; // a process started using the cache while we copied: read it live, in place
    m_strategy = Strategy::PrivateCopy;
    m_sqlitePath = copy;
    m_copyReadWrite = journal;
    {
        QMutexLocker lock(&s_copiesMutex);
        s_copies.append(SharedCopy { path, suffix, db, sidecar, copy, dir });
    }
    m_copyDir = std::move(dir);
    m_notes << note;
    return {};
}

void OpenPlan::waitForCopyRemovals()
{
    CopyRemovals::waitAll();
}
