// SPDX-License-Identifier: GPL-3.0-or-later
#include "maintenance/scanner.h"

#include "common/format.h"
#include "entries/cacheformats.h"
#include "entries/profiles.h"
#include "maintenance/cachefolder.h"
#include "maintenance/valuefiles.h"
#include "os/cachefiles.h"
#include "sqlite/database.h"
#include "sqlite/databaseheader.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QSet>

#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::Literals::StringLiterals;

namespace {

const QStringList SidecarSuffixes { u"-wal"_s, u"-shm"_s, u"-journal"_s };

QJsonArray holdersJson(const QList<CacheHolders::Process>& holders)
{
    QJsonArray list;
    for (const auto& holder : holders)
        list.append(holder.toJson());
    return list;
}

QJsonValue bytesOrNull(qint64 bytes)
{
    return bytes < 0 ? QJsonValue() : QJsonValue(bytes);
}

// The recognised cache format of the database (the first table with a non-generic profile),
// read through a short read-only connection; empty when none is recognised.
QString profileOf(const QString& path)
{
    Database::Options options;
    options.mode = Database::Mode::ReadOnly;
    options.busyTimeoutMs = 200;
    auto database = Database::open(path, options);
    if (!database)
        return {};
    auto profiles = Profiles::detect(database.value().get());
    if (!profiles)
        return {};
    for (const QString& profile : profiles->values()) {
        if (!CacheFormats::isGeneric(profile))
            return profile;
    }
    return {};
}

class Walker {
public:
    Walker(Scanner::Report& report, const Scanner::Options& options)
        : m_report(report)
        , m_options(options)
    {
    }
    void walk(const QString& directory);

private:
    void visitFile(const QString& path, const struct stat& st);
    void addDatabase(const QString& path, const struct stat& st);
    void addOrphanIfAny(const QString& path, const struct stat& st);

    Scanner::Report& m_report;
    const Scanner::Options& m_options;
    QSet<QPair<quint64, quint64>> m_visited; // directories by (dev, ino): no loops via bind mounts
};

void Walker::walk(const QString& directory)
{
    struct stat st { };
    if (::lstat(QFile::encodeName(directory).constData(), &st) != 0 || !S_ISDIR(st.st_mode))
        return;
    if (m_visited.contains({ quint64(st.st_dev), quint64(st.st_ino) }))
        return;
    m_visited.insert({ quint64(st.st_dev), quint64(st.st_ino) });
    if (::access(QFile::encodeName(directory).constData(), R_OK | X_OK) != 0) {
        m_report.unreadable << directory;
        return;
    }
    QDir dir(directory);
    const QStringList names
        = dir.entryList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot, QDir::Name);
    for (const QString& name : names) {
        const QString path = dir.filePath(name);
        struct stat entry { };
        if (::lstat(QFile::encodeName(path).constData(), &entry) != 0)
            continue; // vanished
        if (S_ISLNK(entry.st_mode))
            ++m_report.skippedSymlinks; // never followed: it could lead out of DIR
        else if (S_ISDIR(entry.st_mode))
            walk(path);
        else if (S_ISREG(entry.st_mode))
            visitFile(path, entry);
    }
}

void Walker::visitFile(const QString& path, const struct stat& st)
{
    for (const QString& suffix : SidecarSuffixes) {
        if (path.endsWith(suffix)) {
            // Never opened: closing an fd on a live -shm would drop this process's own locks on it.
            addOrphanIfAny(path, st);
            return;
        }
    }
    if (st.st_size < DatabaseHeader::Size)
        return;
    if (Database::isOpenInProcess(path)) {
        // Reading its header through an fd of our own would drop our connection's locks when
        // closed; a second connection shares SQLite's own fd for the file, so ask SQLite.
        addDatabase(path, st);
        if (auto open = Database::open(path, Database::Mode::ReadOnly))
            m_report.databases.last().journalMode = open.value()->journalMode() == u"wal"_s ? u"wal"_s : u"rollback"_s;
        return;
    }
    auto header = DatabaseHeader::readFrom(path);
    if (!header) {
        if (header.error().kind == Error::Kind::PermissionDenied)
            m_report.unreadable << path;
        return;
    }
    addDatabase(path, st);
    m_report.databases.last().journalMode = header->isWal() ? u"wal"_s : u"rollback"_s;
}

