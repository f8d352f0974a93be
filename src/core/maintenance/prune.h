// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/error.h"
#include "maintenance/pruneoptions.h"
#include "maintenance/pruneoutcome.h"
#include "maintenance/pruneselection.h"

// Prune: removes the entries a PruneSelection chooses from a live cache without making its
// writers wait. First one read-only pass chooses them (PrunePlan); a dry run stops there and
// changes nothing. Then they go in batches, each one short write transaction (BEGIN IMMEDIATE
// with the busy timeout) sized from the batches before it so it holds the write lock at most
// batchMs; between batches the lock is left free long enough for writers polling in their busy
// handlers to get it. Each batch re-checks that a row is still the one chosen (PruneTarget's
// fingerprint and condition), removes what belongs to it in other tables, and — for diskcache —
// keeps Settings count/size right; its value files are unlinked only after the batch
// committed. With a backup, each batch's entries are written and synced before the batch is
// deleted (PruneBackup). Cancelling stops between batches: the finished ones stay removed and
// are counted. Afterwards the free pages are counted; with auto_vacuum=INCREMENTAL they are
// returned in small steps. A FanoutCache is pruned shard by shard (the byte budget split
// evenly between shards, as FanoutCache splits its size_limit). Runs on the calling thread.
class Prune {
public:
    using Progress = PruneProgress;
    using Options = PruneOptions;
    using Counts = PruneCounts;
    using Part = PrunePart;
    using Outcome = PruneOutcome;

    // path: a database, a diskcache folder or a FanoutCache folder.
    static Result<Outcome> run(const QString& path, const PruneSelection& selection, const Options& options);
};
