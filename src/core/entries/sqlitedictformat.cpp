// SPDX-License-Identifier: GPL-3.0-or-later
// sqlitedict: docs/FORMATS.md, "sqlitedict".
#include "entries/cacheformats.h"
#include "entries/formatcolumns.h"

using namespace Qt::Literals::StringLiterals;
using namespace FormatColumns;

namespace {

bool isSqlitedictShape(const TableSchema& schema)
{
    if (schema.columnNames().size() != 2 || schema.primaryKey() != QStringList { u"key"_s })
        return false;
    const auto* key = schema.column(u"key"_s);
    const auto* value = schema.column(u"value"_s);
    return key && value && key->type == u"TEXT"_s && value->type == u"BLOB"_s;
}

class SqlitedictFormat final : public CacheFormat {
public:
    QString id() const override { return u"sqlitedict"_s; }
    bool recognises(const TableSchema& schema, const QStringList&) const override { return isSqlitedictShape(schema); }
    std::optional<QList<EntryColumn>> columns(const TableSchema& schema, const QStringList&) const override
    {
        QList<EntryColumn> columns = keyValueColumns(schema);
        columns[1].decode = EntryColumn::Decode::PickleOrJson;
        return columns;
    }
    bool isMainTable(const QString&) const override { return true; } // every table is a dict
    QString storedColumnNote(const QString&, const QString& column) const override
    {
        if (column == u"key"_s)
            return u"the dict key"_s;
        if (column == u"value"_s)
            return u"the value, encoded by the SqliteDict's encoder (a pickle unless it was given another)"_s;
        return QString();
    }
    QList<ReadyQuery> readyQueries(const QString&, const QString& t) const override
    {
        return { { u"sqlitedict: largest values"_s,
            u"SELECT key, length(value) AS bytes FROM %1 ORDER BY bytes DESC LIMIT 100"_s.arg(t) } };
    }
};

} // namespace

const CacheFormat& Formats::sqlitedict()
{
    static const SqlitedictFormat format;
    return format;
}
