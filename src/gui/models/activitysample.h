// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "live/watchline.h"

// ActivitySample: one line of `cachescope-cli watch --json` as the GUI reads it — core's
// WatchLine, the one definition of the line that `watch` writes. The GUI never probes the
// cache's files itself (it holds an SQLite connection to them, and closing a probe fd would drop
// that connection's locks, docs/WAL.md §4.1): it reads what the child process measured.
using ActivitySample = WatchLine;
