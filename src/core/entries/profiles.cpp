// SPDX-License-Identifier: GPL-3.0-or-later
#include "entries/profiles.h"

#include <QSet>

#include <optional>

using namespace Qt::Literals::StringLiterals;

using Role = EntryColumn::Role;

namespace {

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

EntryColumn col(const QString& name, const QString& sql, Role role, int previewChars = 300)
{
    return EntryColumn { name, sql, role, previewChars, EntryColumn::Decode::None, QString(), QString() };
}

// The model name inside LangChain's `llm` string: JSON (`kwargs.model_name` or `kwargs.model`)
// followed by "---" and the sorted params. Guarded by json_valid so a malformed row is NULL,
// not an error that stops the page.
QString langchainModelSql()
{
    const QString json = u"substr(\"llm\", 1, instr(\"llm\", '---') - 1)"_s;
    const QString whole = u"\"llm\""_s;
    auto pick = [](const QString& doc) {
        return u"CASE WHEN json_valid(%1) THEN coalesce(json_extract(%1, '$.kwargs.model_name'), "
               "json_extract(%1, '$.kwargs.model'), json_extract(%1, '$.kwargs.model_id')) END"_s.arg(doc);
    };
    // Non-JSON llm strings (e.g. "…('model', 'llama3.1:8b')…"): the quoted value after the name.
    auto quoted = [](const QString& name) {
        const QString at = u"instr(\"llm\", '(''%1'', ''')"_s.arg(name);
        const QString rest = u"substr(\"llm\", %1 + %2)"_s.arg(at).arg(name.size() + 6);
        return u"CASE WHEN %1 > 0 THEN substr(%2, 1, instr(%2, '''') - 1) END"_s.arg(at, rest);
    };
    return u"coalesce(%1, %2, %3, %4)"_s.arg(pick(json), pick(whole), quoted(u"model_name"_s), quoted(u"model"_s));
}

QString langchainTokensSql(const QString& field)
{
    return u"CASE WHEN json_valid(\"response\") THEN json_extract(\"response\", "
           "'$.kwargs.message.kwargs.usage_metadata.%1') END"_s.arg(field);
}

bool isDiskcache(const TableSchema& schema, const QStringList& tables)
{
    return schema.name == u"Cache"_s && tables.contains(u"Settings"_s)
        && hasAll(schema, { u"key"_s, u"raw"_s, u"store_time"_s, u"mode"_s, u"filename"_s, u"value"_s });
}

EntryColumn decoded(EntryColumn column, EntryColumn::Decode decode, const QString& aux = QString())
{
    column.decode = decode;
    column.auxSql = aux;
    return column;
}

EntryColumn field(const QString& name, const QString& sql, const QString& path, Role role, int previewChars = 0)
{
    EntryColumn column = col(name, sql, role, previewChars);
    column.decode = EntryColumn::Decode::PickleField;
    column.field = path;
    return column;
}

// Seconds since 1970 (REAL) compared with now, in SQL (docs/FORMATS.md: diskcache expire_time).
QString expiredSql(const QString& epochColumn)
{
    return u"(%1 IS NOT NULL AND %1 < (julianday('now') - 2440587.5) * 86400.0)"_s.arg(epochColumn);
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

QList<EntryColumn> langchainColumns(const TableSchema& schema)
{
    QList<EntryColumn> columns;
    if (schema.name == u"full_md5_llm_cache"_s)
        columns << col(u"id"_s, u"\"id\""_s, Role::Other, 0);
    columns << col(u"prompt"_s, u"\"prompt\""_s, Role::Key) << col(u"model"_s, langchainModelSql(), Role::Model, 0)
            << col(u"idx"_s, u"\"idx\""_s, Role::Other, 0)
            // The generation text unwrapped from the {"lc": 1, "type": "constructor", …} wrapper.
            << col(u"text"_s,
                   u"CASE WHEN json_valid(\"response\") THEN coalesce(json_extract(\"response\", '$[0].kwargs.text'), "
                   "json_extract(\"response\", '$.kwargs.text')) END"_s,
                   Role::Other)
            << col(u"response"_s, u"\"response\""_s, Role::Value)
            << col(u"size"_s, u"length(\"response\")"_s, Role::Size, 0)
            << col(u"input_tokens"_s, langchainTokensSql(u"input_tokens"_s), Role::Tokens, 0)
            << col(u"output_tokens"_s, langchainTokensSql(u"output_tokens"_s), Role::Tokens, 0)
            << col(u"llm"_s, u"\"llm\""_s, Role::Other, 120);
    return columns;
}

QList<EntryColumn> keyValueColumns(const TableSchema& schema)
{
    QList<EntryColumn> columns { col(u"key"_s, u"\"key\""_s, Role::Key), col(u"value"_s, u"\"value\""_s, Role::Value),
        col(u"size"_s, u"length(\"value\")"_s, Role::Size, 0) };
    if (schema.hasColumn(u"expires"_s))
        columns << col(u"expires"_s, u"\"expires\""_s, Role::Expires, 0);
    return columns;
}

QList<EntryColumn> gptcacheQuestionColumns()
{
    return { col(u"id"_s, u"\"id\""_s, Role::Other, 0), col(u"question"_s, u"\"question\""_s, Role::Key),
        col(u"answer"_s,
            u"(SELECT \"answer\" FROM \"gptcache_answer\" WHERE \"question_id\" = \"gptcache_question\".\"id\" LIMIT 1)"_s,
            Role::Value),
        // Bytes of the question and its answers, as stored.
        col(u"size"_s,
            u"length(CAST(\"question\" AS BLOB)) + coalesce((SELECT sum(length(CAST(\"answer\" AS BLOB))) FROM "
            "\"gptcache_answer\" WHERE \"question_id\" = \"gptcache_question\".\"id\"), 0)"_s,
            Role::Size, 0),
        col(u"created"_s, u"\"create_on\""_s, Role::Created, 0),
        col(u"last_access"_s, u"\"last_access\""_s, Role::Accessed, 0),
        col(u"embedding"_s, u"\"embedding_data\""_s, Role::Other, 32),
        col(u"deleted"_s, u"\"deleted\""_s, Role::Other, 0) };
}

QList<EntryColumn> llmLogsColumns(const TableSchema& schema)
{
    QList<EntryColumn> columns { col(u"id"_s, u"\"id\""_s, Role::Other, 0),
        col(u"model"_s, u"\"model\""_s, Role::Model, 0), col(u"prompt"_s, u"\"prompt\""_s, Role::Key),
        col(u"response"_s, u"\"response\""_s, Role::Value),
        // Bytes of the prompt and the response text, as stored.
        col(u"size"_s,
            u"coalesce(length(CAST(\"prompt\" AS BLOB)), 0) + coalesce(length(CAST(\"response\" AS BLOB)), 0)"_s,
            Role::Size, 0) };
    if (schema.hasColumn(u"datetime_utc"_s))
        columns << col(u"created"_s, u"\"datetime_utc\""_s, Role::Created, 0);
    columns << col(u"input_tokens"_s, u"\"input_tokens\""_s, Role::Tokens, 0)
            << col(u"output_tokens"_s, u"\"output_tokens\""_s, Role::Tokens, 0);
    if (schema.hasColumn(u"duration_ms"_s))
        columns << col(u"duration_ms"_s, u"\"duration_ms\""_s, Role::Other, 0);
    return columns;
}

// The common hand-written LLM cache: a key, the prompt, the model, the response and when it was
// stored, under any table name (e.g. analysis_cache(cache_key, model, prompt, response, created_at)).
QString firstColumn(const TableSchema& schema, const QStringList& names)
{
    for (const QString& name : names) {
        for (const QString& column : schema.columnNames()) {
            if (column.compare(name, Qt::CaseInsensitive) == 0)
                return column;
        }
    }
    return QString();
}

bool isLlmCache(const TableSchema& schema)
{
    return !firstColumn(schema, { u"cache_key"_s, u"key"_s, u"prompt_hash"_s, u"hash"_s }).isEmpty()
        && !firstColumn(schema, { u"prompt"_s }).isEmpty() && !firstColumn(schema, { u"model"_s }).isEmpty()
        && !firstColumn(schema, { u"response"_s, u"completion"_s, u"result"_s }).isEmpty()
        && !firstColumn(schema, { u"created_at"_s, u"created"_s, u"timestamp"_s, u"ts"_s }).isEmpty();
}

QList<EntryColumn> llmCacheColumns(const TableSchema& schema)
{
    const QString created = firstColumn(schema, { u"created_at"_s, u"created"_s, u"timestamp"_s, u"ts"_s });
    const auto* createdColumn = schema.column(created);
    const bool text = createdColumn && createdColumn->type.contains(u"TEXT"_s, Qt::CaseInsensitive);
    EntryColumn createdEntry = col(u"created"_s, q(created), Role::Created, 0);
    createdEntry.decode = text ? EntryColumn::Decode::IsoTime : EntryColumn::Decode::EpochTime;
    const QString response = firstColumn(schema, { u"response"_s, u"completion"_s, u"result"_s });
    return { col(u"key"_s, q(firstColumn(schema, { u"cache_key"_s, u"key"_s, u"prompt_hash"_s, u"hash"_s })),
                 Role::Key),
        col(u"model"_s, q(firstColumn(schema, { u"model"_s })), Role::Model, 0),
        col(u"prompt"_s, q(firstColumn(schema, { u"prompt"_s })), Role::Other),
        col(u"response"_s, q(response), Role::Value), col(u"size"_s, u"length(%1)"_s.arg(q(response)), Role::Size, 0),
        createdEntry };
}

bool isSqlitedictShape(const TableSchema& schema)
{
    if (schema.columnNames().size() != 2 || schema.primaryKey() != QStringList { u"key"_s })
        return false;
    const auto* key = schema.column(u"key"_s);
    const auto* value = schema.column(u"value"_s);
    return key && value && key->type == u"TEXT"_s && value->type == u"BLOB"_s;
}

Role guessRole(const TableSchema& schema, const TableSchema::Column& column)
{
    const QString name = column.name.toLower();
    static const QSet<QString> keys { u"key"_s, u"prompt"_s, u"question"_s, u"url"_s, u"hash"_s, u"cache_key"_s };
    static const QSet<QString> values { u"value"_s, u"response"_s, u"answer"_s, u"result"_s, u"data"_s, u"payload"_s,
        u"body"_s, u"content"_s, u"output"_s, u"completion"_s };
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

QString profileOf(const TableSchema& schema, const QStringList& tables)
{
    const QString& name = schema.name;
    if (isDiskcache(schema, tables) || (name == u"Settings"_s && tables.contains(u"Cache"_s)))
        return u"diskcache"_s;
    if ((name == u"full_llm_cache"_s && hasAll(schema, { u"prompt"_s, u"llm"_s, u"idx"_s, u"response"_s }))
        || (name == u"full_md5_llm_cache"_s
            && hasAll(schema, { u"id"_s, u"prompt_md5"_s, u"llm"_s, u"idx"_s, u"prompt"_s, u"response"_s })))
        return u"langchain"_s;
    const QSet<QString> columns = lowerNames(schema);
    if ((name == u"responses"_s || name == u"redirects"_s)
        && (columns == QSet<QString> { u"key"_s, u"value"_s }
            || columns == QSet<QString> { u"key"_s, u"value"_s, u"expires"_s }))
        return u"requests-cache"_s;
    if (name.startsWith(u"gptcache_"_s) && tables.contains(u"gptcache_question"_s))
        return u"gptcache"_s;
    if (name == u"responses"_s
        && hasAll(schema, { u"id"_s, u"model"_s, u"prompt"_s, u"response"_s, u"input_tokens"_s, u"output_tokens"_s }))
        return u"llm-logs"_s;
    if (isSqlitedictShape(schema))
        return u"sqlitedict"_s;
    if (isLlmCache(schema))
        return u"llm-cache"_s;
    return u"generic"_s;
}

QList<EntryColumn> columnsOf(const QString& profile, const TableSchema& schema, const QStringList& tables)
{
    const QString& name = schema.name;
    if (profile == u"diskcache"_s && isDiskcache(schema, tables))
        return diskcacheColumns(schema);
    if (profile == u"langchain"_s)
        return langchainColumns(schema);
    if (profile == u"requests-cache"_s)
        return requestsCacheColumns(schema);
    if (profile == u"sqlitedict"_s) {
        QList<EntryColumn> columns = keyValueColumns(schema);
        columns[1].decode = EntryColumn::Decode::PickleOrJson;
        return columns;
    }
    if (profile == u"gptcache"_s && name == u"gptcache_question"_s
        && hasAll(
            schema, { u"id"_s, u"question"_s, u"create_on"_s, u"last_access"_s, u"embedding_data"_s, u"deleted"_s })
        && tables.contains(u"gptcache_answer"_s))
        return gptcacheQuestionColumns();
    if (profile == u"llm-logs"_s)
        return llmLogsColumns(schema);
    if (profile == u"llm-cache"_s)
        return llmCacheColumns(schema);
    return genericColumns(schema);
}

bool isMain(const QString& profile, const QString& table)
{
    static const QMap<QString, QStringList> mains {
        { u"diskcache"_s, { u"Cache"_s } },
        { u"langchain"_s, { u"full_llm_cache"_s, u"full_md5_llm_cache"_s } },
        { u"requests-cache"_s, { u"responses"_s } },
        { u"gptcache"_s, { u"gptcache_question"_s } },
        { u"llm-logs"_s, { u"responses"_s } },
    };
    return profile == u"sqlitedict"_s || profile == u"llm-cache"_s || mains.value(profile).contains(table);
}

} // namespace

QString EntryColumn::roleName(Role role)
{
    switch (role) {
    case Role::Key:
        return u"key"_s;
    case Role::Value:
        return u"value"_s;
    case Role::Size:
        return u"size"_s;
    case Role::Created:
        return u"created"_s;
    case Role::Accessed:
        return u"last_access"_s;
    case Role::Expires:
        return u"expires"_s;
    case Role::Hits:
        return u"hits"_s;
    case Role::Model:
        return u"model"_s;
    case Role::Tokens:
        return u"tokens"_s;
    case Role::Expired:
        return u"expired"_s;
    case Role::Other:
        break;
    }
    return QString();
}

QStringList EntryView::columnNames() const
{
    QStringList names;
    for (const EntryColumn& column : columns)
        names << column.name;
    return names;
}

int EntryView::columnIndex(EntryColumn::Role role) const
{
    for (int i = 0; i < columns.size(); ++i) {
        if (columns[i].role == role)
            return i;
    }
    return -1;
}

const QStringList& Profiles::names()
{
    static const QStringList list { u"diskcache"_s, u"langchain"_s, u"requests-cache"_s, u"gptcache"_s, u"llm-logs"_s,
        u"sqlitedict"_s, u"llm-cache"_s, u"generic"_s };
    return list;
}

EntryView Profiles::viewOf(const TableSchema& schema, const QStringList& allTables, int firstColumn)
{
    EntryView view;
    view.table = schema.name;
    view.schema = schema;
    view.profile = profileOf(schema, allTables);
    view.columns = columnsOf(view.profile, schema, allTables);
    view.isMainTable = isMain(view.profile, schema.name);
    // The key is searched whichever window of a wide table is shown.
    const int key = view.columnIndex(Role::Key);
    if (key >= 0)
        view.searchSql = view.columns[key].sql;
    if (view.columns.size() > EntryView::MaxColumns || firstColumn > 0) {
        const int total = int(view.columns.size());
        view.firstColumn = std::clamp(firstColumn, 0, std::max(0, total - 1));
        view.columns = view.columns.mid(view.firstColumn, EntryView::MaxColumns);
        view.omittedColumns = total - int(view.columns.size());
    }
    return view;
}

Result<QMap<QString, QString>> Profiles::detect(Database* database)
{
    auto tables = database->tables();
    if (!tables)
        return tables.error();
    QMap<QString, QString> profiles;
    for (const QString& table : tables.value()) {
        auto schema = TableSchema::read(database, table);
        profiles.insert(table, schema ? profileOf(schema.value(), tables.value()) : u"generic"_s);
    }
    return profiles;
}
