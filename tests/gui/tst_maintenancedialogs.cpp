// SPDX-License-Identifier: GPL-3.0-or-later
// The maintenance dialogs offscreen, against real files and real holder processes.
#include "common/format.h"
#include "dialogs/checkpointdialog.h"
#include "dialogs/deletedialog.h"
#include "dialogs/scandialog.h"
#include "dialogs/vacuumdialog.h"
#include "openedwindow.h"
#include "os/processtable.h"
#include "pages/entriespage.h"
#include "scratchdir.h"
#include "testsupport.h"
#include "window/maintenancemenu.h"
#include "window/mainwindow.h"

#include <QApplication>
#include <QCheckBox>
#include <QDir>
#include <QHeaderView>
#include <QMenuBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QTreeWidget>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

class TestMaintenanceDialogs : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(u"CacheScopeTests"_s);
        // The delete dialog moves to the trash by default: a trash of the test's own.
        QVERIFY(m_dataHome.isValid());
        qputenv("XDG_DATA_HOME", QFile::encodeName(m_dataHome.path()));
    }
    void init()
    {
        QVERIFY(m_dir.renew());
        m_db = m_dir.filePath(u"cache.db"_s);
        makeCache(m_db, u"wal"_s, 200);
    }
    void deleteButtonDisabledWhileHolderExists();
    void holdersCommandLineCutInItsMiddle();
    void checkpointDialogSaysWritersStall();
    void vacuumDialogCompacts();
    void scanDialogListsDatabasesAndOrphans();
    void scanDialogNamesAFanoutCacheOnce();
    void deleteFromMainWindowClosesOwnConnectionFirst();
    void deleteDialogCountsDiskcacheValueFiles();
    void vacuumSaysNothingToReclaimBeforeRunning();
    void vacuumNamesTheWalACheckpointGivesBack();
    void checkpointAndVacuumAreModeless();
    void enterInDeleteDialogDeletesNothing();
    void cancelLeavesCacheOpenWithItsSelection();
    void deletePermanentlyWhenTrashUnchecked();

private:
    int trashedFiles() const { return int(QDir(m_dataHome.filePath(u"Trash/files"_s)).entryList(QDir::Files).size()); }
    QTemporaryDir m_dataHome;
    ScratchDir m_dir;
    QString m_db;
};

void TestMaintenanceDialogs::deleteButtonDisabledWhileHolderExists()
{
    writeLeavingWal(m_db, 20);
    PythonChild holder(holderScript(), { m_db, u"idle"_s });
    QVERIFY(holder.waitReady());
    DeleteDialog dialog(m_db);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QTRY_VERIFY_WITH_TIMEOUT(dialog.checksDone() >= 1, 20000);
    QTRY_COMPARE_WITH_TIMEOUT(dialog.holderCount(), 1, 20000);
    QVERIFY(!dialog.deleteButton()->isEnabled());
    QCOMPARE(dialog.fileCount(), 3);
    QVERIFY2(dialog.statusText().contains(u"Blocked"_s), qPrintable(dialog.statusText()));
    // #28: which process blocks, in words; no demo runs, so no word of its writers.
    const QString named = u"1 other process has the files open or locked: PID %1 (%2)."_s.arg(
        QString::number(holder.pid()), ProcessTable::processName(holder.pid()));
    QVERIFY2(dialog.blockedText().startsWith(named), qPrintable(dialog.blockedText()));
    QVERIFY2(!dialog.blockedText().contains(u"demo"_s), qPrintable(dialog.blockedText()));
    QVERIFY(dialog.grab().save(screenshotPath(u"delete-dialog-blocked.png"_s)));
    holder.stop();
    QTRY_VERIFY_WITH_TIMEOUT(dialog.deleteButton()->isEnabled(), 20000);
    QCOMPARE(dialog.holderCount(), 0);
    QVERIFY(dialog.grab().save(screenshotPath(u"delete-dialog-ready.png"_s)));
    dialog.deleteButton()->click();
    QTRY_COMPARE_WITH_TIMEOUT(dialog.result(), int(QDialog::Accepted), 20000);
    QVERIFY(dialog.deleted().contains(m_db)); // the holder's close may have removed -wal/-shm already
    QVERIFY(dialog.movesToTrash()); // on by default: the test's trash is usable
    QVERIFY(exists(m_dataHome.filePath(u"Trash/files/cache.db"_s)));
    QVERIFY(!exists(m_db));
    QVERIFY(!exists(m_db + u"-wal"_s));
    QVERIFY(!exists(m_db + u"-shm"_s));
}

