// SPDX-License-Identifier: GPL-3.0-or-later
#include "wal/walindex.h"

#include <QFile>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

using namespace Qt::Literals::StringLiterals;

namespace {
constexpr int CopyBytes = 48;
constexpr int CheckpointInfoOffset = 96;
constexpr int CheckpointInfoBytes = 40; // nBackfill, aReadMark[5], aLock[8], nBackfillAttempted
constexpr off_t DmsByte = 128;

quint32 nativeWord(const char* bytes, int offset)
{
    quint32 value = 0;
    std::memcpy(&value, bytes + offset, sizeof value);
    return value;
}

quint32 bigEndianWord(const char* bytes, int offset)
{
    const auto* b = reinterpret_cast<const unsigned char*>(bytes + offset);
    return (quint32(b[0]) << 24) | (quint32(b[1]) << 16) | (quint32(b[2]) << 8) | quint32(b[3]);
}

// The WAL checksum over bytes 0..39 of one header copy, words in host order (§1, §2).
std::array<quint32, 2> headerChecksum(const char* copy)
{
    quint32 s0 = 0;
    quint32 s1 = 0;
    for (int offset = 0; offset < 40; offset += 8) {
        s0 += nativeWord(copy, offset) + s1;
        s1 += nativeWord(copy, offset + 4) + s0;
    }
    return { s0, s1 };
}

Error corrupt(const QString& reason)
{
    return Error { Error::Kind::Corrupt, u"not a valid WAL index (-shm): "_s + reason };
}

Error fromErrno(int code, const QString& path)
{
    const QString where = u" (%1)"_s.arg(path);
    switch (code) {
    case ENOENT:
        return Error { Error::Kind::NotFound, u"no WAL index file"_s + where };
    case ELOOP:
        return Error { Error::Kind::SymbolicLink, u"the WAL index is a symbolic link; not followed"_s + where };
    case EACCES:
    case EPERM:
        return Error { Error::Kind::PermissionDenied, u"permission denied"_s + where };
    default:
        return Error { Error::Kind::Io, QString::fromLocal8Bit(std::strerror(code)) + where };
    }
}

void backOff()
{
    const timespec delay { 0, 100 * 1000 }; // 100 µs, as SQLite's own readers back off
    ::nanosleep(&delay, nullptr);
}
} // namespace

WalIndex::WalIndex(const QString& shmPath)
    : m_path(shmPath)
{
}

WalIndex::~WalIndex()
{
    close();
}

QString WalIndex::livenessName(Liveness liveness)
{
    switch (liveness) {
    case Liveness::Live:
        return u"live"_s;
    case Liveness::Initialising:
        return u"initialising"_s;
    case Liveness::Stale:
        return u"stale"_s;
    }
    return {};
}

void WalIndex::close()
{
    if (m_fd >= 0)
        ::close(m_fd);
    m_fd = -1;
}

