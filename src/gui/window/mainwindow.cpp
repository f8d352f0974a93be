// SPDX-License-Identifier: GPL-3.0-or-later
#include "window/mainwindow.h"

#include "common/format.h"
#include "dialogs/inplacereadquestion.h"
#include "maintenance/cachefolder.h"
#include "models/activityfeed.h"
#include "models/thresholdwatch.h"
#include "pages/activitypage.h"
#include "pages/entriespage.h"
#include "pages/overviewpage.h"
#include "tasks/backgroundtask.h"
#include "tasks/journalswitch.h"
#include "window/cachepages.h"
#include "window/cachestatus.h"
#include "window/demosession.h"
#include "window/errorbanner.h"
#include "window/limitalerts.h"
#include "window/maintenancemenu.h"
#include "window/noticebanner.h"
#include "window/openingpage.h"
#include "window/opennotice.h"
#include "window/recentfiles.h"
#include "window/remotewindow.h"
#include "window/statusline.h"
#include "window/welcomepage.h"
#include "window/windowlayout.h"
#include "window/windowmenus.h"

#include <QCloseEvent>
#include <QDir>
#include <QDragEnterEvent>
#include <QFileInfo>
#include <QMimeData>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabWidget>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , m_opener(new CacheOpener(this))
{
    Q_INIT_RESOURCE(cachescope); // the icon and the built-in guide, in the gui library (static in release builds)
    setWindowTitle(tr("CacheScope"));
    setWindowIcon(QIcon(u":/icons/cachescope.png"_s));
    setAcceptDrops(true);
    resize(DefaultSize);

    auto* central = new QWidget(this);
    auto* layout = new QVBoxLayout(central);
    m_errorBanner = new ErrorBanner(central);
    layout->addWidget(m_errorBanner);
    m_notice = new NoticeBanner(central);
    layout->addWidget(m_notice);
    m_openNotice = new OpenNotice(m_notice, this);
    connect(m_openNotice, &OpenNotice::switchBackRequested, this, &MainWindow::switchJournalMode);

    m_stack = new QStackedWidget(central);
    m_emptyState = new WelcomePage(m_stack);
    m_openingState = new OpeningPage(m_stack);
    m_tabs = new CachePages([this] { return m_database ? m_database->path() : QString(); }, m_stack);
    m_stack->addWidget(m_emptyState);
    m_stack->addWidget(m_openingState);
    m_stack->addWidget(m_tabs);
    layout->addWidget(m_stack, 1);
    setCentralWidget(central);
    ActivityFeed* feed = m_tabs->activity()->feed();
    connect(feed, &ActivityFeed::sampleReceived, m_openNotice, &OpenNotice::applySample);
    // The limits of Preferences: notified once per crossing, listed in the Overview's health until they clear.
    m_limits = new LimitAlerts(this);
    connect(feed, &ActivityFeed::sampleReceived, m_limits->watch(), &ThresholdWatch::applySample);
    connect(m_tabs->overview(), &OverviewPage::contentsCounted, m_limits->watch(), &ThresholdWatch::setEntryCounts);
    connect(m_limits->watch(), &ThresholdWatch::activeChanged, m_tabs->overview(), &OverviewPage::setCrossedLimits);
    m_statusLine = new StatusLine(this);
    statusBar()->addWidget(m_statusLine, 1);
    connect(m_limits, &LimitAlerts::statusMessage, m_statusLine, &StatusLine::replaceMessage);
    m_cacheStatus = new CacheStatus(this);
    statusBar()->addPermanentWidget(m_cacheStatus);
    connect(feed, &ActivityFeed::sampleReceived, m_cacheStatus, [this](const ActivitySample& sample) {
        m_cacheStatus->applySample(m_tabs->activity()->watchedPath(), sample); // the sizes Activity shows
    });
    createMenus();
    WindowLayout::restore(this, m_tabs);
    connect(&m_snapshotCheck, &QTimer::timeout, this, &MainWindow::followCacheThatCameAlive);
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, [this] {
        if (m_retryOpen)
            m_retryOpen();
    });
    m_snapshotCheck.start(SnapshotCheckMs);
}

void MainWindow::followCacheThatCameAlive()
{
    if (!m_database || !m_database->snapshotOutdated())
        return;
    const QString path = m_database->path();
    const QString table = m_tabs->entries()->currentTable();
    openDatabase(path, m_database->mode(), Remember::No);
    m_afterOpen = [this, table] {
        m_tabs->entries()->selectTable(table);
        m_statusLine->setMessage(tr("Another process opened this cache: reading it live now, no longer from the "
                                    "snapshot taken when it was at rest."));
    };
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    WindowLayout::save(this, m_tabs);
    QMainWindow::closeEvent(event);
}

