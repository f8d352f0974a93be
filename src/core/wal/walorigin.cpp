// SPDX-License-Identifier: GPL-3.0-or-later
#include "wal/walorigin.h"

#include "sqlite/database.h"
#include "sqlite/databaseheader.h"
#include "wal/walfile.h"

#include <QFile>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::Literals::StringLiterals;

namespace {
constexpr int WalHeaderBytes = 32;
constexpr int FrameHeaderBytes = 24;
constexpr qint64 MaxFramesWalked = 1000000; // ~4 GB of 4 KiB pages; stops a runaway walk

quint32 be32(const unsigned char* p)
{
    return (quint32(p[0]) << 24) | (quint32(p[1]) << 16) | (quint32(p[2]) << 8) | quint32(p[3]);
}

// The first 100 bytes of the newest committed frame of page 1 (empty when there is none).
QByteArray newestCommittedPageOne(int fd, quint32& pageSize)
{
    unsigned char header[WalHeaderBytes];
    if (::pread(fd, header, WalHeaderBytes, 0) != WalHeaderBytes)
        return {};
    const quint32 magic = be32(header);
    if (magic != WalFile::MagicLittleEndian && magic != WalFile::MagicBigEndian)
        return {};
    pageSize = be32(header + 8);
    if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) != 0)
        return {};
    const bool bigEndian = magic == WalFile::MagicBigEndian;
    quint32 s0 = 0, s1 = 0;
    WalFile::checksum(header, 24, bigEndian, s0, s1);
    if (s0 != be32(header + 24) || s1 != be32(header + 28))
        return {};
    QByteArray frame(FrameHeaderBytes + int(pageSize), '\0');
    auto* f = reinterpret_cast<unsigned char*>(frame.data());
    QByteArray pending, committed;
    for (qint64 i = 0; i < MaxFramesWalked; ++i) {
        const off_t at = WalHeaderBytes + off_t(i) * frame.size();
        if (::pread(fd, f, size_t(frame.size()), at) != frame.size())
            break;
        if (be32(f + 8) != be32(header + 16) || be32(f + 12) != be32(header + 20))
            break; // salts of an older WAL generation
        WalFile::checksum(f, 8, bigEndian, s0, s1);
        WalFile::checksum(f + FrameHeaderBytes, pageSize, bigEndian, s0, s1);
        if (s0 != be32(f + 16) || s1 != be32(f + 20))
            break;
        if (be32(f) == 1)
            pending = frame.mid(FrameHeaderBytes, DatabaseHeader::Size);
        if (be32(f + 4) != 0 && !pending.isEmpty()) // a commit frame: what came before counts
            committed = pending;
    }
    return committed;
}
} // namespace

namespace WalOrigin {

QString problem(const QString& dbPath)
{
    if (Database::isOpenInProcess(dbPath))
        return {};
    const QString walPath = dbPath + u"-wal"_s;
    struct stat st { };
    if (::lstat(QFile::encodeName(walPath).constData(), &st) != 0 || !S_ISREG(st.st_mode)
        || st.st_size < WalHeaderBytes + FrameHeaderBytes + 512)
        return {};
    auto db = DatabaseHeader::readFrom(dbPath);
    if (!db)
        return {};
    const int fd = ::open(QFile::encodeName(walPath).constData(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return {};
    quint32 walPageSize = 0;
    const QByteArray pageOne = newestCommittedPageOne(fd, walPageSize);
    ::close(fd);
    const QString risk = u" SQLite would still replay it, and a checkpoint would replace the database's content "
                         "with it. If it is not this database's, move it away while no process uses the database."_s;
    if (walPageSize && walPageSize != db->pageSize)
        return u"the -wal does not belong to this database: its pages are %1 bytes, the database's %2 bytes."_s
                   .arg(walPageSize)
                   .arg(db->pageSize)
            + risk;
    if (pageOne.isEmpty())
        return {};
    if (!DatabaseHeader::hasMagic(pageOne))
        return u"the -wal's newest copy of page 1 is not an SQLite database header."_s + risk;
    auto walHeader = DatabaseHeader::parse(pageOne);
    const auto* w = reinterpret_cast<const unsigned char*>(pageOne.constData());
    QByteArray dbBytes(DatabaseHeader::Size, '\0');
    {
        const int dbFd = ::open(QFile::encodeName(dbPath).constData(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
        if (dbFd < 0 || ::pread(dbFd, dbBytes.data(), DatabaseHeader::Size, 0) != DatabaseHeader::Size) {
            if (dbFd >= 0)
                ::close(dbFd);
            return {};
        }
        ::close(dbFd);
    }
    const auto* d = reinterpret_cast<const unsigned char*>(dbBytes.constData());
    if (be32(w + 56) != be32(d + 56) && be32(d + 56) != 0)
        return u"the -wal does not belong to this database: its page 1 has another text encoding."_s + risk;
    if (be32(w + 68) != be32(d + 68))
        return u"the -wal does not belong to this database: its page 1 has another application_id (%1, the "
               "database's is %2)."_s.arg(be32(w + 68))
                   .arg(be32(d + 68))
            + risk;
    if (walHeader && walHeader->changeCounter < db->changeCounter)
        return u"the -wal is older than the database: its newest page 1 has change counter %1, the database file "
               "already %2, so it was left by another database or an earlier copy of this one."_s
                   .arg(walHeader->changeCounter)
                   .arg(db->changeCounter)
            + risk;
    return {};
}

} // namespace WalOrigin
