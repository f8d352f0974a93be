// SPDX-License-Identifier: GPL-3.0-or-later
// Issue #28: the Activity tab's checkpoint bar ("0 / 508 frames copied back") wrapped its text onto a
// second line the bar has no room for, cut at the top and bottom, in a 600–673 px window. It keeps
// one line that fits, ended at a whole word, with the whole text on hover. A real writer commits
// without checkpoints, so frames wait and the bar shows them.
#include "openedwindow.h"
#include "pages/activitypage.h"
#include "testsupport.h"
#include "window/mainwindow.h"
#include "writerscripts.h"

#include <QApplication>
#include <QHelpEvent>
#include <QLabel>
#include <QProgressBar>
#include <QTemporaryDir>
#include <QTest>
#include <QToolTip>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

class TestCheckpointBar : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { qputenv("CACHESCOPE_CLI", QByteArrayLiteral(CACHESCOPE_CLI_PATH)); }
    void textFitsOnOneLine_data();
    void textFitsOnOneLine();
};

void TestCheckpointBar::textFitsOnOneLine_data()
{
    QTest::addColumn<int>("width");
    QTest::addRow("default size") << MainWindow::DefaultSize.width();
    QTest::addRow("673 px (RemoteWindow)") << 673;
    QTest::addRow("600 px") << 600;
}

void TestCheckpointBar::textFitsOnOneLine()
{
    QFETCH(int, width);
    QCoreApplication::setOrganizationName(u"CacheScopeTests"_s);
    QTemporaryDir dir;
    const QString db = dir.filePath(u"live.db"_s);
    makeCache(db, u"wal"_s, 20);
    // Commits and never checkpoints (wal_autocheckpoint 0): the frames waiting only grow.
    PythonChild writer(QString::fromLatin1(WriterScripts::writeContinuously), { db, u"0.005"_s, u"0"_s });
    QVERIFY(writer.waitReady());
    MainWindow window; // its Activity tab, at the window's width
    window.resize(width, MainWindow::DefaultSize.height());
    QVERIFY(showAndOpen(window, db, Database::Mode::ReadWrite));
    ActivityPage* page = window.activityPage();
    window.pages()->setCurrentWidget(page);
    QTRY_VERIFY(page->isVisible());
    auto* bar = page->findChild<QProgressBar*>(u"checkpointBar"_s);
    QVERIFY(bar);
    // Hundreds of frames waiting: the longest text the bar shows ("1,234 / 5,678 frames copied back").
    QTRY_VERIFY_WITH_TIMEOUT(bar->isVisible() && bar->maximum() >= 100, 60000);
    QApplication::processEvents();
    const QString shown = bar->text();
    const int needed = bar->fontMetrics().horizontalAdvance(shown);
    const int room = bar->contentsRect().width() - 4;
    QVERIFY2(needed <= room,
        qPrintable(u"'%1' needs %2 px on one line, the bar has %3 px inside"_s.arg(shown).arg(needed).arg(room)));
    QVERIFY2(bar->height() >= bar->fontMetrics().height(), qPrintable(QString::number(bar->height())));
    QVERIFY2(shown.contains(u" / "_s), qPrintable(shown)); // the counts are always there
    QString whole = shown;
    if (shown.endsWith(u"…"_s)) {
        // Ended at a whole word; the whole text on hover.
        QHelpEvent help(QEvent::ToolTip, bar->rect().center(), bar->mapToGlobal(bar->rect().center()));
        QApplication::sendEvent(bar, &help);
        QTRY_VERIFY(QToolTip::isVisible());
        whole = QToolTip::text().section(u"\n"_s, 0, 0);
        QVERIFY2(whole.startsWith(shown.chopped(1) + u' '), qPrintable(shown + u" | "_s + whole));
    }
    QVERIFY2(whole.endsWith(u" frames copied back"_s), qPrintable(whole));
    QVERIFY(window.grab().save(screenshotPath(u"checkpoint-bar-%1.png"_s.arg(width))));
}

QTEST_MAIN(TestCheckpointBar)
#include "tst_checkpointbar.moc"