void MainWindow::refresh()
{
    m_tabs->overview()->refresh();
}

OverviewPage* MainWindow::overviewPage() const
{
    return m_tabs->overview();
}

EntriesPage* MainWindow::entriesPage() const
{
    return m_tabs->entries();
}

ActivityPage* MainWindow::activityPage() const
{
    return m_tabs->activity();
}

QTabWidget* MainWindow::pages() const
{
    return m_tabs;
}

MainWindow::~MainWindow()
{
    closeDatabase();
    stopDemo();
}

void MainWindow::createMenus()
{
    m_menus = new WindowMenus(this, m_tabs);
    connect(m_menus, &WindowMenus::openRequested, this,
        [this](const QString& path, Database::Mode mode) { openDatabase(path, mode); });
    connect(m_menus, &WindowMenus::closeRequested, this, &MainWindow::closeDatabase);
    connect(m_menus, &WindowMenus::demoRequested, this, [this] { startDemo(); });
    connect(m_menus, &WindowMenus::stopDemoWritersRequested, this, &MainWindow::stopDemoWriters);
    connect(m_menus, &WindowMenus::openRemoteRequested, this, [this] { RemoteWindow::chooseAndOpen(this); });
    connect(m_menus, &WindowMenus::refreshRequested, this, &MainWindow::refresh);
    connect(m_menus, &WindowMenus::preferencesRequested, this, [this] { m_limits->editPreferences(this); });
    connect(m_menus, &WindowMenus::findRequested, this, [this] {
        if (m_database)
            m_tabs->showFilter();
    });
    m_maintenance = m_menus->maintenance();
    connect(m_maintenance, &MaintenanceMenu::releaseDatabaseRequested, this, &MainWindow::closeDatabase);
    connect(m_maintenance, &MaintenanceMenu::reopenDatabaseRequested, this,
        [this](const QString& path, Database::Mode mode) { openDatabase(path, mode); });
    connect(m_maintenance, &MaintenanceMenu::openRequested, this,
        [this](const QString& path) { openDatabase(path, Database::Mode::ReadWrite); });
    connect(m_maintenance, &MaintenanceMenu::switchJournalModeRequested, this, &MainWindow::switchJournalMode);
    connect(m_tabs->entries(), &EntriesPage::pruneRequested, m_maintenance, &MaintenanceMenu::pruneSelection);
    connect(m_maintenance, &MaintenanceMenu::statusMessage, m_statusLine, &StatusLine::setMessage);
    connect(m_tabs->activity()->feed(), &ActivityFeed::sampleReceived, m_maintenance, &MaintenanceMenu::applySample);
    connect(m_maintenance, &MaintenanceMenu::wroteTheCache, m_tabs->activity(), &ActivityPage::noteOwnWrite);
    m_maintenance->setDemoSimulator([this] { return isDemoRunning() ? m_demo->simulatorPid() : 0; });
    connect(m_menus, &WindowMenus::recentChanged, m_emptyState, &WelcomePage::setRecent);
    m_emptyState->setRecent(m_menus->recent().paths());
    connect(m_emptyState, &WelcomePage::openRequested, m_menus, [this](bool readOnly) {
        m_menus->chooseAndOpen(readOnly ? Database::Mode::ReadOnly : Database::Mode::ReadWrite);
    });
    connect(m_emptyState, &WelcomePage::openFolderRequested, m_menus, &WindowMenus::chooseFolder);
    connect(m_emptyState, &WelcomePage::demoRequested, m_menus, &WindowMenus::demoRequested);
    connect(m_emptyState, &WelcomePage::recentRequested, m_menus,
        [this](const QString& path) { Q_EMIT m_menus->openRequested(path, Database::Mode::ReadWrite); });
}

void MainWindow::openDatabase(const QString& given, Database::Mode mode, Remember remember)
{
    stopOpening();
    // The cache shown stays open until the new one is (a failed open leaves it as it was) —
    // unless it is the same file: never two connections to one file in this process (docs/WAL.md §4.1).
    if (m_database && isOpenHere(given))
        closeDatabase();
    m_afterOpen = {};
    m_openingState->showOpening(given);
    m_stack->setCurrentWidget(m_openingState);
    setWindowTitle(tr("Opening %1 — CacheScope").arg(Format::shortName(given)));
    startOpen(given, mode, remember);
}

bool MainWindow::isOpenHere(const QString& given) const
{
    const auto folder = CacheFolder::resolve(given); // lstat and readdir only: no fd on the cache files
    if (!folder)
        return Database::isOpenInProcess(given);
    for (const QString& database : folder->everyDatabase()) {
        if (Database::isOpenInProcess(database))
            return true;
    }
    return false;
}

