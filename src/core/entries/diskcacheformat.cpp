// SPDX-License-Identifier: GPL-3.0-or-later
// diskcache (python-diskcache): docs/FORMATS.md, "diskcache".
#include "entries/cacheformats.h"
#include "entries/formatcolumns.h"

#include <QMap>

using namespace Qt::Literals::StringLiterals;
using namespace FormatColumns;

namespace {

bool isDiskcache(const TableSchema& schema, const QStringList& tables)
{
    return schema.name == u"Cache"_s && tables.contains(u"Settings"_s)
        && hasAll(schema, { u"key"_s, u"raw"_s, u"store_time"_s, u"mode"_s, u"filename"_s, u"value"_s });
}

QList<EntryColumn> diskcacheColumns(const TableSchema& schema)
{
    using D = EntryColumn::Decode;
    QList<EntryColumn> columns {
        // raw = 1: the key as stored; raw = 0: a pickle, decoded by Pickle (nothing executed).
        decoded(col(u"key"_s, u"\"key\""_s, Role::Key), D::DiskcacheKey, u"\"raw\""_s),
        // Values of mode text/binary/pickle above disk_min_file_size live in files beside the db.
        decoded(
            col(u"value"_s, u"CASE WHEN \"filename\" IS NOT NULL THEN \"filename\" ELSE \"value\" END"_s, Role::Value),
            D::DiskcacheValue, u"\"mode\" * 2 + (\"filename\" IS NOT NULL)"_s),
        col(u"storage"_s, u"CASE WHEN \"filename\" IS NOT NULL THEN 'file ' || \"filename\" ELSE 'inline' END"_s,
            Role::Other, 0),
        col(u"size"_s, u"CASE WHEN \"filename\" IS NOT NULL THEN \"size\" ELSE length(\"value\") END"_s, Role::Size, 0),
        decoded(col(u"created"_s, u"\"store_time\""_s, Role::Created, 0), D::EpochTime),
    };
    if (schema.hasColumn(u"access_time"_s))
        columns << decoded(col(u"last_access"_s, u"\"access_time\""_s, Role::Accessed, 0), D::EpochTime);
    if (schema.hasColumn(u"expire_time"_s)) {
        columns << decoded(col(u"expires"_s, u"\"expire_time\""_s, Role::Expires, 0), D::EpochTime);
        columns << decoded(col(u"expired"_s, expiredSql(u"\"expire_time\""_s), Role::Expired, 0), D::Bool);
    }
    if (schema.hasColumn(u"access_count"_s))
        columns << col(u"hits"_s, u"\"access_count\""_s, Role::Hits, 0);
    columns << col(u"mode"_s,
        u"CASE \"mode\" WHEN 0 THEN 'none' WHEN 1 THEN 'raw' WHEN 2 THEN 'binary' WHEN 3 THEN 'text' "
        "WHEN 4 THEN 'pickle' ELSE \"mode\" END"_s,
        Role::Other, 0);
    if (schema.hasColumn(u"tag"_s))
        columns << col(u"tag"_s, u"\"tag\""_s, Role::Other);
    return columns;
}

class DiskcacheFormat final : public CacheFormat {
public:
    QString id() const override { return u"diskcache"_s; }
    // Where the value lives, how it was pickled, the tag (mostly none), the reads counted (only by the LFU policies),
    // the last read and "expired" beside "expires" (the expiry filter asks that): the key, value, size, created and
    // expires fit the default window.
    QStringList rarelyShownColumns() const override
    {
        return { u"storage"_s, u"last_access"_s, u"expired"_s, u"hits"_s, u"mode"_s, u"tag"_s };
    }
    bool recognises(const TableSchema& schema, const QStringList& tables) const override
    {
        return isDiskcache(schema, tables) || (schema.name == u"Settings"_s && tables.contains(u"Cache"_s));
    }
    std::optional<QList<EntryColumn>> columns(const TableSchema& schema, const QStringList& tables) const override
    {
        if (!isDiskcache(schema, tables))
            return std::nullopt; // Settings
        return diskcacheColumns(schema);
    }
    bool isMainTable(const QString& table) const override { return table == u"Cache"_s; }
    bool keepsValueFiles() const override { return true; }
    QString storedColumnNote(const QString& table, const QString& column) const override
    {
        if (table != u"Cache"_s)
            return QString();
        static const QMap<QString, QString> notes {
            { u"rowid"_s, u"SQLite's row number"_s },
            { u"key"_s, u"the key: as it is when raw is 1, else pickled"_s },
            { u"raw"_s, u"1: the key is stored as it is; 0: the key is a pickle"_s },
            { u"store_time"_s, u"when the value was stored, seconds since 1970 (UTC)"_s },
            { u"expire_time"_s, u"when it expires, seconds since 1970; NULL: never"_s },
            { u"access_time"_s, u"when it was last read, seconds since 1970"_s },
            { u"access_count"_s, u"reads counted (only kept by the least-frequently-used eviction policies)"_s },
            { u"tag"_s, u"a tag given when it was stored (evict(tag) removes by it)"_s },
            { u"size"_s, u"bytes of the value file; 0 when the value is inline, in the value column"_s },
            { u"mode"_s, u"how the value is stored: 1 raw (as it is), 2 binary (bytes), 3 text, 4 pickle"_s },
            { u"filename"_s, u"the value file, relative to the cache folder; NULL: the value is inline"_s },
            { u"value"_s, u"the value inline; NULL when it is in a value file (filename)"_s },
        };
        return notes.value(column);
    }
    QString shownColumnNote(const QString& column) const override
    {
        static const QMap<QString, QString> notes {
            { u"storage"_s, u"inline: in the database; file: in a value file beside it"_s },
            { u"expires"_s, u"when diskcache stops returning it"_s },
            { u"mode"_s, u"how diskcache stored the value"_s },
            { u"tag"_s, u"a label given when it was stored (evict(tag) removes by it)"_s },
        };
        return notes.value(column);
    }
    QString nullCellWord(const QString& column) const override
    {
        return column == u"expires"_s ? u"never"_s : QString();
    }
    QString shownValueWords(const QString& column, const QVariant& value) const override
    {
        if (value.isNull() || !value.isValid()) {
            static const QMap<QString, QString> nulls {
                { u"expires"_s, u"never expires"_s },
                { u"tag"_s, u"no tag"_s },
            };
            return nulls.value(column);
        }
        if (column != u"mode"_s)
            return QString();
        static const QMap<QString, QString> modes {
            { u"none"_s, u"no value (None)"_s },
            { u"raw"_s, u"raw: stored as it was given (bytes, text or a number), not pickled"_s },
            { u"binary"_s, u"binary: bytes, in a value file"_s },
            { u"text"_s, u"text, in a value file"_s },
            { u"pickle"_s, u"pickle: a Python object, pickled"_s },
        };
        return modes.value(value.toString());
    }
    QString storedValueSql() const override { return u"\"value\""_s; }
    QList<ReadyQuery> readyQueries(const QString& table, const QString& t) const override
    {
        if (table != u"Cache"_s)
            return {};
        return { { u"diskcache: largest entries"_s,
                     u"SELECT rowid, key, size, length(value) AS inline_bytes, filename FROM %1 "
                     "ORDER BY max(size, ifnull(length(value), 0)) DESC LIMIT 100"_s.arg(t) },
            { u"diskcache: expired entries"_s,
                u"SELECT rowid, key, expire_time, store_time FROM %1 WHERE expire_time IS NOT NULL AND "
                "expire_time < (julianday('now') - 2440587.5) * 86400.0 ORDER BY expire_time"_s.arg(t) },
            { u"diskcache: entries per day stored"_s,
                u"SELECT date(store_time, 'unixepoch') AS day, count(*) AS entries FROM %1 GROUP BY day "
                "ORDER BY day DESC"_s.arg(t) },
            { u"diskcache: most used entries"_s,
                u"SELECT rowid, key, access_count, access_time FROM %1 ORDER BY access_count DESC LIMIT 100"_s.arg(
                    t) } };
    }
};

} // namespace

const CacheFormat& Formats::diskcache()
{
    static const DiskcacheFormat format;
    return format;
}