Status WalIndex::ensureOpen()
{
    const QByteArray path = QFile::encodeName(m_path);
    struct stat st { };
    if (::lstat(path.constData(), &st) != 0) {
        const int code = errno;
        close(); // the -shm we had is gone (last connection closed): let the inode go
        return fromErrno(code, m_path);
    }
    if (m_fd >= 0 && st.st_dev == m_device && st.st_ino == m_inode)
        return {};
    close();
    if (S_ISLNK(st.st_mode))
        return fromErrno(ELOOP, m_path);
    if (S_ISDIR(st.st_mode))
        return Error { Error::Kind::IsDirectory, u"the WAL index path is a directory (%1)"_s.arg(m_path) };
    if (!S_ISREG(st.st_mode))
        return Error { Error::Kind::NotRegularFile, u"the WAL index is not a regular file (%1)"_s.arg(m_path) };
    // O_NONBLOCK: should a FIFO be swapped in after the lstat, open() must not hang on it.
    const int fd = ::open(path.constData(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return fromErrno(errno, m_path);
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        return Error { Error::Kind::NotRegularFile, u"the WAL index is not a regular file (%1)"_s.arg(m_path) };
    }
    m_fd = fd;
    m_device = st.st_dev;
    m_inode = st.st_ino;
    return {};
}

Result<WalIndex::Liveness> WalIndex::probeDms() const
{
    struct flock lock { };
    lock.l_type = F_WRLCK;
    lock.l_whence = SEEK_SET;
    lock.l_start = DmsByte;
    lock.l_len = 1;
    lock.l_pid = 0;
    // F_OFD_GETLK only asks; it never takes a lock, and unlike F_GETLK it also sees the
    // calling process's own POSIX locks.
    if (::fcntl(m_fd, F_OFD_GETLK, &lock) != 0)
        return fromErrno(errno, m_path);
    if (lock.l_type == F_UNLCK)
        return Liveness::Stale;
    return lock.l_type == F_WRLCK ? Liveness::Initialising : Liveness::Live;
}

Result<WalIndex::Header> WalIndex::parse(const QByteArray& bytes)
{
    if (bytes.isEmpty())
        return Error { Error::Kind::EmptyFile, u"the WAL index (-shm) is empty"_s };
    if (bytes.size() < HeaderBytes)
        return corrupt(u"too short (%1 of %2 header bytes)"_s.arg(bytes.size()).arg(HeaderBytes));
    const char* first = bytes.constData();
    if (std::memcmp(first, first + CopyBytes, CopyBytes) != 0)
        return corrupt(u"the two header copies differ"_s);
    Header header;
    header.version = nativeWord(first, 0);
    if (header.version != Version)
        return corrupt(u"version %1, expected %2"_s.arg(header.version).arg(Version));
    if (first[12] == 0)
        return corrupt(u"header not initialised"_s);
    const auto checksum = headerChecksum(first);
    if (checksum[0] != nativeWord(first, 40) || checksum[1] != nativeWord(first, 44))
        return corrupt(u"header checksum mismatch"_s);
    header.commitCounter = nativeWord(first, 8);
    header.bigEndianChecksum = first[13] != 0;
    quint16 rawPageSize = 0;
    std::memcpy(&rawPageSize, first + 14, sizeof rawPageSize);
    header.pageSize = qint64(rawPageSize & 0xfe00) + (qint64(rawPageSize & 1) << 16);
    header.committedFrame = nativeWord(first, 16);
    header.dbPages = nativeWord(first, 20);
    header.salt1 = bigEndianWord(first, 32);
    header.salt2 = bigEndianWord(first, 36);
    header.backfilled = nativeWord(first, CheckpointInfoOffset);
    for (int i = 0; i < 5; ++i)
        header.readMarks[size_t(i)] = nativeWord(first, CheckpointInfoOffset + 4 + 4 * i);
    header.backfillAttempted = nativeWord(first, 128);
    if (header.backfilled > header.committedFrame)
        return corrupt(u"nBackfill %1 beyond mxFrame %2"_s.arg(header.backfilled).arg(header.committedFrame));
    return header;
}

Result<WalIndex::Header> WalIndex::readConsistent()
{
    QByteArray bytes(HeaderBytes, '\0');
    char* data = bytes.data();
    const ssize_t first = ::pread(m_fd, data, CopyBytes, 0);
    // Writers update copy 2, then copy 1: read copy 1 first, then copy 2, in that order.
    std::atomic_thread_fence(std::memory_order_seq_cst);
    const ssize_t second = ::pread(m_fd, data + CopyBytes, CopyBytes, CopyBytes);
    const ssize_t info = ::pread(m_fd, data + CheckpointInfoOffset, CheckpointInfoBytes, CheckpointInfoOffset);
    if (first < 0 || second < 0 || info < 0)
        return fromErrno(errno, m_path);
    const qint64 total = first == CopyBytes && second == CopyBytes ? CheckpointInfoOffset + info : first + second;
    bytes.truncate(int(total));
    return parse(bytes);
}

Result<WalIndex::Liveness> WalIndex::liveness()
{
    if (Status opened = ensureOpen(); !opened)
        return opened.error();
    return probeDms();
}

Result<WalIndex::Header> WalIndex::read()
{
    if (Status opened = ensureOpen(); !opened)
        return opened.error();
    Error last { Error::Kind::Locked, u"the WAL index is being initialised (DMS byte write-locked)"_s };
    for (int attempt = 1; attempt <= MaxAttempts; ++attempt) {
        auto liveness = probeDms();
        if (!liveness)
            return liveness.error();
        if (liveness.value() != Liveness::Initialising) {
            auto header = readConsistent();
            struct stat st { };
            if (header && ::fstat(m_fd, &st) == 0 && st.st_nlink == 0) {
                // The last connection deleted the -shm while we read it: say so, trust nothing.
                close();
                return Error { Error::Kind::NotFound,
                    u"the WAL index was deleted while it was read (%1)"_s.arg(m_path) };
            }
            if (header) {
                header->liveness = liveness.value();
                header->attempts = attempt;
                return header;
            }
            // Nobody is writing a stale or empty file: retrying would not change its bytes.
            if (liveness.value() == Liveness::Stale || header.error().kind != Error::Kind::Corrupt)
                return header.error();
            last = header.error();
        }
        backOff();
    }
    return last;
}
