// SPDX-License-Identifier: GPL-3.0-or-later
#include "report/cachecontents.h"

#include "common/format.h"
#include "entries/entrydecoder.h"
#include "entries/entrysql.h"
#include "entries/expirysql.h"
#include "entries/profiles.h"
#include "sqlite/statement.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QMap>

#include <algorithm>
#include <limits>

#include <sqlite3.h>

using namespace Qt::Literals::StringLiterals;

namespace {
constexpr int FirstChunkRows = 2000;
constexpr int MinChunkRows = 50;
constexpr int MaxChunkRows = 200000;
constexpr int MaxDistinctGroups = 100000; // beyond: counted as entries, not as names
constexpr qint64 AgeLimits[] = { 3600, 86400, 7 * 86400, 30 * 86400, 365 * 86400 };

using EntrySql::readable;

// The column that names an entry to a reader when its key is a hash: a requests-cache URL, the
// question of a LangChain chat, an LLM cache's prompt; nullptr when the key is best.
const EntryColumn* labelColumn(const EntryView& view)
{
    for (const EntryColumn& column : view.columns) {
        if (column.role != EntryColumn::Role::Key
            && QStringList { u"url"_s, u"message"_s, u"prompt"_s, u"question"_s }.contains(column.name))
            return &column;
    }
    return nullptr;
}

// The largest entries' labels (labelColumn) as users read them, decoded: the URL inside a
// requests-cache pickle. Ten short statements.
Status labelLargest(Database* database, const EntryView& view, QList<CacheContents::Entry>& largest)
{
    const EntryColumn* column = labelColumn(view);
    if (!column || largest.isEmpty())
        return {};
    const EntryColumn& first = *column;
    auto statement = Statement::prepare(database->handle(),
        u"SELECT %1, %2 FROM %3 WHERE %4 = ?1"_s.arg(first.sql, first.auxSql.isEmpty() ? u"NULL"_s : first.auxSql,
            Database::quoteIdentifier(view.table), Database::quoteIdentifier(view.schema.rowidName)));
    if (!statement)
        return statement.error();
    const QString directory = QFileInfo(database->path()).absolutePath();
    for (CacheContents::Entry& entry : largest) {
        sqlite3_reset(statement->handle());
        statement->bind(1, QVariant::fromValue(entry.rowid));
        if (statement->step() != SQLITE_ROW)
            continue;
        EntryDecoder::RowCache pickles;
        const EntryDecoder::Decoded decoded
            = EntryDecoder::decode(first, statement->column(0), statement->column(1), directory, false, pickles);
        const QString label = decoded.value.typeId() == QMetaType::QJsonValue
            ? readable(decoded.value.toJsonValue().toVariant(), 120)
            : readable(decoded.value, 120);
        if (!decoded.value.isNull() && !label.isEmpty())
            entry.label = label;
    }
    sqlite3_reset(statement->handle());
    return {};
}
} // namespace

QStringList CacheContents::ageBucketNames()
{
    return { u"under 1 hour"_s, u"under 1 day"_s, u"under 1 week"_s, u"under 30 days"_s, u"under 1 year"_s,
        u"older"_s };
}