// #28: a holder's long command line (the demo's simulate writers, a python -c script) was cut at its end and pushed the
// files column out of sight: it is cut in its middle as the Activity tab's processes are, every column in sight, the
// whole line on hover.
void TestMaintenanceDialogs::holdersCommandLineCutInItsMiddle()
{
    writeLeavingWal(m_db, 20);
    const QString end = u"--the-end-of-a-long-command-line"_s;
    PythonChild holder(holderScript(), { m_db, u"idle"_s, u"--padding=%1"_s.arg(QString(200, u'x')), end });
    QVERIFY(holder.waitReady());
    DeleteDialog dialog(m_db);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QTRY_COMPARE_WITH_TIMEOUT(dialog.holderCount(), 1, 20000);
    settleEvents();
    auto* holders = dialog.findChild<QTreeWidget*>(u"holdersTree"_s);
    QVERIFY(holders);
    const int column = DeleteDialog::HolderCommandColumn;
    const QTreeWidgetItem* item = holders->topLevelItem(0);
    const QString line = item->text(column);
    QVERIFY2(line.startsWith(u"python3 -u -c "_s) && line.endsWith(end), qPrintable(line)); // one line, whole
    QVERIFY2(
        item->toolTip(column).endsWith(end) && item->toolTip(column).contains(m_db), qPrintable(item->toolTip(column)));
    QCOMPARE(holders->textElideMode(), Qt::ElideMiddle);
    const QHeaderView* header = holders->header();
    QVERIFY2(header->length() <= holders->viewport()->width(),
        qPrintable(u"columns %1 px wide in a view of %2 px"_s.arg(header->length()).arg(holders->viewport()->width())));
    // The line is longer than its column: the view draws its start and its end.
    QVERIFY(holders->fontMetrics().horizontalAdvance(line) > header->sectionSize(column));
    QVERIFY(header->sectionSize(column + 1) >= holders->fontMetrics().horizontalAdvance(item->text(column + 1)));
    QVERIFY(dialog.grab().save(screenshotPath(u"delete-dialog-long-command.png"_s)));
}

void TestMaintenanceDialogs::checkpointDialogSaysWritersStall()
{
    writeLeavingWal(m_db, 100);
    PythonChild idle(holderScript(), { m_db, u"idle"_s });
    QVERIFY(idle.waitReady());
    CheckpointDialog dialog(m_db);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    dialog.setMode(Checkpoint::Mode::Passive);
    QVERIFY(!dialog.modeHelpText().contains(u"stall"_s));
    for (auto mode : { Checkpoint::Mode::Full, Checkpoint::Mode::Restart, Checkpoint::Mode::Truncate }) {
        dialog.setMode(mode);
        QVERIFY2(dialog.modeHelpText().contains(u"writers stall"_s), qPrintable(dialog.modeHelpText()));
        // #28: a duration over a second in seconds ("5000 ms" before).
        QVERIFY2(dialog.modeHelpText().contains(u"for at most 5 s."_s), qPrintable(dialog.modeHelpText()));
    }
    dialog.start();
    QTRY_VERIFY_WITH_TIMEOUT(!dialog.isRunning(), 30000);
    QVERIFY2(dialog.resultText().startsWith(u"The TRUNCATE checkpoint is complete: the -wal went from "_s),
        qPrintable(dialog.resultText()));
    QVERIFY2(dialog.resultText().contains(u" to 0 B: "_s), qPrintable(dialog.resultText()));
    QCOMPARE(QFileInfo(m_db + u"-wal"_s).size(), 0);
    QVERIFY(dialog.grab().save(screenshotPath(u"checkpoint-dialog.png"_s)));
}

