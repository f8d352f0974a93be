// SPDX-License-Identifier: GPL-3.0-or-later
// requests-cache (SQLite backend): docs/FORMATS.md, "requests-cache".
#include "entries/cacheformats.h"
#include "entries/formatcolumns.h"

using namespace Qt::Literals::StringLiterals;
using namespace FormatColumns;

namespace {

// requests-cache (0.9): `value` is a pickled dict of the response (cattrs-unstructured:
// url, status_code, headers, _content, created_at, expires, request{method, url}).
QList<EntryColumn> requestsCacheColumns(const TableSchema& schema)
{
    const QString value = u"\"value\""_s;
    if (schema.name == u"redirects"_s) {
        const QString target = u"(SELECT \"value\" FROM \"responses\" WHERE \"key\" = \"redirects\".\"value\")"_s;
        return { col(u"key"_s, u"\"key\""_s, Role::Key), col(u"value"_s, value, Role::Other, 0),
            field(u"url"_s, target, u"url|request.url"_s, Role::Value) };
    }
    return {
        field(u"url"_s, value, u"url|request.url"_s, Role::Other),
        field(u"method"_s, value, u"request.method"_s, Role::Other),
        field(u"status"_s, value, u"status_code"_s, Role::Other),
        field(u"content_type"_s, value, u"@header:Content-Type"_s, Role::Other),
        field(u"body_size"_s, value, u"@bytes:_content"_s, Role::Size),
        field(u"created"_s, value, u"created_at"_s, Role::Created),
        field(u"expires"_s, value, u"expires"_s, Role::Expires),
        field(u"expired"_s, value, u"expires"_s, Role::Expired),
        col(u"key"_s, u"\"key\""_s, Role::Key),
        // The whole response as decoded plain data (the contract's "value" column).
        decoded(col(u"value"_s, value, Role::Value), EntryColumn::Decode::Pickle),
        col(u"size"_s, u"length(\"value\")"_s, Role::Other, 0),
    };
}

class RequestsCacheFormat final : public CacheFormat {
public:
    QString id() const override { return u"requests-cache"_s; }
    bool recognises(const TableSchema& schema, const QStringList&) const override
    {
        const QSet<QString> columns = lowerNames(schema);
        return (schema.name == u"responses"_s || schema.name == u"redirects"_s)
            && (columns == QSet<QString> { u"key"_s, u"value"_s }
                || columns == QSet<QString> { u"key"_s, u"value"_s, u"expires"_s });
    }
    std::optional<QList<EntryColumn>> columns(const TableSchema& schema, const QStringList&) const override
    {
        return requestsCacheColumns(schema);
    }
    bool isMainTable(const QString& table) const override { return table == u"responses"_s; }
    QList<ReadyQuery> readyQueries(const QString&, const QString& t) const override
    {
        return { { u"requests-cache: largest responses"_s,
            u"SELECT key, length(value) AS bytes FROM %1 ORDER BY bytes DESC LIMIT 100"_s.arg(t) } };
    }
    // A redirect's value is the key of the response it leads to; its own key may be one too.
    std::optional<Dependent> dependent(const TableSchema& schema) const override
    {
        if (schema.name != u"redirects"_s || !schema.hasColumn(u"value"_s))
            return std::nullopt;
        return Dependent { u"value"_s, schema.hasColumn(u"key"_s) };
    }
    QString parentKeyColumn() const override { return u"key"_s; }
    QString searchedAs() const override { return u"url"_s; }
    QString storedColumnNote(const QString& table, const QString& column) const override
    {
        if (column == u"key"_s)
            return table == u"redirects"_s
                ? u"the key of a request that was redirected"_s
                : u"requests-cache's hash of the request (method, URL, body, matched headers)"_s;
        if (column == u"value"_s)
            return table == u"redirects"_s ? u"the key of the response it led to"_s
                                           : u"the response, pickled (status, headers, body, request)"_s;
        if (column == u"expires"_s)
            return u"when it expires, seconds since 1970; NULL: never"_s;
        return QString();
    }
};

} // namespace

const CacheFormat& Formats::requestsCache()
{
    static const RequestsCacheFormat format;
    return format;
}
