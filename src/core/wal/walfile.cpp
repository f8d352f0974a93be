// SPDX-License-Identifier: GPL-3.0-or-later
#include "wal/walfile.h"

#include <QFile>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

using namespace Qt::Literals::StringLiterals;

namespace {
constexpr qint64 HeaderBytes = 32;
constexpr qint64 FrameHeaderBytes = 24;
constexpr qint64 ChunkBytes = 1 << 20;

quint32 be32(const unsigned char* p)
{
    return (quint32(p[0]) << 24) | (quint32(p[1]) << 16) | (quint32(p[2]) << 8) | quint32(p[3]);
}
quint32 le32(const unsigned char* p)
{
    return (quint32(p[3]) << 24) | (quint32(p[2]) << 16) | (quint32(p[1]) << 8) | quint32(p[0]);
}

// pread until size bytes or end of file; returns bytes read, -1 on error.
qint64 readFully(int fd, unsigned char* buffer, qint64 size, qint64 offset)
{
    qint64 done = 0;
    while (done < size) {
        const ssize_t n = ::pread(fd, buffer + done, size_t(size - done), off_t(offset + done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (n == 0)
            break;
        done += n;
    }
    return done;
}
} // namespace

WalFile::WalFile(const QString& path)
    : m_path(path)
{
}

WalFile::~WalFile()
{
    closeFd();
}

void WalFile::checksum(const unsigned char* data, qint64 size, bool bigEndian, quint32& s0, quint32& s1)
{
    for (qint64 i = 0; i + 8 <= size; i += 8) {
        const quint32 x0 = bigEndian ? be32(data + i) : le32(data + i);
        const quint32 x1 = bigEndian ? be32(data + i + 4) : le32(data + i + 4);
        s0 += x0 + s1;
        s1 += x1 + s0;
    }
}

void WalFile::release()
{
    const quint64 inode = m_inode;
    closeFd();
    m_releasedInode = inode;
}

void WalFile::closeFd()
{
    if (m_fd >= 0)
        ::close(m_fd);
    m_fd = -1;
    m_inode = 0;
}

bool WalFile::ensureOpen()
{
    const QByteArray name = QFile::encodeName(m_path);
    struct stat st { };
    const bool present = ::lstat(name.constData(), &st) == 0;
    if (m_fd >= 0 && present && st.st_ino == m_inode)
        return true;
    // The -wal was deleted or replaced: the fd points at an inode nobody will write again.
    closeFd();
    if (!present) {
        setInvalid(State::Absent, QString());
        return false;
    }
    // O_NONBLOCK so a FIFO named like a -wal cannot block us; checked to be a regular file below.
    const int fd = ::open(name.constData(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        const int err = errno;
        setInvalid(State::Unreadable,
            err == ELOOP ? u"the -wal is a symbolic link; not followed"_s
                         : u"cannot open the -wal: %1"_s.arg(QString::fromLocal8Bit(::strerror(err))));
        return false;
    }
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        setInvalid(State::Unreadable, u"the -wal is not a regular file"_s);
        return false;
    }
    m_fd = fd;
    m_inode = st.st_ino;
    if (m_inode != m_releasedInode)
        m_haveHeader = false; // a new file: its first header is not a reset we saw happen
    m_releasedInode = 0;
    return true;
}

void WalFile::setInvalid(State state, const QString& problem)
{
    m_summary.state = state;
    if (state == State::Absent) {
        m_summary.inode = 0;
        m_summary.deleted = false;
    }
    m_summary.problem = problem;
    m_summary.validFrames = 0;
    m_summary.commitFrames = 0;
    m_summary.lastCommitFrame = 0;
    m_summary.stop = Stop::None;
    if (state == State::Absent || state == State::Unreadable)
        m_summary.fileBytes = 0;
    m_resumeOffset = 0; // start over from the header next time
}

bool WalFile::readHeader(qint64 fileBytes, Header& header)
{
    if (fileBytes == 0) {
        setInvalid(State::Empty, QString());
        return false;
    }
    unsigned char raw[HeaderBytes];
    const qint64 got = fileBytes < HeaderBytes ? -2 : readFully(m_fd, raw, HeaderBytes, 0);
    m_summary.bytesRead += std::max<qint64>(got, 0);
    if (got != HeaderBytes) {
        setInvalid(State::TruncatedHeader, u"the -wal is %1 bytes, shorter than its 32-byte header"_s.arg(fileBytes));
        return false;
    }
    header.magic = be32(raw);
    header.bigEndianChecksum = (header.magic & 1) != 0;
    header.version = be32(raw + 4);
    header.pageSize = be32(raw + 8);
    header.checkpointSeq = be32(raw + 12);
    header.salt1 = be32(raw + 16);
    header.salt2 = be32(raw + 20);
    header.checksum1 = be32(raw + 24);
    header.checksum2 = be32(raw + 28);
    m_summary.header = header;
    if (header.magic != MagicLittleEndian && header.magic != MagicBigEndian) {
        setInvalid(State::BadMagic, u"not a WAL file: bad magic 0x%1"_s.arg(header.magic, 8, 16, QLatin1Char('0')));
        return false;
    }
    if (header.version != Version) {
        setInvalid(State::BadVersion, u"unknown WAL format version %1"_s.arg(header.version));
        return false;
    }
    const quint32 ps = header.pageSize;
    if (ps < 512 || ps > 65536 || (ps & (ps - 1)) != 0) {
        setInvalid(State::BadPageSize, u"impossible WAL page size %1"_s.arg(ps));
        return false;
    }
    quint32 s0 = 0, s1 = 0;
    checksum(raw, 24, header.bigEndianChecksum, s0, s1);
    if (s0 != header.checksum1 || s1 != header.checksum2) {
        setInvalid(State::BadHeaderChecksum, u"the WAL header checksum does not match: the -wal is corrupt"_s);
        return false;
    }
    return true;
}

void WalFile::restart(const Header& header)
{
    m_haveHeader = true;
    m_resumeOffset = HeaderBytes;
    m_resumeFrame = 0;
    m_resumeCommits = 0;
    m_resumeS0 = header.checksum1;
    m_resumeS1 = header.checksum2;
}

bool WalFile::checkFrame(const unsigned char* frame, quint32& s0, quint32& s1)
{
    const Header& h = m_summary.header;
    if (be32(frame) == 0) {
        m_summary.stop = Stop::ZeroPageNumber;
        return false;
    }
    if (be32(frame + 8) != h.salt1 || be32(frame + 12) != h.salt2) {
        m_summary.stop = Stop::SaltMismatch;
        return false;
    }
    quint32 c0 = s0, c1 = s1;
    checksum(frame, 8, h.bigEndianChecksum, c0, c1);
    checksum(frame + FrameHeaderBytes, h.pageSize, h.bigEndianChecksum, c0, c1);
    if (c0 != be32(frame + 16) || c1 != be32(frame + 20)) {
        m_summary.stop = Stop::ChecksumMismatch;
        return false;
    }
    s0 = c0;
    s1 = c1;
    return true;
}

void WalFile::walkFrames(qint64 fileBytes)
{
    Summary& s = m_summary;
    const qint64 frameBytes = s.frameBytes();
    qint64 offset = m_resumeOffset;
    qint64 frame = m_resumeFrame;
    quint32 s0 = m_resumeS0, s1 = m_resumeS1;
    s.commitFrames = m_resumeCommits;
    s.lastCommitFrame = m_resumeFrame;
    s.stop = Stop::EndOfFile;
    const qint64 framesPerChunk = std::max<qint64>(1, ChunkBytes / frameBytes);
    std::vector<unsigned char> buffer;
    bool walking = true;
    while (walking) {
        const qint64 remaining = fileBytes - offset;
        if (remaining < frameBytes) {
            s.stop = remaining == 0 ? Stop::EndOfFile : Stop::TruncatedFrame;
            break;
        }
        const qint64 want = std::min(framesPerChunk, remaining / frameBytes) * frameBytes;
        buffer.resize(size_t(want));
        const qint64 got = readFully(m_fd, buffer.data(), want, offset);
        s.bytesRead += std::max<qint64>(got, 0);
        if (got < frameBytes) {
            s.stop = Stop::TruncatedFrame; // the file shrank under us; the next update starts over
            break;
        }
        for (qint64 at = 0; at + frameBytes <= got; at += frameBytes) {
            if (!checkFrame(buffer.data() + at, s0, s1)) {
                walking = false;
                break;
            }
            ++frame;
            offset += frameBytes;
            if (be32(buffer.data() + at + 4) != 0) {
                ++s.commitFrames;
                s.lastCommitFrame = frame;
                m_resumeOffset = offset;
                m_resumeFrame = frame;
                m_resumeCommits = s.commitFrames;
                m_resumeS0 = s0;
                m_resumeS1 = s1;
            }
        }
    }
    s.validFrames = frame;
    s.state = State::Valid;
    s.problem.clear();
}

const WalFile::Summary& WalFile::update()
{
    m_summary.bytesRead = 0;
    if (!ensureOpen())
        return m_summary;
    struct stat st { };
    if (::fstat(m_fd, &st) != 0) {
        setInvalid(State::Unreadable, u"cannot stat the -wal"_s);
        return m_summary;
    }
    const qint64 fileBytes = st.st_size;
    m_summary.fileBytes = fileBytes;
    m_summary.inode = quint64(st.st_ino);
    m_summary.deleted = st.st_nlink == 0; // the last connection closed between lstat and here
    Header header;
    if (!readHeader(fileBytes, header))
        return m_summary;
    const Header& old = m_lastHeader;
    const bool changed = old.magic != header.magic || old.pageSize != header.pageSize
        || old.checkpointSeq != header.checkpointSeq || old.salt1 != header.salt1 || old.salt2 != header.salt2;
    if (m_haveHeader && changed)
        ++m_summary.resetsSeen;
    if (!m_haveHeader || changed || m_resumeOffset < HeaderBytes || fileBytes < m_resumeOffset)
        restart(header);
    m_lastHeader = header;
    walkFrames(fileBytes);
    return m_summary;
}

QString WalFile::stateName(State state)
{
    switch (state) {
    case State::Absent:
        return u"absent"_s;
    case State::Unreadable:
        return u"unreadable"_s;
    case State::Empty:
        return u"empty"_s;
    case State::TruncatedHeader:
        return u"truncated_header"_s;
    case State::BadMagic:
        return u"bad_magic"_s;
    case State::BadVersion:
        return u"bad_version"_s;
    case State::BadPageSize:
        return u"bad_page_size"_s;
    case State::BadHeaderChecksum:
        return u"bad_header_checksum"_s;
    case State::Valid:
        return u"valid"_s;
    }
    return {};
}

QString WalFile::stopName(Stop stop)
{
    switch (stop) {
    case Stop::None:
        return u"none"_s;
    case Stop::EndOfFile:
        return u"end_of_file"_s;
    case Stop::TruncatedFrame:
        return u"truncated_frame"_s;
    case Stop::ZeroPageNumber:
        return u"zero_page_number"_s;
    case Stop::SaltMismatch:
        return u"salt_mismatch"_s;
    case Stop::ChecksumMismatch:
        return u"checksum_mismatch"_s;
    }
    return {};
}
