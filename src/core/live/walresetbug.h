// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "live/healthwarning.h"
#include "live/warningcatalog.h"

#include <QList>
#include <QString>

// WalResetBug: the one rule for SQLite's WAL-reset bug (docs/WAL.md, "WAL-reset bug"): versions
// 3.7.0 through 3.51.2 can, rarely, corrupt a database when a checkpoint runs while writers
// write. One code, WarningCode::SqliteWalResetBug, for `watch` (said once per SQLite version, as a
// notice) and for checkpoint (a warning before it acts). Pure functions; any thread.
struct WalResetBug {
    static inline const QString& Code = WarningCode::SqliteWalResetBug;

    // True for 3.7.0 ≤ version ≤ 3.51.2; "3.40.1", "3.51", "3.8.11.1" all parse.
    static bool affects(const QString& sqliteVersion);
    // The notice for this version (what it means, in plain words); `detail` is appended.
    static HealthWarning notice(const QString& sqliteVersion, const QString& detail = {});
    // The warning a checkpoint (or a vacuum, which ends with one) gives while these processes
    // write: the notice plus "Writers are active now (PIDs 12, 345): stop them first."; nothing
    // when the version is not affected or nobody writes. The one wording for every caller.
    static HealthWarnings whileWriting(const QString& sqliteVersion, const QList<qint64>& writerPids);
};
