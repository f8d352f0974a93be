// SPDX-License-Identifier: GPL-3.0-or-later
#include "maintenance/valuecopy.h"

#include "maintenance/valuefiles.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::Literals::StringLiterals;

namespace {

constexpr size_t ChunkBytes = 1 << 16;

QString errnoText()
{
    return QString::fromLocal8Bit(std::strerror(errno));
}

// Creates the folders of relative below root (one at a time, never through a link).
Status makeFolders(const QString& root, const QString& relative, QStringList& created)
{
    QString current = root;
    const QStringList parts = relative.split(u'/');
    for (qsizetype i = 0; i + 1 < parts.size(); ++i) {
        current += u'/' + parts.at(i);
        struct stat st { };
        if (::lstat(QFile::encodeName(current).constData(), &st) == 0) {
            if (!S_ISDIR(st.st_mode))
                return Error { Error::Kind::NotRegularFile, u"%1 in the copy is not a folder"_s.arg(current) };
            continue;
        }
        if (::mkdir(QFile::encodeName(current).constData(), 0755) != 0)
            return Error { Error::Kind::Io, u"cannot create %1: %2"_s.arg(current, errnoText()) };
        created << current;
    }
    return {};
}

// Copies one file; returns the bytes, -1 when the source is gone (ENOENT).
Result<qint64> copyFile(const QString& from, const QString& to, QStringList& created)
{
    const int in = ::open(QFile::encodeName(from).constData(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (in < 0) {
        if (errno == ENOENT)
            return qint64(-1);
        return Error { Error::Kind::Io, u"cannot read the value file %1: %2"_s.arg(from, errnoText()) };
    }
    struct stat st { };
    if (::fstat(in, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(in);
        return Error { Error::Kind::NotRegularFile, u"the value file %1 is not a regular file"_s.arg(from) };
    }
    const int out
        = ::open(QFile::encodeName(to).constData(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (out < 0) {
        const QString reason = errnoText();
        ::close(in);
        return Error { Error::Kind::Io, u"cannot create %1: %2"_s.arg(to, reason) };
    }
    created << to;
    qint64 total = 0;
    QByteArray buffer(ChunkBytes, Qt::Uninitialized);
    Status status;
    for (;;) {
        const ssize_t got = ::read(in, buffer.data(), ChunkBytes);
        if (got == 0)
            break;
        if (got < 0) {
            if (errno == EINTR)
                continue;
            status = Error { Error::Kind::Io, u"cannot read %1: %2"_s.arg(from, errnoText()) };
            break;
        }
        qint64 done = 0;
        while (done < got) {
            const ssize_t wrote = ::write(out, buffer.constData() + done, size_t(got - done));
            if (wrote < 0 && errno == EINTR)
                continue;
            if (wrote <= 0) {
                status = Error { Error::Kind::Io, u"cannot write %1: %2"_s.arg(to, errnoText()) };
                break;
            }
            done += wrote;
        }
        if (!status)
            break;
        total += got;
    }
    ::close(in); // a value file, not an SQLite file: no lock of this process is on it
    if (::close(out) != 0 && status)
        status = Error { Error::Kind::Io, u"cannot write %1: %2"_s.arg(to, errnoText()) };
    if (!status)
        return status.error();
    return total;
}

} // namespace

Result<ValueCopy> ValueCopy::run(const QString& sourceFolder, const QString& intoDbPath)
{
    ValueCopy copy;
    auto references = ValueFiles::read(intoDbPath, 5000, true); // a copy under its temporary name
    if (!references)
        return references.error();
    if (!references->unsafe.isEmpty())
        return Error { Error::Kind::Invalid,
            u"the cache references value files that cannot be copied safely: %1"_s.arg(references->unsafe.first()) };
    const QString target = references->folder;
    // The copy's folder was empty, so every reference is "missing" there; present ones would be odd.
    QList<ValueFiles::File> files = references->missing + references->present;
    for (const ValueFiles::File& file : std::as_const(files)) {
        if (Status status = makeFolders(target, file.relative, copy.createdPaths); !status)
            return Error { status.error().kind, status.error().message };
        auto bytes = copyFile(sourceFolder + u'/' + file.relative, file.path, copy.createdPaths);
        if (!bytes) {
            removeCreated(copy.createdPaths);
            return bytes.error();
        }
        if (bytes.value() < 0) {
            copy.lost << file.relative;
            continue;
        }
        ++copy.copied;
        copy.bytes += bytes.value();
        if (file.expectedBytes >= 0 && bytes.value() != file.expectedBytes)
            copy.changed << file.relative;
    }
    return copy;
}

void ValueCopy::removeCreated(const QStringList& createdPaths)
{
    for (qsizetype i = createdPaths.size() - 1; i >= 0; --i) {
        const QByteArray path = QFile::encodeName(createdPaths.at(i));
        if (::unlink(path.constData()) != 0)
            ::rmdir(path.constData());
    }
}
