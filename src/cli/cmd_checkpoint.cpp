// SPDX-License-Identifier: GPL-3.0-or-later
// `checkpoint DB [--mode passive|full|restart|truncate] [--timeout-ms N] [--watch-ms N]`: one WAL
// checkpoint, exit 3 when it could not complete (the blockers are named). Watches the cache for up
// to a second first and says who writes and which reader pins it (Cli::watchBefore).
#include "command.h"
#include "fanoutjson.h"
#include "maintenance/cachefolder.h"
#include "maintenance/checkpoint.h"

#include <cstdio>

using namespace Qt::Literals::StringLiterals;

namespace {
int runCheckpoint(const QStringList& args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Checkpoint the WAL of the cache DB. FULL, RESTART and TRUNCATE stall writers while they wait "
        "(at most --timeout-ms)."_s);
    Cli::addCommonOptions(parser);
    parser.addOption({ u"mode"_s, u"passive (default), full, restart or truncate."_s, u"mode"_s, u"passive"_s });
    parser.addOption({ u"timeout-ms"_s, u"Longest wait for readers/writers (busy timeout, default 5000)."_s, u"ms"_s });
    Cli::addForeignWalOption(parser);
    Cli::addWatchOption(parser);
    parser.addPositionalArgument(
        u"DB"_s, u"The SQLite database file (in WAL mode), or a cache folder (diskcache; FanoutCache: every shard)."_s);
    if (int code = Cli::parse(parser, u"checkpoint"_s, args, 1); code >= 0)
        return code;
    const auto mode = Checkpoint::parseMode(parser.value(u"mode"_s));
    if (!mode)
        return Cli::usageError(
            u"--mode must be passive, full, restart or truncate, not \"%1\""_s.arg(parser.value(u"mode"_s)));
    qint64 timeout = 5000;
    if (!Cli::intOption(parser, u"timeout-ms"_s, timeout, 0)
        || !Cli::intOption(parser, u"busy-timeout-ms"_s, timeout, 0))
        return Cli::Usage;
    const auto watchMs = Cli::watchMs(parser);
    if (!watchMs)
        return Cli::Usage;
    const bool json = parser.isSet(u"json"_s);
    auto folder = CacheFolder::resolve(parser.positionalArguments().first());
    if (!folder)
        return Cli::fail(folder.error());
    // A diskcache folder is its cache.db; a FanoutCache folder is checkpointed shard by shard,
    // then its named sub-caches.
    FanoutJson fanout;
    int code = Cli::Ok;
    const QStringList databases = folder->everyDatabase();
    const QStringList labels = folder->labels();
    for (qsizetype i = 0; i < databases.size(); ++i) {
        const QString path = databases.at(i);
        if (int refused = Cli::refuseForeignWal(parser, path, u"checkpoint"_s); refused >= 0)
            return refused;
        // Who writes and who pins, watched for a moment before the checkpoint's connection opens.
        const BriefWatch::Seen seen = Cli::watchBefore(parser, *watchMs, path, true, databases.size());
        if (!json) // warn before acting, not only in the result
            Cli::printWarnings(Checkpoint::warningsBefore(path, seen.writerPids()));
        auto outcome
            = Checkpoint::run(path, { *mode, int(timeout), parser.isSet(u"accept-foreign-wal"_s), seen.writerPids() });
        if (!outcome)
            return Cli::fail(outcome.error());
        if (outcome->incomplete())
            code = Cli::Refused;
        QJsonObject report = outcome->toJson();
        report.insert(u"watched"_s, seen.toJson());
        if (folder->layout != CacheFolder::Layout::Fanout) {
            if (json)
                Cli::printJson(report);
            else
                Cli::printText(outcome->toText(false));
            return code;
        }
        const bool shard = i < folder->databases.size();
        if (shard)
            fanout.addShard(labels.at(i), report);
        else
            fanout.addSubCache(labels.at(i), report);
        if (!json)
            Cli::printText((shard ? u"shard %1: "_s : u"sub-cache %1: "_s).arg(labels.at(i)) + outcome->toText(false));
    }
    if (json)
        Cli::printJson(fanout.toJson(folder->root));
    return code;
}

const Cli::RegisterCommand registration(
    { u"checkpoint"_s, u"checkpoint the WAL (passive/full/restart/truncate)"_s, runCheckpoint });
} // namespace
