// SPDX-License-Identifier: GPL-3.0-or-later
#include "maintenance/trash.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QUrl>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::Literals::StringLiterals;

namespace {

constexpr int MaxNameAttempts = 1000;

QString errnoText()
{
    return QString::fromLocal8Bit(std::strerror(errno));
}

QByteArray encoded(const QString& path)
{
    return QFile::encodeName(path);
}

// A directory (not a link) we may write into; created (mode) when missing and its parent exists.
Status ensureDirectory(const QString& path, mode_t mode, bool mustBePrivate)
{
    struct stat st { };
    if (::lstat(encoded(path).constData(), &st) != 0) {
        if (errno != ENOENT)
            return Error { Error::Kind::Io, u"cannot use the trash directory %1: %2"_s.arg(path, errnoText()) };
        if (::mkdir(encoded(path).constData(), mode) != 0 && errno != EEXIST)
            return Error { Error::Kind::Io, u"cannot create the trash directory %1: %2"_s.arg(path, errnoText()) };
        if (::lstat(encoded(path).constData(), &st) != 0)
            return Error { Error::Kind::Io, u"cannot use the trash directory %1: %2"_s.arg(path, errnoText()) };
    }
    if (S_ISLNK(st.st_mode))
        return Error { Error::Kind::SymbolicLink, u"the trash directory %1 is a symbolic link"_s.arg(path) };
    if (!S_ISDIR(st.st_mode))
        return Error { Error::Kind::NotRegularFile, u"the trash directory %1 is not a directory"_s.arg(path) };
    if (mustBePrivate && st.st_uid != ::getuid())
        return Error { Error::Kind::PermissionDenied, u"the trash directory %1 belongs to another user"_s.arg(path) };
    if (::access(encoded(path).constData(), W_OK | X_OK) != 0)
        return Error { Error::Kind::PermissionDenied,
            u"the trash directory %1 is not writable: %2"_s.arg(path, errnoText()) };
    return {};
}

// The base of the home trash: $XDG_DATA_HOME, else $HOME/.local/share — absolute, or an Error.
Result<QString> dataHome()
{
    const QString xdg = qEnvironmentVariable("XDG_DATA_HOME");
    if (!xdg.isEmpty() && QDir::isAbsolutePath(xdg))
        return QDir::cleanPath(xdg);
    const QString home = qEnvironmentVariable("HOME");
    if (home.isEmpty() || !QDir::isAbsolutePath(home))
        return Error { Error::Kind::NotFound, u"no home trash: neither XDG_DATA_HOME nor HOME is an absolute path"_s };
    return QDir::cleanPath(home + u"/.local/share"_s);
}

// Trash directory with files/ and info/ inside; the base must already be a directory.
Result<QString> prepare(const QString& trash, bool topdir)
{
    const QString base = QFileInfo(trash).absolutePath();
    struct stat st { };
    if (!topdir && ::stat(encoded(base).constData(), &st) != 0 && errno == ENOENT)
        QDir().mkpath(base); // a fresh home has no ~/.local/share yet; checked just below
    if (::stat(encoded(base).constData(), &st) != 0)
        return Error { Error::Kind::NotFound, u"no usable trash: %1: %2"_s.arg(base, errnoText()) };
    if (!S_ISDIR(st.st_mode))
        return Error { Error::Kind::NotFound, u"no usable trash: %1 is not a directory"_s.arg(base) };
    for (const QString& directory : QStringList { trash, trash + u"/files"_s, trash + u"/info"_s }) {
        if (Status status = ensureDirectory(directory, 0700, topdir); !status)
            return Error { status.error().kind, u"no usable trash: "_s + status.error().message };
    }
    return trash;
}

// Mount point of the filesystem holding directory: the highest ancestor on the same device.
QString topdirOf(const QString& directory, dev_t device)
{
    QString current = directory;
    while (current != u"/"_s) {
        const QString parent = QFileInfo(current).absolutePath();
        struct stat st { };
        if (::stat(encoded(parent).constData(), &st) != 0 || st.st_dev != device)
            break;
        current = parent;
    }
    return current;
}

} // namespace

