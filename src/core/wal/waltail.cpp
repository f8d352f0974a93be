// SPDX-License-Identifier: GPL-3.0-or-later
#include "wal/waltail.h"

#include <QFile>

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::Literals::StringLiterals;

namespace {
constexpr quint32 MagicLittleEndian = 0x377f0682;
constexpr quint32 MagicBigEndian = 0x377f0683;
constexpr quint32 Version = 3007000;

quint32 be32(const unsigned char* p)
{
    return (quint32(p[0]) << 24) | (quint32(p[1]) << 16) | (quint32(p[2]) << 8) | quint32(p[3]);
}

bool preadAll(int fd, unsigned char* buffer, size_t size, qint64 offset)
{
    size_t done = 0;
    while (done < size) {
        const ssize_t n = ::pread(fd, buffer + done, size - done, off_t(offset + qint64(done)));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        done += size_t(n);
    }
    return true;
}
} // namespace

WalTail::WalTail(int fd, quint64 device, quint64 inode)
    : m_fd(fd)
    , m_device(device)
    , m_inode(inode)
{
}

WalTail::~WalTail()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

WalTail* WalTail::open(const QString& path)
{
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return nullptr;
    struct stat st { };
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        errno = EINVAL;
        return nullptr;
    }
    return new WalTail(fd, quint64(st.st_dev), quint64(st.st_ino));
}

bool WalTail::unlinked() const
{
    struct stat st { };
    return ::fstat(m_fd, &st) == 0 && st.st_nlink == 0;
}

bool WalTail::readHeader(qint64 fileBytes, Header& header) const
{
    unsigned char raw[32];
    if (fileBytes < 32 || !preadAll(m_fd, raw, sizeof raw, 0))
        return false;
    const quint32 magic = be32(raw);
    if ((magic != MagicLittleEndian && magic != MagicBigEndian) || be32(raw + 4) != Version)
        return false;
    const quint32 page = be32(raw + 8);
    if (page < 512 || page > 65536 || (page & (page - 1)) != 0)
        return false;
    header.pageSize = page;
    header.salt1 = be32(raw + 16);
    header.salt2 = be32(raw + 20);
    return true;
}

void WalTail::walk(qint64 fileBytes, Read& read, bool count, quint32* stopSalt1, quint32* stopSalt2)
{
    m_pending = 0;
    for (qint64 frame = m_next;; ++frame) {
        const qint64 offset = frameOffset(frame);
        unsigned char raw[24];
        if (offset + 24 > fileBytes || !preadAll(m_fd, raw, sizeof raw, offset))
            return;
        const quint32 salt1 = be32(raw + 8);
        const quint32 salt2 = be32(raw + 12);
        if (be32(raw) == 0 || salt1 != m_header.salt1 || salt2 != m_header.salt2) {
            if (stopSalt1)
                *stopSalt1 = salt1, *stopSalt2 = salt2;
            return;
        }
        ++m_pending;
        if (be32(raw + 4) != 0) { // "database size after commit": the last frame of a transaction
            if (count) {
                ++read.commits;
                read.frames += m_pending;
            }
            m_pending = 0;
            m_next = frame + 1;
        }
    }
}

WalTail::Read WalTail::read(WalGenerations& generations, bool count)
{
    Read read;
    struct stat st { };
    if (::fstat(m_fd, &st) != 0)
        return read;
    const qint64 bytes = st.st_size;
    if (m_haveHeader && bytes < frameOffset(m_next)) {
        // Truncated below what was read (a TRUNCATE checkpoint, journal_size_limit): frames of a
        // transaction seen in progress may have been committed and cut off unread.
        if (m_pending > 0)
            read.missed = u"a -wal was truncated while a transaction's frames were still unread"_s;
        m_haveHeader = false;
        m_pending = 0;
    }
    Header header;
    if (!readHeader(bytes, header))
        return read; // empty, or a header not (yet) written
    const quint64 generation = WalGenerations::key(header.salt1, header.salt2);
    if (m_haveHeader && (header.salt1 != m_header.salt1 || header.salt2 != m_header.salt2)) {
        // A reset: the old generation's frames past the new one's are still there; read them with
        // the old salts first. If the new generation already overwrote the frame where reading
        // stopped, frames of the old one may have been lost unread.
        quint32 stop1 = 0, stop2 = 0;
        walk(bytes, read, count, &stop1, &stop2);
        generations.record(WalGenerations::key(m_header.salt1, m_header.salt2), m_next - 1);
        if (stop1 == header.salt1 && stop2 == header.salt2)
            read.missed = u"a -wal was reset and rewritten past the last frame read before it was read"_s;
        else if (header.salt1 != m_header.salt1 + 1) // salt-1 grows by one per reset
            read.missed = u"a -wal was reset more than once between two reads: the frames in between were not read"_s;
        m_haveHeader = false;
    }
    if (!m_haveHeader) {
        m_header = header;
        m_haveHeader = true;
        m_next = generations.countedUpTo(generation) + 1;
        m_pending = 0;
    }
    walk(bytes, read, count);
    generations.record(generation, m_next - 1);
    return read;
}
