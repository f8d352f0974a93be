// SPDX-License-Identifier: GPL-3.0-or-later
// `watch DB`: one line per sample of the cache's sizes and -shm header, with commit and frame
// rates. No SQLite connection, no lock: it never disturbs the writers it watches.
#include "command.h"
#include "live/sampler.h"
#include "stopsignals.h"
#include "live/walsampler.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>

#include <cstdio>

using namespace Qt::Literals::StringLiterals;

namespace {
// Lock holders (writer, readers) and, every `processesEvery` samples, the -wal frame walk and the
// /proc fd scan from the activity Sampler; the CLI's own pid is left out of the holders.
void addActivity(Sampler& activity, qint64 tick, qint64 processesEvery, WatchSample& sample, QJsonObject* json)
{
    Sampler::Options options;
    options.excludePid = QCoreApplication::applicationPid();
    const qint64 every = processesEvery > 0 ? processesEvery : 10;
    options.readWalFrames = (tick - 1) % every == 0;
    options.scanProcesses = processesEvery > 0 && (tick - 1) % processesEvery == 0;
    const Snapshot snapshot = activity.sample(options);
    sample.writerPid = snapshot.writer ? std::optional<qint64>(snapshot.writer->pid) : std::nullopt;
    sample.readerPids = snapshot.readerPids();
    sample.lagFrames = snapshot.walIndex ? std::optional<qint64>(snapshot.lagFrames()) : std::nullopt;
    if (!json)
        return;
    *json = sample.toJson();
    const QJsonObject extra = snapshot.sampleJson();
    for (auto it = extra.begin(); it != extra.end(); ++it) {
        if (!json->contains(it.key()))
            json->insert(it.key(), it.value());
    }
}

int runWatch(const QStringList& args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Print one line per sample: db/-wal/-shm sizes, the WAL index header (committed frame, frames\n"
        "checkpointed, commit counter) and commits/s and frames/s. Takes no lock and opens no SQLite\n"
        "connection. Runs until Ctrl-C or --duration-s."_s);
    Cli::addCommonOptions(parser);
    parser.addOption({ u"interval-ms"_s, u"Time between samples (default 1000)."_s, u"ms"_s });
    parser.addOption({ u"processes"_s,
        u"Also list the processes that have the cache's files open, every N samples (default 0: never)."_s, u"N"_s });
    parser.addOption({ u"duration-s"_s, u"Stop after S seconds (default: run until stopped)."_s, u"S"_s });
    parser.addPositionalArgument(u"DB"_s, u"The SQLite database file."_s);
    if (int code = Cli::parse(parser, u"watch"_s, args, 1); code >= 0)
        return code;
    qint64 intervalMs = 1000, durationS = 0, processesEvery = 0;
    if (!Cli::intOption(parser, u"interval-ms"_s, intervalMs, 10)
        || !Cli::intOption(parser, u"processes"_s, processesEvery, 0)
        || !Cli::intOption(parser, u"duration-s"_s, durationS, 0))
        return Cli::Usage;
    const QString path = parser.positionalArguments().first();
    const QFileInfo info(path);
    if (!info.exists() && !info.isSymLink())
        return Cli::fail({ Error::Kind::NotFound, u"no such file: %1"_s.arg(path) });
    if (info.isDir())
        return Cli::fail({ Error::Kind::IsDirectory, u"is a directory: %1"_s.arg(path) });
    StopSignals::install();
    const bool json = parser.isSet(u"json"_s);
    if (!json)
        Cli::printText(WatchSample::textHeader() + u'\n');
    WalSampler sampler(path);
    Sampler activity(path);
    QElapsedTimer clock;
    clock.start();
    for (qint64 tick = 1; !StopSignals::requested().load(); ++tick) {
        WatchSample sample = sampler.sample();
        QJsonObject line;
        addActivity(activity, tick, processesEvery, sample, json ? &line : nullptr);
        if (json)
            Cli::printJson(line);
        else
            Cli::printText(sample.toText() + u'\n');
        if (std::ferror(stdout))
            return Cli::Ok; // the reader went away
        // Ticks on a fixed schedule, so slow samples do not stretch the interval.
        const qint64 next = tick * intervalMs;
        if (durationS > 0 && next > durationS * 1000)
            break;
        StopSignals::sleepMs(next - clock.elapsed());
    }
    return Cli::Ok;
}

const Cli::RegisterCommand registration({ u"watch"_s, u"sample sizes, WAL index and commit rates"_s, runWatch });
} // namespace
