// SPDX-License-Identifier: GPL-3.0-or-later
#include "report/cachesummary.h"

#include "entries/profiles.h"
#include "sqlite/statement.h"
#include "sqlite/tableschema.h"

#include <QElapsedTimer>
#include <QJsonArray>

#include <limits>

#include <sqlite3.h>

using namespace Qt::Literals::StringLiterals;

Result<qint64> CacheSummary::countRows(
    Database* database, const QString& table, const std::atomic_bool& cancel, qint64* longestMs)
{
    auto schema = TableSchema::read(database, table);
    if (!schema)
        return schema.error();
    if (schema->rowidName.isEmpty())
        return qint64(-1);
    const QString rowid = Database::quoteIdentifier(schema->rowidName);
    // One chunk: how many rows follow ?1 (up to ChunkRows) and the last rowid among them.
    auto statement = Statement::prepare(database->handle(),
        u"SELECT count(*), max(r) FROM (SELECT %1 AS r FROM %2 WHERE %1 >= ?1 ORDER BY %1 LIMIT %3)"_s
            .arg(rowid, Database::quoteIdentifier(table))
            .arg(ChunkRows));
    if (!statement)
        return statement.error();
    qint64 total = 0;
    // From this rowid on, inclusive: "> last" from INT64_MIN never counted a row whose rowid is INT64_MIN itself.
    qint64 from = std::numeric_limits<qint64>::min();
    for (;;) {
        if (cancel)
            return qint64(-1);
        QElapsedTimer timer;
        timer.start();
        sqlite3_reset(statement->handle());
        statement->bind(1, QVariant::fromValue(from));
        if (statement->step() != SQLITE_ROW)
            return database->lastError(u"counting the entries of %1"_s.arg(table));
        const qint64 rows = statement->column(0).toLongLong();
        const QVariant last = statement->column(1);
        sqlite3_reset(statement->handle()); // ends the read transaction before the next chunk
        if (longestMs)
            *longestMs = std::max(*longestMs, timer.elapsed());
        total += rows;
        if (rows < ChunkRows || last.isNull() || last.toLongLong() == std::numeric_limits<qint64>::max())
            return total;
        from = last.toLongLong() + 1;
    }
}

Result<CacheSummary> CacheSummary::gather(const QString& path, const std::atomic_bool& cancel, bool withContents)
{
    if (cancel)
        return Error { Error::Kind::Other, u"cancelled"_s };
    Database::Options options;
    options.mode = Database::Mode::ReadOnly;
    options.busyTimeoutMs = BusyTimeoutMs;
    options.switchToWal = false;
    auto database = Database::open(path, options);
    if (!database)
        return database.error();
    CacheSummary summary;
    auto facts = database.value()->facts();
    if (!facts)
        return facts.error();
    summary.facts = facts.value();
    summary.filesystem = CacheFiles::filesystemOf(path);
    auto profiles = Profiles::detect(database.value().get());
    if (!profiles)
        return profiles.error();
    for (auto it = profiles->cbegin(); it != profiles->cend(); ++it) {
        Table table { it.key(), it.value(), -1 };
        auto rows = countRows(database.value().get(), it.key(), cancel, &summary.longestStatementMs);
        if (!rows)
            return rows.error();
        table.rows = rows.value();
        summary.tables << table;
    }
    auto main = Profiles::mainTable(database.value().get());
    if (main)
        summary.mainTable = main.value();
    if (withContents && !cancel) {
        if (main && !main->isEmpty()) {
            auto contents = CacheContents::gather(database.value().get(), main.value(), cancel);
            if (!contents)
                return contents.error();
            summary.longestStatementMs = std::max(summary.longestStatementMs, contents->longestStatementMs);
            summary.contents = contents.value();
            agreeWithContents(summary.tables, *summary.contents);
        }
    }
    return summary;
}

Result<CacheSummary> CacheSummary::fromReportJson(const QJsonObject& json)
{
    if (json[u"layout"_s].toString() == u"fanout"_s)
        return fromFanoutReportJson(json);
    if (!json[u"page_size"_s].isDouble() || !json[u"tables"_s].isArray())
        return Error { Error::Kind::Invalid, u"not a cache report (cachescope-cli info --json)"_s };
    CacheSummary summary;
    Database::Facts& facts = summary.facts;
    facts.sqliteVersion = json[u"sqlite_version"_s].toString();
    facts.journalMode = json[u"journal_mode"_s].toString();
    facts.pageSize = json[u"page_size"_s].toInteger();
    facts.pageCount = json[u"page_count"_s].toInteger();
    facts.freelistCount = json[u"freelist_count"_s].toInteger();
    facts.autoVacuum = json[u"auto_vacuum"_s].toInteger();
    facts.walAutocheckpoint = json[u"wal_autocheckpoint"_s].toInteger();
    facts.journalSizeLimit = json[u"journal_size_limit"_s].toInteger(-1);
    const QJsonObject filesystem = json[u"filesystem"_s].toObject();
    summary.filesystem = { filesystem[u"type"_s].toString(), filesystem[u"network"_s].toBool() };
    for (const QJsonValue& value : json[u"tables"_s].toArray()) {
        const QJsonObject table = value.toObject();
        summary.tables.append({ table[u"name"_s].toString(), table[u"profile"_s].toString(),
            table[u"rows"_s].isNull() ? -1 : table[u"rows"_s].toInteger(-1) });
    }
    const QJsonObject files = json[u"files"_s].toObject();
    for (int i = 0; i < CacheFiles::KindCount; ++i) {
        const QJsonValue file = files[CacheFiles::kindName(CacheFiles::Kind(i))];
        summary.reportFileBytes[i] = file.isObject() ? file.toObject()[u"bytes"_s].toInteger(-1) : -1;
    }
    if (json[u"contents"_s].isObject()) {
        summary.contents = CacheContents::fromJson(json[u"contents"_s].toObject());
        summary.mainTable = summary.contents->table; // the table the report read its contents from
    }
    return summary;
}

