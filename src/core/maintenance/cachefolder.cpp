// SPDX-License-Identifier: GPL-3.0-or-later
#include "maintenance/cachefolder.h"

#include <QDir>
#include <QFile>

#include <dirent.h>
#include <sys/stat.h>

using namespace Qt::Literals::StringLiterals;

namespace {

const QString DiskcacheDbName = u"cache.db"_s; // diskcache's DBNAME

bool isRegularFile(const QString& path)
{
    struct stat st { };
    return ::lstat(QFile::encodeName(path).constData(), &st) == 0 && S_ISREG(st.st_mode);
}

bool isShardName(const QString& name)
{
    if (name.size() != 3)
        return false;
    for (QChar c : name) {
        if (c < u'0' || c > u'9')
            return false;
    }
    return true;
}

} // namespace

QString CacheFolder::layoutName(Layout layout)
{
    switch (layout) {
    case Layout::File:
        return u"file"_s;
    case Layout::Diskcache:
        return u"diskcache"_s;
    case Layout::Fanout:
        return u"fanout"_s;
    }
    return {};
}

Result<CacheFolder> CacheFolder::resolve(const QString& path)
{
    CacheFolder folder;
    folder.root = path;
    struct stat st { };
    if (path.isEmpty())
        return Error { Error::Kind::Invalid, u"the cache path is empty"_s };
    if (::lstat(QFile::encodeName(path).constData(), &st) != 0 || !S_ISDIR(st.st_mode)) {
        folder.databases << path;
        return folder;
    }
    const QString absolute = QDir(path).absolutePath();
    if (isRegularFile(absolute + u'/' + DiskcacheDbName)) {
        folder.layout = Layout::Diskcache;
        folder.databases << absolute + u'/' + DiskcacheDbName;
        return folder;
    }
    DIR* directory = ::opendir(QFile::encodeName(absolute).constData());
    if (!directory)
        return Error { Error::Kind::PermissionDenied, u"cannot read the folder %1"_s.arg(path) };
    QStringList shards;
    int seen = 0;
    while (dirent* entry = ::readdir(directory)) {
        if (++seen > 100 * MaxShards)
            break; // a huge folder is no FanoutCache; stop looking
        const QString name = QFile::decodeName(entry->d_name);
        struct stat shard { };
        if (isShardName(name) && ::lstat(QFile::encodeName(absolute + u'/' + name).constData(), &shard) == 0
            && S_ISDIR(shard.st_mode) && isRegularFile(absolute + u'/' + name + u'/' + DiskcacheDbName))
            shards << name;
    }
    ::closedir(directory);
    if (shards.isEmpty())
        return Error { Error::Kind::IsDirectory,
            u"%1 is a directory but not a cache folder: it has no %2 (diskcache) and no shard folders 000/%2, "
            "001/%2, … (FanoutCache)"_s.arg(path, DiskcacheDbName) };
    shards.sort();
    folder.layout = Layout::Fanout;
    folder.shards = shards;
    for (const QString& shard : std::as_const(shards))
        folder.databases << absolute + u'/' + shard + u'/' + DiskcacheDbName;
    return folder;
}
