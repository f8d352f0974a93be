// SPDX-License-Identifier: GPL-3.0-or-later
// Issue #28: every page at the window's own default size (MainWindow::DefaultSize: 1000×680 inside the frame,
// 1000×708 with a desktop's title bar; QWidget::grab draws no frame) and maximised, with real library caches and the
// demo, saved for looking at; and what must fit the default size checked: the Activity page shows its processes
// table without scrolling, the Overview opens at its top.
#include "dialogs/checkpointdialog.h"
#include "dialogs/deletedialog.h"
#include "dialogs/scandialog.h"
#include "dialogs/vacuumdialog.h"
#include "entrycells.h"
#include "live/warningcatalog.h"
#include "livecache.h"
#include "models/activityfeed.h"
#include "models/entrymodel.h"
#include "openedwindow.h"
#include "pages/activitychart.h"
#include "pages/activitypage.h"
#include "pages/entriespage.h"
#include "pages/overviewpage.h"
#include "testsupport.h"
#include "window/documentdialog.h"
#include "writerscripts.h"

#include <QAbstractItemView>
#include <QAction>
#include <QApplication>
#include <QDialog>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <functional>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

class TestScreenTour : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void activityShowsProcessesAtDefaultSize();
    void activityWithSeveralWarnings();
    void everyPageAtBothSizes_data();
    void everyPageAtBothSizes();
    void everyDialogAtDefaultSize();
    void welcomeHelpExportAndSwitchToWal();

private:
    // Runs open (which shows a modal dialog), waits inside the dialog's exec() until ready(dialog) says
    // what it reads is shown, grabs it as tour-dialog-NAME.png and cancels it.
    static void grabModal(
        const std::function<void()>& open, const QString& name, const std::function<void(QDialog*)>& ready = {});
    static QAction* actionNamed(MainWindow& window, const QString& text);
    static void waitForProcesses(MainWindow& window);
    static void grabTabs(MainWindow& window, const QString& name);
    // At the default size the Activity page fits without scrolling (its warnings a line each when several), the
    // warnings whole, the chart's time axis whole (−60 s … now, a label every 10 s) and in sight.
    static void checkActivityFits(MainWindow& window);
    // Entries with its first row selected and that entry in the detail pane.
    static void selectFirstEntry(MainWindow& window);
    QTemporaryDir m_dir;
};

void TestScreenTour::initTestCase()
{
    QCoreApplication::setOrganizationName(u"CacheScopeTests"_s);
    QCoreApplication::setApplicationName(u"tst_screentour"_s);
    QVERIFY(m_dir.isValid());
    qputenv("CACHESCOPE_CLI", QByteArrayLiteral(CACHESCOPE_CLI_PATH));
    qputenv("TMPDIR", QFile::encodeName(m_dir.path())); // the demo's files
    const auto made = runPythonFile(
        QStringLiteral(CACHESCOPE_SOURCE_DIR) + u"/tests/support/make_caches.py"_s, { m_dir.filePath(u"real"_s) });
    QVERIFY2(made.exitCode == 0, made.err.constData());
}

void TestScreenTour::waitForProcesses(MainWindow& window)
{
    bool listed = false;
    QObject guard;
    QObject::connect(
        window.activityPage()->feed(), &ActivityFeed::sampleReceived, &guard, [&listed](const ActivitySample& sample) {
            listed = listed || (sample.processes && !sample.processes->isEmpty());
        });
    QTRY_VERIFY_WITH_TIMEOUT(listed, 30000);
    // One more sample drawn: the list of processes is on screen, not just received.
    const qint64 shown = window.activityPage()->samplesShown();
    QTRY_VERIFY_WITH_TIMEOUT(window.activityPage()->samplesShown() > shown, 30000);
    settleEvents();
}

