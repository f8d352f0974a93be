// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "maintenance/pruneoptions.h"
#include "maintenance/pruneoutcome.h"
#include "maintenance/pruneplan.h"
#include "maintenance/prunetarget.h"
#include "os/locktable.h"
#include "sqlite/statement.h"

#include <QElapsedTimer>
#include <QList>
#include <QVariantList>

#include <optional>

class PruneBackup;
class WalUpkeep;

// PruneBatches: removes a PrunePlan's rows from one database in short write transactions (see
// Prune). Between batches — while writers take their turn — the next batch's rows are read
// (fingerprint, value file, what a backup needs) and backed up; then BEGIN IMMEDIATE, one
// DELETE per row that still has the fingerprint and matches, the rows of other tables that
// belonged to them, diskcache's counters where no trigger keeps them, COMMIT; then the value
// files of the rows really deleted. The batch size follows the time the last ones held the
// lock; while others commit, batches are short and far apart (their commits first). Lives on
// the thread of its Database.
class PruneBatches {
public:
    // upkeep (optional): the gaps between batches copy the WAL's frames (WalUpkeep).
    PruneBatches(Database* database, const PruneTarget& target, const PruneOptions& options, PruneBackup* backup,
        WalUpkeep* upkeep = nullptr);
    ~PruneBatches();
    PruneBatches(const PruneBatches&) = delete;
    PruneBatches& operator=(const PruneBatches&) = delete;
    // Removes the plan's rows; counts into part. False in *finished when cancelled.
    Status run(const PrunePlan& plan, PrunePart& part, bool* finished);

    // WAL mode: the moment a commit released the write lock (SQLite's WAL hook runs right after,
    // before the automatic checkpoint, which no longer blocks writers), so a batch's time is the
    // lock's, not the checkpoint's. The hook then checkpoints as SQLite's own would.
    struct WalHook {
        const QElapsedTimer* held = nullptr;
        qint64 releasedAtNs = -1;
        int autocheckpoint = 1000;
        bool shared = true; // another process has the cache open
    };

private:
    struct Row {
        qint64 rowid = 0;
        qint64 bytes = 0;
        QString file; // diskcache value file (relative), empty when inline
        QVariant parent; // what dependents refer to
        QVariantList fingerprint;
        bool deleted = false;
    };
    Status prepare();
    Result<QList<Row>> fetch(const QList<qint64>& rowids);
    Status backUp(const QList<Row>& rows);
    Result<double> deleteBatch(QList<Row>& rows, PruneCounts& counts); // ms the write lock was held
    Status deleteDependents(const QList<Row>& rows, PruneCounts& counts);
    void removeFiles(const QList<Row>& rows, PrunePart& part);
    int nextBatchRows(int rows, double heldMs, bool shared, bool writing) const;
    // Whether other connections committed within the last second (PRAGMA data_version moved
    // between two calls; it counts no commit of this connection).
    bool othersWriting();
    // Whether another process holds a lock on the cache's files now (/proc/locks).
    bool othersPresent();

    Database* m_database;
    const PruneTarget& m_target;
    const PruneOptions& m_options;
    PruneBackup* m_backup;
    WalUpkeep* m_upkeep;
    std::optional<Statement> m_fetch;
    std::optional<Statement> m_delete;
    std::optional<Statement> m_backupRow;
    QStringList m_backupColumns;
    WalHook m_walHook;
    bool m_hookInstalled = false;
    QList<LockTable::Target> m_lockTargets;
    QElapsedTimer m_locksRead;
    bool m_othersPresent = true;
    std::optional<Statement> m_dataVersion;
    qint64 m_lastDataVersion = -1;
    QElapsedTimer m_othersCommitted;
};
