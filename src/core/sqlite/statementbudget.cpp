// SPDX-License-Identifier: GPL-3.0-or-later
#include "sqlite/statementbudget.h"

#include <sqlite3.h>

#include <chrono>
#include <cstdint>

namespace {
using Clock = std::chrono::steady_clock;

constexpr int OpsBetweenChecks = 10000; // a few µs of VDBE work

struct StepClock {
    int depth = 0;
    Clock::time_point started;
    bool exceeded = false;
};
thread_local StepClock t_step;

int onProgress(void* limit)
{
    const auto limitMs = static_cast<std::int64_t>(reinterpret_cast<std::intptr_t>(limit));
    if (t_step.depth == 0 || limitMs <= 0)
        return 0;
    const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t_step.started);
    if (elapsed.count() <= limitMs)
        return 0;
    t_step.exceeded = true;
    return 1; // SQLite stops the statement with SQLITE_INTERRUPT
}
} // namespace

namespace StatementBudget {

void install(sqlite3* db, int limitMs)
{
    if (limitMs <= 0) {
        sqlite3_progress_handler(db, 0, nullptr, nullptr);
        return;
    }
    sqlite3_progress_handler(db, OpsBetweenChecks, onProgress, reinterpret_cast<void*>(std::intptr_t(limitMs)));
}

void stepStarted()
{
    if (t_step.depth++ == 0) {
        t_step.started = Clock::now();
        t_step.exceeded = false;
    }
}

void stepEnded()
{
    if (t_step.depth > 0)
        --t_step.depth;
}

bool exceeded()
{
    return t_step.exceeded;
}

} // namespace StatementBudget
