// SPDX-License-Identifier: GPL-3.0-or-later
// Issue #28, defect 10: for an open FanoutCache the Scan dialog was pre-filled with shard 000's folder; Maintenance ▸
// Scan now pre-fills the FanoutCache's own folder. The report said two sub-caches' paths were cut alike: at 700 px
// wide the path column (cut in its middle) tells them apart, which subCachesTellApart keeps so. A FanoutCache written
// by Debian's python3-diskcache deep in a home-like folder, the real dialog at its default size and in the window.
#include "dialogs/scandialog.h"
#include "openedwindow.h"
#include "scratchdir.h"
#include "testsupport.h"
#include "window/maintenancemenu.h"
#include "window/mainwindow.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QHeaderView>
#include <QLineEdit>
#include <QSet>
#include <QStyle>
#include <QTest>
#include <QTimer>
#include <QTreeWidget>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

class TestScanDialogPaths : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void subCachesTellApart();
    void prefilledWithTheFanoutFolder();

private:
    ScratchDir m_dir;
    QString m_root; // the folder scanned
    QString m_fanout;
};

void TestScanDialogPaths::initTestCase()
{
    QCoreApplication::setOrganizationName(u"CacheScopeTests"_s);
    QCoreApplication::setApplicationName(u"tst_scandialogpaths"_s);
    QVERIFY(m_dir.renew());
    m_root = m_dir.filePath(u"home/someone/.cache/a-weather-application/http-and-session-caches"_s);
    m_fanout = m_root + u"/fan"_s;
    const auto made = runPythonScript(u"import diskcache, sys\n"
                                      "c = diskcache.FanoutCache(sys.argv[1], shards=2)\n"
                                      "c['a'] = 1\n"
                                      "c.index('sessions')['s'] = 2\n"
                                      "c.cache('pages')['p'] = 3\n"
                                      "c.close()\n"_s,
        { m_fanout });
    QVERIFY2(made.exitCode == 0, made.err.constData());
}

void TestScanDialogPaths::subCachesTellApart()
{
    ScanDialog dialog;
    dialog.resize(700, 450); // a narrow dialog: the path column cut
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    dialog.setDirectory(m_root);
    dialog.startScan();
    QTRY_VERIFY_WITH_TIMEOUT(!dialog.isScanning(), 30000);
    QCOMPARE(dialog.databaseCount(), 4); // two shards, two sub-caches
    settleEvents();
    QVERIFY(dialog.grab().save(screenshotPath(u"scan-dialog-sub-caches.png"_s)));
    auto* tree = dialog.findChild<QTreeWidget*>(u"resultsTree"_s);
    QVERIFY(tree);
    // Each database's line as drawn in its column (elided as the tree elides) differs from every other's and names
    // its sub-cache, and its tooltip holds the whole path.
    const int margin = tree->style()->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, tree) + 1;
    QSet<QString> drawn;
    QStringList lines;
    for (int i = 0; i < dialog.databaseCount(); ++i) {
        QTreeWidgetItem* item = dialog.databaseItem(i);
        const QRect rect = tree->visualItemRect(item);
        const int room
            = tree->header()->sectionSize(0) - (rect.left() - tree->header()->sectionViewportPosition(0)) - 2 * margin;
        const QString line = tree->fontMetrics().elidedText(item->text(0), tree->textElideMode(), room);
        lines << line;
        drawn.insert(line);
        const QString whole = item->data(0, Qt::UserRole + 1).toString();
        QVERIFY2(item->toolTip(0).contains(whole), qPrintable(item->toolTip(0)));
    }
    QVERIFY2(drawn.size() == dialog.databaseCount(), qPrintable(lines.join(u" | "_s)));
    for (const QString& name : { u"index/sessions"_s, u"cache/pages"_s })
        QVERIFY2(lines.join(u'|').contains(name), qPrintable(lines.join(u" | "_s)));
}

void TestScanDialogPaths::prefilledWithTheFanoutFolder()
{
    MainWindow window;
    window.resize(MainWindow::DefaultSize);
    QVERIFY(showAndOpen(window, m_fanout, Database::Mode::ReadOnly, MainWindow::Remember::No));
    QVERIFY(window.database()->path().endsWith(u"/000/cache.db"_s)); // the window's database is shard 000
    auto* maintenance = window.findChild<MaintenanceMenu*>();
    QVERIFY(maintenance);
    QString prefilled;
    // Polled until the modal dialog is up (a dialog not yet shown would leave exec() waiting forever); after 20 s every
    // Scan dialog is closed, so the test fails on the comparison instead of hanging until ctest's timeout.
    QTimer poll;
    QElapsedTimer waited;
    waited.start();
    connect(&poll, &QTimer::timeout, this, [&] {
        if (auto* dialog = qobject_cast<ScanDialog*>(QApplication::activeModalWidget())) {
            poll.stop();
            prefilled = dialog->findChild<QLineEdit*>(u"directoryEdit"_s)->text();
            dialog->reject();
        } else if (waited.elapsed() > 20000) {
            poll.stop();
            for (QWidget* widget : QApplication::topLevelWidgets())
                if (auto* scan = qobject_cast<ScanDialog*>(widget))
                    scan->reject();
        }
    });
    poll.start(20);
    maintenance->scanFolder();
    QCOMPARE(prefilled, m_fanout); // main: …/fan/000
}

QTEST_MAIN(TestScanDialogPaths)
#include "tst_scandialogpaths.moc"