void TestMaintenanceDialogs::vacuumDialogCompacts()
{
    exec(m_db, u"UPDATE entries SET value = printf('%.3000c', 'v'); DELETE FROM entries WHERE id > 20"_s);
    const qint64 before = QFileInfo(m_db).size();
    VacuumDialog dialog(m_db);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    // Said before it runs: what it would give back.
    QTRY_VERIFY2_WITH_TIMEOUT(dialog.introText().contains(u"pages are free: vacuuming would give back about"_s),
        qPrintable(dialog.introText()), 20000);
    dialog.start();
    QTRY_VERIFY_WITH_TIMEOUT(!dialog.isRunning(), 30000);
    QVERIFY2(dialog.resultText().startsWith(u"The vacuum is complete: the database and its -wal took "_s),
        qPrintable(dialog.resultText()));
    QVERIFY(QFileInfo(m_db).size() < before);
    QCOMPARE(queryInt(m_db, u"SELECT count(*) FROM entries"_s), 20);
    QVERIFY(dialog.grab().save(screenshotPath(u"vacuum-dialog.png"_s)));
}

void TestMaintenanceDialogs::scanDialogListsDatabasesAndOrphans()
{
    QVERIFY(QDir().mkpath(m_dir.filePath(u"deep/er"_s)));
    makeCache(m_dir.filePath(u"deep/er/other.sqlite"_s), u"delete"_s, 1);
    QVERIFY(QFile(m_dir.filePath(u"deep/gone.db-wal"_s)).open(QIODevice::WriteOnly));
    ScanDialog dialog;
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    dialog.setDirectory(m_dir.path());
    dialog.startScan();
    QTRY_VERIFY_WITH_TIMEOUT(!dialog.isScanning(), 30000);
    QCOMPARE(dialog.databaseCount(), 2);
    QCOMPARE(dialog.orphanCount(), 1);
    QVERIFY2(dialog.statusText().startsWith(u"2 databases, 1 orphaned sidecar. "_s), qPrintable(dialog.statusText()));
    // At its default size every column but the path (which takes the rest) as wide as its contents.
    auto* tree = dialog.findChild<QTreeWidget*>();
    QVERIFY(tree);
    for (int column = 1; column < tree->columnCount(); ++column)
        QVERIFY2(
            tree->header()->sectionSize(column) >= static_cast<QAbstractItemView*>(tree)->sizeHintForColumn(column),
            qPrintable(u"column %1: %2 < %3"_s.arg(column)
                           .arg(tree->header()->sectionSize(column))
                           .arg(static_cast<QAbstractItemView*>(tree)->sizeHintForColumn(column))));
    QVERIFY2(tree->header()->length() <= tree->viewport()->width(), // all in sight, no sideways scrolling
        qPrintable(u"%1 > %2"_s.arg(tree->header()->length()).arg(tree->viewport()->width())));
    QVERIFY(dialog.grab().save(screenshotPath(u"scan-dialog.png"_s)));
}