Result<CacheContents> CacheContents::gather(
    Database* database, const QString& table, const std::atomic_bool& cancel, qint64 nowSecs)
{
    auto found = Profiles::view(database, table);
    if (!found)
        return found.error();
    const EntryView& view = found.value();
    CacheContents contents;
    contents.table = table;
    contents.profile = view.profile;
    if (view.schema.withoutRowid || view.schema.rowidName.isEmpty()) {
        auto rows = database->rowCount(table);
        if (!rows)
            return rows.error();
        contents.entries = rows.value();
        return contents;
    }
    if (nowSecs < 0)
        nowSecs = QDateTime::currentSecsSinceEpoch();
    ExpirySql::install(database->handle());
    const QString bytes = EntrySql::bytes(view);
    const EntrySql::Grouping grouping = EntrySql::grouping(view);
    const QString& group = grouping.sql;
    contents.groupedBy = grouping.by;
    const QString expired = ExpirySql::expiredCondition(view);
    const EntryColumn* created = EntrySql::createdColumn(view);
    const EntryColumn* key = EntrySql::namingColumn(view); // the key, else what names an entry
    const QString rowid = Database::quoteIdentifier(view.schema.rowidName);
    const QString from = Database::quoteIdentifier(table);
    auto statement = Statement::prepare(database->handle(),
        u"SELECT %1, %2, %3, %4, %5 FROM %6 WHERE %1 >= ?1 ORDER BY %1 LIMIT ?2"_s.arg(rowid,
            bytes.isEmpty() ? u"NULL"_s : bytes, created ? created->sql : u"NULL"_s,
            group.isEmpty() ? u"NULL"_s : group, expired.isEmpty() ? u"NULL"_s : expired, from));
    if (!statement)
        return statement.error();
    if (!bytes.isEmpty())
        contents.bytes = 0;
    if (!expired.isEmpty())
        contents.expiredEntries = contents.expiredBytes = 0;
    if (created)
        contents.ageBuckets = QList<qint64>(ageBucketNames().size(), 0);
    QHash<QString, Group> groups;
    QList<Entry> largest; // kept sorted, largest first
    qint64 after = std::numeric_limits<qint64>::min();
    bool started = false; // a chunk was read: `after` is the last rowid read, not the start
    int chunkRows = FirstChunkRows;
    for (;;) {
        if (cancel) {
            contents.complete = false;
            break;
        }
        QElapsedTimer timer;
        timer.start();
        sqlite3_reset(statement->handle());
        // From the rowid after the last one read, inclusive: "> last" starting at INT64_MIN never read a row whose
        // rowid is INT64_MIN itself (a hostile table: 3 of its 4 rows, and the table's count then said 3 — #28 one
        // count).
        statement->bind(1, QVariant::fromValue(started ? after + 1 : after));
        statement->bind(2, QVariant::fromValue(qint64(chunkRows)));
        int rows = 0;
        int rc;
        while ((rc = statement->step()) == SQLITE_ROW) {
            ++rows;
            after = statement->column(0).toLongLong();
            ++contents.entries;
            const qint64 size = statement->column(1).toLongLong();
            if (contents.bytes >= 0)
                contents.bytes += size;
            EntryDecoder::RowCache pickles; // requests-cache: the response is unpickled once per row
            if (created) {
                if (auto secs = EntrySql::createdSecs(*created, statement->column(2), pickles)) {
                    const double age = double(nowSecs) - *secs;
                    int bucket = 0;
                    while (bucket < int(std::size(AgeLimits)) && age >= double(AgeLimits[bucket]))
                        ++bucket;
                    ++contents.ageBuckets[bucket];
                }
            }
            if (!group.isEmpty()) {
                const QString name = grouping.nameOf(statement->column(3), pickles);
                auto it = groups.find(name);
                if (it == groups.end() && groups.size() < MaxDistinctGroups)
                    it = groups.insert(name, Group { name, 0, 0 });
                if (it != groups.end()) {
                    ++it->entries;
                    it->bytes += size;
                }
            }
            if (contents.expiredEntries >= 0 && statement->column(4).toLongLong() != 0) {
                ++contents.expiredEntries;
                contents.expiredBytes += size;
            }
            if (contents.bytes >= 0 && (largest.size() < TopCount || size > largest.last().bytes)) {
                const auto at
                    = std::find_if(largest.begin(), largest.end(), [size](const Entry& e) { return size > e.bytes; });
                largest.insert(at, Entry { after, QString(), QString(), size });
                if (largest.size() > TopCount)
                    largest.removeLast();
            }
        }
        if (rc != SQLITE_DONE)
            return database->lastError(u"reading the contents of %1"_s.arg(table));
        sqlite3_reset(statement->handle()); // ends the read transaction before the next chunk
        const qint64 ms = timer.elapsed();
        contents.longestStatementMs = std::max(contents.longestStatementMs, ms);
        ++contents.chunks;
        if (rows < chunkRows || after == std::numeric_limits<qint64>::max())
            break; // the last rowid there can be: nothing after it
        started = true;
        if (ms > MaxChunkMs)
            chunkRows = std::max(MinChunkRows, chunkRows / 2);
        else if (ms < MaxChunkMs / 5)
            chunkRows = std::min(MaxChunkRows, chunkRows * 2);
    }
    QList<Group> sorted = groups.values();
    std::sort(sorted.begin(), sorted.end(), [](const Group& a, const Group& b) {
        return a.entries != b.entries ? a.entries > b.entries : a.name < b.name;
    });
    contents.otherGroups = std::max<qint64>(0, sorted.size() - TopCount);
    contents.topGroups = sorted.mid(0, TopCount);
    if (key) {
        auto keyStatement
            = Statement::prepare(database->handle(), u"SELECT %1 FROM %2 WHERE %3 = ?1"_s.arg(key->sql, from, rowid));
        if (!keyStatement)
            return keyStatement.error();
        for (Entry& entry : largest) {
            sqlite3_reset(keyStatement->handle());
            keyStatement->bind(1, QVariant::fromValue(entry.rowid));
            entry.key = keyStatement->step() == SQLITE_ROW ? readable(keyStatement->column(0), 120) : QString();
            entry.label = entry.key;
        }
        sqlite3_reset(keyStatement->handle());
    }
    if (Status labelled = labelLargest(database, view, largest); !labelled)
        return labelled.error();
    contents.largest = largest;
    return contents;
}

