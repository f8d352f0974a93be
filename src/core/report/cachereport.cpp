// SPDX-License-Identifier: GPL-3.0-or-later
#include "report/cachereport.h"

#include "common/format.h"
#include "entries/cacheformats.h"
#include "entries/internaltables.h"
#include "entries/profiles.h"
#include "live/healthcheck.h"
#include "live/sampler.h"
#include "live/warningcatalog.h"
#include "maintenance/cachefolder.h"

#include <QCoreApplication>
#include <QThread>

#include <QFileInfo>
#include <QJsonArray>

using namespace Qt::Literals::StringLiterals;

namespace {
QJsonValue fileJson(const CacheFiles::FileInfo& file)
{
    if (!file.exists)
        return QJsonValue::Null;
    return QJsonObject { { u"path"_s, file.path }, { u"bytes"_s, file.bytes } };
}
} // namespace

namespace {
// Facts, tables with their rows and profiles, and the main table's contents.
Status readDatabase(Database* db, CacheReport& report)
{
    auto facts = db->facts();
    if (!facts)
        return facts.error();
    report.facts = facts.value();
    auto tables = db->tables();
    if (!tables)
        return tables.error();
    auto profiles = Profiles::detect(db);
    const auto internal = InternalTables::of(db);
    for (const QString& name : tables.value()) {
        auto rows = db->rowCount(name);
        const QString profile = profiles ? profiles->value(name, Formats::generic().id()) : Formats::generic().id();
        report.tables.append({ name, rows ? rows.value() : -1, profile, internal ? internal->value(name) : QString() });
    }
    if (auto main = Profiles::mainTable(db); main && !main->isEmpty()) {
        const std::atomic_bool never { false };
        auto contents = CacheContents::gather(db, main.value(), never);
        if (!contents)
            return contents.error();
        report.contents = contents.value();
        agreeWithContents(report.tables, *report.contents);
    }
    return {};
}
} // namespace

Result<CacheReport> CacheReport::collect(const QString& givenPath, int busyTimeoutMs)
{
    CacheReport report;
    auto folder = CacheFolder::resolve(givenPath);
    if (!folder)
        return folder.error();
    if (folder->layout == CacheFolder::Layout::Fanout)
        return Error { Error::Kind::IsDirectory,
            u"%1 is a FanoutCache folder: give one shard (%1/%2/cache.db)"_s.arg(givenPath, folder->shards.first()) };
    report.layout = CacheFolder::layoutName(folder->layout);
    const QString path = folder->databases.first();
    report.path = QFileInfo(path).absoluteFilePath();
    Database::Options options;
    options.mode = Database::Mode::ReadOnly;
    options.busyTimeoutMs = busyTimeoutMs;
    // A snapshot that a writer changed while it was read is read again.
    for (int attempt = 1;; ++attempt) {
        auto db = Database::open(path, options);
        if (!db)
            return db.error();
        Status read = readDatabase(db.value().get(), report);
        if (attempt < Database::SnapshotAttempts && db.value()->snapshotOutdated()) {
            report.tables.clear();
            report.contents = {};
            Database::pauseBeforeAttempt(attempt);
            continue;
        }
        if (!read)
            return read.error();
        break;
    }
    for (const Table& table : std::as_const(report.tables)) {
        if (CacheFormats::byId(table.profile).keepsValueFiles()) {
            auto values = ValueFiles::read(path, busyTimeoutMs);
            if (values && values->isDiskcache)
                report.values = values.value();
            break;
        }
    }
    const CacheFiles files(path);
    for (int i = 0; i < CacheFiles::KindCount; ++i)
        report.files[i] = files.stat(CacheFiles::Kind(i));
    report.filesystem = CacheFiles::filesystemOf(report.path);
    report.sampleActivity();
    if (report.facts.journalMode != u"wal"_s)
        report.warnings.prepend({ WarningCode::NotWal, HealthCheck::notWalMessage(report.facts.journalMode) });
    if (report.values && !report.values->missing.isEmpty())
        report.warnings.append({ WarningCode::ValueFilesMissing,
            u"%1 the Cache table references %2 missing (e.g. %3): diskcache returns nothing for those keys"_s.arg(
                Format::counted(report.values->missing.size(), u"value file"_s, u"value files"_s),
                report.values->missing.size() == 1 ? u"is"_s : u"are"_s, report.values->missing.first().relative) });
    if (report.values && !report.values->orphans.isEmpty())
        report.warnings.append({ WarningCode::ValueFilesOrphaned,
            u"%1 in the value folders (%2) %3 referenced by no entry (e.g. %4)"_s.arg(
                Format::counted(report.values->orphans.size(), u"file"_s, u"files"_s),
                Format::bytes(report.values->orphanBytes()), report.values->orphans.size() == 1 ? u"is"_s : u"are"_s,
                report.values->orphans.first().relative) });
    if (report.activity) {
        for (const HealthWarning& warning : report.activity->warnings) {
            if (warning.code != WarningCode::NotWal)
                report.warnings.append(warning);
        }
    }
    return report;
}
qint64 CacheReport::totalBytes() const
{
    qint64 total = values ? values->presentBytes() : 0;
    for (const auto& file : files)
        total += file.exists ? file.bytes : 0;
    return total;
}

