// SPDX-License-Identifier: GPL-3.0-or-later
#include "maintenance/prunebackup.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::Literals::StringLiterals;

namespace {
QString reason(int error)
{
    return QString::fromLocal8Bit(std::strerror(error));
}
} // namespace

Status PruneBackup::check(const QString& path)
{
    if (path.trimmed().isEmpty())
        return Error { Error::Kind::Invalid, u"the backup file name is empty"_s };
    struct stat st { };
    if (::lstat(QFile::encodeName(path).constData(), &st) == 0)
        return Error { Error::Kind::Invalid,
            u"refusing to write the backup to %1: it already exists (give a new file)"_s.arg(path) };
    const QString folder = QFileInfo(path).absolutePath();
    if (!QFileInfo(folder).isDir())
        return Error { Error::Kind::NotFound,
            u"cannot write the backup %1: the folder %2 does not exist"_s.arg(path, folder) };
    if (::access(QFile::encodeName(folder).constData(), W_OK | X_OK) != 0)
        return Error { Error::Kind::PermissionDenied,
            u"cannot write the backup %1: the folder %2 is not writable (%3)"_s.arg(path, folder, reason(errno)) };
    return {};
}

Result<PruneBackup> PruneBackup::create(const QString& path)
{
    if (Status ok = check(path); !ok)
        return ok.error();
    const int fd
        = ::open(QFile::encodeName(path).constData(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
        return Error { errno == EACCES ? Error::Kind::PermissionDenied : Error::Kind::Io,
            u"cannot create the backup %1: %2"_s.arg(path, reason(errno)) };
    return PruneBackup(fd, path);
}

PruneBackup::PruneBackup(int fd, QString path)
    : m_fd(fd)
    , m_path(std::move(path))
{
}

PruneBackup::PruneBackup(PruneBackup&& other) noexcept
    : m_fd(std::exchange(other.m_fd, -1))
    , m_path(std::move(other.m_path))
    , m_pending(std::move(other.m_pending))
    , m_lines(other.m_lines)
{
}

PruneBackup::~PruneBackup()
{
    if (m_fd >= 0)
        ::close(m_fd); // the backup file, never a cache file
}

void PruneBackup::add(const QJsonObject& entry)
{
    m_pending += QJsonDocument(entry).toJson(QJsonDocument::Compact);
    m_pending += '\n';
    ++m_lines;
}

Status PruneBackup::sync()
{
    qsizetype done = 0;
    while (done < m_pending.size()) {
        const ssize_t n = ::write(m_fd, m_pending.constData() + done, size_t(m_pending.size() - done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return Error { Error::Kind::Io, u"writing the backup %1: %2"_s.arg(m_path, reason(errno)) };
        done += n;
    }
    m_pending.clear();
    while (::fdatasync(m_fd) != 0) {
        if (errno != EINTR)
            return Error { Error::Kind::Io, u"syncing the backup %1 to disk: %2"_s.arg(m_path, reason(errno)) };
    }
    return {};
}

QJsonValue PruneBackup::rawJson(const QVariant& value)
{
    if (!value.isValid() || value.isNull())
        return QJsonValue::Null;
    switch (value.typeId()) {
    case QMetaType::QByteArray:
        return QJsonObject { { u"base64"_s, QString::fromLatin1(value.toByteArray().toBase64()) } };
    case QMetaType::LongLong:
        return QJsonValue(value.toLongLong());
    case QMetaType::Double:
        return QJsonValue(value.toDouble());
    case QMetaType::QJsonValue:
        return value.toJsonValue();
    default:
        return QJsonValue(value.toString());
    }
}