void TestScreenTour::grabTabs(MainWindow& window, const QString& name)
{
    for (int tab = 0; tab < window.pages()->count(); ++tab) {
        window.pages()->setCurrentIndex(tab);
        if (window.pages()->currentWidget() == window.entriesPage())
            selectFirstEntry(window);
        settleEvents();
        QVERIFY(
            window.grab().save(screenshotPath(u"tour-%1-%2.png"_s.arg(name, window.pages()->tabText(tab).toLower()))));
        if (window.pages()->currentWidget() == window.activityPage()) { // #28: its last line was cut
            // Under the page's scrolled part, so no number of warnings above pushes it out of sight
            // (CI: a line that wrapped once more ended 12 px below the viewport of the demo's page).
            QWidget* page = window.activityPage();
            auto* status = page->findChild<QLabel*>(u"feedStatus"_s);
            auto* scroll = page->findChild<QScrollArea*>(u"pageScroll"_s);
            QVERIFY(status && scroll);
            QVERIFY(!scroll->isAncestorOf(status));
            const int bottom = status->mapTo(page, QPoint(0, status->height())).y();
            QVERIFY2(status->height() >= status->heightForWidth(status->width()) && bottom <= page->height()
                    && status->isVisible() && !status->text().isEmpty(),
                qPrintable(u"'%1': %2 px of %3, ends at %4 of %5"_s.arg(status->text())
                               .arg(status->height())
                               .arg(status->heightForWidth(status->width()))
                               .arg(bottom)
                               .arg(page->height())));
        }
        if (window.pages()->currentWidget() == window.activityPage() && window.size() == MainWindow::DefaultSize)
            checkActivityFits(window);
        if (window.pages()->currentWidget() == window.overviewPage()) { // it opens at its top (Health)
            auto* scroll = window.overviewPage()->findChild<QScrollArea*>(u"overviewScroll"_s);
            QVERIFY(scroll);
            QCOMPARE(scroll->verticalScrollBar()->value(), 0);
        }
    }
}

void TestScreenTour::checkActivityFits(MainWindow& window)
{
    QWidget* page = window.activityPage();
    auto* scroll = page->findChild<QScrollArea*>(u"pageScroll"_s);
    auto* banner = page->findChild<QLabel*>(u"warningBanner"_s);
    auto* chart = page->findChild<ActivityChart*>();
    QVERIFY(scroll && banner && chart);
    settleEvents();
    // #28: with the demo's banner the page scrolled at the default size and the chart, 380 px wide, was compact
    // (−60 s, −30 s, now).
    QVERIFY2(scroll->verticalScrollBar()->maximum() == 0,
        qPrintable(u"the page scrolls by %1 px (%2 warnings)"_s.arg(scroll->verticalScrollBar()->maximum())
                       .arg(window.activityPage()->warningText().count(u"<b>"_s))));
    if (banner->isVisible())
        QVERIFY2(banner->height() >= banner->heightForWidth(banner->width()),
            qPrintable(u"banner %1 px high, its text %2"_s.arg(banner->height())
                           .arg(banner->heightForWidth(banner->width()))));
    const QStringList labels = chart->timeLabels();
    QVERIFY2(!chart->isCompact() && labels.size() == 7 && labels.first() == u"−60 s"_s && labels.last() == u"now"_s,
        qPrintable(u"chart %1 px wide: %2"_s.arg(chart->width()).arg(labels.join(u", "_s))));
    const QRect shown(chart->mapTo(scroll->viewport(), QPoint(0, 0)), chart->size());
    QVERIFY2(scroll->viewport()->rect().contains(shown),
        qPrintable(u"chart at %1,%2 %3×%4 in a %5×%6 view"_s.arg(shown.x())
                       .arg(shown.y())
                       .arg(shown.width())
                       .arg(shown.height())
                       .arg(scroll->viewport()->width())
                       .arg(scroll->viewport()->height())));
}

