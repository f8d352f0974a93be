// SPDX-License-Identifier: GPL-3.0-or-later
#include "entries/cacheformats.h"

const QList<const CacheFormat*>& CacheFormats::all()
{
    static const QList<const CacheFormat*> formats { &Formats::diskcache(), &Formats::langchain(),
        &Formats::requestsCache(), &Formats::gptcache(), &Formats::llmLogs(), &Formats::sqlitedict(),
        &Formats::llmCache(), &Formats::generic() };
    return formats;
}

QStringList CacheFormats::ids()
{
    QStringList ids;
    for (const CacheFormat* format : all())
        ids << format->id();
    return ids;
}

const CacheFormat& CacheFormats::byId(const QString& id)
{
    for (const CacheFormat* format : all()) {
        if (format->id() == id)
            return *format;
    }
    return Formats::generic();
}

const CacheFormat& CacheFormats::of(const TableSchema& schema, const QStringList& tables)
{
    for (const CacheFormat* format : all()) {
        if (format->recognises(schema, tables))
            return *format;
    }
    return Formats::generic();
}

bool CacheFormats::isGeneric(const QString& id)
{
    return &byId(id) == &Formats::generic();
}
