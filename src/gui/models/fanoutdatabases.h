// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

class Database;

// FanoutDatabases: the connections to a FanoutCache folder the window holds, each with its
// label — the shards in order ("000", …; the first is the window's database) and the named
// sub-caches that opened ("index/sessions", "cache/NAME": CacheFolder::subCaches), each a
// diskcache database of its own. Empty for a cache of one database. The pointers are borrowed:
// the window owns the connections and they outlive the pages given them. GUI thread.
struct FanoutDatabases {
    struct Part {
        QString label;
        Database* database = nullptr;
    };
    QList<Part> shards;
    QList<Part> subCaches;

    bool isFanout() const { return !shards.isEmpty(); }
    QStringList shardLabels() const
    {
        QStringList labels;
        for (const Part& part : shards)
            labels << part.label;
        return labels;
    }
    // Every part, shards first, then the sub-caches (the order visiblePartNames() names them in).
    QList<Part> parts() const { return shards + subCaches; }
};
