// SPDX-License-Identifier: GPL-3.0-or-later
#include "fanoutjson.h"

#include "maintenance/cachefolder.h"

using namespace Qt::Literals::StringLiterals;

void FanoutJson::addShard(const QString& label, QJsonObject result)
{
    result.insert(u"shard"_s, label);
    m_shards.append(result);
}

void FanoutJson::addSubCache(const QString& label, QJsonObject result)
{
    result.insert(u"name"_s, label);
    m_subCaches.append(result);
}

QJsonObject FanoutJson::toJson(const QString& root) const
{
    return QJsonObject { { u"path"_s, root }, { u"layout"_s, CacheFolder::layoutName(CacheFolder::Layout::Fanout) },
        { u"shards"_s, m_shards }, { u"sub_caches"_s, m_subCaches } };
}
