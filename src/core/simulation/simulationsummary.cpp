// SPDX-License-Identifier: GPL-3.0-or-later
#include "simulation/simulationsummary.h"

#include <QJsonArray>

#include <numeric>

using namespace Qt::Literals::StringLiterals;

namespace {
template <typename Field> qint64 sum(const QList<SimulatorWorker::Counts>& counts, Field field)
{
    return std::accumulate(counts.begin(), counts.end(), qint64(0),
        [field](qint64 total, const SimulatorWorker::Counts& c) { return total + c.*field; });
}
} // namespace

qint64 SimulationSummary::stored() const
{
    return sum(perWorker, &SimulatorWorker::Counts::stored);
}

qint64 SimulationSummary::errors() const
{
    return sum(perWorker, &SimulatorWorker::Counts::errors);
}

qint64 SimulationSummary::busyErrors() const
{
    return sum(perWorker, &SimulatorWorker::Counts::busyErrors);
}

double SimulationSummary::commitsPerSecond() const
{
    return elapsedMs > 0 ? double(stored()) * 1000.0 / double(elapsedMs) : 0.0;
}

bool SimulationSummary::complete() const
{
    const bool allReported = std::all_of(perWorker.begin(), perWorker.end(), [](const auto& c) { return c.reported; });
    return allReported && errors() == 0 && (entries < 0 || stored() == entries);
}

QJsonObject SimulationSummary::toJson() const
{
    QJsonArray workersJson;
    for (const auto& counts : perWorker)
        workersJson.append(counts.toJson());
    return QJsonObject {
        { u"workers"_s, workers },
        { u"stored"_s, stored() },
        { u"errors"_s, errors() },
        { u"busy_errors"_s, busyErrors() },
        { u"per_worker"_s, workersJson },
        { u"entries"_s, entries < 0 ? QJsonValue() : QJsonValue(entries) },
        { u"journal"_s, journal },
        { u"busy_timeout_ms"_s, busyTimeoutMs },
        { u"payload_bytes"_s, payloadBytes },
        { u"elapsed_ms"_s, elapsedMs },
        { u"commits_per_s"_s, commitsPerSecond() },
        { u"interrupted"_s, interrupted },
        { u"complete"_s, complete() },
    };
}

QString SimulationSummary::toText() const
{
    QString text = u"%1 worker processes, journal %2, busy timeout %3 ms, ~%4 B per entry%5\n"_s.arg(workers)
                       .arg(journal.toUpper())
                       .arg(busyTimeoutMs)
                       .arg(payloadBytes)
                       .arg(interrupted ? u" (interrupted)"_s : QString());
    const QString target = entries < 0 ? QString() : u" of %1"_s.arg(entries);
    text += u"stored %1%2, errors %3 (database is locked: %4) in %5 s, %6 commits/s\n"_s.arg(stored())
                .arg(target)
                .arg(errors())
                .arg(busyErrors())
                .arg(double(elapsedMs) / 1000.0, 0, 'f', 1)
                .arg(commitsPerSecond(), 0, 'f', 1);
    text += u"  %1 %2 %3 %4  %5\n"_s.arg(u"pid"_s, -8)
                .arg(u"stored"_s, 8)
                .arg(u"errors"_s, 8)
                .arg(u"busy"_s, 8)
                .arg(u"last error"_s);
    for (const auto& c : perWorker)
        text += u"  %1 %2 %3 %4  %5\n"_s.arg(c.pid, -8)
                    .arg(c.stored, 8)
                    .arg(c.errors, 8)
                    .arg(c.busyErrors, 8)
                    .arg(c.lastError);
    return text;
}
