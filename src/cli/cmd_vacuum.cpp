// SPDX-License-Identifier: GPL-3.0-or-later
// `vacuum DB [--into FILE]`: compact the cache (then TRUNCATE-checkpoint it) or write a
// consistent copy of it to a new file. Ctrl+C cancels cleanly: SQLite rolls the VACUUM back.
#include "command.h"
#include "fanoutjson.h"
#include "maintenance/cachefolder.h"
#include "maintenance/foldervacuum.h"
#include "maintenance/vacuum.h"
#include "stopsignals.h"

#include <algorithm>
#include <cstdio>

using namespace Qt::Literals::StringLiterals;

namespace {
// The FanoutCache's watches as one (its "watched" object): their times added up, every writer
// seen in any part once (pid order), the first pinning reader seen.
void addSeen(BriefWatch::Seen& whole, const BriefWatch::Seen& part)
{
    whole.watchedMs += part.watchedMs;
    for (const auto& writer : part.writers) {
        const auto at = std::lower_bound(whole.writers.begin(), whole.writers.end(), writer.pid,
            [](const Snapshot::Holder& seen, qint64 pid) { return seen.pid < pid; });
        if (at == whole.writers.end() || at->pid != writer.pid)
            whole.writers.insert(at, writer);
    }
    if (!whole.pinning)
        whole.pinning = part.pinning;
}

// Every shard of a FanoutCache and every named sub-cache, in place or into INTO/NNN and
// INTO/index/NAME, … (FolderVacuum: the same layout, so diskcache.FanoutCache(INTO) reads the copy).
int vacuumShards(const QCommandLineParser& parser, qint64 watchMs, const CacheFolder& folder,
    const Vacuum::Options& options, bool json)
{
    int code = Cli::Ok;
    BriefWatch::Seen whole;
    auto parts = FolderVacuum::run(
        folder, options,
        [&parser, watchMs, &folder, json, &whole, into = !options.intoPath.isEmpty()](
            const QString&, const QString& database) -> Status {
            // Who writes, watched for a moment before this part's connection opens.
            const auto seen = Cli::watchBefore(parser, watchMs, database, false, folder.everyDatabase().size());
            addSeen(whole, seen);
            if (!json)
                Cli::printWarnings(
                    Vacuum::warningsBefore(database, seen.writerPids(), Vacuum::accessOf(database, into)));
            return {};
        },
        [json, &code](FolderVacuum::Part& part) {
            if (StopSignals::requested().load() && !part.outcome.cancelled)
                part.outcome.cancelledAfterCommit = true;
            if (!json)
                Cli::printText(part.what + u": "_s + part.outcome.toText(false));
            if (part.outcome.cancelled || part.outcome.cancelledAfterCommit)
                code = Cli::Failure;
        });
    if (!parts)
        return Cli::fail(parts.error());
    FanoutJson fanout;
    for (const auto& part : parts.value()) {
        if (part.shard)
            fanout.addShard(part.label, part.outcome.toJson());
        else
            fanout.addSubCache(part.label, part.outcome.toJson());
    }
    if (json) {
        QJsonObject object = fanout.toJson(folder.root);
        object.insert(u"into"_s, options.intoPath.isEmpty() ? QJsonValue() : QJsonValue(options.intoPath));
        object.insert(u"watched"_s, whole.toJson());
        Cli::printJson(object);
    }
    return code;
}

int runVacuum(const QStringList& args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Compact the cache DB (VACUUM + TRUNCATE checkpoint), or copy it consistently "
        "with --into. In place it holds the write lock for its whole run; a copy only reads. "
        "Ctrl+C cancels."_s);
    Cli::addCommonOptions(parser);
    parser.addOption({ u"into"_s,
        u"Write a compacted copy to FILE (must not exist) instead. For a diskcache: a new or empty folder "
        "(or FOLDER/cache.db); its value files are copied too."_s,
        u"FILE"_s });
    parser.addOption({ u"timeout-ms"_s,
        u"Longest wait for a lock another process holds (in place: the write lock; default 5000)."_s, u"ms"_s });
    Cli::addForeignWalOption(parser);
    Cli::addWatchOption(parser);
    parser.addPositionalArgument(
        u"DB"_s, u"The SQLite database file, or a cache folder (diskcache; FanoutCache: every shard and sub-cache)."_s);
    if (int code = Cli::parse(parser, u"vacuum"_s, args, 1); code >= 0)
        return code;
    qint64 timeout = 5000;
    if (!Cli::intOption(parser, u"timeout-ms"_s, timeout, 0)
        || !Cli::intOption(parser, u"busy-timeout-ms"_s, timeout, 0))
        return Cli::Usage;
    const QString path = parser.positionalArguments().first();
    auto folder = CacheFolder::resolve(path);
    if (!folder)
        return Cli::fail(folder.error());
    const bool fanout = folder->layout == CacheFolder::Layout::Fanout;
    if (parser.isSet(u"into"_s)) {
        // An empty --into would mean "in place" to the core: a usage error, never a silent in-place VACUUM.
        // A target that exists or has no folder is refused as before (exit 1).
        if (parser.value(u"into"_s).trimmed().isEmpty())
            return Cli::usageError(u"vacuum: the --into target is empty: give the new file (or folder) to write"_s);
        if (!fanout && Vacuum::isSidecarOf(folder->databases.first(), parser.value(u"into"_s)))
            return Cli::usageError(u"vacuum: --into %1 is a sidecar of the source (its -wal, -shm or -journal): give "
                                   "a new file of its own"_s.arg(parser.value(u"into"_s)));
        if (fanout) {
            if (Status into = FolderVacuum::checkInto(parser.value(u"into"_s)); !into)
                return Cli::fail(into.error());
        } else if (auto into = Vacuum::resolveInto(path, parser.value(u"into"_s)); !into) {
            return Cli::fail(into.error());
        }
    }
    const bool json = parser.isSet(u"json"_s);
    // Every part's -wal checked before any part is vacuumed (a FanoutCache: every shard and sub-cache).
    for (const QString& database : folder->everyDatabase()) {
        if (int refused = Cli::refuseForeignWal(parser, database, u"vacuum"_s); refused >= 0)
            return refused;
    }
    const auto watchMs = Cli::watchMs(parser);
    if (!watchMs)
        return Cli::Usage;
    std::optional<BriefWatch::Seen> seen; // a FanoutCache: each part's, just before it
    if (!fanout) {
        seen = Cli::watchBefore(parser, *watchMs, folder->databases.first(), false);
        if (!json)
            Cli::printWarnings(Vacuum::warningsBefore(folder->databases.first(), seen->writerPids(),
                Vacuum::accessOf(folder->databases.first(), parser.isSet(u"into"_s))));
    }
    StopSignals::install();
    Vacuum::Options options;
    if (seen)
        options.alsoWriting = seen->writerPids();
    options.intoPath = parser.value(u"into"_s);
    options.busyTimeoutMs = int(timeout);
    options.acceptForeignWal = parser.isSet(u"accept-foreign-wal"_s);
    options.progress = [](const Vacuum::Progress&) { return !StopSignals::requested().load(); };
    if (fanout)
        return vacuumShards(parser, *watchMs, folder.value(), options, json);
    auto outcome = Vacuum::run(path, options);
    if (!outcome)
        return Cli::fail(outcome.error());
    if (StopSignals::requested().load() && !outcome->cancelled)
        outcome->cancelledAfterCommit = true; // Ctrl-C came too late to roll back: say so, exit 1
    if (json) {
        QJsonObject report = outcome->toJson();
        report.insert(u"watched"_s, seen->toJson());
        Cli::printJson(report);
    } else {
        Cli::printText(outcome->toText(false));
    }
    return outcome->cancelled || outcome->cancelledAfterCommit ? Cli::Failure : Cli::Ok;
}

const Cli::RegisterCommand registration({ u"vacuum"_s, u"compact a cache, or copy it with --into FILE"_s, runVacuum });
} // namespace