void CacheReport::sampleActivity()
{
    if (Database::isOpenInProcess(path))
        return; // our own connection's locks would be dropped when the probe's fds close
    Sampler sampler(path);
    Sampler::Options options;
    options.scanProcesses = true;
    options.excludePid = QCoreApplication::applicationPid();
    // Two scans 20 ms apart: a deleted file still open for writing is reported only when it is
    // held at both (SQLite unlinks a -wal a moment before it closes it).
    sampler.sample(options);
    QThread::msleep(20);
    activity = sampler.sample(options);
}

QJsonObject CacheReport::activityJson() const
{
    QJsonArray locks;
    QJsonArray processes;
    if (activity) {
        locks = activity->locks.toJson();
        processes = activity->processes.toJson();
    }
    return QJsonObject {
        { u"wal"_s, activity ? activity->walJson() : QJsonValue(QJsonValue::Null) },
        { u"locks"_s, locks },
        { u"writer"_s, activity ? activity->writerJson() : QJsonValue(QJsonValue::Null) },
        { u"readers"_s, activity ? activity->readersJson() : QJsonArray() },
        { u"processes"_s, processes },
    };
}

QJsonObject CacheReport::toJson() const
{
    QJsonObject filesJson;
    for (int i = 0; i < CacheFiles::KindCount; ++i)
        filesJson.insert(CacheFiles::kindName(CacheFiles::Kind(i)), fileJson(files[i]));
    QJsonArray tablesJson;
    for (const Table& table : tables)
        tablesJson.append(QJsonObject { { u"name"_s, table.name },
            { u"rows"_s, table.rows < 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(table.rows) },
            { u"profile"_s, table.profile },
            { u"internal"_s, table.internal.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(table.internal) } });
    QJsonArray warningsJson;
    for (const HealthWarning& warning : warnings)
        warningsJson.append(warning.toJson());
    QJsonObject json {
        { u"path"_s, path },
        { u"sqlite_version"_s, facts.sqliteVersion },
        { u"journal_mode"_s, facts.journalMode },
        { u"page_size"_s, facts.pageSize },
        { u"page_count"_s, facts.pageCount },
        { u"freelist_count"_s, facts.freelistCount },
        { u"auto_vacuum"_s, facts.autoVacuum },
        { u"wal_autocheckpoint"_s, facts.walAutocheckpoint },
        { u"journal_size_limit"_s, facts.journalSizeLimit },
        { u"files"_s, filesJson },
        { u"filesystem"_s, QJsonObject { { u"type"_s, filesystem.type }, { u"network"_s, filesystem.network } } },
        { u"tables"_s, tablesJson },
        { u"warnings"_s, warningsJson },
        { u"layout"_s, layout },
        { u"value_files"_s, values ? QJsonValue(values->toJson()) : QJsonValue(QJsonValue::Null) },
        { u"contents"_s, contents ? QJsonValue(contents->toJson()) : QJsonValue(QJsonValue::Null) },
        { u"total_bytes"_s, totalBytes() },
    };
    const QJsonObject activityFields = activityJson();
    for (auto it = activityFields.begin(); it != activityFields.end(); ++it)
        json.insert(it.key(), it.value());
    return json;
}

