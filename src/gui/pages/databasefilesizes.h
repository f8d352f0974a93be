// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "os/cachefiles.h"

#include <QCoreApplication>
#include <QList>
#include <QStringList>

#include <array>

// DatabaseFileSizes: the files of the databases one cache is made of — one database, or a
// FanoutCache's every shard and named sub-cache, each with its name ("shard 000", "sub-cache
// index/sessions") — stat()ed (never opened: CacheFiles) and added up by kind, for the
// Overview's Files box. A plain value; any thread.
class DatabaseFileSizes {
    Q_DECLARE_TR_FUNCTIONS(DatabaseFileSizes)
public:
    struct Sum {
        qint64 bytes = -1; // -1: no database has this file
        int present = 0; // how many databases have it
        QString each; // several databases: each one's size, a line each ("shard 000: 1.4 MiB")
    };

    DatabaseFileSizes() = default;
    // paths and names in the same order (names only matter for several).
    DatabaseFileSizes(const QStringList& paths, const QStringList& names);

    qsizetype databases() const { return m_files.size(); }
    const QStringList& names() const { return m_names; }
    // stat() every file now: one Sum per CacheFiles::Kind, in its order.
    std::array<Sum, CacheFiles::KindCount> stat() const;

private:
    QList<CacheFiles> m_files;
    QStringList m_names;
};
