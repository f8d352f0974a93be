// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/error.h"

#include <QJsonObject>
#include <QString>

#include <atomic>
#include <sys/types.h>

// SimulatorWorker: the loop one simulator worker process runs. It opens its own SQLite
// connection with the chosen journal mode, busy timeout and synchronous=NORMAL, and writes
// LLM-cache entries one transaction each, in the shape of the seed's cache_analysis():
// BEGIN; INSERT OR REPLACE INTO llm_cache(...); COMMIT. Every failure is rolled back and
// counted — never swallowed — and "database is locked" (SQLITE_BUSY/SQLITE_LOCKED) is counted
// apart. It stops at its entry quota, its deadline, when `stop` becomes true (a signal) or
// when its parent is gone. Lives on the worker process's main thread.
class SimulatorWorker {
public:
    struct Settings {
        QString dbPath;
        QString journal = QStringLiteral("wal"); // "wal" or "delete"
        int busyTimeoutMs = 30000;
        int payloadBytes = 2000;
        qint64 entries = -1; // -1: no quota (run until the deadline or a stop)
        qint64 durationMs = 0; // 0: no deadline
        double ratePerSecond = 0; // commits per second; 0: as fast as possible
        pid_t parentPid = 0; // stop when getppid() is no longer this (0: do not check)
        int index = 0;
        QString runId; // makes prompts (and so keys) unique per run
    };

    struct Counts {
        qint64 pid = 0;
        qint64 stored = 0;
        qint64 errors = 0;
        qint64 busyErrors = 0;
        QString lastError;
        bool stopped = false; // stopped early (signal or parent gone)
        bool reported = true; // false: the process ended without reporting (killed, crashed)
        int killedBySignal = 0; // the signal that ended a worker which did not report, else 0
        qint64 reportedStored = -1; // what the worker said it stored (-1: no report)

        QJsonObject toJson() const;
        static Counts fromJson(const QJsonObject& object);
    };

    explicit SimulatorWorker(Settings settings);
    // Runs the loop. Fails only when the connection cannot be set up at all; the failures
    // of single entries are in the counts.
    Result<Counts> run(const std::atomic<bool>& stop);

    // The table the simulator writes (created by the parent before any worker starts).
    static QString schemaSql();
    // The prompt, model and JSON response of entry `sequence` (~payloadBytes long).
    static QString prompt(const Settings& settings, qint64 sequence);
    static QString model(qint64 sequence);
    static QString response(const QString& prompt, const QString& model, int payloadBytes);

private:
    bool shouldStop(const std::atomic<bool>& stop, qint64 elapsedMs) const;
    void waitForTurn(const std::atomic<bool>& stop, qint64 sequence, qint64 elapsedMs) const;

    Settings m_settings;
};
