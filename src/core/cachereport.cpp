// SPDX-License-Identifier: GPL-3.0-or-later
#include "cachereport.h"

#include "format.h"
#include "profiles.h"

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
}

Result<CacheReport> CacheReport::collect(const QString& path, int busyTimeoutMs)
{
    CacheReport report;
    report.path = QFileInfo(path).absoluteFilePath();
    Database::Options options;
    options.mode = Database::Mode::ReadOnly;
    options.busyTimeoutMs = busyTimeoutMs;
    {
        auto db = Database::open(path, options);
        if (!db)
            return db.error();
        auto facts = db.value()->facts();
        if (!facts)
            return facts.error();
        report.facts = facts.value();
        auto tables = db.value()->tables();
        if (!tables)
            return tables.error();
        auto profiles = Profiles::detect(db.value().get());
        for (const QString& name : tables.value()) {
            auto rows = db.value()->rowCount(name);
            const QString profile = profiles ? profiles->value(name, u"generic"_s) : u"generic"_s;
            report.tables.append({ name, rows ? rows.value() : -1, profile });
        }
    }
    const CacheFiles files(path);
    for (int i = 0; i < CacheFiles::KindCount; ++i)
        report.files[i] = files.stat(CacheFiles::Kind(i));
    report.filesystem = CacheFiles::filesystemOf(report.path);
    if (report.facts.journalMode != u"wal"_s)
        report.warnings.append({ u"not_wal"_s,
                                 u"The cache is in %1 journal mode: concurrent writers get \"database is locked\". "
                                 "Switch it to WAL (cachescope-cli enable-wal)."_s.arg(report.facts.journalMode.toUpper()) });
    return report;
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
                                        { u"profile"_s, table.profile } });
    QJsonArray warningsJson;
    for (const HealthWarning& warning : warnings)
        warningsJson.append(warning.toJson());
    return QJsonObject {
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
    };
}

QString CacheReport::toText() const
{
    QStringList lines;
    auto row = [&lines](const QString& label, const QString& value) {
        lines << label.leftJustified(16) + value;
    };
    row(u"path"_s, path);
    row(u"sqlite"_s, facts.sqliteVersion);
    row(u"journal mode"_s, facts.journalMode);
    row(u"page size"_s, Format::bytes(facts.pageSize));
    row(u"pages"_s, u"%1 (%2 free)"_s.arg(facts.pageCount).arg(facts.freelistCount));
    row(u"filesystem"_s, filesystem.type + (filesystem.network ? u" (network)"_s : QString()));
    for (int i = 0; i < CacheFiles::KindCount; ++i) {
        const auto& file = files[i];
        const QString name = i == 0 ? u"db"_s : u"-"_s + CacheFiles::kindName(CacheFiles::Kind(i));
        row(name, file.exists ? Format::bytes(file.bytes) : u"absent"_s);
    }
    if (!tables.isEmpty()) {
        lines << QString() << u"%1  %2  %3"_s.arg(u"table"_s.leftJustified(28), u"rows"_s.rightJustified(12), u"profile"_s);
        for (const Table& table : tables)
            lines << u"%1  %2  %3"_s.arg(table.name.leftJustified(28),
                                         (table.rows < 0 ? u"?"_s : QString::number(table.rows)).rightJustified(12),
                                         table.profile);
    }
    if (!warnings.isEmpty()) {
        lines << QString();
        for (const HealthWarning& warning : warnings)
            lines << u"warning [%1] %2"_s.arg(warning.code, warning.message);
    }
    return lines.join(u'\n') + u'\n';
}
