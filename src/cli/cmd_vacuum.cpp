// SPDX-License-Identifier: GPL-3.0-or-later
// `vacuum DB [--into FILE]`: compact the cache (then TRUNCATE-checkpoint it) or write a
// consistent copy of it to a new file. Ctrl+C cancels cleanly: SQLite rolls the VACUUM back.
#include "command.h"
#include "maintenance/cachefolder.h"
#include "maintenance/vacuum.h"
#include "wal/walorigin.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>

#include <atomic>
#include <csignal>
#include <cstdio>

using namespace Qt::Literals::StringLiterals;

namespace {
std::atomic<bool> s_interrupted { false };

void onSignal(int)
{
    s_interrupted = true;
}

void installInterruptHandler()
{
    struct sigaction action { };
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    ::sigaction(SIGINT, &action, nullptr);
    ::sigaction(SIGTERM, &action, nullptr);
}

// The --into folder of a FanoutCache copy: new or empty; each shard goes to INTO/NNN/.
QString checkFanoutInto(const QString& into)
{
    if (into.trimmed().isEmpty())
        return u"the --into target is empty: give the new folder to write"_s;
    const QFileInfo info(into);
    if (info.exists() || info.isSymLink()) {
        if (!info.isDir() || info.isSymLink())
            return u"refusing to overwrite %1: it already exists (a FanoutCache copy needs a new or empty folder)"_s
                .arg(into);
        if (!QDir(into).isEmpty(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot))
            return u"the folder %1 is not empty: a FanoutCache copy needs a folder of its own"_s.arg(into);
    } else if (!QFileInfo(info.absolutePath()).isDir()) {
        return u"the folder for %1 does not exist"_s.arg(into);
    }
    return {};
}

// Every shard of a FanoutCache and every named sub-cache, in place or into INTO/NNN and
// INTO/index/NAME, … (the same layout, so diskcache.FanoutCache(INTO) reads the copy).
int vacuumShards(const CacheFolder& folder, const Vacuum::Options& shared, bool json)
{
    if (!shared.intoPath.isEmpty() && !QFileInfo(shared.intoPath).isDir() && !QDir().mkdir(shared.intoPath))
        return Cli::fail({ Error::Kind::Io, u"cannot create the folder %1"_s.arg(shared.intoPath) });
    QJsonArray shards;
    QJsonArray subCaches;
    int code = Cli::Ok;
    const QStringList databases = folder.everyDatabase();
    const QStringList labels = folder.labels();
    for (qsizetype i = 0; i < databases.size(); ++i) {
        const bool shard = i < folder.databases.size();
        const QString what = (shard ? u"shard "_s : u"sub-cache "_s) + labels.at(i);
        Vacuum::Options options = shared;
        if (!shared.intoPath.isEmpty()) {
            options.intoPath = shared.intoPath + u'/' + labels.at(i);
            // A sub-cache's parent folders (INTO/index, INTO/cache/a for cache('a/b')) first.
            const QString parent = QFileInfo(options.intoPath).absolutePath();
            if (!QFileInfo(parent).isDir() && !QDir().mkpath(parent))
                return Cli::fail({ Error::Kind::Io, u"%1: cannot create the folder %2"_s.arg(what, parent) });
        }
        if (!options.acceptForeignWal) {
            if (Status foreign = WalOrigin::refuseForeign(databases.at(i), u"vacuum"_s); !foreign)
                return Cli::fail({ foreign.error().kind,
                    u"%1: %2 Pass --accept-foreign-wal to go ahead anyway."_s.arg(what, foreign.error().message) });
        }
        if (!json)
            Cli::printWarnings(Vacuum::warningsBefore(databases.at(i)));
        auto outcome = Vacuum::run(databases.at(i), options);
        if (!outcome)
            return Cli::fail({ outcome.error().kind, u"%1: %2"_s.arg(what, outcome.error().message) });
        if (s_interrupted.load() && !outcome->cancelled)
            outcome->cancelledAfterCommit = true;
        QJsonObject object = outcome->toJson();
        object.insert(shard ? u"shard"_s : u"name"_s, labels.at(i));
        (shard ? shards : subCaches).append(object);
        if (!json)
            Cli::printText(what + u": "_s + outcome->toText(false));
        if (outcome->cancelled || outcome->cancelledAfterCommit) {
            code = Cli::Failure;
            break;
        }
    }
    if (json)
        Cli::printJson(QJsonObject { { u"path"_s, folder.root }, { u"layout"_s, u"fanout"_s },
            { u"into"_s, shared.intoPath.isEmpty() ? QJsonValue() : QJsonValue(shared.intoPath) },
            { u"shards"_s, shards }, { u"sub_caches"_s, subCaches } });
    return code;
}

int runVacuum(const QStringList& args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Compact the cache DB (VACUUM + TRUNCATE checkpoint), or copy it consistently "
                                     "with --into. Holds the write lock for its whole run; Ctrl+C cancels."_s);
    Cli::addCommonOptions(parser);
    parser.addOption({ u"into"_s,
        u"Write a compacted copy to FILE (must not exist) instead. For a diskcache: a new or empty folder "
        "(or FOLDER/cache.db); its value files are copied too."_s,
        u"FILE"_s });
    parser.addOption({ u"timeout-ms"_s, u"Longest wait for the write lock (default 5000)."_s, u"ms"_s });
    Cli::addForeignWalOption(parser);
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
            if (const QString problem = checkFanoutInto(parser.value(u"into"_s)); !problem.isEmpty())
                return Cli::fail({ Error::Kind::Invalid, problem });
        } else if (auto into = Vacuum::resolveInto(path, parser.value(u"into"_s)); !into) {
            return Cli::fail(into.error());
        }
    }
    const bool json = parser.isSet(u"json"_s);
    if (!fanout) {
        if (int refused = Cli::refuseForeignWal(parser, folder->databases.first(), u"vacuum"_s); refused >= 0)
            return refused;
    }
    if (!json && !fanout) {
        Cli::printWarnings(Vacuum::warningsBefore(folder->databases.first()));
    }
    installInterruptHandler();
    Vacuum::Options options;
    options.intoPath = parser.value(u"into"_s);
    options.busyTimeoutMs = int(timeout);
    options.acceptForeignWal = parser.isSet(u"accept-foreign-wal"_s);
    options.progress = [](const Vacuum::Progress&) { return !s_interrupted.load(); };
    if (fanout)
        return vacuumShards(folder.value(), options, json);
    auto outcome = Vacuum::run(path, options);
    if (!outcome)
        return Cli::fail(outcome.error());
    if (s_interrupted.load() && !outcome->cancelled)
        outcome->cancelledAfterCommit = true; // Ctrl-C came too late to roll back: say so, exit 1
    if (json)
        Cli::printJson(outcome->toJson());
    else
        Cli::printText(outcome->toText(false));
    return outcome->cancelled || outcome->cancelledAfterCommit ? Cli::Failure : Cli::Ok;
}

const Cli::RegisterCommand registration({ u"vacuum"_s, u"compact a cache, or copy it with --into FILE"_s, runVacuum });
} // namespace
