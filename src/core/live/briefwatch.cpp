// SPDX-License-Identifier: GPL-3.0-or-later
#include "live/briefwatch.h"

#include "live/commitcounter.h"
#include "live/sampler.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>

#include <algorithm>
#include <chrono>
#include <thread>

using namespace Qt::Literals::StringLiterals;

QList<qint64> BriefWatch::Seen::writerPids() const
{
    QList<qint64> pids;
    for (const auto& writer : writers)
        pids << writer.pid;
    return pids;
}

QList<std::pair<qint64, QString>> BriefWatch::Seen::namedWriters() const
{
    QList<std::pair<qint64, QString>> named;
    for (const auto& writer : writers)
        named.append({ writer.pid, writer.name });
    return named;
}

QJsonObject BriefWatch::Seen::toJson() const
{
    QJsonArray list;
    for (const auto& writer : writers)
        list.append(QJsonObject { { u"pid"_s, writer.pid }, { u"name"_s, writer.name } });
    QJsonValue reader;
    if (pinning)
        reader = QJsonObject { { u"pid"_s, pinning->pid }, { u"name"_s, pinning->name },
            { u"read_mark"_s, qint64(pinning->readMark) } };
    return { { u"ms"_s, watchedMs }, { u"writers"_s, list }, { u"pinning_reader"_s, reader } };
}

BriefWatch::Seen BriefWatch::watch(const QString& dbPath, qint64 durationMs, const QList<qint64>& excludePids)
{
    Seen seen;
    durationMs = std::min(durationMs, MaxMs);
    if (durationMs <= 0)
        return seen;
    CommitCounter counter(dbPath, {}); // fanotify where permitted, else sampled
    (void)counter.start(); // without inotify the writers are still sampled from the lock and /proc
    (void)counter.take(); // the baseline
    Sampler sampler(dbPath);
    Sampler::Options options;
    options.excludePid = QCoreApplication::applicationPid();
    options.excludePids = excludePids;
    const auto add = [&seen](const Snapshot::Holder& holder) {
        if (holder.pid <= 0)
            return;
        for (const auto& known : std::as_const(seen.writers)) {
            if (known.pid == holder.pid)
                return;
        }
        seen.writers << holder;
    };
    QElapsedTimer clock;
    clock.start();
    Snapshot last;
    for (qint64 tick = 1;; ++tick) {
        const CommitCounter::Reading counted = counter.take();
        options.counted = &counted;
        // The first sample scans /proc for the processes with the cache open for writing: the
        // candidates whose writes (/proc/PID/io) name them between two samples.
        options.scanProcesses = tick == 1;
        last = sampler.sample(options);
        for (const auto& writer : std::as_const(last.recentWriters))
            add(writer);
        if (last.writer && last.writer->pid != options.excludePid)
            add(*last.writer);
        const qint64 next = tick * SampleMs;
        if (next > durationMs)
            break;
        if (const qint64 wait = next - clock.elapsed(); wait > 0)
            std::this_thread::sleep_for(std::chrono::milliseconds(wait));
    }
    seen.watchedMs = clock.elapsed();
    std::sort(seen.writers.begin(), seen.writers.end(), [](const auto& a, const auto& b) { return a.pid < b.pid; });
    if (const auto* reader = last.pinning())
        seen.pinning = *reader;
    return seen;
}
