// SPDX-License-Identifier: GPL-3.0-or-later
#include "entries/formatcolumns.h"

#include "sqlite/database.h"

using namespace Qt::Literals::StringLiterals;

namespace FormatColumns {

namespace {

    Role guessRole(const TableSchema& schema, const TableSchema::Column& column)
    {
        const QString name = column.name.toLower();
        static const QSet<QString> keys { u"key"_s, u"prompt"_s, u"question"_s, u"url"_s, u"hash"_s, u"cache_key"_s };
        static const QSet<QString> values { u"value"_s, u"response"_s, u"answer"_s, u"result"_s, u"data"_s,
            u"payload"_s, u"body"_s, u"content"_s, u"output"_s, u"completion"_s };
        if (keys.contains(name))
            return Role::Key;
        if (values.contains(name))
            return Role::Value;
        if (name.startsWith(u"model"_s))
            return Role::Model;
        if (name.contains(u"token"_s) && (column.type.contains(u"INT"_s) || column.type.isEmpty()))
            return Role::Tokens;
        if (name.startsWith(u"created"_s) || name.startsWith(u"create_"_s) || name == u"timestamp"_s || name == u"ts"_s
            || name.endsWith(u"_at"_s) || name.startsWith(u"datetime"_s) || name == u"store_time"_s)
            return Role::Created;
        if (name.startsWith(u"expire"_s))
            return Role::Expires;
        if (name.contains(u"access"_s) || name == u"last_used"_s)
            return Role::Accessed;
        if (name == u"hits"_s || name == u"hit_count"_s || name == u"access_count"_s)
            return Role::Hits;
        // A single non-integer PRIMARY KEY is what the rows are looked up by.
        if (column.primaryKeyIndex == 1 && schema.primaryKey().size() == 1 && !column.type.contains(u"INT"_s))
            return Role::Key;
        return Role::Other;
    }

} // namespace

QString q(const QString& identifier)
{
    return Database::quoteIdentifier(identifier);
}

bool hasAll(const TableSchema& schema, const QStringList& columns)
{
    for (const QString& column : columns) {
        if (!schema.hasColumn(column))
            return false;
    }
    return true;
}

QSet<QString> lowerNames(const TableSchema& schema)
{
    QSet<QString> names;
    for (const QString& name : schema.columnNames())
        names.insert(name.toLower());
    return names;
}

EntryColumn col(const QString& name, const QString& sql, Role role, int previewChars)
{
    return EntryColumn { name, sql, role, previewChars, EntryColumn::Decode::None, QString(), QString() };
}

EntryColumn decoded(EntryColumn column, EntryColumn::Decode decode, const QString& aux)
{
    column.decode = decode;
    column.auxSql = aux;
    return column;
}

EntryColumn field(const QString& name, const QString& sql, const QString& path, Role role, int previewChars)
{
    EntryColumn column = col(name, sql, role, previewChars);
    column.decode = EntryColumn::Decode::PickleField;
    column.field = path;
    return column;
}

QString byteLength(const QString& sql)
{
    return u"CASE WHEN typeof(%1) = 'text' THEN length(CAST(%1 AS BLOB)) ELSE length(%1) END"_s.arg(sql);
}

QString utf8BytesNote()
{
    return u"in bytes of UTF-8 (a letter such as é takes 2 bytes, an emoji 4), not characters"_s;
}

QString expiredSql(const QString& epochColumn)
{
    return u"(%1 IS NOT NULL AND %1 < (julianday('now') - 2440587.5) * 86400.0)"_s.arg(epochColumn);
}

QList<EntryColumn> keyValueColumns(const TableSchema& schema)
{
    QList<EntryColumn> columns { col(u"key"_s, u"\"key\""_s, Role::Key), col(u"value"_s, u"\"value\""_s, Role::Value),
        col(u"size"_s, u"length(\"value\")"_s, Role::Size, 0) };
    if (schema.hasColumn(u"expires"_s))
        columns << col(u"expires"_s, u"\"expires\""_s, Role::Expires, 0);
    return columns;
}

QString firstNamed(const TableSchema& schema, const QStringList& names)
{
    for (const QString& name : names) {
        for (const QString& column : schema.columnNames()) {
            if (column.compare(name, Qt::CaseInsensitive) == 0)
                return column;
        }
    }
    return QString();
}

QList<EntryColumn> genericColumns(const TableSchema& schema)
{
    QList<EntryColumn> columns;
    bool haveKey = false;
    for (const TableSchema::Column& column : schema.columns) {
        if (column.hidden)
            continue;
        Role role = guessRole(schema, column);
        if (role == Role::Key && haveKey)
            role = Role::Other;
        haveKey = haveKey || role == Role::Key;
        columns << col(column.name, q(column.name), role);
    }
    return columns;
}

} // namespace FormatColumns