void TestMaintenanceDialogs::scanDialogNamesAFanoutCacheOnce()
{
    const QString folder = m_dir.filePath(u"fan"_s);
    const auto made = runPythonScript(u"import diskcache, sys\n"
                                      "c = diskcache.FanoutCache(sys.argv[1], shards=3)\n"
                                      "c['a'] = 1\n"
                                      "c.index('sessions')['s'] = 2\n"
                                      "c.close()\n"_s,
        { folder });
    QVERIFY2(made.exitCode == 0, made.err.constData());
    ScanDialog dialog;
    dialog.resize(1000, 500);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    dialog.setDirectory(m_dir.path());
    dialog.startScan();
    QTRY_VERIFY_WITH_TIMEOUT(!dialog.isScanning(), 30000);
    auto* tree = dialog.findChild<QTreeWidget*>();
    QVERIFY(tree);
    const auto found = tree->findItems(u"FanoutCache folders (1)"_s, Qt::MatchExactly);
    QCOMPARE(found.size(), 1);
    QTreeWidgetItem* fanout = found.first()->child(0);
    QVERIFY2(fanout->text(0).startsWith(folder + u" — FanoutCache: 3 shards, sub-caches index/sessions, "_s),
        qPrintable(fanout->text(0)));
    QVERIFY2(dialog.statusText().contains(u"4 of them form 1 FanoutCache"_s), qPrintable(dialog.statusText()));
    QVERIFY(dialog.grab().save(screenshotPath(u"scan-dialog-fanout.png"_s)));
    QSignalSpy open(&dialog, &ScanDialog::openRequested);
    QVERIFY(dialog.openResult(fanout));
    QCOMPARE(open.size(), 1);
    QCOMPARE(open.first().first().toString(), folder); // the whole cache, not one shard
}

void TestMaintenanceDialogs::deleteFromMainWindowClosesOwnConnectionFirst()
{
    MainWindow window;
    QVERIFY(showAndOpen(window, m_db, Database::Mode::ReadWrite));
    QVERIFY(exists(m_db + u"-shm"_s)); // our own connection's sidecars
    auto* menu = window.menuBar()->findChild<QMenu*>();
    QVERIFY(menu);
    auto* maintenance = window.findChild<MaintenanceMenu*>();
    QVERIFY(maintenance);
    bool sawDialog = false;
    bool closedFirst = false;
    // The dialog is modal: drive it from inside its event loop.
    QTimer::singleShot(0, this, [&] {
        auto* dialog = qobject_cast<DeleteDialog*>(QApplication::activeModalWidget());
        sawDialog = dialog != nullptr;
        if (!dialog)
            return;
        // Checked as the window has released the cache, after the menu's own handler (closing
        // does not wait for the reads still running; the menu waits for the pool) and before
        // the delete looks for holders.
        connect(dialog, &DeleteDialog::releaseRequested, this,
            [&] { closedFirst = window.database() == nullptr && !Database::isOpenInProcess(m_db); });
        QTRY_VERIFY_WITH_TIMEOUT(dialog->deleteButton()->isEnabled(), 20000);
        dialog->deleteButton()->click();
    });
    maintenance->deleteCache();
    QVERIFY(sawDialog);
    QVERIFY(closedFirst);
    QVERIFY(!exists(m_db));
    QVERIFY(!exists(m_db + u"-wal"_s));
    QVERIFY(!exists(m_db + u"-shm"_s));
    QVERIFY(window.database() == nullptr);
}