void Walker::addDatabase(const QString& path, const struct stat& st)
{
    const CacheFiles files(path);
    Scanner::Found found;
    found.path = path;
    found.journalMode = QString(); // "" until read: the JSON contract's "unreadable"
    found.openInThisProcess = Database::isOpenInProcess(path);
    found.dbBytes = qint64(st.st_size);
    found.walBytes = files.stat(CacheFiles::Kind::Wal).bytes;
    found.shmBytes = files.stat(CacheFiles::Kind::Shm).bytes;
    found.journalBytes = files.stat(CacheFiles::Kind::Journal).bytes;
    if (m_options.profiles) // through SQLite, which shares its fd on a file open here: no lock dropped
        found.profile = profileOf(path);
    if (CacheFormats::byId(found.profile).keepsValueFiles()) {
        if (auto values = ValueFiles::read(path); values && values->isDiskcache) {
            found.valueFiles = int(values->present.size());
            found.valueBytes = values->presentBytes();
            found.missingValueFiles = int(values->missing.size());
            found.orphanValueFiles = int(values->orphans.size());
            found.orphanValueBytes = values->orphanBytes();
        }
    }
    if (m_options.holders)
        found.holders = CacheHolders::of(path);
    m_report.databases << found;
}

void Walker::addOrphanIfAny(const QString& path, const struct stat& st)
{
    for (const QString& suffix : SidecarSuffixes) {
        if (!path.endsWith(suffix))
            continue;
        const QString dbPath = path.chopped(suffix.size());
        struct stat db { };
        if (::lstat(QFile::encodeName(dbPath).constData(), &db) == 0)
            return; // its database is there
        Scanner::Orphan orphan;
        orphan.path = path;
        orphan.kind = suffix.mid(1);
        orphan.dbPath = dbPath;
        orphan.bytes = qint64(st.st_size);
        if (m_options.holders)
            orphan.holders = CacheHolders::of(dbPath);
        m_report.orphans << orphan;
        return;
    }
}

// The FanoutCache folders among the databases found: a folder whose NNN/cache.db shards
// CacheFolder recognises, with its named sub-caches (cache/NAME, deque/NAME, index/NAME).
QList<Scanner::Fanout> fanoutsOf(const QList<Scanner::Found>& databases)
{
    QList<Scanner::Fanout> fanouts;
    QSet<QString> seen;
    for (const Scanner::Found& found : databases) {
        const QFileInfo file(found.path);
        const QString shard = file.dir().dirName();
        if (file.fileName() != u"cache.db"_s || shard.size() != 3 || !shard.at(0).isDigit())
            continue;
        QDir parent = file.dir();
        if (!parent.cdUp() || seen.contains(parent.path()))
            continue;
        seen.insert(parent.path());
        auto folder = CacheFolder::resolve(parent.path());
        if (!folder || folder->layout != CacheFolder::Layout::Fanout)
            continue;
        Scanner::Fanout fanout;
        fanout.folder = parent.path();
        for (const Scanner::Found& member : databases) {
            const QString path = QDir::cleanPath(QFileInfo(member.path).absoluteFilePath());
            if (const qsizetype shard = folder->databases.indexOf(path); shard >= 0) {
                fanout.shards << member.path;
            } else if (const qsizetype sub = folder->subCacheDatabases.indexOf(path); sub >= 0) {
                fanout.subCaches << folder->subCaches.at(sub);
                fanout.subCachePaths << member.path;
            } else {
                continue;
            }
            fanout.totalBytes += member.totalBytes();
        }
        fanouts << fanout;
    }
    return fanouts;
}

} // namespace

Result<Scanner::Report> Scanner::scan(const QString& directory, const Options& options)
{
    struct stat st { };
    if (::lstat(QFile::encodeName(directory).constData(), &st) != 0)
        return Error { Error::Kind::NotFound, u"does not exist: %1"_s.arg(directory) };
    if (S_ISLNK(st.st_mode))
        return Error { Error::Kind::SymbolicLink,
            u"is a symbolic link (to %1); scan the target itself"_s.arg(QFile::symLinkTarget(directory)) };
    if (!S_ISDIR(st.st_mode))
        return Error { Error::Kind::Invalid, u"not a directory: %1"_s.arg(directory) };
    if (::access(QFile::encodeName(directory).constData(), R_OK | X_OK) != 0)
        return Error { Error::Kind::PermissionDenied, u"permission denied: cannot list %1"_s.arg(directory) };
    Report report;
    report.root = directory;
    Walker(report, options).walk(directory);
    report.fanouts = fanoutsOf(report.databases);
    return report;
}

