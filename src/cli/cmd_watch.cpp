// SPDX-License-Identifier: GPL-3.0-or-later
// `watch DB`: one line per sample of the cache's sizes and -shm header, with commit and frame
// rates. No SQLite connection, no lock: it never disturbs the writers it watches.
#include "command.h"
#include "stopsignals.h"
#include "walsampler.h"

#include <QElapsedTimer>
#include <QFileInfo>

#include <cstdio>

using namespace Qt::Literals::StringLiterals;

namespace {
int runWatch(const QStringList& args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Print one line per sample: db/-wal/-shm sizes, the WAL index header (committed frame, frames\n"
        "checkpointed, commit counter) and commits/s and frames/s. Takes no lock and opens no SQLite\n"
        "connection. Runs until Ctrl-C or --duration-s."_s);
    Cli::addCommonOptions(parser);
    parser.addOption({ u"interval-ms"_s, u"Time between samples (default 1000)."_s, u"ms"_s });
    parser.addOption({ u"duration-s"_s, u"Stop after S seconds (default: run until stopped)."_s, u"S"_s });
    parser.addPositionalArgument(u"DB"_s, u"The SQLite database file."_s);
    if (int code = Cli::parse(parser, u"watch"_s, args, 1); code >= 0)
        return code;
    qint64 intervalMs = 1000, durationS = 0;
    if (!Cli::intOption(parser, u"interval-ms"_s, intervalMs, 10)
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
    QElapsedTimer clock;
    clock.start();
    for (qint64 tick = 1; !StopSignals::requested().load(); ++tick) {
        const WatchSample sample = sampler.sample();
        if (json)
            Cli::printJson(sample.toJson());
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
