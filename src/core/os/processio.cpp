// SPDX-License-Identifier: GPL-3.0-or-later
#include "os/processio.h"

#include <QByteArray>
#include <QList>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

using namespace Qt::Literals::StringLiterals;

Result<ProcessIo> ProcessIo::parse(const QByteArray& text)
{
    ProcessIo io;
    bool haveWchar = false;
    bool haveSyscw = false;
    for (const QByteArray& line : text.split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        const QByteArray key = line.left(colon).trimmed();
        bool ok = false;
        const quint64 value = line.mid(colon + 1).trimmed().toULongLong(&ok);
        if (!ok)
            continue;
        if (key == "rchar")
            io.rchar = value;
        else if (key == "wchar")
            haveWchar = true, io.wchar = value;
        else if (key == "syscr")
            io.syscr = value;
        else if (key == "syscw")
            haveSyscw = true, io.syscw = value;
        else if (key == "read_bytes")
            io.readBytes = value;
        else if (key == "write_bytes")
            io.writeBytes = value;
    }
    if (!haveWchar || !haveSyscw)
        return Error { Error::Kind::Corrupt, u"/proc/PID/io has no wchar/syscw line"_s };
    return io;
}

Result<ProcessIo> ProcessIo::read(qint64 pid)
{
    if (pid <= 0)
        return Error { Error::Kind::NotFound, u"no pid"_s };
    const QByteArray path = "/proc/" + QByteArray::number(pid) + "/io";
    const int fd = ::open(path.constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        const int code = errno;
        const auto kind = code == ENOENT || code == ESRCH ? Error::Kind::NotFound
            : code == EACCES || code == EPERM             ? Error::Kind::PermissionDenied
                                                          : Error::Kind::Io;
        return Error { kind,
            u"cannot read %1: %2"_s.arg(QString::fromLatin1(path), QString::fromLocal8Bit(std::strerror(code))) };
    }
    char buffer[512];
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    const int code = errno;
    ::close(fd);
    if (n <= 0) {
        // A process we may not trace gives EACCES on read (the open succeeds).
        const auto kind = n < 0 && (code == EACCES || code == EPERM) ? Error::Kind::PermissionDenied
            : n < 0 && code == ESRCH                                 ? Error::Kind::NotFound
                                                                     : Error::Kind::Io;
        return Error { kind,
            u"cannot read %1: %2"_s.arg(
                QString::fromLatin1(path), n < 0 ? QString::fromLocal8Bit(std::strerror(code)) : u"empty"_s) };
    }
    return parse(QByteArray(buffer, int(n)));
}
