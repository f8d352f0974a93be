// SPDX-License-Identifier: GPL-3.0-or-later
#include "sqlite/fileprobe.h"

#include <QFile>

#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {
constexpr int WalHeaderBytes = 32;
constexpr int WalFrameHeaderBytes = 24;
} // namespace

namespace FileProbe {

QByteArray native(const QString& path)
{
    return QFile::encodeName(path);
}

int openRegular(const QString& path)
{
    const int fd = ::open(native(path).constData(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return -1;
    struct stat st { };
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        return -1;
    }
    return fd;
}

bool lockedRange(const QString& path, qint64 start, qint64 length)
{
    const int fd = openRegular(path);
    if (fd < 0)
        return false;
    struct flock probe { };
    probe.l_type = F_WRLCK;
    probe.l_whence = SEEK_SET;
    probe.l_start = off_t(start);
    probe.l_len = off_t(length);
    int rc = ::fcntl(fd, F_OFD_GETLK, &probe);
    if (rc != 0) { // kernels before 3.15: F_GETLK sees every other process's locks too
        probe = {};
        probe.l_type = F_WRLCK;
        probe.l_whence = SEEK_SET;
        probe.l_start = off_t(start);
        probe.l_len = off_t(length);
        rc = ::fcntl(fd, F_GETLK, &probe);
    }
    ::close(fd);
    return rc == 0 && probe.l_type != F_UNLCK;
}

FileState stateOf(const QString& path)
{
    FileState state;
    struct stat st { };
    if (::lstat(native(path).constData(), &st) != 0)
        return state;
    state.exists = true;
    state.regular = S_ISREG(st.st_mode);
    state.bytes = qint64(st.st_size);
    state.inode = quint64(st.st_ino);
    state.mtimeNs = qint64(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
    return state;
}

QByteArray readPrefix(const QString& path, int bytes)
{
    const int fd = openRegular(path);
    if (fd < 0)
        return {};
    QByteArray data(bytes, '\0');
    const ssize_t got = ::pread(fd, data.data(), size_t(bytes), 0);
    ::close(fd);
    data.truncate(got > 0 ? int(got) : 0);
    return data;
}

bool walHasFrames(const QString& walPath, qint64 walBytes)
{
    if (walBytes < WalHeaderBytes + WalFrameHeaderBytes + 512)
        return false;
    const QByteArray header = readPrefix(walPath, WalHeaderBytes);
    if (header.size() < WalHeaderBytes)
        return false;
    const auto* p = reinterpret_cast<const unsigned char*>(header.constData());
    const quint32 magic = (quint32(p[0]) << 24) | (quint32(p[1]) << 16) | (quint32(p[2]) << 8) | p[3];
    return magic == 0x377f0682 || magic == 0x377f0683;
}

bool journalIsHot(const QString& journalPath)
{
    static const char magic[] = "\xd9\xd5\x05\xf9\x20\xa1\x63\xd7";
    const QByteArray head = readPrefix(journalPath, 8);
    return head.size() == 8 && std::memcmp(head.constData(), magic, 8) == 0;
}

} // namespace FileProbe
