// SPDX-License-Identifier: GPL-3.0-or-later
#include "os/cachefiles.h"

#include <QFile>

#include <sys/stat.h>
#include <sys/statfs.h>

using namespace Qt::Literals::StringLiterals;

CacheFiles::CacheFiles(const QString& dbPath)
    : m_dbPath(dbPath)
{
}

QString CacheFiles::path(Kind kind) const
{
    switch (kind) {
    case Kind::Db:
        return m_dbPath;
    case Kind::Wal:
        return m_dbPath + u"-wal"_s;
    case Kind::Shm:
        return m_dbPath + u"-shm"_s;
    case Kind::Journal:
        return m_dbPath + u"-journal"_s;
    }
    return m_dbPath;
}

CacheFiles::FileInfo CacheFiles::stat(Kind kind) const
{
    FileInfo info;
    info.path = path(kind);
    struct stat st { };
    // lstat: a symlink is reported as what it is, never followed to some other file.
    if (::lstat(QFile::encodeName(info.path).constData(), &st) == 0) {
        info.exists = true;
        info.bytes = st.st_size;
        info.device = st.st_dev;
        info.inode = st.st_ino;
        info.mtimeNs = qint64(st.st_mtim.tv_sec) * 1000000000LL + st.st_mtim.tv_nsec;
    }
    return info;
}

QString CacheFiles::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Db:
        return u"db"_s;
    case Kind::Wal:
        return u"wal"_s;
    case Kind::Shm:
        return u"shm"_s;
    case Kind::Journal:
        return u"journal"_s;
    }
    return {};
}

CacheFiles::Filesystem CacheFiles::filesystemOf(const QString& path)
{
    struct Known {
        unsigned long magic;
        const char* name;
        bool network;
    };
    // Magic numbers from docs/WAL.md §6.
    static const Known known[] = {
        { 0xEF53, "ext4", false },
        { 0x58465342, "xfs", false },
        { 0x9123683E, "btrfs", false },
        { 0x01021994, "tmpfs", false },
        { 0x794c7630, "overlay", false },
        { 0x6969, "nfs", true },
        { 0x517B, "smb", true },
        { 0xFF534D42, "cifs", true },
        { 0xFE534D42, "smb2", true },
        { 0x65735546, "fuse", true },
        { 0x01021997, "9p", true },
        { 0x00C36400, "ceph", true },
        { 0x5346414F, "afs", true },
        { 0x6B414653, "afs", true },
        { 0x7461636F, "ocfs2", true },
        { 0x73757245, "coda", true },
    };
    Filesystem fs;
    struct statfs st { };
    if (::statfs(QFile::encodeName(path).constData(), &st) != 0) {
        fs.type = u"unknown"_s;
        return fs;
    }
    const auto magic = static_cast<unsigned long>(st.f_type) & 0xFFFFFFFFUL;
    for (const auto& k : known) {
        if (k.magic == magic) {
            fs.type = QLatin1String(k.name);
            fs.network = k.network;
            return fs;
        }
    }
    fs.type = u"0x"_s + QString::number(magic, 16);
    return fs;
}
