// SPDX-License-Identifier: GPL-3.0-or-later
#include "maintenance/prune.h"

#include "maintenance/cachefolder.h"
#include "maintenance/prunebackup.h"
#include "maintenance/prunebatches.h"
#include "maintenance/pruneplan.h"
#include "maintenance/prunetarget.h"
#include "maintenance/walupkeep.h"
#include "sqlite/database.h"
#include "sqlite/statement.h"
#include "wal/walorigin.h"

#include <sqlite3.h>

#include <memory>
#include <optional>
#include <thread>

using namespace Qt::Literals::StringLiterals;

namespace {
constexpr int IncrementalVacuumPages = 128; // pages returned per short write transaction
constexpr int IncrementalVacuumGapMs = 25;

// One database of the cache, opened and understood before anything is written anywhere.
struct Opened {
    std::unique_ptr<Database> database;
    PruneTarget target;
    Prune::Part part;
};

Result<qint64> pragmaInt(Database* database, const QString& pragma)
{
    auto value = database->queryValue(u"PRAGMA "_s + pragma);
    if (!value)
        return value.error();
    return value->toLongLong();
}

// SQLite's checkpoint threshold in pages; 0 when the cache is not in WAL mode.
int walAutocheckpoint(Database* database)
{
    if (database->journalMode() != u"wal"_s)
        return 0;
    auto pages = pragmaInt(database, u"wal_autocheckpoint"_s);
    return pages ? int(pages.value()) : 0;
}

// With auto_vacuum=INCREMENTAL, the free pages go back to the file system in small steps.
Status returnFreePages(Database* database, const Prune::Options& options, Prune::Counts& counts)
{
    auto mode = pragmaInt(database, u"auto_vacuum"_s);
    if (!mode)
        return mode.error();
    if (mode.value() != 2)
        return {};
    auto step = Statement::prepare(database->handle(), u"PRAGMA incremental_vacuum(%1)"_s.arg(IncrementalVacuumPages));
    if (!step)
        return step.error();
    for (;;) {
        auto free = pragmaInt(database, u"freelist_count"_s);
        if (!free)
            return free.error();
        if (free.value() == 0 || (options.cancel && options.cancel->load()))
            return {};
        sqlite3_reset(step->handle());
        int rc;
        while ((rc = step->step()) == SQLITE_ROW) { }
        sqlite3_reset(step->handle());
        if (rc != SQLITE_DONE)
            return database->lastError(u"returning free pages (incremental_vacuum)"_s);
        auto after = pragmaInt(database, u"freelist_count"_s);
        if (!after)
            return after.error();
        if (after.value() >= free.value())
            return {}; // nothing more to return
        counts.pagesReturned += free.value() - after.value();
        std::this_thread::sleep_for(std::chrono::milliseconds(IncrementalVacuumGapMs));
    }
}

Result<Opened> openPart(
    const QString& dbPath, const QString& shard, PruneSelection selection, const Prune::Options& options)
{
    // A read-write open lets SQLite adopt the -wal: one written for another database would
    // replace this one's content at the next checkpoint (docs/WAL.md).
    if (!options.dryRun && !options.acceptForeignWal) {
        if (Status foreign = WalOrigin::refuseForeign(dbPath, u"prune"_s); !foreign)
            return Error { foreign.error().kind,
                shard.isEmpty() ? foreign.error().message : u"shard %1: %2"_s.arg(shard, foreign.error().message) };
    }
    Database::Options open;
    open.mode = options.dryRun ? Database::Mode::ReadOnly : Database::Mode::ReadWrite;
    open.busyTimeoutMs = options.busyTimeoutMs;
    open.switchToWal = false; // a prune never changes the journal mode
    auto database = Database::open(dbPath, open);
    if (!database)
        return Error { database.error().kind,
            shard.isEmpty() ? database.error().message : u"shard %1: %2"_s.arg(shard, database.error().message),
            database.error().namesHolders };
    auto target = PruneTarget::of(database->get(), selection);
    if (!target)
        return Error { target.error().kind,
            shard.isEmpty() ? target.error().message : u"shard %1: %2"_s.arg(shard, target.error().message) };
    Opened opened { std::move(database.value()), std::move(target.value()), {} };
    opened.part.shard = shard;
    opened.part.dbPath = dbPath;
    opened.part.table = opened.target.view.table;
    opened.part.profile = opened.target.view.profile;
    if (selection.maxBytes >= 0)
        opened.part.evictionOrder = opened.target.orderBy;
    return opened;
}

// Chooses, then (unless a dry run) removes, the entries of one database. False: cancelled.
Result<bool> prunePart(Opened& opened, const Prune::Options& options, PruneBackup* backup)
{
    static const std::atomic_bool never { false };
    Database* database = opened.database.get();
    Prune::Part& part = opened.part;
    if (options.progress)
        options.progress(Prune::Progress { part.shard, -1, 0, 0 });
    // The live writers' WAL kept able to restart between the prune's statements (a dry run, read
    // only, copies nothing and only pauses).
    WalUpkeep upkeep(database->handle(), walAutocheckpoint(database), !options.dryRun);
    auto plan = PrunePlan::make(database, opened.target, options.cancel ? *options.cancel : never, &upkeep);
    if (!plan)
        return plan.error();
    part.counts.matched = plan->rows.size();
    part.counts.matchedBytes = plan->bytes;
    part.counts.valueFilesMatched = plan->valueFiles;
    part.sampleKeys = plan->sampleKeys;
    if (!plan->complete)
        return false;
    if (options.progress)
        options.progress(Prune::Progress { part.shard, part.counts.matched, 0, 0 });
    bool finished = true;
    if (!options.dryRun && !plan->rows.isEmpty()) {
        PruneBatches batches(database, opened.target, options, backup, &upkeep);
        if (Status ok = batches.run(plan.value(), part, &finished); !ok)
            return ok.error();
        if (finished) {
            if (Status ok = returnFreePages(database, options, part.counts); !ok)
                return ok.error();
        }
    }
    auto free = pragmaInt(database, u"freelist_count"_s);
    auto pageSize = pragmaInt(database, u"page_size"_s);
    if (!free || !pageSize)
        return free ? pageSize.error() : free.error();
    part.counts.freedPages = free.value();
    part.counts.pageSize = pageSize.value();
    return finished;
}
} // namespace

