// SPDX-License-Identifier: GPL-3.0-or-later
#include "maintenance/valuefiles.h"

#include "sqlite/database.h"
#include "sqlite/statement.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSet>

#include <sqlite3.h>

#include <dirent.h>
#include <sys/stat.h>

using namespace Qt::Literals::StringLiterals;

namespace {

constexpr int MaxReferenceLength = 1024;
constexpr int MaxComponents = 8;

bool isHexPair(const QString& name)
{
    if (name.size() != 2)
        return false;
    for (QChar c : name) {
        if (!((c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f')))
            return false;
    }
    return true;
}

// Fills file from lstat; returns an empty string when it is a regular file or missing,
// else why it is unsafe. Every folder on the way must be a real directory.
QString locate(const QString& folder, ValueFiles::File& file)
{
    const QString& relative = file.relative;
    if (relative.isEmpty() || relative.size() > MaxReferenceLength || relative.contains(QChar(0)))
        return u"value file name %1 is empty, too long or has a NUL"_s.arg(relative.left(80));
    if (relative.startsWith(u'/') || relative.contains(u'\\'))
        return u"value file name %1 is not a plain relative path"_s.arg(relative);
    const QStringList parts = relative.split(u'/');
    if (parts.size() > MaxComponents)
        return u"value file name %1 has too many folders"_s.arg(relative);
    for (const QString& part : parts) {
        if (part.isEmpty() || part == u"."_s || part == u".."_s)
            return u"value file name %1 leaves the cache folder or is not normalized"_s.arg(relative);
    }
    QString current = folder;
    for (qsizetype i = 0; i < parts.size(); ++i) {
        current += u'/' + parts.at(i);
        struct stat st { };
        if (::lstat(QFile::encodeName(current).constData(), &st) != 0)
            return {}; // missing (a folder on the way or the file itself)
        const bool last = i == parts.size() - 1;
        if (S_ISLNK(st.st_mode))
            return u"value file %1 passes through the symbolic link %2"_s.arg(relative, current);
        if (!last && !S_ISDIR(st.st_mode))
            return u"value file %1: %2 is not a folder"_s.arg(relative, current);
        if (last && !S_ISREG(st.st_mode))
            return u"value file %1 is not a regular file"_s.arg(relative);
        if (last) {
            file.bytes = st.st_size;
            file.device = st.st_dev;
            file.inode = st.st_ino;
        }
    }
    return {};
}

// Regular files in folder/xx/yy/ (two hex-pair levels, links not followed).
QList<ValueFiles::File> filesInValueFolders(const QString& folder, bool& truncated)
{
    QList<ValueFiles::File> files;
    qint64 seen = 0;
    const auto list = [&](const QString& relative, bool wantDirectories) {
        QStringList names;
        DIR* directory = ::opendir(QFile::encodeName(folder + u'/' + relative).constData());
        if (!directory)
            return names;
        while (dirent* entry = ::readdir(directory)) {
            if (++seen > ValueFiles::MaxOrphanWalk) {
                truncated = true;
                break;
            }
            const QString name = QFile::decodeName(entry->d_name);
            if (name == u"."_s || name == u".."_s)
                continue;
            struct stat st { };
            const QString path = folder + u'/' + (relative.isEmpty() ? name : relative + u'/' + name);
            if (::lstat(QFile::encodeName(path).constData(), &st) != 0)
                continue;
            if (wantDirectories ? (S_ISDIR(st.st_mode) && isHexPair(name)) : S_ISREG(st.st_mode)) {
                names << name;
                if (!wantDirectories) {
                    ValueFiles::File file;
                    file.relative = relative + u'/' + name;
                    file.path = path;
                    file.bytes = st.st_size;
                    file.device = st.st_dev;
                    file.inode = st.st_ino;
                    files << file;
                }
            }
        }
        ::closedir(directory); // a directory stream, never a cache file
        return names;
    };
    for (const QString& first : list(QString(), true)) {
        for (const QString& second : list(first, true))
            list(first + u'/' + second, false);
    }
    return files;
}

} // namespace

Result<ValueFiles> ValueFiles::read(const QString& dbPath, int busyTimeoutMs, bool anyName)
{
    ValueFiles values;
    values.folder = QFileInfo(dbPath).absolutePath();
    // diskcache only ever uses DIR/cache.db: a copy beside it (cache.db.bak) names the same value
    // files, which belong to the live cache, never to the copy.
    if (!anyName && QFileInfo(dbPath).fileName() != u"cache.db"_s)
        return values;
    QList<File> references;
    {
        Database::Options options;
        options.mode = Database::Mode::ReadOnly;
        options.busyTimeoutMs = busyTimeoutMs;
        auto database = Database::open(dbPath, options);
        if (!database)
            return database.error();
        auto tables = database.value()->tables();
        if (!tables)
            return tables.error();
        if (!tables->contains(u"Cache"_s) || !tables->contains(u"Settings"_s))
            return values;
        auto statement = Statement::prepare(
            database.value()->handle(), u"SELECT filename, size FROM Cache WHERE filename IS NOT NULL"_s);
        if (!statement)
            return values; // a table named Cache without diskcache's columns
        values.isDiskcache = true;
        int rc;
        while ((rc = statement->step()) == SQLITE_ROW) {
            if (references.size() >= MaxReferences)
                return Error { Error::Kind::Invalid,
                    u"%1 references more than %2 value files; refusing to handle it"_s.arg(dbPath).arg(MaxReferences) };
            File file;
            file.relative = statement->column(0).toString();
            file.expectedBytes = statement->column(1).toLongLong();
            references << file;
        }
        if (rc != SQLITE_DONE)
            return database.value()->lastError(u"reading the value file names of %1"_s.arg(dbPath));
    } // statement finalized and connection closed here: no read transaction remains
    QSet<QString> referenced;
    for (File& file : references) {
        file.path = values.folder + u'/' + file.relative;
        if (const QString reason = locate(values.folder, file); !reason.isEmpty()) {
            values.unsafe << reason;
            continue;
        }
        referenced.insert(file.relative);
        (file.bytes < 0 ? values.missing : values.present) << file;
    }
    for (const File& file : filesInValueFolders(values.folder, values.orphanWalkTruncated)) {
        if (!referenced.contains(file.relative))
            values.orphans << file;
    }
    return values;
}

qint64 ValueFiles::presentBytes() const
{
    qint64 total = 0;
    for (const File& file : present)
        total += file.bytes;
    return total;
}

qint64 ValueFiles::orphanBytes() const
{
    qint64 total = 0;
    for (const File& file : orphans)
        total += file.bytes;
    return total;
}

QStringList ValueFiles::foldersOf(const QList<File>& files)
{
    QSet<QString> folders;
    for (const File& file : files) {
        QString relative = file.relative;
        for (qsizetype slash = relative.lastIndexOf(u'/'); slash > 0; slash = relative.lastIndexOf(u'/')) {
            relative.truncate(slash);
            folders.insert(relative);
        }
    }
    QStringList sorted(folders.begin(), folders.end());
    std::sort(sorted.begin(), sorted.end(), [](const QString& a, const QString& b) {
        return a.count(u'/') != b.count(u'/') ? a.count(u'/') > b.count(u'/') : a < b;
    });
    return sorted;
}

QJsonObject ValueFiles::toJson() const
{
    return QJsonObject { { u"files"_s, present.size() }, { u"bytes"_s, presentBytes() },
        { u"missing"_s, missing.size() }, { u"orphans"_s, orphans.size() }, { u"orphan_bytes"_s, orphanBytes() },
        { u"unsafe"_s, unsafe.size() } };
}

QString ValueFiles::locate(const QString& folder, File& file)
{
    return ::locate(folder, file);
}
