// SPDX-License-Identifier: GPL-3.0-or-later
#include "query/readyqueries.h"

#include "sqlite/database.h"

using namespace Qt::Literals::StringLiterals;

namespace {

QList<ReadyQuery> forTable(const QString& table, const QString& profile)
{
    const QString t = Database::quoteIdentifier(table);
    if (profile == u"diskcache"_s && table == u"Cache"_s)
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
    if (profile == u"langchain"_s && table != u"full_md5_llm_cache"_s)
        return { { u"LangChain: entries per model"_s,
                     u"SELECT coalesce(json_extract(substr(llm, 1, instr(llm, '---') - 1), '$.kwargs.model_name'), "
                     "json_extract(substr(llm, 1, instr(llm, '---') - 1), '$.kwargs.model'), llm) AS model, "
                     "count(*) AS entries FROM %1 GROUP BY model ORDER BY entries DESC"_s.arg(t) },
            { u"LangChain: largest responses"_s,
                u"SELECT prompt, length(response) AS bytes FROM %1 ORDER BY bytes DESC LIMIT 100"_s.arg(t) } };
    if (profile == u"requests-cache"_s)
        return { { u"requests-cache: largest responses"_s,
            u"SELECT key, length(value) AS bytes FROM %1 ORDER BY bytes DESC LIMIT 100"_s.arg(t) } };
    if (profile == u"llm-logs"_s && table == u"responses"_s)
        return { { u"llm: entries per model"_s,
                     u"SELECT model, count(*) AS responses, sum(input_tokens) AS input_tokens, "
                     "sum(output_tokens) AS output_tokens FROM %1 GROUP BY model ORDER BY responses DESC"_s.arg(t) },
            { u"llm: largest responses"_s,
                u"SELECT id, model, length(response) AS chars FROM %1 ORDER BY chars DESC LIMIT 100"_s.arg(t) } };
    if (profile == u"gptcache"_s && table == u"gptcache_question"_s)
        return { { u"GPTCache: questions pending deletion"_s,
            u"SELECT id, question, create_on FROM %1 WHERE deleted = -1"_s.arg(t) } };
    if (profile == u"sqlitedict"_s)
        return { { u"sqlitedict: largest values"_s,
            u"SELECT key, length(value) AS bytes FROM %1 ORDER BY bytes DESC LIMIT 100"_s.arg(t) } };
    return {};
}

} // namespace

QList<ReadyQuery> ReadyQueries::forProfiles(const QMap<QString, QString>& profileByTable)
{
    QList<ReadyQuery> queries;
    for (auto it = profileByTable.cbegin(); it != profileByTable.cend(); ++it)
        queries += forTable(it.key(), it.value());
    queries << ReadyQuery { u"Tables and indexes"_s,
        u"SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name"_s };
    if (!profileByTable.isEmpty())
        queries << ReadyQuery { u"First rows of %1"_s.arg(profileByTable.firstKey()),
            u"SELECT * FROM %1 LIMIT 100"_s.arg(Database::quoteIdentifier(profileByTable.firstKey())) };
    return queries;
}
