// SPDX-License-Identifier: GPL-3.0-or-later
// LangChain SQLiteCache: docs/FORMATS.md, "LangChain (SQLiteCache)".
#include "entries/cacheformats.h"
#include "entries/formatcolumns.h"

using namespace Qt::Literals::StringLiterals;
using namespace FormatColumns;

namespace {

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

// What the user asked: a chat model's prompt is LangChain's JSON of its messages
// ([{"lc": 1, "type": "constructor", "id": [..., "HumanMessage"], "kwargs": {"content": …}}, …]):
// the content of the last human message (its first text part when the content is a list of
// parts; OpenAI-style {"role": "user", "content"} too); a completion model's prompt is the
// plain string itself.
QString langchainMessageSql()
{
    const QString content = u"CASE json_type(value, '$.kwargs.content') WHEN 'text' THEN json_extract(value, "
                            "'$.kwargs.content') WHEN 'array' THEN json_extract(value, '$.kwargs.content[0].text') "
                            "ELSE json_extract(value, '$.content') END"_s;
    const QString human = u"json_extract(value, '$.kwargs.type') = 'human' OR json_extract(value, '$.id[#-1]') = "
                          "'HumanMessage' OR json_extract(value, '$.role') IN ('user', 'human')"_s;
    return u"CASE WHEN json_valid(\"prompt\") AND json_type(\"prompt\") = 'array' THEN coalesce((SELECT %1 FROM "
           "json_each(\"prompt\") WHERE json_type(value) = 'object' AND (%2) ORDER BY key DESC LIMIT 1), \"prompt\") "
           "ELSE \"prompt\" END"_s.arg(content, human);
}

QString langchainTokensSql(const QString& field)
{
    return u"CASE WHEN json_valid(\"response\") THEN json_extract(\"response\", "
           "'$.kwargs.message.kwargs.usage_metadata.%1') END"_s.arg(field);
}

QList<EntryColumn> langchainColumns(const TableSchema& schema)
{
    QList<EntryColumn> columns;
    if (schema.name == u"full_md5_llm_cache"_s)
        columns << col(u"id"_s, u"\"id\""_s, Role::Other, 0);
    columns << col(u"message"_s, langchainMessageSql(), Role::Other)
            << col(u"model"_s, langchainModelSql(), Role::Model, 0)
            << col(u"idx"_s, u"\"idx\""_s, Role::Other, 0)
            // The generation text unwrapped from the {"lc": 1, "type": "constructor", …} wrapper.
            << col(u"text"_s,
                   u"CASE WHEN json_valid(\"response\") THEN coalesce(json_extract(\"response\", '$[0].kwargs.text'), "
                   "json_extract(\"response\", '$.kwargs.text')) END"_s,
                   Role::Other)
            << col(u"response"_s, u"\"response\""_s, Role::Value)
            << col(u"size"_s, byteLength(u"\"response\""_s), Role::Size, 0)
            << col(u"input_tokens"_s, langchainTokensSql(u"input_tokens"_s), Role::Tokens, 0)
            << col(u"output_tokens"_s, langchainTokensSql(u"output_tokens"_s), Role::Tokens, 0)
            << col(u"prompt"_s, u"\"prompt\""_s, Role::Key) // the whole serialised prompt
            << col(u"llm"_s, u"\"llm\""_s, Role::Other, 120);
    return columns;
}

class LangchainFormat final : public CacheFormat {
public:
    QString id() const override { return u"langchain"_s; }
    bool recognises(const TableSchema& schema, const QStringList&) const override
    {
        const QString& name = schema.name;
        return (name == u"full_llm_cache"_s && hasAll(schema, { u"prompt"_s, u"llm"_s, u"idx"_s, u"response"_s }))
            || (name == u"full_md5_llm_cache"_s
                && hasAll(schema, { u"id"_s, u"prompt_md5"_s, u"llm"_s, u"idx"_s, u"prompt"_s, u"response"_s }));
    }
    std::optional<QList<EntryColumn>> columns(const TableSchema& schema, const QStringList&) const override
    {
        return langchainColumns(schema);
    }
    bool isMainTable(const QString& table) const override
    {
        return table == u"full_llm_cache"_s || table == u"full_md5_llm_cache"_s;
    }
    QString shownColumnNote(const QString& column) const override
    {
        return column == u"size"_s ? u"the response as stored (its JSON), "_s + utf8BytesNote() : QString();
    }
    QList<ReadyQuery> readyQueries(const QString& table, const QString& t) const override
    {
        if (table == u"full_md5_llm_cache"_s)
            return {};
        return { { u"LangChain: entries per model"_s,
                     u"SELECT coalesce(json_extract(substr(llm, 1, instr(llm, '---') - 1), '$.kwargs.model_name'), "
                     "json_extract(substr(llm, 1, instr(llm, '---') - 1), '$.kwargs.model'), llm) AS model, "
                     "count(*) AS entries FROM %1 GROUP BY model ORDER BY entries DESC"_s.arg(t) },
            { u"LangChain: largest responses"_s,
                u"SELECT prompt, length(CAST(response AS BLOB)) AS bytes FROM %1 ORDER BY bytes DESC LIMIT 100"_s.arg(
                    t) } };
    }
};

} // namespace

const CacheFormat& Formats::langchain()
{
    static const LangchainFormat format;
    return format;
}
