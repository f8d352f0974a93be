// SPDX-License-Identifier: GPL-3.0-or-later
// The maintenance dialogs offscreen, against real files and real holder processes.
#include "dialogs/checkpointdialog.h"
#include "dialogs/deletedialog.h"
#include "dialogs/scandialog.h"
#include "dialogs/vacuumdialog.h"
#include "openedwindow.h"
#include "testsupport.h"
#include "window/maintenancemenu.h"
#include "window/mainwindow.h"

#include <QApplication>
#include <QDir>
#include <QMenuBar>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

class TestMaintenanceDialogs : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QCoreApplication::setOrganizationName(u"CacheScopeTests"_s); }
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_db = m_dir->filePath(u"cache.db"_s);
        makeCache(m_db, u"wal"_s, 200);
    }
    void deleteButtonDisabledWhileHolderExists();
    void checkpointDialogSaysWritersStall();
    void vacuumDialogCompacts();
    void scanDialogListsDatabasesAndOrphans();
    void deleteFromMainWindowClosesOwnConnectionFirst();
    void deleteDialogCountsDiskcacheValueFiles();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
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
    QVERIFY(dialog.grab().save(screenshotPath(u"delete-dialog-blocked.png"_s)));
    holder.stop();
    QTRY_VERIFY_WITH_TIMEOUT(dialog.deleteButton()->isEnabled(), 20000);
    QCOMPARE(dialog.holderCount(), 0);
    QVERIFY(dialog.grab().save(screenshotPath(u"delete-dialog-ready.png"_s)));
    dialog.deleteButton()->click();
    QTRY_COMPARE_WITH_TIMEOUT(dialog.result(), int(QDialog::Accepted), 20000);
    QVERIFY(dialog.deleted().contains(m_db)); // the holder's close may have removed -wal/-shm already
    QVERIFY(!exists(m_db));
    QVERIFY(!exists(m_db + u"-wal"_s));
    QVERIFY(!exists(m_db + u"-shm"_s));
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
        QVERIFY2(dialog.modeHelpText().contains(u"5000 ms"_s), qPrintable(dialog.modeHelpText()));
    }
    dialog.start();
    QTRY_VERIFY_WITH_TIMEOUT(!dialog.isRunning(), 30000);
    QVERIFY2(dialog.resultText().contains(u"TRUNCATE: complete"_s), qPrintable(dialog.resultText()));
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
    dialog.start();
    QTRY_VERIFY_WITH_TIMEOUT(!dialog.isRunning(), 30000);
    QVERIFY2(dialog.resultText().contains(u"vacuumed"_s), qPrintable(dialog.resultText()));
    QVERIFY(QFileInfo(m_db).size() < before);
    QCOMPARE(queryInt(m_db, u"SELECT count(*) FROM entries"_s), 20);
    QVERIFY(dialog.grab().save(screenshotPath(u"vacuum-dialog.png"_s)));
}

void TestMaintenanceDialogs::scanDialogListsDatabasesAndOrphans()
{
    QVERIFY(QDir().mkpath(m_dir->filePath(u"deep/er"_s)));
    makeCache(m_dir->filePath(u"deep/er/other.sqlite"_s), u"delete"_s, 1);
    QVERIFY(QFile(m_dir->filePath(u"deep/gone.db-wal"_s)).open(QIODevice::WriteOnly));
    ScanDialog dialog;
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    dialog.setDirectory(m_dir->path());
    dialog.startScan();
    QTRY_VERIFY_WITH_TIMEOUT(!dialog.isScanning(), 30000);
    QCOMPARE(dialog.databaseCount(), 2);
    QCOMPARE(dialog.orphanCount(), 1);
    QVERIFY(dialog.grab().save(screenshotPath(u"scan-dialog.png"_s)));
}

void TestMaintenanceDialogs::deleteFromMainWindowClosesOwnConnectionFirst()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(openAndWait(window, m_db, Database::Mode::ReadWrite));
    QVERIFY(exists(m_db + u"-shm"_s)); // our own connection's sidecars
    auto* menu = window.menuBar()->findChild<QMenu*>();
    QVERIFY(menu);
    auto* maintenance = window.findChild<MaintenanceMenu*>();
    QVERIFY(maintenance);
    bool sawDialog = false;
    bool closedFirst = false;
    // Checked as the window has released the cache, before the dialog exists (the dialog's own
    // background check may open the file read-only a moment later, to count value files).
    connect(maintenance, &MaintenanceMenu::releaseDatabaseRequested, this,
        [&] { closedFirst = window.database() == nullptr && !Database::isOpenInProcess(m_db); });
    // The dialog is modal: drive it from inside its event loop.
    QTimer::singleShot(0, this, [&] {
        auto* dialog = qobject_cast<DeleteDialog*>(QApplication::activeModalWidget());
        sawDialog = dialog != nullptr;
        if (!dialog)
            return;
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
    const QString folder = m_dir->filePath(u"dc"_s);
    const auto made = runProgram(u"/usr/bin/python3"_s,
        { u"-c"_s,
            u"import diskcache, os, sys\nc = diskcache.Cache(sys.argv[1])\n"
            "for i in range(7): c['big%d' % i] = os.urandom(40000)\nc.close()\n"_s,
            folder });
    QVERIFY2(made.exitCode == 0, made.err.constData());
    DeleteDialog dialog(folder);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QTRY_VERIFY_WITH_TIMEOUT(dialog.deleteButton()->isEnabled(), 20000);
    QCOMPARE(dialog.fileCount(), 2); // cache.db and one row for the value files
    QVERIFY2(dialog.totalsText().contains(u"7 value"_s), qPrintable(dialog.totalsText()));
    QVERIFY(dialog.grab().save(screenshotPath(u"delete-dialog-diskcache.png"_s)));
    dialog.deleteButton()->click();
    QTRY_COMPARE_WITH_TIMEOUT(dialog.result(), int(QDialog::Accepted), 20000);
    QCOMPARE(dialog.deleted().size(), 8);
    QVERIFY(QDir(folder).isEmpty());
}

QTEST_MAIN(TestMaintenanceDialogs)
#include "tst_maintenancedialogs.moc"
