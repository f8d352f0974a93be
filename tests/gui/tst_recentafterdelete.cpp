// SPDX-License-Identifier: GPL-3.0-or-later
// Issue #28 (new-user defect 15): a cache removed by Maintenance ▸ Delete Cache Safely… is no longer
// offered by File ▸ Open Recent or the welcome page's recent caches (it stayed first in both), while
// the caches still there stay listed.
#include "dialogs/deletedialog.h"
#include "openedwindow.h"
#include "testsupport.h"
#include "window/mainwindow.h"
#include "window/recentfiles.h"
#include "window/welcomepage.h"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QFileInfo>
#include <QListWidget>
#include <QMenuBar>
#include <QPushButton>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

class TestRecentAfterDelete : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(u"CacheScopeTests"_s);
        QCoreApplication::setApplicationName(u"tst_recentafterdelete"_s);
        QVERIFY(m_dir.isValid());
        qputenv("CACHESCOPE_CLI", QByteArrayLiteral(CACHESCOPE_CLI_PATH));
        QVERIFY(QDir(m_dir.path()).mkpath(u"data"_s));
        qputenv("XDG_DATA_HOME", QFile::encodeName(m_dir.filePath(u"data"_s))); // the trash
        QSettings().remove(u"recentFiles"_s);
    }
    void deletedCacheLeavesRecent();
    void deletedFanoutCacheLeavesRecent();

private:
    static QStringList menuPaths(MainWindow& window);
    static bool deleteThroughTheDialog(MainWindow& window);
    QTemporaryDir m_dir;
};

// The paths File ▸ Open Recent offers now.
QStringList TestRecentAfterDelete::menuPaths(MainWindow& window)
{
    QStringList paths;
    for (QAction* menu : window.menuBar()->actions()) {
        if (!menu->menu())
            continue;
        for (QAction* item : menu->menu()->actions()) {
            if (item->menu() && item->text().remove(u'&') == u"Open Recent"_s) {
                for (QAction* recent : item->menu()->actions())
                    paths << recent->text();
            }
        }
    }
    return paths;
}

// Maintenance ▸ Delete Cache Safely…, Delete clicked once nobody else holds it: true once clicked and closed.
bool TestRecentAfterDelete::deleteThroughTheDialog(MainWindow& window)
{
    auto* remove = window.findChild<QAction*>(u"deleteAction"_s);
    if (!remove || !remove->isEnabled())
        return false;
    bool deleted = false;
    QTimer poll;
    connect(&poll, &QTimer::timeout, &poll, [&poll, &deleted] {
        auto* dialog = qobject_cast<DeleteDialog*>(QApplication::activeModalWidget());
        if (!dialog || !dialog->deleteButton()->isEnabled())
            return;
        poll.stop();
        QTest::mouseClick(dialog->deleteButton(), Qt::LeftButton);
        deleted = true;
    });
    poll.start(50);
    QTimer::singleShot(60000, &poll, [] { // never leave the test waiting on a modal dialog
        if (auto* dialog = qobject_cast<QDialog*>(QApplication::activeModalWidget()))
            dialog->reject();
    });
    remove->trigger(); // returns once the dialog has ended
    return deleted;
}

// A FanoutCache is a folder that stays, emptied of its shards (the review: the path still existed, so it stayed
// in Open Recent).
void TestRecentAfterDelete::deletedFanoutCacheLeavesRecent()
{
    const QString folder = m_dir.filePath(u"fan"_s);
    const CliResult made = runPythonScript(u"import sys, diskcache\n"
                                           "c = diskcache.FanoutCache(sys.argv[1], shards=2)\n"
                                           "for i in range(10): c[f'k{i}'] = i\n"
                                           "c.close()\n"_s,
        { folder });
    QVERIFY2(made.exitCode == 0, made.err.constData());
    MainWindow window;
    window.resize(1000, 708);
    QVERIFY(showAndOpen(window, folder, Database::Mode::ReadWrite));
    const QString remembered = RecentFiles().paths().value(0);
    QVERIFY2(remembered == folder || remembered.startsWith(folder + u'/'), qPrintable(remembered));
    QVERIFY(deleteThroughTheDialog(window));
    QVERIFY(!QFileInfo::exists(folder + u"/000/cache.db"_s));
    QTRY_VERIFY(!window.database());
    QVERIFY2(!RecentFiles().paths().contains(remembered), qPrintable(RecentFiles().paths().join(u", "_s)));
    QVERIFY2(!menuPaths(window).contains(remembered), qPrintable(menuPaths(window).join(u", "_s)));
}

void TestRecentAfterDelete::deletedCacheLeavesRecent()
{
    const QString kept = m_dir.filePath(u"kept.db"_s);
    const QString doomed = m_dir.filePath(u"doomed.db"_s);
    makeCache(kept, u"wal"_s, 5);
    makeCache(doomed, u"wal"_s, 5);
    MainWindow window;
    window.resize(1000, 708);
    QVERIFY(showAndOpen(window, kept, Database::Mode::ReadWrite));
    QVERIFY(openAndWait(window, doomed, Database::Mode::ReadWrite));
    QCOMPARE(RecentFiles().paths().mid(0, 2), (QStringList { doomed, kept }));
    QVERIFY2(menuPaths(window).contains(doomed), qPrintable(menuPaths(window).join(u", "_s)));

    QVERIFY(deleteThroughTheDialog(window));
    QVERIFY(!QFileInfo::exists(doomed));
    QTRY_VERIFY(!window.database());

    // Gone from the settings, the menu and the welcome page; the other cache stays.
    QVERIFY2(!RecentFiles().paths().contains(doomed), qPrintable(RecentFiles().paths().join(u", "_s)));
    QVERIFY(RecentFiles().paths().contains(kept));
    QVERIFY2(!menuPaths(window).contains(doomed), qPrintable(menuPaths(window).join(u", "_s)));
    QVERIFY(menuPaths(window).contains(kept));
    auto* list = window.findChild<WelcomePage*>()->findChild<QListWidget*>(u"recentList"_s);
    QVERIFY(list);
    QStringList shown;
    for (int i = 0; i < list->count(); ++i)
        shown << list->item(i)->data(Qt::UserRole).toString();
    QVERIFY2(!shown.contains(doomed), qPrintable(shown.join(u", "_s)));
    QVERIFY(shown.contains(kept));
}

QTEST_MAIN(TestRecentAfterDelete)
#include "tst_recentafterdelete.moc"