// A FanoutCache's report (`info --json` on its folder): its shards' reports folded as gatherShards folds them, its
// named sub-caches as gatherSubCaches reads them.
Result<CacheSummary> CacheSummary::fromFanoutReportJson(const QJsonObject& json)
{
    QList<CacheSummary> parts;
    QList<Part> databases;
    for (const QJsonValue& value : json[u"shards"_s].toArray()) {
        const QJsonObject shard = value.toObject();
        auto part = fromReportJson(shard);
        if (!part)
            return Error { part.error().kind,
                u"shard %1: %2"_s.arg(shard[u"shard"_s].toString(), part.error().message) };
        parts << std::move(part.value());
        databases << Part { u"shard "_s + shard[u"shard"_s].toString(), shard[u"path"_s].toString() };
    }
    const auto addFiles = [](CacheSummary& into, const CacheSummary& part) {
        for (int i = 0; i < CacheFiles::KindCount; ++i) {
            if (part.reportFileBytes[i] >= 0)
                into.reportFileBytes[i] = std::max<qint64>(into.reportFileBytes[i], 0) + part.reportFileBytes[i];
        }
    };
    CacheSummary files;
    for (const CacheSummary& part : std::as_const(parts))
        addFiles(files, part);
    auto whole = ofShards(std::move(parts));
    if (!whole)
        return whole;
    for (const QJsonValue& value : json[u"sub_caches"_s].toArray()) {
        const QJsonObject report = value.toObject();
        SubCache sub { report[u"name"_s].toString(), {}, -1, {}, {} };
        if (!report[u"path"_s].toString().isEmpty())
            databases << Part { u"sub-cache "_s + sub.name, report[u"path"_s].toString() };
        const auto part = fromReportJson(report);
        if (!part) {
            sub.error = report[u"error"_s].toString(part.error().message);
        } else {
            sub.facts = part->facts;
            addFiles(files, part.value());
            for (const Table& table : part->tables) {
                if (table.name == part->mainTable) {
                    sub.profile = table.profile;
                    sub.entries = table.rows;
                }
            }
        }
        whole->subCaches << sub;
    }
    std::copy(std::begin(files.reportFileBytes), std::end(files.reportFileBytes), std::begin(whole->reportFileBytes));
    whole->parts = databases;
    return whole;
}

Result<CacheSummary> CacheSummary::gatherShards(
    const QStringList& paths, const QStringList& labels, const std::atomic_bool& cancel, bool withContents)
{
    QList<CacheSummary> parts;
    for (int shard = 0; shard < paths.size(); ++shard) {
        auto part = gather(paths.at(shard), cancel, withContents);
        if (!part)
            return Error { part.error().kind, u"shard %1: %2"_s.arg(labels.value(shard), part.error().message) };
        parts << std::move(part.value());
    }
    return ofShards(std::move(parts));
}

Result<CacheSummary> CacheSummary::ofShards(QList<CacheSummary> parts)
{
    if (parts.isEmpty())
        return Error { Error::Kind::NotFound, u"a FanoutCache without shards"_s };
    QList<CacheContents> contents;
    for (const CacheSummary& part : std::as_const(parts)) {
        if (part.contents)
            contents << *part.contents;
    }
    CacheSummary whole = parts.takeFirst();
    whole.shardFacts = { whole.facts };
    for (const CacheSummary& part : std::as_const(parts)) {
        whole.shardFacts << part.facts;
        whole.longestStatementMs = std::max(whole.longestStatementMs, part.longestStatementMs);
        for (Table& table : whole.tables) {
            const auto same = std::find_if(part.tables.cbegin(), part.tables.cend(),
                [&table](const Table& other) { return other.name == table.name; });
            table.rows = same == part.tables.cend() || same->rows < 0 || table.rows < 0 ? -1 : table.rows + same->rows;
        }
    }
    whole.contents.reset();
    if (contents.size() == whole.shardFacts.size())
        whole.contents = CacheContents::ofShards(contents);
    return whole;
}

QList<CacheSummary::SubCache> CacheSummary::gatherSubCaches(
    const QStringList& paths, const QStringList& names, const std::atomic_bool& cancel)
{
    QList<SubCache> subCaches;
    for (qsizetype i = 0; i < paths.size() && !cancel; ++i) {
        SubCache sub { names.value(i), {}, -1, {}, {} };
        const auto part = gather(paths.at(i), cancel, false);
        if (!part) {
            sub.error = part.error().message;
        } else {
            sub.facts = part->facts;
            for (const Table& table : part->tables) {
                if (table.name == part->mainTable) {
                    sub.profile = table.profile;
                    sub.entries = table.rows;
                }
            }
        }
        subCaches << sub;
    }
    return subCaches;
}
