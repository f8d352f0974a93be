// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "maintenance/pruneselection.h"
#include "models/activitysample.h"
#include "sqlite/database.h"

#include <QObject>
#include <QPointer>

#include <functional>
#include <optional>

class CheckpointDialog;
class VacuumDialog;
class PruneDialog;
class QMenu;
class QWidget;

// MaintenanceMenu: the "Maintenance" menu — checkpoint, vacuum, prune, switch to WAL, safe delete and
// folder scan — and the glue that opens their dialogs for the open cache. It knows the cache only through
// setDatabase() and asks its owner for everything else by signal, so it does not depend on
// MainWindow. For a safe delete the cache stays open while the user decides; once the user
// confirms it asks the owner to release the window's own connection (a process must hold none
// while it locks and unlinks the files), and to reopen the cache if the delete was refused
// after that and the user cancelled. GUI thread.
class MaintenanceMenu : public QObject {
    Q_OBJECT
public:
    MaintenanceMenu(QWidget* dialogParent, QMenu* menu);

    // The cache the actions apply to; nullptr when none is open. wholeCache: the FanoutCache
    // folder the database is the first shard of (Checkpoint, Vacuum, Prune and Delete act on every
    // shard and named sub-cache of it), else empty.
    void setDatabase(const Database* database, const QString& wholeCache = {})
    {
        m_database = database;
        m_wholeCache = database ? wholeCache : QString();
        m_lastSample.reset(); // another cache's
    }
    // The Activity tab's latest sample of the cache: the Checkpoint dialog says from it who is writing.
    void applySample(const ActivitySample& sample);

    // The running demo's simulator pid (0: none), asked when Delete Cache Safely opens: the delete
    // dialog names the demo's writers as such.
    void setDemoSimulator(std::function<qint64()> pid) { m_demoSimulator = std::move(pid); }

    void checkpoint(); // modeless dialogs: Activity can be watched while they run
    void vacuum();
    // Maintenance ▸ Prune Entries…; with a selection (the Entries page's rows or filter), that
    // selection, described in words.
    void prune();
    void pruneSelection(const PruneSelection& selection, const QString& description);
    void deleteCache();
    void switchToWal(); // asks first (Cancel is the default), then switchJournalModeRequested("wal")
    void scanFolder(const QString& folder = {}); // the open cache's folder when none is given

Q_SIGNALS:
    // Emitted (and handled synchronously) once a delete is confirmed: close the connection to the cache.
    void releaseDatabaseRequested();
    // A confirmed delete was refused and then cancelled: open path again as it was.
    void reopenDatabaseRequested(const QString& path, Database::Mode mode);
    void statusMessage(const QString& message);
    void cacheDeleted(const QString& path); // Delete Cache Safely removed it (a file, or a folder's cache)
    void openRequested(const QString& path); // a database double-clicked in the scan results
    // Close the cache, switch its journal mode ("wal", "delete", …) and open it again.
    void switchJournalModeRequested(const QString& mode);
    // This window wrote the cache itself ("checkpoint", "vacuum"): the Activity tab names it so.
    void wroteTheCache(const QString& what);

private:
    void updateActions();
    QString cachePath() const; // the FanoutCache folder, else the database
    void showPruneDialog(const PruneSelection* selection, const QString& description);

    QWidget* m_parent = nullptr;
    QMenu* m_menu = nullptr;
    const Database* m_database = nullptr;
    QString m_wholeCache;
    std::optional<ActivitySample> m_lastSample;
    std::function<qint64()> m_demoSimulator;
    QPointer<CheckpointDialog> m_checkpoint; // modeless: the window stays usable while they run
    QPointer<VacuumDialog> m_vacuum;
    QPointer<PruneDialog> m_prune;
};
