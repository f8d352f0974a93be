// SPDX-License-Identifier: GPL-3.0-or-later
// GPTCache (SQLite scalar store): docs/FORMATS.md, "GPTCache".
#include "entries/cacheformats.h"
#include "entries/formatcolumns.h"

using namespace Qt::Literals::StringLiterals;
using namespace FormatColumns;

namespace {

EntryColumn localTime(EntryColumn column)
{
    column.naiveLocalTime = true;
    return column;
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
        // GPTCache writes datetime.now(): naive text in the writer's local time (docs/FORMATS.md).
        localTime(decoded(col(u"created"_s, u"\"create_on\""_s, Role::Created, 0), EntryColumn::Decode::IsoTime)),
        localTime(
            decoded(col(u"last_access"_s, u"\"last_access\""_s, Role::Accessed, 0), EntryColumn::Decode::IsoTime)),
        col(u"embedding"_s, u"\"embedding_data\""_s, Role::Other, 32),
        col(u"deleted"_s, u"\"deleted\""_s, Role::Other, 0) };
}

class GptcacheFormat final : public CacheFormat {
public:
    QString id() const override { return u"gptcache"_s; }
    bool recognises(const TableSchema& schema, const QStringList& tables) const override
    {
        return schema.name.startsWith(u"gptcache_"_s) && tables.contains(u"gptcache_question"_s);
    }
    std::optional<QList<EntryColumn>> columns(const TableSchema& schema, const QStringList& tables) const override
    {
        if (schema.name == u"gptcache_question"_s
            && hasAll(
                schema, { u"id"_s, u"question"_s, u"create_on"_s, u"last_access"_s, u"embedding_data"_s, u"deleted"_s })
            && tables.contains(u"gptcache_answer"_s))
            return gptcacheQuestionColumns();
        return std::nullopt;
    }
    bool isMainTable(const QString& table) const override { return table == u"gptcache_question"_s; }
    QList<ReadyQuery> readyQueries(const QString& table, const QString& t) const override
    {
        if (table != u"gptcache_question"_s)
            return {};
        return { { u"GPTCache: questions pending deletion"_s,
            u"SELECT id, question, create_on FROM %1 WHERE deleted = -1"_s.arg(t) } };
    }
    // Answers, dependencies and session rows point at their question by question_id.
    std::optional<Dependent> dependent(const TableSchema& schema) const override
    {
        if (schema.name == u"gptcache_report"_s || !schema.hasColumn(u"question_id"_s))
            return std::nullopt;
        return Dependent { u"question_id"_s, false };
    }
};

} // namespace

const CacheFormat& Formats::gptcache()
{
    static const GptcacheFormat format;
    return format;
}
