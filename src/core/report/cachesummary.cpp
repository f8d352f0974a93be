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
    if (json[u"contents"_s].isObject())
        summary.contents = CacheContents::fromJson(json[u"contents"_s].toObject());
    return summary;
}

Result<CacheSummary> CacheSummary::gatherShards(
    const QStringList& paths, const QStringList& labels, const std::atomic_bool& cancel, bool withContents)
{
    std::optional<CacheSummary> whole;
    QList<CacheContents> contents;
    for (int shard = 0; shard < paths.size(); ++shard) {
        auto part = gather(paths.at(shard), cancel, withContents);
        if (!part)
            return Error { part.error().kind, u"shard %1: %2"_s.arg(labels.value(shard), part.error().message) };
        if (part->contents)
            contents << *part->contents;
        if (!whole) {
            whole = std::move(part.value());
            whole->shardFacts << whole->facts;
            continue;
        }
        whole->shardFacts << part->facts;
        whole->longestStatementMs = std::max(whole->longestStatementMs, part->longestStatementMs);
        for (Table& table : whole->tables) {
            const auto same = std::find_if(part->tables.cbegin(), part->tables.cend(),
                [&table](const Table& other) { return other.name == table.name; });
            table.rows = same == part->tables.cend() || same->rows < 0 || table.rows < 0 ? -1 : table.rows + same->rows;
        }
    }
    if (!whole)
        return Error { Error::Kind::NotFound, u"a FanoutCache without shards"_s };
    whole->contents.reset();
    if (withContents && contents.size() == paths.size())
        whole->contents = CacheContents::ofShards(contents);
    return std::move(whole.value());
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
