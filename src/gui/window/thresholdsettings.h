// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "live/thresholds.h"

// ThresholdSettings: the limits of Preferences kept in QSettings ("thresholds/<name>", the names
// of `cachescope-cli check`'s options: max-wal-bytes, …; "thresholds/warnings"). Unset keys take
// the defaults of docs/MONITORING.md's alert rules: a -wal over 1 GiB, the checkpoint pinned for
// 10 minutes, the write lock busy over 80%; health warnings are not notified by default (the
// Overview lists them anyway). GUI thread.
namespace ThresholdSettings {
Thresholds defaults();
Thresholds load();
void save(const Thresholds& thresholds);
} // namespace ThresholdSettings
