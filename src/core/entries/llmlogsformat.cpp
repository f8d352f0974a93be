// SPDX-License-Identifier: GPL-3.0-or-later
// llm (simonw/llm) logs.db: docs/FORMATS.md, "llm (simonw/llm) logs.db".
#include "entries/cacheformats.h"
#include "entries/formatcolumns.h"

using namespace Qt::Literals::StringLiterals;
using namespace FormatColumns;

namespace {

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
        columns << decoded(col(u"created"_s, u"\"datetime_utc\""_s, Role::Created, 0),
            EntryColumn::Decode::IsoTime); // naive UTC, as its name says
    columns << col(u"input_tokens"_s, u"\"input_tokens\""_s, Role::Tokens, 0)
            << col(u"output_tokens"_s, u"\"output_tokens\""_s, Role::Tokens, 0);
    if (schema.hasColumn(u"duration_ms"_s))
        columns << col(u"duration_ms"_s, u"\"duration_ms\""_s, Role::Other, 0);
    return columns;
}

class LlmLogsFormat final : public CacheFormat {
public:
    QString id() const override { return u"llm-logs"_s; }
    bool recognises(const TableSchema& schema, const QStringList&) const override
    {
        return schema.name == u"responses"_s
            && hasAll(
                schema, { u"id"_s, u"model"_s, u"prompt"_s, u"response"_s, u"input_tokens"_s, u"output_tokens"_s });
    }
    std::optional<QList<EntryColumn>> columns(const TableSchema& schema, const QStringList&) const override
    {
        return llmLogsColumns(schema);
    }
    bool isMainTable(const QString& table) const override { return table == u"responses"_s; }
    bool keepsFtsByTriggers() const override { return true; } // responses_fts, by sqlite-utils' triggers
    // #28 review: "size 13 bytes" beside an 8-character response read as a mistake.
    QString shownColumnNote(const QString& column) const override
    {
        return column == u"size"_s ? u"the prompt and the response together, "_s + utf8BytesNote() : QString();
    }
    QList<ReadyQuery> readyQueries(const QString& table, const QString& t) const override
    {
        if (table != u"responses"_s)
            return {};
        return { { u"llm: entries per model"_s,
                     u"SELECT model, count(*) AS responses, sum(input_tokens) AS input_tokens, "
                     "sum(output_tokens) AS output_tokens FROM %1 GROUP BY model ORDER BY responses DESC"_s.arg(t) },
            { u"llm: largest responses"_s,
                u"SELECT id, model, length(response) AS chars FROM %1 ORDER BY chars DESC LIMIT 100"_s.arg(t) } };
    }
    // Tool calls, attachments and the like point at their response by response_id (the
    // full-text index's own tables are not rows of it).
    std::optional<Dependent> dependent(const TableSchema& schema) const override
    {
        if (!schema.hasColumn(u"response_id"_s) || schema.withoutRowid || schema.name.endsWith(u"_fts"_s))
            return std::nullopt;
        return Dependent { u"response_id"_s, false };
    }
};

} // namespace

const CacheFormat& Formats::llmLogs()
{
    static const LlmLogsFormat format;
    return format;
}