void MainWindow::startOpen(const QString& given, Database::Mode mode, Remember remember, bool readInPlace)
{
    // The GUI thread never waits long on another process's lock: a short busy timeout, and
    // a failed open says who holds the cache, instead of a frozen window.
    Database::Options options;
    options.mode = mode;
    options.busyTimeoutMs = GuiBusyTimeoutMs;
    options.walSwitchTimeoutMs = GuiBusyTimeoutMs;
    options.readInPlace = readInPlace;
    // The rest happens when the open returns, on a worker: nothing waits here.
    m_opener->open(given, options, [this, given, mode, remember, readInPlace](Result<CacheOpener::Opened> opened) {
        if (opened) {
            if (readInPlace && !opened->database->notes().isEmpty()) // else a writer had opened it meanwhile
                opened->note = QStringList { opened->note,
                    tr("Read in place, as you chose: SQLite wrote a -shm next to the cache; the database and its "
                       "-wal were not changed.") }
                                   .join(u' ')
                                   .trimmed();
            showOpened(std::move(opened.value()), remember); // emits openFinished(true) once all is shown
            return;
        }
        // A cache at rest that cannot be copied privately: the user decides whether
        // SQLite may write a -shm beside it. Cancel leaves it unopened, the reason shown.
        if (opened.error().readableInPlace && !readInPlace
            && InPlaceReadQuestion::ask(given, opened.error().message, this)) {
            startOpen(given, mode, remember, true);
            return;
        }
        m_errorBanner->showMessage(opened.error().message);
        if (opened.error().kind == Error::Kind::Locked) {
            releaseCache(); // waiting for the new one replaces the one shown
            // Held by another process for now (a rollback-journal writer, a WAL switch that
            // needs the cache alone): wait on the "Opening…" page and try again, as a user would.
            m_errorBanner->setText(tr("%1\nTrying again every %2 seconds; File › Close stops.")
                                       .arg(opened.error().message)
                                       .arg(RetryOpenMs / 1000));
            m_openingState->showWaiting(given);
            m_retryOpen = [this, given, mode, remember] { startOpen(given, mode, remember); };
            m_retryTimer.start(RetryOpenMs);
        } else {
            // The cache that was shown stays open and shown, the reason above it.
            if (m_database) {
                const QString why = opened.error().message.contains(given)
                    ? opened.error().message
                    : tr("Could not open %1: %2").arg(given, opened.error().message);
                m_errorBanner->setText(tr("%1\n%2 is still open.").arg(why, m_database->path()));
            }
            m_stack->setCurrentWidget(m_database ? static_cast<QWidget*>(m_tabs) : m_emptyState);
            setWindowTitle(m_cacheStatus->title());
            m_afterOpen = {};
        }
        Q_EMIT openFinished(false);
    });
}

void MainWindow::showOpened(CacheOpener::Opened opened, Remember remember)
{
    releaseCache(); // the one shown until now, if any: its messages go with it
    if (m_demo && opened.path != m_demo->databasePath())
        stopDemo(); // another cache is open: the demo's writers end, its files go
    m_database = std::move(opened.database);
    m_shardLabels = opened.shardLabels;
    m_moreShards = std::move(opened.moreShards);
    m_subCaches = std::move(opened.subCaches);
    m_errorBanner->hide();
    FanoutDatabases fanout; // a FanoutCache's: the first shard is m_database
    for (qsizetype i = 0; i < m_shardLabels.size(); ++i)
        fanout.shards << FanoutDatabases::Part { m_shardLabels.at(i),
            i == 0 ? m_database.get() : m_moreShards.at(size_t(i - 1)).get() };
    for (const auto& sub : m_subCaches)
        fanout.subCaches << FanoutDatabases::Part { sub.name, sub.database.get() };
    QList<ActivityPage::Part> parts; // a FanoutCache: every shard and sub-cache, watched one at a time
    if (const auto folder = CacheFolder::resolve(opened.folder); !opened.folder.isEmpty() && folder) {
        const QStringList databases = folder->everyDatabase();
        for (qsizetype i = 0; i < databases.size(); ++i)
            parts << ActivityPage::Part { folder->partName(i), databases.at(i) };
    }
    const QString remembered = remember == Remember::Yes && !(m_demo && opened.path == m_demo->databasePath())
        ? (opened.folder.isEmpty() ? opened.path : opened.folder) // a FanoutCache: all of it
        : QString();
    // The pages in events of their own (CachePages), after this one, which released the cache shown
    // before: "Opening…" stays until the page in sight is shown; what needs every page shown runs
    // once they are.
    m_tabs->showDatabase(
        m_database.get(), fanout, parts,
        [this] {
            m_stack->setCurrentWidget(m_tabs);
            setWindowTitle(m_cacheStatus->title());
        },
        [this, remembered] {
            m_limits->watch()->setCache(m_database->path());
            if (!remembered.isEmpty())
                m_menus->rememberRecent(remembered);
            if (m_afterOpen)
                std::exchange(m_afterOpen, {})();
            Q_EMIT openFinished(true);
        });
    m_maintenance->setDatabase(m_database.get(), opened.folder);
    m_cacheStatus->setDatabase(m_database.get(), opened.folder);
    if (!opened.note.isEmpty())
        m_statusLine->setMessage(opened.note);
    m_openNotice->showOpened(*m_database, opened.readOnlyBecause);
}