void TestMaintenanceDialogs::deleteDialogCountsDiskcacheValueFiles()
{
    const QString folder = m_dir.filePath(u"dc"_s);
    const auto made = runPythonScript(u"import diskcache, os, sys\nc = diskcache.Cache(sys.argv[1])\n"
                                      "for i in range(7): c['big%d' % i] = os.urandom(40000)\nc.close()\n"_s,
        { folder });
    QVERIFY2(made.exitCode == 0, made.err.constData());
    DeleteDialog dialog(folder);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QTRY_VERIFY_WITH_TIMEOUT(dialog.deleteButton()->isEnabled(), 20000);
    QCOMPARE(dialog.fileCount(), 2); // cache.db and one row for the value files, listed below it
    auto* files = dialog.findChild<QTreeWidget*>(u"filesTree"_s);
    QVERIFY(files);
    QTreeWidgetItem* values = files->topLevelItem(1); // after the database
    QCOMPARE(values->text(0), u"7 value files the cache references"_s);
    QCOMPARE(values->childCount(), 7);
    QVERIFY2(values->child(0)->text(0).endsWith(u".val"_s), qPrintable(values->child(0)->text(0)));
    QVERIFY2(dialog.totalsText().startsWith(u"Will move the database ("_s), qPrintable(dialog.totalsText()));
    QVERIFY2(dialog.totalsText().contains(u" and 7 value files ("_s), qPrintable(dialog.totalsText()));
    files->expandAll();
    QVERIFY(dialog.grab().save(screenshotPath(u"delete-dialog-diskcache.png"_s)));
    dialog.deleteButton()->click();
    QTRY_COMPARE_WITH_TIMEOUT(dialog.result(), int(QDialog::Accepted), 20000);
    QCOMPARE(dialog.deleted().size(), 8);
    QVERIFY(QDir(folder).isEmpty());
}

// Issue #28: Enter in the delete dialog must never delete, whichever button has the focus, and
// the cache stays open (never released) while the dialog is up.
void TestMaintenanceDialogs::enterInDeleteDialogDeletesNothing()
{
    MainWindow window;
    QVERIFY(showAndOpen(window, m_db, Database::Mode::ReadWrite));
    const Database* open = window.database();
    auto* maintenance = window.findChild<MaintenanceMenu*>();
    QVERIFY(maintenance);
    QSignalSpy released(maintenance, &MaintenanceMenu::releaseDatabaseRequested);
    const int trashedBefore = trashedFiles();
    for (const bool focusOnDelete : { true, false }) {
        for (const auto key : { Qt::Key_Return, Qt::Key_Enter }) {
            bool sawDialog = false;
            bool planWhileOpen = false;
            QTimer::singleShot(0, this, [&] {
                auto* dialog = qobject_cast<DeleteDialog*>(QApplication::activeModalWidget());
                sawDialog = dialog != nullptr;
                if (!dialog)
                    return;
                QTRY_VERIFY_WITH_TIMEOUT(dialog->deleteButton()->isEnabled(), 20000);
                planWhileOpen = window.database() == open && dialog->fileCount() == 3; // db, -wal, -shm
                QVERIFY(!dialog->deleteButton()->isDefault());
                QVERIFY(dialog->cancelButton()->isDefault());
                QWidget* target = dialog;
                if (focusOnDelete) {
                    dialog->deleteButton()->setFocus();
                    target = dialog->deleteButton();
                }
                QTest::keyClick(target, key);
                QTRY_VERIFY_WITH_TIMEOUT(!dialog->isVisible(), 5000);
                QCOMPARE(dialog->result(), int(QDialog::Rejected));
            });
            maintenance->deleteCache();
            QVERIFY(sawDialog);
            QVERIFY(planWhileOpen);
            QVERIFY(exists(m_db));
            QVERIFY(exists(m_db + u"-wal"_s));
            QCOMPARE(window.database(), open); // never closed
        }
    }
    QCOMPARE(released.count(), 0);
    QCOMPARE(window.database()->rowCount(u"entries"_s).value(), 200);
    QCOMPARE(trashedFiles(), trashedBefore);
}

