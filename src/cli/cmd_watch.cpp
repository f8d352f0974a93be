// SPDX-License-Identifier: GPL-3.0-or-later
// `watch DB`: one line per sample of the cache's sizes and -shm header, with every commit
// counted from events (CommitCounter, on a thread of its own between samples) and the processes
// that wrote. No SQLite connection, no lock: it never disturbs the writers it watches.
#include "command.h"
#include "live/sampler.h"
#include "live/watchline.h"
#include "stopsignals.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>

#include <cstdio>

using namespace Qt::Literals::StringLiterals;

namespace {
// One sample of the one pipeline (Sampler): every sample reads the -shm header, /proc/locks and
// /proc/PID/io of the processes seen on the cache; every `processesEvery` samples (10 when 0) it
// also walks new -wal frames, and with --processes N it scans /proc/*/fd every N samples.
// The CLI's own pid is left out of the holders.
Snapshot takeSample(Sampler& sampler, qint64 tick, qint64 processesEvery, bool writerIo,
    const CommitCounter::Reading& counted, const QList<qint64>& excluded)
{
    Sampler::Options options;
    options.trackWriters = writerIo;
    options.counted = &counted;
    options.excludePids = excluded;
    options.excludePid = QCoreApplication::applicationPid();
    const qint64 every = processesEvery > 0 ? processesEvery : 10;
    options.readWalFrames = (tick - 1) % every == 0;
    options.scanProcesses = processesEvery > 0 && (tick - 1) % processesEvery == 0;
    return sampler.sample(options);
}

int runWatch(const QStringList& args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Print one line per sample: db/-wal/-shm sizes (files_state at_rest/live/stale), the WAL index\n"
        "header (committed frame, frames checkpointed, commit counter), every commit since watch started\n"
        "(counted from events: each -wal frame, or the rollback-mode change counter), commits/s and\n"
        "frames/s over a 2 s window, the processes that wrote (fanotify where permitted, else sampled from\n"
        "the write lock and /proc/PID/io) and the share of the last 10 s the write lock was held. Takes no\n"
        "lock and opens no SQLite connection; sidecars that come and go are followed. Runs until Ctrl-C\n"
        "or --duration-s."_s);
    Cli::addCommonOptions(parser);
    parser.addOption({ u"interval-ms"_s, u"Time between samples (default 1000)."_s, u"ms"_s });
    parser.addOption({ u"processes"_s,
        u"Also list the processes that have the cache's files open, every N samples (default 0: never)."_s, u"N"_s });
    parser.addOption({ u"no-writer-io"_s,
        u"Do not read /proc/PID/io: writers are then named only when caught holding the write lock."_s });
    parser.addOption({ u"attribution"_s,
        u"How writers are named: auto (fanotify where permitted, else sampled), fanotify, or sampled "
        "(the write lock and /proc/PID/io of processes with the db open for writing)."_s,
        u"method"_s, u"auto"_s });
    parser.addOption({ u"exclude-pid"_s,
        u"Never name this process or its children as a writer (the GUI passes its own pid). Repeatable."_s, u"pid"_s });
    parser.addOption({ u"duration-s"_s, u"Stop after S seconds (default: run until stopped)."_s, u"S"_s });
    parser.addPositionalArgument(u"DB"_s, u"The SQLite database file."_s);
    if (int code = Cli::parse(parser, u"watch"_s, args, 1); code >= 0)
        return code;
    qint64 intervalMs = 1000, durationS = 0, processesEvery = 0;
    if (!Cli::intOption(parser, u"interval-ms"_s, intervalMs, 10)
        || !Cli::intOption(parser, u"processes"_s, processesEvery, 0)
        || !Cli::intOption(parser, u"duration-s"_s, durationS, 0))
        return Cli::Usage;
    const QString method = parser.value(u"attribution"_s);
    if (method != u"auto"_s && method != u"fanotify"_s && method != u"sampled"_s)
        return Cli::usageError(u"--attribution must be auto, fanotify or sampled, not '%1'"_s.arg(method));
    QList<qint64> excluded;
    for (const QString& value : parser.values(u"exclude-pid"_s)) {
        bool ok = false;
        const qint64 pid = value.toLongLong(&ok);
        if (!ok || pid <= 0)
            return Cli::usageError(u"--exclude-pid needs a process id, not '%1'"_s.arg(value));
        excluded.append(pid);
    }
    const QString path = parser.positionalArguments().first();
    const QFileInfo info(path);
    if (!info.exists() && !info.isSymLink())
        return Cli::fail({ Error::Kind::NotFound, u"no such file: %1"_s.arg(path) });
    if (info.isDir())
        return Cli::fail({ Error::Kind::IsDirectory, u"is a directory: %1"_s.arg(path) });
    if (int code = Cli::refuseSpecialFile(path); code >= 0) // nothing to watch
        return code;
    StopSignals::install();
    const bool json = parser.isSet(u"json"_s);
    if (!json)
        Cli::printText(WatchLine::textHeader() + u'\n');
    CommitCounter::Options counterOptions;
    counterOptions.fanotify = method != u"sampled"_s;
    CommitCounter counter(path, counterOptions);
    const Status counting = counter.start();
    if (!counting && method == u"fanotify"_s)
        return Cli::fail(counting.error());
    if (CommitCounter::Reading first = counter.take(); method == u"fanotify"_s && first.attribution != u"fanotify"_s)
        return Cli::fail({ Error::Kind::PermissionDenied, u"--attribution fanotify: %1"_s.arg(first.attributionNote) });
    Sampler sampler(path);
    QElapsedTimer clock;
    clock.start();
    for (qint64 tick = 1; !StopSignals::requested().load(); ++tick) {
        const CommitCounter::Reading counted = counter.take();
        const Snapshot snapshot
            = takeSample(sampler, tick, processesEvery, !parser.isSet(u"no-writer-io"_s), counted, excluded);
        const qint64 tMs = clock.elapsed();
        if (json)
            Cli::printJson(WatchLine::of(snapshot, tMs).toJson());
        else
            Cli::printText(WatchLine::of(snapshot, tMs).text() + u'\n');
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
