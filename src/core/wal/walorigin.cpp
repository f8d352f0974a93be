// SPDX-License-Identifier: GPL-3.0-or-later
#include "wal/walorigin.h"

#include "sqlite/database.h"
#include "sqlite/databaseheader.h"
#include "wal/walfile.h"

#include <QFile>
#include <QStringList>

#include <algorithm>
#include <optional>

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

// The newest committed frame of page 1, the whole page (empty when there is none).
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
            pending = frame.mid(FrameHeaderBytes);
        if (be32(f + 4) != 0 && !pending.isEmpty()) // a commit frame: what came before counts
            committed = pending;
    }
    return committed;
}
// A varint of the record format (1-9 bytes); false when it runs past `end`.
bool readVarint(const unsigned char*& p, const unsigned char* end, quint64& value)
{
    value = 0;
    for (int i = 0; i < 9; ++i) {
        if (p >= end)
            return false;
        const unsigned char byte = *p++;
        if (i == 8) {
            value = (value << 8) | byte;
            return true;
        }
        value = (value << 7) | (byte & 0x7f);
        if (!(byte & 0x80))
            return true;
    }
    return true;
}

// The names of the tables in the schema page 1 holds, when page 1 is the schema's only page
// (a leaf): std::nullopt when it is not, or cannot be parsed. Reads only the cells' local bytes.
std::optional<QStringList> schemaTables(const QByteArray& page, quint32 pageSize)
{
    if (quint32(page.size()) < pageSize || pageSize < 512)
        return std::nullopt;
    const auto* base = reinterpret_cast<const unsigned char*>(page.constData());
    const unsigned char* header = base + DatabaseHeader::Size;
    if (header[0] != 0x0d)
        return std::nullopt; // an interior page: the schema spans pages not read here
    const quint32 usable = pageSize - base[20];
    const int cells = (header[3] << 8) | header[4];
    const unsigned char* pageEnd = base + pageSize;
    QStringList tables;
    for (int i = 0; i < cells; ++i) {
        const unsigned char* pointer = header + 8 + 2 * i;
        if (pointer + 2 > pageEnd)
            return std::nullopt;
        const quint32 offset = (quint32(pointer[0]) << 8) | pointer[1];
        if (offset >= pageSize)
            return std::nullopt;
        const unsigned char* p = base + offset;
        quint64 payload = 0, rowid = 0;
        if (!readVarint(p, pageEnd, payload) || !readVarint(p, pageEnd, rowid))
            return std::nullopt;
        const quint64 local = std::min<quint64>(payload, usable - 35);
        const unsigned char* end = std::min(pageEnd, p + local);
        const unsigned char* h = p;
        quint64 headerBytes = 0;
        if (!readVarint(h, end, headerBytes) || headerBytes > quint64(end - p))
            return std::nullopt;
        const unsigned char* headerEnd = p + headerBytes;
        const unsigned char* value = headerEnd;
        QString type, name;
        for (int column = 0; column < 2 && h < headerEnd; ++column) {
            quint64 serial = 0;
            if (!readVarint(h, headerEnd, serial))
                return std::nullopt;
            if (serial < 13 || serial % 2 == 0)
                break; // the schema's type and name are text; anything else is no schema row
            const quint64 length = (serial - 13) / 2;
            if (length > quint64(end - value))
                break; // spills to an overflow page: not read here
            const QString text = QString::fromUtf8(reinterpret_cast<const char*>(value), qsizetype(length));
            (column == 0 ? type : name) = text;
            value += length;
        }
        if (type == u"table"_s && !name.startsWith(u"sqlite_"_s, Qt::CaseInsensitive))
            tables << name;
    }
    return tables;
}

// Why page 1 of the -wal cannot follow from the db file's page 1 by the schema it holds, or
// an empty string. A genuine -wal continues the database: its schema cookie (the schema
// version, offset 40) never goes back, a schema that changed has a newer one, and a cache's
// own writer keeps at least one of its tables.
QString schemaProblem(const QByteArray& walPage, const QByteArray& dbPage, quint32 pageSize)
{
    const auto* w = reinterpret_cast<const unsigned char*>(walPage.constData());
    const auto* d = reinterpret_cast<const unsigned char*>(dbPage.constData());
    const quint32 walCookie = be32(w + 40), dbCookie = be32(d + 40);
    if (walCookie < dbCookie)
        return u"the -wal does not belong to this database: its page 1 has an older schema version (%1, the "
               "database's is %2)."_s.arg(walCookie)
                   .arg(dbCookie);
    const auto walTables = schemaTables(walPage, pageSize);
    const auto dbTables = schemaTables(dbPage, pageSize);
    if (!walTables || !dbTables)
        return {};
    QStringList walSorted = *walTables, dbSorted = *dbTables;
    walSorted.sort();
    dbSorted.sort();
    const auto listed = [](const QStringList& names) {
        return names.size() <= 5 ? names.join(u", "_s) : names.mid(0, 5).join(u", "_s) + u", …"_s;
    };
    if (walCookie == dbCookie && walSorted != dbSorted)
        return u"the -wal does not belong to this database: its page 1 holds another schema (tables %1; the "
               "database's: %2) with the same schema version %3."_s.arg(listed(walSorted), listed(dbSorted))
                   .arg(dbCookie);
    if (!dbSorted.isEmpty() && !walSorted.isEmpty()) {
        bool shared = false;
        for (const QString& table : std::as_const(dbSorted))
            shared = shared || walSorted.contains(table);
        if (!shared)
            return u"the -wal does not belong to this database: its page 1 holds another schema (tables %1), "
                   "without any of the database's tables (%2)."_s.arg(listed(walSorted), listed(dbSorted));
    }
    return {};
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
    QByteArray dbBytes(int(db->pageSize), '\0');
    {
        const int dbFd = ::open(QFile::encodeName(dbPath).constData(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
        if (dbFd < 0 || ::pread(dbFd, dbBytes.data(), size_t(dbBytes.size()), 0) < DatabaseHeader::Size) {
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
    if (const QString schema = schemaProblem(pageOne, dbBytes, db->pageSize); !schema.isEmpty())
        return schema + risk;
    return {};
}

Status refuseForeign(const QString& dbPath, const QString& action)
{
    const QString foreign = problem(dbPath);
    if (foreign.isEmpty())
        return {};
    return Error { Error::Kind::Refused, u"refusing to %1: %2 Nothing was changed."_s.arg(action, foreign) };
}

} // namespace WalOrigin