// Issue #28: Cancel leaves everything as it was — the same cache open (never closed), the same
// tab, table and selected row.
void TestMaintenanceDialogs::cancelLeavesCacheOpenWithItsSelection()
{
    MainWindow window;
    window.resize(1000, 708);
    QVERIFY(showAndOpen(window, m_db, Database::Mode::ReadWrite));
    const Database* open = window.database();
    window.pages()->setCurrentWidget(window.entriesPage());
    auto* view = window.entriesPage()->findChild<QTableView*>(u"rowsView"_s);
    QVERIFY(view);
    QTRY_VERIFY_WITH_TIMEOUT(view->model() && view->model()->rowCount() >= 20, 20000);
    const QModelIndex cell = view->model()->index(7, 0);
    QTRY_VERIFY_WITH_TIMEOUT(view->model()->data(cell).toString() != u"…"_s, 20000); // its page is read
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->visualRect(cell).center());
    QCOMPARE(view->currentIndex().row(), 7);
    const QString table = window.entriesPage()->currentTable();
    const QVariant key = view->model()->data(cell);
    auto* maintenance = window.findChild<MaintenanceMenu*>();
    QSignalSpy released(maintenance, &MaintenanceMenu::releaseDatabaseRequested);
    QSignalSpy reopened(maintenance, &MaintenanceMenu::reopenDatabaseRequested);
    bool sawDialog = false;
    bool openDuringDialog = false;
    QTimer::singleShot(0, this, [&] {
        auto* dialog = qobject_cast<DeleteDialog*>(QApplication::activeModalWidget());
        sawDialog = dialog != nullptr;
        if (!dialog)
            return;
        QTRY_VERIFY_WITH_TIMEOUT(dialog->deleteButton()->isEnabled(), 20000);
        openDuringDialog = window.database() == open && window.pages()->currentWidget() == window.entriesPage();
        dialog->resize(1000, 708);
        QVERIFY(dialog->grab().save(screenshotPath(u"delete-dialog-over-open-cache.png"_s)));
        QTest::mouseClick(dialog->cancelButton(), Qt::LeftButton);
    });
    maintenance->deleteCache();
    QVERIFY(sawDialog);
    QVERIFY(openDuringDialog);
    QCOMPARE(released.count(), 0);
    QCOMPARE(reopened.count(), 0);
    QCOMPARE(window.database(), open);
    QCOMPARE(window.pages()->currentWidget(), window.entriesPage());
    QCOMPARE(window.entriesPage()->currentTable(), table);
    QCOMPARE(view->currentIndex().row(), 7);
    QCOMPARE(view->model()->data(view->model()->index(7, 0)), key);
    QVERIFY(exists(m_db));
}

