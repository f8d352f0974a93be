// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

struct sqlite3;

// StatementBudget: a time limit on each step of a statement over untrusted data, so a view
// over a recursive CTE or randomblob(1e9) cannot run for ever. SQLite's progress
// handler (one per connection) checks the time since the current Statement::step() began on
// this thread; busy waits do not count (the handler only runs while SQLite computes).
// Memory is bounded separately, by SQLite's length limit (Database::configure).
namespace StatementBudget {
// Installs the handler on db: each step may compute for at most limitMs (0: no limit).
void install(sqlite3* db, int limitMs);
// Statement::step() brackets sqlite3_step() with these (nesting allowed).
void stepStarted();
void stepEnded();
// Whether the last step on this thread was stopped by the budget (read before the next step).
bool exceeded();
} // namespace StatementBudget
