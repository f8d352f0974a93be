// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/error.h"

#include <QString>

// JournalSwitch: changes a cache's journal mode through a short connection of its own, closed
// before it returns — back to DELETE after opening converted it to WAL, or to WAL for a cache
// opened read-only. Switching needs the cache alone: the caller closes its own connections
// first, and another process that has it open (or locked) refuses it, named. Blocking (short
// busy timeouts); run it with BackgroundTask. Any thread.
namespace JournalSwitch {

constexpr int BusyTimeoutMs = 2000;

// mode: "wal", or a rollback mode to go back to ("delete", "truncate", "persist"). Returns the journal mode the cache
// is in afterwards.
Result<QString> to(const QString& path, const QString& mode);

} // namespace JournalSwitch
