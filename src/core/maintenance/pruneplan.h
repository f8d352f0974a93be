// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "maintenance/prunetarget.h"

#include <QList>
#include <QStringList>

#include <atomic>

class WalUpkeep;

// PrunePlan: the entries of a PruneTarget that its selection chose, found by one read-only
// pass in rowid order (chunks sized so each statement lasts ~10–50 ms; the read transaction
// ends between chunks, no WAL pinned; between them a WalUpkeep lets the WAL restart) — or, for explicit rows, by
// looking those up. The SQL selectors run in SQLite; the creation time and the group are read the way the Overview
// reads them (EntrySql) and compared here. With a byte budget the chosen entries are ordered the way the library evicts
// and the first ones are kept out until the rest fit. Nothing is written. Cancellable between chunks. Run it on the
// thread of the target's Database; a plain value.
struct PrunePlan {
    struct Row {
        qint64 rowid = 0;
        qint64 bytes = 0;
        bool hasFile = false; // a diskcache value file goes with it
    };
    static constexpr int MaxChunkMs = 50;
    static constexpr int SampleCount = 5;

    QList<Row> rows; // in rowid order
    qint64 bytes = 0;
    qint64 valueFiles = 0;
    qint64 budgetKeptBytes = -1; // with a budget: the bytes of the chosen entries that stay
    QStringList sampleKeys; // the first few keys, as users of the format read them
    bool complete = true; // false when cancelled
    qint64 longestStatementMs = 0;

    // upkeep (optional): run between the read statements so the live writers' WAL can restart.
    static Result<PrunePlan> make(
        Database* database, const PruneTarget& target, const std::atomic_bool& cancel, WalUpkeep* upkeep = nullptr);
};
