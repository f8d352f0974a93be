// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "pages/activitypage.h"
#include "remote/cacheaddress.h"
#include "report/cachesummary.h"

#include <QMainWindow>
#include <QPointer>

class CheckpointDialog;
class DeleteDialog;
class VacuumDialog;
class OverviewPage;
class PruneDialog;
class ScanDialog;
class QLabel;
class QTabWidget;
class QTimer;
class RemoteCommandsPage;
class RemoteEntriesPage;
class RemoteSession;

// RemoteWindow: a cache on another host or in a container (File ▸ Open Remote…, or
// `cachescope ssh://…`). Nothing of the cache is opened here: every tab is a cachescope-cli
// command run there through the local one (docs/CLI.md, "Remote caches") — Overview (the same
// OverviewPage as locally, from `info --json` and the Activity tab's samples),
// Entries (`entries --after`, page by page), Activity (the `watch` stream, ActivityPage as for a
// local cache; a FanoutCache's shards and sub-caches one at a time, as locally, once the Overview's `info` has
// named them: `watch` never runs on a folder), SQL and Maintenance (`query`, `checkpoint`, `vacuum`, `delete`); info,
// entries and query go as requests to one `serve` there that lives as long as the window (RemoteSession). The title and
// the status line say where the cache lives and the last round trip; a dropped connection (the
// watch ended with an error) is said, and the window reconnects every ReconnectMs until the
// stream flows again.
class RemoteWindow : public QMainWindow {
    Q_OBJECT
public:
    static constexpr int ReconnectMs = 5000;

    RemoteWindow(const CacheAddress& address, const QString& remoteProgram, QWidget* parent = nullptr);
    ~RemoteWindow() override;

    QString statusText() const;
    bool isConnected() const { return m_connected; }
    QTabWidget* tabs() const { return m_tabs; }
    OverviewPage* overview() const { return m_overview; }
    RemoteEntriesPage* entries() const { return m_entries; }
    ActivityPage* activity() const { return m_activity; }
    RemoteCommandsPage* commands() const { return m_commands; }
    RemoteSession* session() const { return m_session; }

    void refreshOverview();
    // Prune… on the SQL and Maintenance tab: the local window's PruneDialog, each step a `prune`
    // there (PruneDialog::runThere), modeless and one at a time; shown.
    PruneDialog* openPrune();
    // Scan Folder…: the local window's ScanDialog on `scan` there (ScanDialog::runThere), on the
    // cache's folder, scanning at once; a database found opens in a window of its own.
    ScanDialog* openScan();
    // Checkpoint… and Vacuum…: the local window's dialogs (every mode; a copy into a path
    // there), each run there (runThere); modeless, one of each at a time; shown.
    CheckpointDialog* openCheckpoint();
    VacuumDialog* openVacuum();
    // Delete…: the local window's DeleteDialog (files and holders as there, re-checked every
    // second; the remote user's trash or for good), run there; shown.
    DeleteDialog* openDelete();
    void reconnect();

    // A new window on the cache at address (shown; deleted when closed); remembered in the
    // recent remotes.
    static RemoteWindow* open(const CacheAddress& address, const QString& remoteProgram, QWidget* parent = nullptr);
    // File ▸ Open Remote…: asks (OpenRemoteDialog), then open(); nullptr when cancelled.
    static RemoteWindow* chooseAndOpen(QWidget* parent);

Q_SIGNALS:
    void connectionChanged(bool connected);

private:
    void showRoundTrip(qint64 ms);
    void connectionLost(const QString& reason);
    void updateStatus();
    // What `info` there says the cache is: a FanoutCache's parts for the Activity tab, the journal mode for Vacuum,
    // the tables for Prune.
    void applySummary(const CacheSummary& summary);
    // The Activity tab's watch there, on the part shown (a FanoutCache's) or the cache; once `info` has said which.
    void watch();
    bool watching() const; // the Activity tab watches one of m_parts there (or the cache, when it is one database)

    CacheAddress m_address;
    QString m_program;
    QStringList m_extraArgs;
    RemoteSession* m_session = nullptr; // the reads of every tab (info, entries, query): one `serve` there
    QTabWidget* m_tabs = nullptr;
    OverviewPage* m_overview = nullptr;
    RemoteEntriesPage* m_entries = nullptr;
    ActivityPage* m_activity = nullptr;
    RemoteCommandsPage* m_commands = nullptr;
    QLabel* m_status = nullptr;
    QTimer* m_reconnect = nullptr;
    QPointer<PruneDialog> m_prune;
    QPointer<ScanDialog> m_scan;
    QPointer<CheckpointDialog> m_checkpoint;
    QPointer<VacuumDialog> m_vacuum;
    QPointer<DeleteDialog> m_delete;
    bool m_connected = false;
    qint64 m_roundTripMs = -1;
    QString m_lostReason;
    QList<ActivityPage::Part> m_parts; // a FanoutCache's databases there (remote addresses), from `info`
    bool m_layoutKnown = false; // an `info` there has said whether the cache is one database or a FanoutCache's
    std::optional<CacheSummary> m_summary; // the last `info` read there (its tables for Prune)
    QString m_summaryError; // why the last `info` there failed, if it did
    QString m_journalMode; // the cache's there, from `info` (a FanoutCache's: its first shard's); empty until read
    bool m_watchAwaited = false; // reconnect() waits for `info` to say what to watch
};
