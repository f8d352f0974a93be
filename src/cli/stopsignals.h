// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <atomic>

// StopSignals: turns SIGINT and SIGTERM into a counter the long-running commands (simulate,
// watch) poll, so Ctrl-C ends them with a summary instead of killing them mid-write. The
// handlers are installed without SA_RESTART so poll()/nanosleep() wake up at once; SIGPIPE is
// ignored so writing to a reader that went away is an error, not death. Process-wide.
namespace StopSignals {
void install();
// How many stop signals arrived (1: stop cleanly; 2: the user insists).
const std::atomic<int>& requests();
// True once any stop signal arrived; as a flag for loops that take a std::atomic<bool>.
const std::atomic<bool>& requested();
// Sleeps up to ms milliseconds, returning early when a stop signal arrives.
void sleepMs(long long ms);
} // namespace StopSignals
