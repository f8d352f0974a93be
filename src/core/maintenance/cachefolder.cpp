// SPDX-License-Identifier: GPL-3.0-or-later
#include "maintenance/cachefolder.h"

#include <QDir>
#include <QFile>

#include <algorithm>

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

bool isDirectory(const QString& path)
{
    struct stat st { };
    return ::lstat(QFile::encodeName(path).constData(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool isHexPair(const QString& name)
{
    return name.size() == 2 && std::all_of(name.begin(), name.end(), [](QChar c) {
        return (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f');
    });
}

// The sub-caches below folder (DIR/cache, DIR/deque or DIR/index), named prefix/REL: every
// folder holding a cache.db. A sub-cache's own value folders (ab/cd/…) are not entered.
void findSubCaches(const QString& folder, const QString& name, int depth, int& budget, QStringList& names)
{
    if (depth > CacheFolder::MaxSubCacheDepth || budget <= 0)
        return;
    const bool isCache = depth > 0 && isRegularFile(folder + u'/' + DiskcacheDbName);
    if (isCache)
        names << name;
    DIR* directory = ::opendir(QFile::encodeName(folder).constData());
    if (!directory)
        return;
    QStringList children;
    while (dirent* entry = ::readdir(directory)) {
        if (--budget <= 0)
            break; // a huge tree is no FanoutCache's; stop looking
        const QString child = QFile::decodeName(entry->d_name);
        if (child == u"."_s || child == u".."_s || (isCache && isHexPair(child)))
            continue;
        if (isDirectory(folder + u'/' + child))
            children << child;
    }
    ::closedir(directory);
    children.sort();
    for (const QString& child : std::as_const(children))
        findSubCaches(folder + u'/' + child, name + u'/' + child, depth + 1, budget, names);
}

} // namespace

QStringList CacheFolder::labels() const
{
    if (layout != Layout::Fanout)
        return databases;
    return shards + subCaches;
}

QString CacheFolder::partName(qsizetype i) const
{
    if (layout != Layout::Fanout)
        return databases.value(i);
    return i < databases.size() ? u"shard "_s + shards.value(i)
                                : u"sub-cache "_s + subCaches.value(i - databases.size());
}

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
    const QString absolute = QDir::cleanPath(QDir(path).absolutePath());
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
    int budget = 100 * MaxShards;
    for (const QString& kind : { u"cache"_s, u"deque"_s, u"index"_s })
        findSubCaches(absolute + u'/' + kind, kind, 0, budget, folder.subCaches);
    for (const QString& name : std::as_const(folder.subCaches))
        folder.subCacheDatabases << absolute + u'/' + name + u'/' + DiskcacheDbName;
    return folder;
}