Result<Prune::Outcome> Prune::run(const QString& path, const PruneSelection& selection, const Options& options)
{
    if (selection.isEmpty())
        return Error { Error::Kind::Invalid,
            u"nothing selected: say which entries go (--expired, --older-than, --match, --group, --max-bytes); "
            "to remove everything, delete the cache"_s };
    auto folder = CacheFolder::resolve(path);
    if (!folder)
        return folder.error();
    Outcome outcome;
    outcome.path = folder->root;
    outcome.layout = CacheFolder::layoutName(folder->layout);
    outcome.selection = selection.describe();
    outcome.dryRun = options.dryRun;
    outcome.backupPath = options.backupPath;
    if (!options.backupPath.isEmpty()) {
        if (Status ok = PruneBackup::check(options.backupPath); !ok)
            return ok.error();
    }
    const bool fanout = folder->layout == CacheFolder::Layout::Fanout;
    if (fanout && selection.rowids)
        return Error { Error::Kind::Invalid,
            u"rows chosen by rowid name rows of one database, and every shard of a FanoutCache numbers its own: "
            "prune the shard's cache.db instead"_s };
    if (!fanout && selection.rowidsByShard)
        return Error { Error::Kind::Invalid,
            u"rows chosen by shard are rows of a FanoutCache's shards, and %1 is not a FanoutCache"_s.arg(path) };
    if (selection.rowidsByShard) {
        for (auto it = selection.rowidsByShard->cbegin(); it != selection.rowidsByShard->cend(); ++it)
            if (!folder->shards.contains(it.key()))
                return Error { Error::Kind::NotFound,
                    u"rows were chosen in shard %1, which %2 does not have (its shards: %3)"_s.arg(
                        it.key(), folder->root, folder->shards.join(u", "_s)) };
    }
    PruneSelection each = selection;
    each.rowidsByShard.reset();
    if (fanout && selection.maxBytes >= 0)
        each.maxBytes = selection.maxBytes / std::max<qsizetype>(1, folder->databases.size());
    // Every database is opened and its selection checked before anything is written.
    std::vector<Opened> parts;
    for (qsizetype i = 0; i < folder->databases.size(); ++i) {
        const QString shard = fanout ? folder->shards.value(i) : QString();
        if (selection.rowidsByShard) {
            if (!selection.rowidsByShard->contains(shard))
                continue; // no row of this shard was chosen
            each.rowids = selection.rowidsByShard->value(shard);
        }
        auto opened = openPart(folder->databases[i], shard, each, options);
        if (!opened)
            return opened.error();
        parts.push_back(std::move(opened.value()));
    }
    std::optional<PruneBackup> backup;
    if (!options.backupPath.isEmpty() && !options.dryRun) {
        auto created = PruneBackup::create(options.backupPath);
        if (!created)
            return created.error();
        backup.emplace(std::move(created.value()));
    }
    for (Opened& opened : parts) {
        auto finished = prunePart(opened, options, backup ? &*backup : nullptr);
        if (!finished) {
            const qint64 removed = outcome.total.removed + opened.part.counts.removed;
            Error error = finished.error();
            if (removed > 0)
                error.message
                    += u" (%1 entries were removed before this, in batches that completed%2)"_s.arg(removed).arg(
                        backup ? u"; they are in the backup %1"_s.arg(backup->path()) : QString());
            return error;
        }
        outcome.total.add(opened.part.counts);
        outcome.parts << opened.part;
        if (!finished.value()) {
            outcome.cancelled = true;
            break;
        }
    }
    return outcome;
}