// #28: several warnings at once on the Activity page, from real processes: a reader whose snapshot pins the -wal
// behind 1,200 commits (checkpoint_starved) and a writer holding the write lock (write_lock_contention), with this
// SQLite's WAL-reset bug where it applies. At the default size they read a line each, whole (their text on hover),
// the page does not scroll and the chart keeps its whole axis; asked for, they are shown whole and the page scrolls.
void TestScreenTour::activityWithSeveralWarnings()
{
    LiveCache live;
    QVERIFY(live.create());
    QVERIFY(live.start(WriterScripts::holdOpen, { live.db() }));
    exec(live.db(), u"INSERT INTO entries(key) VALUES('x')"_s);
    QVERIFY(live.start(WriterScripts::holdReadTransaction, { live.db() }));
    QVERIFY(live.start(WriterScripts::writeCommits, { live.db(), u"1200"_s, u"1"_s, u"50"_s, u"none"_s, u"100"_s }));
    QVERIFY(live.start(WriterScripts::holdWriteLock, { live.db() }));
    MainWindow window;
    QCOMPARE(window.size(), MainWindow::DefaultSize);
    QVERIFY(showAndOpen(window, live.db(), Database::Mode::ReadOnly, MainWindow::Remember::No));
    window.pages()->setCurrentWidget(window.activityPage());
    ActivityPage* page = window.activityPage();
    const QString starved = WarningCatalog::title(WarningCode::CheckpointStarved);
    const QString contention = WarningCatalog::title(WarningCode::WriteLockContention);
    QTRY_VERIFY2_WITH_TIMEOUT(page->warningText().contains(starved) && page->warningText().contains(contention),
        qPrintable(page->warningText()), 30000);
    waitForProcesses(window);
    auto* banner = page->findChild<QLabel*>(u"warningBanner"_s);
    QVERIFY(banner->text().contains(starved) && banner->text().contains(contention));
    QVERIFY2(!banner->text().contains(u"frame"_s), qPrintable(banner->text())); // titles, not the whole account
    QVERIFY(banner->toolTip().contains(u"newer frames cannot be copied"_s));
    checkActivityFits(window);
    QVERIFY(window.grab().save(screenshotPath(u"tour-activity-several-warnings.png"_s)));
    Q_EMIT banner->linkActivated(u"more"_s); // "Show what each means and how to fix it"
    settleEvents();
    QVERIFY(banner->text().contains(u"newer frames cannot be copied"_s));
    QVERIFY2(banner->height() >= banner->heightForWidth(banner->width()),
        qPrintable(u"%1 < %2"_s.arg(banner->height()).arg(banner->heightForWidth(banner->width()))));
    QVERIFY(window.grab().save(screenshotPath(u"tour-activity-several-warnings-whole.png"_s)));
    Q_EMIT banner->linkActivated(u"less"_s);
    settleEvents();
    checkActivityFits(window);
    window.resize(1920, 1050);
    QTRY_COMPARE(window.size(), QSize(1920, 1050));
    settleEvents();
    QVERIFY(window.grab().save(screenshotPath(u"tour-activity-several-warnings-maximised.png"_s)));
}

void TestScreenTour::selectFirstEntry(MainWindow& window)
{
    EntriesPage* page = window.entriesPage();
    const EntryTableModel* model = page->tableModel();
    QTRY_VERIFY_WITH_TIMEOUT(model && model->rowCount() > 0 && model->rowAt(0), 20000);
    auto* rows = page->findChild<QTableView*>(u"rowsView"_s);
    if (rows->currentIndex().row() != 0)
        rows->selectRow(0);
    QVERIFY(!shownDetail(page).isEmpty());
}

void TestScreenTour::activityShowsProcessesAtDefaultSize()
{
    const QString db = m_dir.filePath(u"held.db"_s);
    makeCache(db, u"wal"_s, 50);
    PythonChild holder(QString::fromLatin1(WriterScripts::holdOpen), { db });
    QVERIFY(holder.waitReady());
    MainWindow window;
    QCOMPARE(window.size(), MainWindow::DefaultSize); // as it opens: grabbed at the size users see
    QVERIFY(showAndOpen(window, db, Database::Mode::ReadOnly, MainWindow::Remember::No));
    window.pages()->setCurrentWidget(window.activityPage());
    waitForProcesses(window);
    QVERIFY(window.grab().save(screenshotPath(u"tour-activity-default.png"_s)));
    auto* scroll = window.activityPage()->findChild<QScrollArea*>(u"pageScroll"_s);
    auto* processes = window.activityPage()->findChild<QTableView*>(u"processView"_s);
    QVERIFY(scroll && processes);
    QCOMPARE(scroll->verticalScrollBar()->maximum(), 0); // the page fits: nothing to scroll
    // The header and at least four rows in sight, inside the page's viewport (the lanes beside the chart, not above the
    // tables).
    const QPoint top = processes->mapTo(scroll->viewport(), QPoint(0, 0));
    const int needed = processes->horizontalHeader()->height() + 4 * processes->verticalHeader()->defaultSectionSize();
    QVERIFY2(processes->height() >= needed, qPrintable(u"%1 < %2"_s.arg(processes->height()).arg(needed)));
    QVERIFY2(top.y() >= 0 && top.y() + needed <= scroll->viewport()->height(),
        qPrintable(u"table at y %1, %2 px needed, viewport %3 px"_s.arg(top.y()).arg(needed).arg(
            scroll->viewport()->height())));
    QVERIFY(processes->model()->rowCount() >= 1);
    window.resize(1920, 1050);
    QTRY_COMPARE(window.size(), QSize(1920, 1050));
    settleEvents();
    QVERIFY(window.grab().save(screenshotPath(u"tour-activity-maximised.png"_s)));
}

void TestScreenTour::everyPageAtBothSizes_data()
{
    QTest::addColumn<QString>("cache");
    QTest::newRow("diskcache") << u"real/diskcache"_s;
    QTest::newRow("requests-cache") << u"real/http_cache.sqlite"_s;
    QTest::newRow("sqlitedict") << u"real/dict.sqlite"_s;
    QTest::newRow("demo") << QString();
}

