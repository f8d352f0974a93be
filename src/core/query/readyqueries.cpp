// SPDX-License-Identifier: GPL-3.0-or-later
#include "query/readyqueries.h"

#include "entries/cacheformats.h"
#include "sqlite/database.h"

using namespace Qt::Literals::StringLiterals;

QList<ReadyQuery> ReadyQueries::forProfiles(const QMap<QString, QString>& profileByTable)
{
    QList<ReadyQuery> queries;
    for (auto it = profileByTable.cbegin(); it != profileByTable.cend(); ++it)
        queries += CacheFormats::byId(it.value()).readyQueries(it.key(), Database::quoteIdentifier(it.key()));
    queries << ReadyQuery { u"Tables and indexes"_s,
        u"SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name"_s };
    if (!profileByTable.isEmpty())
        queries << ReadyQuery { u"First rows of %1"_s.arg(profileByTable.firstKey()),
            u"SELECT * FROM %1 LIMIT 100"_s.arg(Database::quoteIdentifier(profileByTable.firstKey())) };
    return queries;
}
