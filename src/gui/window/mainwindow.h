// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "sqlite/database.h"
#include "tasks/cacheopener.h"
#include "tasks/latesttask.h"
#include "window/demosession.h"

#include <QMainWindow>
#include <QSize>
#include <QTimer>

#include <functional>
#include <memory>
#include <vector>

class QMenu;
class QStackedWidget;
class QTabWidget;
class OverviewPage;
class EntriesPage;
class ActivityPage;
class WelcomePage;
class WindowMenus;
class MaintenanceMenu;
class CacheStatus;
class StatusLine;
class NoticeBanner;
class OpenNotice;
class LimitAlerts;
class ErrorBanner;
class OpeningPage;
class CachePages;

// MainWindow: composes the pages and the actions around the one open cache. It owns the
// Database and hands pages a pointer to it; it holds no logic of its own. GUI thread.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    // How long the window's own connection waits for a lock held by another process.
    static constexpr int GuiBusyTimeoutMs = 100;
    static constexpr int SnapshotCheckMs = 1000; // how often a snapshot read checks for writers
    static constexpr int RetryOpenMs = 2000; // an open refused by another process's lock is tried again
    // The window's size when it opens, inside the frame: 1000×708 with a desktop's title bar. Screenshots
    // of "the default window" are taken at this size (QWidget::grab draws no frame).
    static constexpr QSize DefaultSize { 1000, 680 };

    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    enum class Remember { Yes, No }; // No: a temporary cache (a snapshot's reopen) stays out of Recent Files
    // Opens path, replacing the current cache: "Opening…" shows while a worker opens the new one
    // (CacheOpener), openFinished() says how it ended. The current cache stays open until the new
    // one is (it closes first only when it is the same file); on failure it is shown again with
    // the reason above it; when another process's lock refused it, it is tried again
    // every RetryOpenMs until it opens, or another open or closeDatabase() stops it. path: a database file, a diskcache
    // folder (its cache.db) or a FanoutCache folder (every shard: Entries and Overview show them all). A second open
    // before the first ended replaces it.
    void openDatabase(const QString& path, Database::Mode mode, Remember remember = Remember::Yes);
    bool isOpening() const { return m_opener->isOpening(); }
    void closeDatabase();
    // `cachescope --demo` and the welcome page's "Start the demo": a temporary cache written by
    // simulated workers (DemoSession), opened here and never remembered in Open Recent. The demo
    // ends — writers stopped, files removed — when another cache is opened, or with the window.
    Status startDemo(const DemoSession::Options& options = {});
    void stopDemo();
    bool isDemoRunning() const;
    void stopDemoWriters(); // File ▸ Stop the Demo's Writers: the cache stays open
    QString demoPath() const { return m_demo ? m_demo->databasePath() : QString(); }

    Database* database() const { return m_database.get(); }
    QString errorText() const;
    OverviewPage* overviewPage() const;
    EntriesPage* entriesPage() const;
    ActivityPage* activityPage() const;
    QTabWidget* pages() const;
    // Closes the cache, switches its journal mode on a worker (JournalSwitch: "wal", or the
    // rollback mode an open converted it from) and opens it again — read-only after a switch
    // back, so that it stays so; the notice banner says how it went.
    void switchJournalMode(const QString& mode);
    QString noticeText() const; // the notice banner's text; empty when hidden
    // The status bar's message about the cache (whole, however much of it fits); empty when none.
    QString statusMessage() const;
    // F5: read the open cache's facts and counts again.
    void refresh();

Q_SIGNALS:
    // An openDatabase() ended: the cache is shown (true) or the error banner says why not.
    void openFinished(bool opened);

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    void closeEvent(QCloseEvent* event) override; // remembers geometry and tab (QSettings)

private:
    void createMenus();
    // readInPlace: the user chose to read a cache that cannot be copied privately in place.
    void startOpen(const QString& path, Database::Mode mode, Remember remember, bool readInPlace = false);
    bool isOpenHere(const QString& given) const; // given names the cache this process has open
    void stopOpening(); // the open in flight, and the retries of one a lock refused
    void releaseCache(); // closes the cache shown (pages, status, connection) and its messages
    void showOpened(CacheOpener::Opened opened, Remember remember);
    // A read-only open of a cache at rest reads a snapshot; once writers come, open it again
    // so Entries and Overview follow them.
    void followCacheThatCameAlive();

    std::unique_ptr<Database> m_database;
    // A FanoutCache: the labels of every shard and the shards after the first (m_database), and
    // its named sub-caches.
    QStringList m_shardLabels;
    std::vector<std::unique_ptr<Database>> m_moreShards;
    std::vector<CacheOpener::Opened::SubCache> m_subCaches;
    std::unique_ptr<DemoSession> m_demo;
    CacheStatus* m_cacheStatus = nullptr;
    StatusLine* m_statusLine = nullptr; // left of m_cacheStatus
    NoticeBanner* m_notice = nullptr;
    OpenNotice* m_openNotice = nullptr; // what the banner says about the open: read-only and why, or converted
    LimitAlerts* m_limits = nullptr; // Preferences' limits: notified once per crossing
    LatestTask m_switch; // a journal switch in flight reopens its cache only if nothing else was opened since
    ErrorBanner* m_errorBanner = nullptr;
    WelcomePage* m_emptyState = nullptr;
    OpeningPage* m_openingState = nullptr;
    QStackedWidget* m_stack = nullptr;
    CachePages* m_tabs = nullptr;
    WindowMenus* m_menus = nullptr;
    MaintenanceMenu* m_maintenance = nullptr;
    QTimer m_snapshotCheck;
    CacheOpener* m_opener = nullptr;
    std::function<void()> m_afterOpen; // what a reopen does once the cache is shown again
    QTimer m_retryTimer;
    std::function<void()> m_retryOpen; // the open a held lock refused, tried again by m_retryTimer
};
