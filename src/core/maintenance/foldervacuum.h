// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "maintenance/cachefolder.h"
#include "maintenance/vacuum.h"

#include <QList>

#include <functional>

// FolderVacuum: a FanoutCache folder vacuumed as one cache — every shard, then every named
// sub-cache (CacheFolder::everyDatabase), each through Vacuum::run — in place, or INTO a new or
// empty folder with the same layout (INTO/000/cache.db …, INTO/index/NAME/cache.db), so
// diskcache.FanoutCache(INTO) reads the copy. It stops at the first part that fails (the error
// names the part) or is cancelled; the parts done before stay done. The CLI's `vacuum FOLDER` and
// the GUI's Vacuum dialog both run it. Runs on the calling thread, which it blocks.
class FolderVacuum {
public:
    struct Part {
        QString label; // "000", …, "index/sessions"
        bool shard = true; // false: a named sub-cache
        QString what; // "shard 000", "sub-cache index/sessions" (CacheFolder::partName)
        Vacuum::Outcome outcome;
    };
    // Called before each part (the CLI prints its warnings there); an error stops the run with it.
    using Before = std::function<Status(const QString& what, const QString& database)>;
    // Called after each part; may mark it cancelledAfterCommit. A cancelled part ends the run.
    using After = std::function<void(Part& part)>;

    // The INTO folder of a copy must be new (its parent existing) or empty.
    static Status checkInto(const QString& into);
    static Result<QList<Part>> run(
        const CacheFolder& folder, const Vacuum::Options& options, const Before& before = {}, const After& after = {});
};