Result<QString> Trash::locationFor(const QString& path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    const QString directory = QFileInfo(absolute).absolutePath();
    struct stat file { };
    if (::stat(encoded(directory).constData(), &file) != 0)
        return Error { Error::Kind::NotFound, u"cannot trash %1: %2"_s.arg(path, errnoText()) };
    auto home = dataHome();
    if (!home)
        return home.error();
    auto homeTrash = prepare(home.value() + u"/Trash"_s, false);
    if (!homeTrash)
        return homeTrash.error();
    struct stat trash { };
    if (::stat(encoded(homeTrash.value() + u"/files"_s).constData(), &trash) == 0 && trash.st_dev == file.st_dev)
        return homeTrash;
    const QString topdir = topdirOf(directory, file.st_dev);
    auto topTrash = prepare(QDir::cleanPath(topdir + u"/.Trash-"_s + QString::number(::getuid())), true);
    if (!topTrash)
        return Error { topTrash.error().kind,
            u"%1 is on another filesystem than the home trash %2, and its own trash is unusable: %3"_s.arg(
                path, homeTrash.value(), topTrash.error().message) };
    return topTrash;
}

Result<QString> Trash::move(const QString& path)
{
    auto location = locationFor(path);
    if (!location)
        return location.error();
    const QString absolute = QFileInfo(path).absoluteFilePath();
    const QString name = QFileInfo(absolute).fileName();
    const QByteArray info = QByteArray("[Trash Info]\nPath=") + QUrl::toPercentEncoding(absolute, "/")
        + "\nDeletionDate=" + QDateTime::currentDateTime().toString(Qt::ISODate).left(19).toLatin1() + '\n';
    for (int attempt = 1; attempt <= MaxNameAttempts; ++attempt) {
        const QString trashName = attempt == 1 ? name : u"%1.%2"_s.arg(name).arg(attempt);
        const QString infoPath = location.value() + u"/info/"_s + trashName + u".trashinfo"_s;
        const QString target = location.value() + u"/files/"_s + trashName;
        const int fd
            = ::open(encoded(infoPath).constData(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0) {
            if (errno == EEXIST)
                continue;
            return Error { Error::Kind::Io, u"cannot write %1: %2"_s.arg(infoPath, errnoText()) };
        }
        const bool written = ::write(fd, info.constData(), size_t(info.size())) == info.size();
        ::close(fd); // the .trashinfo file, never a cache file
        if (!written) {
            ::unlink(encoded(infoPath).constData());
            return Error { Error::Kind::Io, u"cannot write %1: short write"_s.arg(infoPath) };
        }
        struct stat st { };
        if (::lstat(encoded(target).constData(), &st) == 0) {
            ::unlink(encoded(infoPath).constData());
            continue; // the name is taken in files/: try the next one
        }
        if (::rename(encoded(absolute).constData(), encoded(target).constData()) != 0) {
            const QString reason = errnoText();
            ::unlink(encoded(infoPath).constData());
            return Error { Error::Kind::Io,
                u"cannot move %1 to the trash %2: %3"_s.arg(path, location.value(), reason) };
        }
        return target;
    }
    return Error { Error::Kind::Io, u"cannot move %1 to the trash: no free name"_s.arg(path) };
}

Status Trash::restore(const QString& inTrash, const QString& originalPath)
{
    struct stat st { };
    if (::lstat(encoded(originalPath).constData(), &st) == 0)
        return Error { Error::Kind::Io, u"cannot restore %1 from the trash: the name is taken"_s.arg(originalPath) };
    if (::rename(encoded(inTrash).constData(), encoded(originalPath).constData()) != 0)
        return Error { Error::Kind::Io,
            u"cannot restore %1 from the trash (%2): %3"_s.arg(originalPath, inTrash, errnoText()) };
    const QString trash = QFileInfo(QFileInfo(inTrash).absolutePath()).absolutePath();
    ::unlink(encoded(trash + u"/info/"_s + QFileInfo(inTrash).fileName() + u".trashinfo"_s).constData());
    return {};
}
