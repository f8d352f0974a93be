// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// LateClose: closes a file descriptor whose close() can block on a thread of its own, so the
// caller (the GUI thread, releasing a cache) never waits for it. Closing an inotify descriptor
// waits in the kernel for an SRCU grace period: 5–31 ms measured on the GUI thread
// (bench_gui_stall, perf sched: ChangeWatch's close under MainWindow::releaseCache, #23.9).
// Only for descriptors that refer to no cache file: closing any fd on a cache file drops this
// process's POSIX locks on it whenever it happens (WAL_REFERENCE.md), and those are closed by
// SQLite alone. Descriptors are closed in the order given; close() returns at once.
namespace LateClose {
void close(int fd);
// Waits (at most timeoutMs) until every descriptor given so far is closed: for tests and exit.
bool drain(int timeoutMs);
} // namespace LateClose