void TestScreenTour::everyPageAtBothSizes()
{
    QFETCH(QString, cache);
    MainWindow window;
    QCOMPARE(window.size(), MainWindow::DefaultSize); // as it opens: grabbed at the size users see
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    if (cache.isEmpty()) {
        QSignalSpy opened(&window, &MainWindow::openFinished);
        DemoSession::Options options;
        options.cliPath = QStringLiteral(CACHESCOPE_CLI_PATH);
        const Status started = window.startDemo(options);
        QVERIFY2(started.ok(), qPrintable(started.error().message));
        QVERIFY(opened.wait(60000));
    } else {
        QVERIFY(openAndWait(window, m_dir.filePath(cache), Database::Mode::ReadOnly, MainWindow::Remember::No));
    }
    QVERIFY(window.database());
    window.pages()->setCurrentWidget(window.activityPage());
    waitForProcesses(window);
    if (cache.isEmpty() && window.overviewPage()->contentsText().contains(u": 0 entries"_s)) {
        // #28: the count at open, beside writers that wrote since, says it is being taken again.
        window.pages()->setCurrentWidget(window.overviewPage());
        QTRY_VERIFY2_WITH_TIMEOUT(window.overviewPage()->cacheTitle().contains(u"counting again"_s)
                || !window.overviewPage()->contentsText().contains(u": 0 entries"_s),
            qPrintable(window.overviewPage()->cacheTitle()), 20000);
        if (window.overviewPage()->cacheTitle().contains(u"counting again"_s)) // no count of before the writes
            QVERIFY2(!window.overviewPage()->cacheText().contains(u" — 0 entries"_s),
                qPrintable(window.overviewPage()->cacheText()));
        QVERIFY(window.grab().save(screenshotPath(u"tour-demo-overview-counting.png"_s)));
        window.pages()->setCurrentWidget(window.activityPage());
    }
    if (cache.isEmpty()) // the demo's writers started after the count at open: the Overview counts again
        QTRY_VERIFY2_WITH_TIMEOUT(!window.overviewPage()->contentsText().contains(u": 0 entries"_s),
            qPrintable(window.overviewPage()->contentsText()), 20000);
    const QString name = QString::fromLatin1(QTest::currentDataTag());
    grabTabs(window, name + u"-default"_s);
    window.resize(1920, 1050);
    grabTabs(window, name + u"-maximised"_s);
    window.stopDemo();
}

// Every maintenance dialog over a real diskcache opened read-write at the default window size,
// once what it reads on opening is shown: the modeless ones (checkpoint, vacuum, prune) beside
// the window, the modal ones (delete, scan) grabbed from inside their exec() and cancelled.
void TestScreenTour::everyDialogAtDefaultSize()
{
    const QString copy = m_dir.filePath(u"dialogs"_s);
    QCOMPARE(runProgram(u"/bin/cp"_s, { u"-a"_s, m_dir.filePath(u"real/diskcache"_s), copy }).exitCode, 0);
    MainWindow window;
    QCOMPARE(window.size(), MainWindow::DefaultSize); // as it opens: grabbed at the size users see
    QVERIFY(showAndOpen(window, copy, Database::Mode::ReadWrite, MainWindow::Remember::No));
    for (const QString& name : { u"checkpoint"_s, u"vacuum"_s, u"prune"_s }) {
        const QList<QDialog*> before = window.findChildren<QDialog*>();
        auto* action = window.findChild<QAction*>(name + u"Action"_s);
        QVERIFY2(action, qPrintable(name));
        action->setEnabled(true);
        action->trigger();
        QDialog* dialog = nullptr;
        QTRY_VERIFY((dialog = [&]() -> QDialog* {
            for (QDialog* d : window.findChildren<QDialog*>())
                if (!before.contains(d) && d->isVisible())
                    return d;
            return nullptr;
        }()));
        QVERIFY(QTest::qWaitForWindowExposed(dialog));
        // What it reads on opening (warnings, free pages) shown; Prune reads nothing until Preview.
        if (auto* checkpoint = qobject_cast<CheckpointDialog*>(dialog))
            QTRY_VERIFY_WITH_TIMEOUT(checkpoint->hasCheckedBefore(), 20000);
        if (auto* vacuum = qobject_cast<VacuumDialog*>(dialog))
            QTRY_VERIFY_WITH_TIMEOUT(vacuum->hasCheckedBefore(), 20000);
        settleEvents();
        QVERIFY(dialog->grab().save(screenshotPath(u"tour-dialog-%1.png"_s.arg(name))));
        dialog->close();
    }
    for (const QString& name : { u"delete"_s, u"scan"_s }) {
        // The files it lists with their sizes (its first check), or the folder's scan.
        grabModal([&window, name] { window.findChild<QAction*>(name + u"Action"_s)->trigger(); }, name,
            [](QDialog* dialog) {
                if (auto* remove = qobject_cast<DeleteDialog*>(dialog))
                    (void)QTest::qWaitFor([remove] { return remove->checksDone() > 0; }, 20000);
                if (auto* scan = qobject_cast<ScanDialog*>(dialog)) {
                    scan->startScan();
                    (void)QTest::qWaitFor([scan] { return !scan->isScanning(); }, 20000);
                }
            });
    }
    QVERIFY(window.database()); // every dialog cancelled: the cache is still open
}