void MainWindow::switchJournalMode(const QString& mode)
{
    if (!m_database)
        return;
    const QString path = m_database->path();
    // Back to a rollback mode: open read-only afterwards, or the open would convert it again.
    const Database::Mode wasOpenAs = m_database->mode();
    closeDatabase(); // switching needs the cache alone: our connections (and the Activity probe) go first
    BackgroundTask::pool()
        ->waitForDone(); // and the reads the close did not wait for (index build, entry read, summary)
    const CancelToken token = m_switch.start();
    m_openingState->showSwitching(mode, path);
    m_stack->setCurrentWidget(m_openingState);
    BackgroundTask::run<Result<QString>>(
        this, [path, mode] { return JournalSwitch::to(path, mode); },
        [this, path, mode, wasOpenAs, token](Result<QString> switched) {
            if (!m_switch.isCurrent(token))
                return; // another cache was opened (or this one closed) meanwhile
            openDatabase(path, switched && mode != u"wal"_s ? Database::Mode::ReadOnly : wasOpenAs, Remember::No);
            m_afterOpen
                = [this, switched, mode] { m_openNotice->showSwitched(switched, mode, m_database->journalMode()); };
        });
}

void MainWindow::stopOpening()
{
    m_switch.drop();
    m_retryTimer.stop();
    m_retryOpen = {};
    m_opener->cancel();
}

void MainWindow::releaseCache()
{
    m_tabs->clear();
    m_limits->watch()->setCache({});
    if (m_maintenance)
        m_maintenance->setDatabase(nullptr);
    m_cacheStatus->setDatabase(nullptr);
    m_openNotice->clear();
    m_database.reset();
    m_moreShards.clear();
    m_subCaches.clear();
    m_shardLabels.clear();
    m_statusLine->clearMessage(); // messages belong to the cache they describe
}

void MainWindow::closeDatabase()
{
    stopOpening();
    releaseCache();
    m_stack->setCurrentWidget(m_emptyState);
    setWindowTitle(m_cacheStatus->title());
}

Status MainWindow::startDemo(const DemoSession::Options& options)
{
    closeDatabase();
    stopDemo();
    auto demo = std::make_unique<DemoSession>();
    if (Status started = demo->start(options); !started) {
        m_errorBanner->showMessage(tr("Could not start the demo: %1").arg(started.error().message));
        return started;
    }
    connect(demo.get(), &DemoSession::simulatorEnded, this, [this](int code, const QString& errors) {
        m_menus->setDemoRunning(false);
        m_statusLine->setMessage(
            tr("The demo's simulated writers stopped (exit %1). %2").arg(code).arg(errors.trimmed()));
    });
    m_demo = std::move(demo);
    entriesPage()->setExportFolder(QDir::homePath()); // the demo's folder goes with it
    m_menus->setDemoRunning(true);
    openDatabase(m_demo->databasePath(), Database::Mode::ReadWrite, Remember::No);
    return {};
}

void MainWindow::stopDemo()
{
    if (!m_demo)
        return;
    if (m_database && m_database->path() == m_demo->databasePath())
        closeDatabase(); // our connection goes before the demo's files do
    m_demo->stop();
    m_demo.reset();
    entriesPage()->setExportFolder({});
    m_menus->setDemoRunning(false);
}

void MainWindow::stopDemoWriters()
{
    if (!m_demo)
        return;
    m_demo->stopWriters();
    m_menus->setDemoRunning(false);
    m_statusLine->setMessage(tr("The demo's writers stopped; its cache stays until another is opened or the window "
                                "closes."));
}

bool MainWindow::isDemoRunning() const
{
    return m_demo && m_demo->isRunning();
}

QString MainWindow::noticeText() const
{
    return m_notice->text();
}

QString MainWindow::statusMessage() const
{
    return m_statusLine->message();
}

QString MainWindow::errorText() const
{
    return m_errorBanner->message();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    const auto urls = event->mimeData()->urls();
    if (urls.size() == 1 && urls.first().isLocalFile())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event)
{
    const auto urls = event->mimeData()->urls();
    if (urls.size() == 1 && urls.first().isLocalFile()) {
        event->acceptProposedAction();
        openDatabase(urls.first().toLocalFile(), Database::Mode::ReadWrite);
    }
}