QJsonObject CacheContents::toJson() const
{
    QJsonArray groupsJson;
    for (const Group& g : topGroups)
        groupsJson.append(QJsonObject { { u"name"_s, g.name }, { u"entries"_s, g.entries }, { u"bytes"_s, g.bytes } });
    QJsonArray largestJson;
    for (const Entry& e : largest)
        largestJson.append(QJsonObject {
            { u"rowid"_s, e.rowid }, { u"key"_s, e.key }, { u"label"_s, e.label }, { u"bytes"_s, e.bytes } });
    QJsonArray ages;
    const QStringList names = ageBucketNames();
    for (int i = 0; i < ageBuckets.size(); ++i)
        ages.append(QJsonObject { { u"age"_s, names.value(i) }, { u"entries"_s, ageBuckets[i] } });
    const auto orNull = [](qint64 v) { return v < 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(v); };
    return QJsonObject {
        { u"table"_s, table },
        { u"profile"_s, profile },
        { u"entries"_s, entries },
        { u"bytes"_s, orNull(bytes) },
        { u"expired_entries"_s, orNull(expiredEntries) },
        { u"expired_bytes"_s, orNull(expiredBytes) },
        { u"grouped_by"_s, groupedBy.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(groupedBy) },
        { u"top_groups"_s, groupsJson },
        { u"other_groups"_s, otherGroups },
        { u"age_histogram"_s, ages },
        { u"largest"_s, largestJson },
        { u"complete"_s, complete },
    };
}

CacheContents CacheContents::fromJson(const QJsonObject& json)
{
    const auto orMinusOne = [&json](const QString& key) { return json[key].isNull() ? -1 : json[key].toInteger(-1); };
    CacheContents contents;
    contents.table = json[u"table"_s].toString();
    contents.profile = json[u"profile"_s].toString();
    contents.entries = json[u"entries"_s].toInteger();
    contents.bytes = orMinusOne(u"bytes"_s);
    contents.expiredEntries = orMinusOne(u"expired_entries"_s);
    contents.expiredBytes = orMinusOne(u"expired_bytes"_s);
    contents.groupedBy = json[u"grouped_by"_s].toString();
    for (const QJsonValue& group : json[u"top_groups"_s].toArray()) {
        const QJsonObject g = group.toObject();
        contents.topGroups.append({ g[u"name"_s].toString(), g[u"entries"_s].toInteger(), g[u"bytes"_s].toInteger() });
    }
    contents.otherGroups = json[u"other_groups"_s].toInteger();
    for (const QJsonValue& age : json[u"age_histogram"_s].toArray())
        contents.ageBuckets.append(age.toObject()[u"entries"_s].toInteger());
    for (const QJsonValue& value : json[u"largest"_s].toArray()) {
        const QJsonObject e = value.toObject();
        CacheContents::Entry entry;
        entry.rowid = e[u"rowid"_s].toInteger();
        entry.key = e[u"key"_s].toString();
        entry.label = e[u"label"_s].toString();
        entry.bytes = e[u"bytes"_s].toInteger();
        contents.largest.append(entry);
    }
    contents.complete = json[u"complete"_s].toBool(true);
    return contents;
}