QJsonObject Scanner::Fanout::toJson() const
{
    QJsonArray subs;
    for (int i = 0; i < subCaches.size(); ++i)
        subs.append(QJsonObject { { u"name"_s, subCaches[i] }, { u"path"_s, subCachePaths.value(i) } });
    return QJsonObject { { u"folder"_s, folder }, { u"kind"_s, u"FanoutCache"_s },
        { u"shards"_s, QJsonArray::fromStringList(shards) }, { u"sub_caches"_s, subs },
        { u"total_bytes"_s, totalBytes } };
}

QJsonObject Scanner::Found::toJson() const
{
    return QJsonObject { { u"path"_s, path }, { u"journal_mode"_s, journalMode }, { u"db_bytes"_s, dbBytes },
        { u"wal_bytes"_s, bytesOrNull(walBytes) }, { u"shm_bytes"_s, bytesOrNull(shmBytes) },
        { u"journal_bytes"_s, bytesOrNull(journalBytes) },
        { u"profile"_s, profile.isEmpty() ? QJsonValue() : QJsonValue(profile) },
        { u"in_use"_s, !holders.isEmpty() || openInThisProcess }, { u"holders"_s, holdersJson(holders) },
        { u"value_files"_s,
            valueFiles < 0 ? QJsonValue()
                           : QJsonValue(QJsonObject { { u"files"_s, valueFiles }, { u"bytes"_s, valueBytes },
                               { u"missing"_s, missingValueFiles }, { u"orphans"_s, orphanValueFiles },
                               { u"orphan_bytes"_s, orphanValueBytes } }) },
        { u"total_bytes"_s, totalBytes() } };
}

QString Scanner::Found::journalModeName() const
{
    return journalMode == u"wal"_s ? u"WAL"_s : journalMode == u"rollback"_s ? u"DELETE"_s : QString();
}

qint64 Scanner::Found::totalBytes() const
{
    qint64 total = dbBytes + qMax<qint64>(0, valueBytes);
    for (qint64 bytes : { walBytes, shmBytes, journalBytes })
        total += qMax<qint64>(0, bytes);
    return total;
}

QJsonObject Scanner::Orphan::toJson() const
{
    return QJsonObject { { u"path"_s, path }, { u"kind"_s, kind }, { u"db_path"_s, dbPath }, { u"bytes"_s, bytes },
        { u"in_use"_s, !holders.isEmpty() }, { u"holders"_s, holdersJson(holders) } };
}

QJsonObject Scanner::Report::toJson() const
{
    QJsonArray databaseList;
    for (const auto& found : databases)
        databaseList.append(found.toJson());
    QJsonArray orphanList;
    for (const auto& orphan : orphans)
        orphanList.append(orphan.toJson());
    QJsonArray fanoutList;
    for (const auto& fanout : fanouts)
        fanoutList.append(fanout.toJson());
    return QJsonObject { { u"root"_s, root }, { u"databases"_s, databaseList }, { u"fanout_caches"_s, fanoutList },
        { u"orphans"_s, orphanList }, { u"unreadable"_s, QJsonArray::fromStringList(unreadable) },
        { u"skipped_symlinks"_s, skippedSymlinks } };
}

namespace {
qint64 bytesOrAbsent(const QJsonValue& value)
{
    return value.isNull() || value.isUndefined() ? -1 : value.toInteger();
}

QList<CacheHolders::Process> holdersFromJson(const QJsonValue& value)
{
    QList<CacheHolders::Process> holders;
    for (const QJsonValue& holder : value.toArray())
        holders.append(CacheHolders::Process::fromJson(holder.toObject()));
    return holders;
}
} // namespace

