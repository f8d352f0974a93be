// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/error.h"
#include "simulation/simulationsummary.h"

#include <QHash>
#include <QString>
#include <QStringList>

#include <atomic>
#include <sys/types.h>

// Simulator: the parent of the concurrent-writer simulation (the seed scenario). It creates
// the llm_cache table in the chosen journal mode before any worker exists (so creating the
// schema cannot race), starts N worker *processes* (posix_spawn of workerProgram, normally
// cachescope-cli itself in its hidden worker mode), splits the entries between them, waits,
// and collects each worker's counts from a pipe. Workers die with it: they set
// PR_SET_PDEATHSIG and check their parent pid. A stop request (SIGINT/SIGTERM counted by the
// caller) is passed on as SIGTERM, a second one as SIGKILL. Holds no SQLite connection while
// the workers run. Afterwards it counts each worker's rows in the file (storedInFile), so a
// worker killed before it could report is reported as killed, with what it really stored.
// Lives on the thread that calls run().
class Simulator {
public:
    struct Options {
        QString dbPath;
        QString workerProgram; // the executable that runs one worker (see workerArguments)
        int workers = 4;
        qint64 entries = 400; // in total; -1: no quota (run for durationMs or until stopped)
        QString journal = QStringLiteral("wal"); // "wal" or "delete"
        int busyTimeoutMs = 30000;
        int payloadBytes = 2000;
        qint64 durationMs = 0; // 0: no deadline
        double ratePerWorker = 0; // commits per second per worker; 0: as fast as possible
    };

    explicit Simulator(Options options);

    // Creates the database (if needed), sets the journal mode and creates the table.
    Status prepare();
    // Starts the workers and waits for all of them. stopRequests: 1 = stop cleanly, 2 = kill.
    Result<SimulationSummary> run(const std::atomic<int>& stopRequests);

    // The entries worker `index` writes (-1: no quota).
    qint64 quota(int index) const;
    // The command line (after the program) that makes workerProgram run worker `index`.
    QStringList workerArguments(int index, pid_t parent, const QString& runId) const;
    // Rows of run `runId` in the file, by the pid of the worker that wrote them: what was
    // really stored, whatever the workers managed to report (a SIGKILLed one reports nothing).
    Result<QHash<qint64, qint64>> storedInFile(const QString& runId) const;

private:
    Options m_options;
};
