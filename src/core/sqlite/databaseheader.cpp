// SPDX-License-Identifier: GPL-3.0-or-later
#include "sqlite/databaseheader.h"

#include <QFile>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

using namespace Qt::Literals::StringLiterals;

namespace {
quint32 be32(const QByteArray& b, int offset)
{
    const auto* p = reinterpret_cast<const unsigned char*>(b.constData()) + offset;
    return (quint32(p[0]) << 24) | (quint32(p[1]) << 16) | (quint32(p[2]) << 8) | quint32(p[3]);
}
quint16 be16(const QByteArray& b, int offset)
{
    const auto* p = reinterpret_cast<const unsigned char*>(b.constData()) + offset;
    return quint16((p[0] << 8) | p[1]);
}
} // namespace

// In words a user who never read the file format knows (#28 words; new-user defect 21: "bad header (no "SQLite
// format 3" magic)"): what every SQLite file begins with, and what this one begins with instead, its printable
// ASCII only (the file is untrusted: nothing else of it reaches the message).
QString DatabaseHeader::notSqliteMessage(const QByteArray& bytes)
{
    if (bytes.isEmpty())
        return u"not an SQLite database: the file is empty"_s;
    QString begins;
    for (const char c : bytes.left(16))
        begins += (c >= 0x20 && c < 0x7f) ? QChar::fromLatin1(c) : QChar(u'·');
    return u"not an SQLite database: every SQLite database file begins with the text \"SQLite format 3\", and this "
           "one begins with \"%1\" (· for a byte that is not printable text)"_s.arg(begins);
}

bool DatabaseHeader::hasMagic(const QByteArray& bytes)
{
    static const char magic[] = "SQLite format 3"; // plus its terminating NUL: 16 bytes
    return bytes.size() >= 16 && std::memcmp(bytes.constData(), magic, 16) == 0;
}

Result<DatabaseHeader> DatabaseHeader::parse(const QByteArray& bytes)
{
    if (!hasMagic(bytes))
        return Error { Error::Kind::NotSqlite, notSqliteMessage(bytes) };
    if (bytes.size() < Size)
        return Error { Error::Kind::Corrupt,
            u"truncated: the file ends inside the 100-byte database header (%1 bytes)"_s.arg(bytes.size()) };
    DatabaseHeader h;
    const quint16 rawPageSize = be16(bytes, 16);
    h.pageSize = rawPageSize == 1 ? 65536 : rawPageSize;
    if (h.pageSize < 512 || h.pageSize > 65536 || (h.pageSize & (h.pageSize - 1)) != 0)
        return Error { Error::Kind::Corrupt, u"corrupt header: impossible page size %1"_s.arg(rawPageSize) };
    h.writeVersion = quint8(bytes.at(18));
    h.readVersion = quint8(bytes.at(19));
    h.changeCounter = be32(bytes, 24);
    h.pageCount = be32(bytes, 28);
    h.freelistCount = be32(bytes, 36);
    h.versionValidFor = be32(bytes, 92);
    return h;
}

Result<DatabaseHeader> DatabaseHeader::readFrom(const QString& path)
{
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        const int err = errno;
        if (err == EACCES || err == EPERM)
            return Error { Error::Kind::PermissionDenied, u"permission denied: cannot read %1"_s.arg(path) };
        if (err == ELOOP)
            return Error { Error::Kind::SymbolicLink, u"is a symbolic link: %1"_s.arg(path) };
        return Error { Error::Kind::Io, u"cannot open %1: %2"_s.arg(path, QString::fromLocal8Bit(strerror(err))) };
    }
    QByteArray bytes(Size, '\0');
    const ssize_t got = ::pread(fd, bytes.data(), Size, 0);
    ::close(fd);
    if (got < 0)
        return Error { Error::Kind::Io, u"cannot read %1"_s.arg(path) };
    bytes.truncate(int(got));
    return parse(bytes);
}
