// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "entries/cacheformat.h"

// CacheFormats: the registry of the cache formats CacheScope knows, in the order a table is
// tried against them (the generic view last: it takes every table). Adding a format is one
// file defining it (entries/<name>format.cpp, a Formats:: accessor) and one line in all()
// (docs/FORMATS.md, "Adding a format"). Any thread.
class CacheFormats {
public:
    static const QList<const CacheFormat*>& all();
    static QStringList ids(); // every format's id, "generic" last
    // The format whose id this is; the generic one for an unknown id.
    static const CacheFormat& byId(const QString& id);
    // The first format that recognises the table.
    static const CacheFormat& of(const TableSchema& schema, const QStringList& tables);
    static bool isGeneric(const QString& id);
};

// The formats, one accessor each, defined in their own files.
namespace Formats {
const CacheFormat& diskcache();
const CacheFormat& langchain();
const CacheFormat& requestsCache();
const CacheFormat& gptcache();
const CacheFormat& llmLogs();
const CacheFormat& sqlitedict();
const CacheFormat& llmCache();
const CacheFormat& generic();
} // namespace Formats
