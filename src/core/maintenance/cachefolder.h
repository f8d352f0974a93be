// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/error.h"

#include <QString>
#include <QStringList>

// CacheFolder: what a path given to a maintenance command names. A database file (or the
// name of a missing one whose sidecars remain) is itself; a folder is a cache when it is a
// diskcache folder (DIR/cache.db) or a FanoutCache folder (one diskcache database per shard
// folder DIR/000/cache.db, DIR/001/cache.db, …; docs/FORMATS.md) with its named sub-caches
// (FanoutCache.cache('NAME') → DIR/cache/NAME/cache.db, .deque('NAME') → DIR/deque/NAME,
// .index('NAME') → DIR/index/NAME; a NAME may hold '/'). Any other folder is an
// Error naming what was looked for. Links are not followed: a symbolic link is returned as a
// file path for the commands to refuse. Only lstat()/readdir; a plain value; any thread.
class CacheFolder {
public:
    enum class Layout { File, Diskcache, Fanout };
    static constexpr int MaxShards = 1000; // shard folders are three digits

    Layout layout = Layout::File;
    QString root; // the path given (a folder for Diskcache/Fanout)
    QStringList databases; // absolute paths of the databases, shards in order
    QStringList shards; // shard folder names for Fanout ("000", …), else empty
    // Fanout: the named sub-caches ("index/sessions", "cache/a/b"), sorted, and their databases
    // in the same order. Not in `databases`: those are the FanoutCache's own shards.
    QStringList subCaches;
    QStringList subCacheDatabases;
    static constexpr int MaxSubCacheDepth = 8; // folders below DIR/cache, DIR/deque, DIR/index

    // Every database of the cache: the shards, then the sub-caches; with the label of each
    // ("000", …, "index/sessions"; for a file or diskcache folder the database's path).
    QStringList everyDatabase() const { return databases + subCacheDatabases; }
    QStringList labels() const;
    // The i-th of everyDatabase() in words: "shard 000", "sub-cache index/sessions" (Fanout), else its path.
    QString partName(qsizetype i) const;

    static Result<CacheFolder> resolve(const QString& path);
    static QString layoutName(Layout layout); // "file", "diskcache", "fanout"
    bool isFolder() const { return layout != Layout::File; }
};