// Unticking "Move to the trash" deletes for good, and only then is the cache released.
void TestMaintenanceDialogs::deletePermanentlyWhenTrashUnchecked()
{
    const int trashedBefore = trashedFiles();
    DeleteDialog dialog(m_db);
    QSignalSpy released(&dialog, &DeleteDialog::releaseRequested);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QTRY_VERIFY_WITH_TIMEOUT(dialog.deleteButton()->isEnabled(), 20000);
    auto* trash = dialog.findChild<QCheckBox*>(u"trashCheck"_s);
    QVERIFY(trash->isChecked());
    QCOMPARE(dialog.deleteButton()->text(), u"Move to Trash"_s);
    QTest::mouseClick(trash, Qt::LeftButton, {}, QPoint(4, trash->height() / 2));
    QVERIFY(!trash->isChecked());
    QCOMPARE(dialog.deleteButton()->text(), u"Delete Permanently"_s);
    QCOMPARE(released.count(), 0);
    QTest::mouseClick(dialog.deleteButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(dialog.result(), int(QDialog::Accepted), 20000);
    QCOMPARE(released.count(), 1);
    QVERIFY(!exists(m_db));
    QCOMPARE(trashedFiles(), trashedBefore);
}

void TestMaintenanceDialogs::vacuumSaysNothingToReclaimBeforeRunning()
{
    QVERIFY(QFileInfo(m_db + u"-wal"_s).size() == 0); // a fresh cache at rest: no free page, no -wal
    VacuumDialog dialog(m_db);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QTRY_VERIFY2_WITH_TIMEOUT(dialog.introText().contains(u"<b>Nothing to reclaim:</b> none of its "_s),
        qPrintable(dialog.introText()), 20000);
    QVERIFY(!dialog.isRunning());
    QVERIFY(dialog.grab().save(screenshotPath(u"vacuum-dialog-nothing-to-reclaim.png"_s)));
    const qint64 before = QFileInfo(m_db).lastModified().toMSecsSinceEpoch();
    QTest::keyClick(&dialog, Qt::Key_Return); // Close, not Start
    QVERIFY(!dialog.isRunning());
    QVERIFY(!dialog.isVisible());
    QCOMPARE(QFileInfo(m_db).lastModified().toMSecsSinceEpoch(), before);
}

// Issue #28: a -wal kept by a live connection is named with the checkpoint that gives it back; no
// "nothing to reclaim" while a vacuum would in fact shrink the files by the -wal's size.
void TestMaintenanceDialogs::vacuumNamesTheWalACheckpointGivesBack()
{
    writeLeavingWal(m_db, 2000); // a writer that left its frames; no free page in the database
    PythonChild holder(holderScript(), { m_db, u"idle"_s }); // a live connection keeps the -wal
    QVERIFY(holder.waitReady());
    const qint64 walBytes = QFileInfo(m_db + u"-wal"_s).size();
    QVERIFY2(walBytes > 256 * 1024, qPrintable(QString::number(walBytes)));
    QCOMPARE(queryInt(m_db, u"PRAGMA freelist_count"_s), 0);
    VacuumDialog dialog(m_db);
    dialog.resize(dialog.sizeHint());
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QTRY_VERIFY_WITH_TIMEOUT(dialog.hasCheckedBefore(), 20000);
    const QString text = dialog.introText();
    QVERIFY2(!text.contains(u"Nothing to reclaim"_s), qPrintable(text));
    QVERIFY2(text.contains(u"None of its "_s), qPrintable(text));
    QVERIFY2(text.contains(u"Its -wal takes "_s + Format::bytesNoBreak(walBytes)
                 + u": a TRUNCATE checkpoint "
                   "(Maintenance ▸ Checkpoint…) gives "
                   "that back"_s),
        qPrintable(text));
    QVERIFY(dialog.grab().save(screenshotPath(u"vacuum-dialog-wal-to-give-back.png"_s)));
    QVERIFY(!dialog.isRunning());
}

// Issue #28 (6): checkpoint and vacuum do not block the window — Activity stays usable.
void TestMaintenanceDialogs::checkpointAndVacuumAreModeless()
{
    MainWindow window;
    window.resize(1000, 708);
    QVERIFY(showAndOpen(window, m_db, Database::Mode::ReadWrite));
    auto* maintenance = window.findChild<MaintenanceMenu*>();
    maintenance->checkpoint(); // returns at once: no event loop of its own
    auto* checkpoint = window.findChild<CheckpointDialog*>();
    QVERIFY(checkpoint && checkpoint->isVisible());
    QVERIFY(!checkpoint->isModal());
    QVERIFY(QApplication::activeModalWidget() == nullptr);
    window.activateWindow();
    QTRY_VERIFY(window.isActiveWindow());
    QTest::keyClick(&window, Qt::Key_3, Qt::AltModifier);
    QCOMPARE(window.pages()->currentIndex(), 2); // Activity, while the dialog is up
    checkpoint->setMode(Checkpoint::Mode::Passive);
    checkpoint->start();
    QTRY_VERIFY_WITH_TIMEOUT(!checkpoint->isRunning(), 30000);
    QVERIFY2(checkpoint->resultText().startsWith(u"The PASSIVE checkpoint is complete"_s),
        qPrintable(checkpoint->resultText()));
    maintenance->vacuum();
    auto* vacuum = window.findChild<VacuumDialog*>();
    QVERIFY(vacuum && vacuum->isVisible() && !vacuum->isModal());
    vacuum->close();
    QTRY_VERIFY(window.findChild<VacuumDialog*>() == nullptr); // deleted on close
}

QTEST_MAIN(TestMaintenanceDialogs)
#include "tst_maintenancedialogs.moc"