Scanner::Report Scanner::Report::fromJson(const QJsonObject& json)
{
    Report report;
    report.root = json[u"root"_s].toString();
    for (const QJsonValue& value : json[u"databases"_s].toArray()) {
        const QJsonObject one = value.toObject();
        Found found;
        found.path = one[u"path"_s].toString();
        found.journalMode = one[u"journal_mode"_s].toString();
        found.dbBytes = one[u"db_bytes"_s].toInteger();
        found.walBytes = bytesOrAbsent(one[u"wal_bytes"_s]);
        found.shmBytes = bytesOrAbsent(one[u"shm_bytes"_s]);
        found.journalBytes = bytesOrAbsent(one[u"journal_bytes"_s]);
        found.profile = one[u"profile"_s].toString();
        found.holders = holdersFromJson(one[u"holders"_s]);
        const QJsonObject values = one[u"value_files"_s].toObject();
        if (!values.isEmpty()) {
            found.valueFiles = int(values[u"files"_s].toInteger());
            found.valueBytes = values[u"bytes"_s].toInteger();
            found.missingValueFiles = int(values[u"missing"_s].toInteger());
            found.orphanValueFiles = int(values[u"orphans"_s].toInteger());
            found.orphanValueBytes = values[u"orphan_bytes"_s].toInteger();
        }
        report.databases.append(found);
    }
    for (const QJsonValue& value : json[u"fanout_caches"_s].toArray()) {
        const QJsonObject one = value.toObject();
        Fanout fanout;
        fanout.folder = one[u"folder"_s].toString();
        fanout.shards = one[u"shards"_s].toVariant().toStringList();
        for (const QJsonValue& sub : one[u"sub_caches"_s].toArray()) {
            fanout.subCaches.append(sub[u"name"_s].toString());
            fanout.subCachePaths.append(sub[u"path"_s].toString());
        }
        fanout.totalBytes = one[u"total_bytes"_s].toInteger();
        report.fanouts.append(fanout);
    }
    for (const QJsonValue& value : json[u"orphans"_s].toArray()) {
        const QJsonObject one = value.toObject();
        report.orphans.append({ one[u"path"_s].toString(), one[u"kind"_s].toString(), one[u"db_path"_s].toString(),
            one[u"bytes"_s].toInteger(), holdersFromJson(one[u"holders"_s]) });
    }
    report.unreadable = json[u"unreadable"_s].toVariant().toStringList();
    report.skippedSymlinks = int(json[u"skipped_symlinks"_s].toInteger());
    return report;
}

QString Scanner::Report::toText() const
{
    QString text
        = u"%1 below %2\n"_s.arg(Format::counted(databases.size(), u"SQLite database"_s, u"SQLite databases"_s), root);
    for (const auto& fanout : fanouts)
        text += u"  FanoutCache %1: %2%3, total %4 (its databases are listed below)\n"_s.arg(fanout.folder,
            Format::counted(fanout.shards.size(), u"shard"_s, u"shards"_s),
            fanout.subCaches.isEmpty() ? QString()
                                       : (fanout.subCaches.size() == 1 ? u", sub-cache "_s : u", sub-caches "_s)
                    + fanout.subCaches.join(u", "_s),
            Format::bytes(fanout.totalBytes));
    for (const auto& found : databases) {
        text += u"  %1  [%2]  db %3, -wal %4, -shm %5%6\n"_s.arg(found.path,
            found.journalMode.isEmpty() ? u"unreadable"_s : found.journalModeName(), Format::bytes(found.dbBytes),
            Format::optionalBytes(found.walBytes), Format::optionalBytes(found.shmBytes),
            found.profile.isEmpty() ? QString() : u", format "_s + found.profile);
        if (found.valueFiles >= 0) {
            text += u"      %1 %2, total %3"_s.arg(Format::counted(found.valueFiles, u"value file"_s, u"value files"_s),
                Format::bytes(found.valueBytes), Format::bytes(found.totalBytes()));
            if (found.missingValueFiles > 0)
                text += u"; %1 referenced but missing"_s.arg(found.missingValueFiles);
            if (found.orphanValueFiles > 0)
                text += u"; %1 nothing references (%2)"_s.arg(
                    Format::counted(found.orphanValueFiles, u"orphan"_s, u"orphans"_s),
                    Format::bytes(found.orphanValueBytes));
            text += u'\n';
        }
        for (const auto& holder : found.holders)
            text += u"      open in "_s + holder.describe() + u'\n';
    }
    if (!orphans.isEmpty())
        text += u"%1 (their database is gone; remove with: cachescope-cli delete DB):\n"_s.arg(
            Format::counted(orphans.size(), u"orphaned sidecar"_s, u"orphaned sidecars"_s));
    for (const auto& orphan : orphans)
        text += u"  %1 (%2)%3\n"_s.arg(orphan.path, Format::bytes(orphan.bytes),
            orphan.holders.isEmpty() ? QString() : u" — still open by a process"_s);
    for (const auto& path : unreadable)
        text += u"  unreadable, skipped: "_s + path + u'\n';
    return text;
}