QString CacheReport::toText() const
{
    QStringList lines;
    auto row = [&lines](const QString& label, const QString& value) { lines << label.leftJustified(16) + value; };
    row(u"path"_s, path);
    row(u"sqlite"_s, facts.sqliteVersion);
    row(u"journal mode"_s, facts.journalMode.toUpper()); // as the GUI and the warnings say it: WAL, DELETE
    row(u"page size"_s, Format::bytes(facts.pageSize));
    row(u"pages"_s, u"%1 (%2 free)"_s.arg(facts.pageCount).arg(facts.freelistCount));
    row(u"filesystem"_s, filesystem.type + (filesystem.network ? u" (network)"_s : QString()));
    for (int i = 0; i < CacheFiles::KindCount; ++i) {
        const auto& file = files[i];
        const QString name = i == 0 ? u"db"_s : u"-"_s + CacheFiles::kindName(CacheFiles::Kind(i));
        row(name, file.exists ? Format::bytes(file.bytes) : u"absent"_s);
    }
    if (values) {
        QString text = u"%1 (%2)"_s.arg(values->present.size()).arg(Format::bytes(values->presentBytes()));
        if (!values->missing.isEmpty())
            text += u", %1 referenced but missing"_s.arg(values->missing.size());
        if (!values->orphans.isEmpty())
            text += u", %1 nothing references (%2)"_s.arg(
                Format::counted(values->orphans.size(), u"orphan"_s, u"orphans"_s),
                Format::bytes(values->orphanBytes()));
        row(u"value files"_s, text);
    }
    row(u"total size"_s, Format::bytes(totalBytes()));
    if (!tables.isEmpty()) {
        lines << QString()
              << u"%1  %2  %3"_s.arg(u"table"_s.leftJustified(28), u"rows"_s.rightJustified(12), u"format"_s);
        for (const Table& table : tables)
            lines << u"%1  %2  %3"_s.arg(table.name.leftJustified(28),
                (table.rows < 0 ? u"?"_s : Format::count(table.rows)).rightJustified(12),
                table.internal.isEmpty() ? table.profile : u"internal: "_s + table.internal);
    }
    if (contents) {
        lines << QString();
        const QStringList text = contents->toText();
        for (int i = 0; i < text.size(); ++i)
            row(i == 0 ? contents->table : QString(), text[i]);
    }
    appendActivityText(lines);
    if (!warnings.isEmpty()) {
        lines << QString();
        for (const HealthWarning& warning : warnings)
            lines << u"warning [%1] %2"_s.arg(warning.code, warning.message);
    }
    return lines.join(u'\n') + u'\n';
}

void CacheReport::appendActivityText(QStringList& lines) const
{
    if (!activity)
        return;
    const Snapshot& s = *activity;
    auto row = [&lines](const QString& label, const QString& value) { lines << label.leftJustified(16) + value; };
    lines << QString();
    if (s.walIndex)
        row(u"wal frames"_s,
            u"%1 committed, %2 checkpointed, lag %3, %4 commits so far"_s.arg(s.walIndex->committedFrame)
                .arg(s.walIndex->backfilled)
                .arg(s.lagFrames())
                .arg(s.walIndex->commitCounter));
    if (s.walFile.state == WalFile::State::Valid)
        row(u"wal content"_s,
            u"%1 valid frames, %2 of %3 (checkpoint seq %4)"_s.arg(s.walFile.validFrames)
                .arg(Format::bytes(s.walFile.committedBytes()), Format::bytes(s.walFile.fileBytes))
                .arg(s.walFile.header.checkpointSeq));
    row(u"writer"_s, s.writer ? u"PID %1 (%2)"_s.arg(s.writer->pid).arg(s.writer->cmdline.simplified()) : u"none"_s);
    for (int i = 0; i < s.readers.size(); ++i) {
        const Snapshot::Reader& r = s.readers.at(i);
        row(u"reader"_s,
            u"PID %1 read%2 mark %3%4 (%5)"_s.arg(r.pid)
                .arg(r.slot)
                .arg(r.readMark)
                .arg(i == s.pinningReader ? u" PINS THE CHECKPOINT"_s : QString(), r.cmdline.simplified()));
    }
    for (const ProcessTable::Process& p : s.processes.others()) {
        QStringList files;
        for (auto kind : p.files)
            files << CacheFiles::kindName(kind);
        row(u"process"_s, u"PID %1 %2 [%3] %4"_s.arg(p.pid).arg(p.name, files.join(u','), p.cmdline.simplified()));
    }
}
