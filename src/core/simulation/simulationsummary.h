// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "simulation/simulatorworker.h"

#include <QJsonObject>
#include <QList>
#include <QString>

// SimulationSummary: what one simulator run did — per worker process stored/errors and the
// totals — as `simulate --json` prints it (docs/CLI.md: workers, stored, errors, busy_errors,
// per_worker[{pid, stored, errors}]) or as a short table. An immutable value; any thread.
struct SimulationSummary {
    int workers = 0;
    qint64 entries = -1; // the entries asked for; -1 when running for a duration
    QString journal;
    int busyTimeoutMs = 0;
    int payloadBytes = 0;
    qint64 elapsedMs = 0;
    bool interrupted = false; // stopped by a signal before finishing
    QList<SimulatorWorker::Counts> perWorker;

    qint64 stored() const;
    qint64 errors() const;
    qint64 busyErrors() const;
    double commitsPerSecond() const;
    // Every entry was stored: no error, every worker reported, the quota (if any) reached.
    bool complete() const;

    QJsonObject toJson() const;
    QString toText() const;
};