QStringList CacheContents::toText() const
{
    QStringList lines;
    QString head = u"%1 entries"_s.arg(QLocale().toString(entries));
    if (bytes >= 0)
        head += u", %1 of values"_s.arg(Format::bytes(bytes));
    if (expiredEntries >= 0)
        head += u"; %1 expired (%2)"_s.arg(QLocale().toString(expiredEntries), Format::bytes(expiredBytes));
    lines << head;
    if (!topGroups.isEmpty()) {
        QStringList parts;
        for (const Group& g : topGroups)
            parts << u"%1 %2"_s.arg(g.name, QLocale().toString(g.entries));
        lines << u"by %1: %2%3"_s.arg(
            groupedBy, parts.join(u", "_s), otherGroups > 0 ? u" (+%1 more)"_s.arg(otherGroups) : QString());
    }
    if (!ageBuckets.isEmpty()) {
        QStringList parts;
        const QStringList names = ageBucketNames();
        for (int i = 0; i < ageBuckets.size(); ++i)
            parts << u"%1 %2"_s.arg(names[i], QLocale().toString(ageBuckets[i]));
        lines << u"age: "_s + parts.join(u", "_s);
    }
    if (!largest.isEmpty()) {
        QStringList parts;
        for (const Entry& e : largest.mid(0, 3))
            parts << u"%1 (%2)"_s.arg(e.label.left(40), Format::bytes(e.bytes));
        lines << u"largest: "_s + parts.join(u", "_s);
    }
    return lines;
}

std::optional<CacheContents> CacheContents::ofShards(const QList<CacheContents>& shards)
{
    if (shards.isEmpty())
        return std::nullopt;
    CacheContents whole = shards.first();
    whole.entries = 0;
    whole.chunks = 0;
    whole.topGroups.clear();
    whole.otherGroups = 0;
    whole.largest.clear();
    QMap<QString, Group> groups;
    const auto add = [](qint64& sum, qint64 part) { sum = sum < 0 || part < 0 ? std::max(sum, part) : sum + part; };
    for (int shard = 0; shard < shards.size(); ++shard) {
        const CacheContents& part = shards.at(shard);
        whole.entries += part.entries;
        if (shard > 0) {
            add(whole.bytes, part.bytes);
            add(whole.expiredEntries, part.expiredEntries);
            add(whole.expiredBytes, part.expiredBytes);
            for (int bucket = 0; bucket < std::min(whole.ageBuckets.size(), part.ageBuckets.size()); ++bucket)
                whole.ageBuckets[bucket] += part.ageBuckets.at(bucket);
        }
        whole.complete = whole.complete && part.complete;
        whole.chunks += part.chunks;
        whole.longestStatementMs = std::max(whole.longestStatementMs, part.longestStatementMs);
        whole.otherGroups += part.otherGroups;
        for (const Group& group : part.topGroups) {
            Group& merged = groups[group.name];
            merged.name = group.name;
            merged.entries += group.entries;
            merged.bytes += group.bytes;
        }
        for (Entry entry : part.largest) {
            entry.shard = shard;
            whole.largest << entry;
        }
    }
    whole.topGroups = groups.values();
    std::stable_sort(whole.topGroups.begin(), whole.topGroups.end(),
        [](const Group& a, const Group& b) { return a.entries > b.entries; });
    if (whole.topGroups.size() > TopCount) {
        whole.otherGroups += whole.topGroups.size() - TopCount;
        whole.topGroups.resize(TopCount);
    }
    std::stable_sort(
        whole.largest.begin(), whole.largest.end(), [](const Entry& a, const Entry& b) { return a.bytes > b.bytes; });
    if (whole.largest.size() > TopCount)
        whole.largest.resize(TopCount);
    return whole;
}