void TestScreenTour::grabModal(
    const std::function<void()>& open, const QString& name, const std::function<void(QDialog*)>& ready)
{
    bool grabbed = false;
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &poll, [&] {
        auto* dialog = qobject_cast<QDialog*>(QApplication::activeModalWidget());
        if (!dialog || grabbed)
            return;
        grabbed = true;
        if (ready)
            ready(dialog);
        settleEvents();
        (void)dialog->grab().save(screenshotPath(u"tour-dialog-%1.png"_s.arg(name)));
        dialog->reject();
    });
    poll.start(50);
    open();
    QTRY_VERIFY(grabbed);
}

QAction* TestScreenTour::actionNamed(MainWindow& window, const QString& text)
{
    for (QAction* action : window.findChildren<QAction*>())
        if (action->text() == text)
            return action;
    return nullptr;
}

// The rest a new user meets: the welcome page (both sizes), Help's shortcuts and About, Export's
// file dialog (its types say the format), and Switch to WAL on a DELETE-mode sqlitedict opened read-only.
void TestScreenTour::welcomeHelpExportAndSwitchToWal()
{
    MainWindow window;
    QCOMPARE(window.size(), MainWindow::DefaultSize); // as it opens: grabbed at the size users see
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    settleEvents();
    QVERIFY(window.grab().save(screenshotPath(u"tour-welcome-default.png"_s)));
    window.resize(1920, 1050);
    QTRY_COMPARE(window.size(), QSize(1920, 1050));
    settleEvents();
    QVERIFY(window.grab().save(screenshotPath(u"tour-welcome-maximised.png"_s)));
    window.resize(MainWindow::DefaultSize);

    QAction* shortcuts = actionNamed(window, u"&Keyboard Shortcuts"_s);
    QVERIFY(shortcuts);
    shortcuts->trigger();
    DocumentDialog* document = nullptr;
    QTRY_VERIFY((document = window.findChild<DocumentDialog*>()) != nullptr);
    QVERIFY(QTest::qWaitForWindowExposed(document));
    settleEvents();
    QVERIFY(document->grab().save(screenshotPath(u"tour-dialog-shortcuts.png"_s)));
    document->close();
    QAction* about = actionNamed(window, u"&About CacheScope"_s);
    QVERIFY(about);
    grabModal([about] { about->trigger(); }, u"about"_s);

    const QString copy = m_dir.filePath(u"dict-copy.sqlite"_s);
    QVERIFY(QFile::copy(m_dir.filePath(u"real/dict.sqlite"_s), copy));
    QVERIFY(openAndWait(window, copy, Database::Mode::ReadOnly, MainWindow::Remember::No));
    QCOMPARE(window.database()->journalMode(), u"delete"_s);
    auto* toWal = window.findChild<QAction*>(u"switchToWalAction"_s);
    QVERIFY(toWal && toWal->isEnabled());
    grabModal([toWal] { toWal->trigger(); }, u"switch-to-wal"_s);
    QCOMPARE(window.database()->journalMode(), u"delete"_s); // cancelled: nothing switched

    window.pages()->setCurrentWidget(window.entriesPage());
    selectFirstEntry(window);
    auto* exportButton = window.entriesPage()->findChild<QPushButton*>(u"exportButton"_s);
    QVERIFY(exportButton && exportButton->menu());
    QAction* exportAll = exportButton->menu()->actions().value(2);
    QVERIFY(exportAll);
    grabModal([exportAll] { exportAll->trigger(); }, u"export"_s);
}

QTEST_MAIN(TestScreenTour)
#include "tst_screentour.moc"
