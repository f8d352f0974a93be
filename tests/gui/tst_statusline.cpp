// SPDX-License-Identifier: GPL-3.0-or-later
// Issue #28 (new-user defect 16): a long status-bar message was cut and never went away. In the real
// window at its default size: a cut message is shown whole when the line is clicked; what an action
// said goes after its reading time; a message that follows a state (a crossed limit) stays until that
// state replaces or clears it.
#include "openedwindow.h"
#include "testsupport.h"
#include "window/mainwindow.h"
#include "window/statusline.h"

#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

class TestStatusLine : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(u"CacheScopeTests"_s);
        QCoreApplication::setApplicationName(u"tst_statusline"_s);
        QVERIFY(m_dir.isValid());
        qputenv("CACHESCOPE_CLI", QByteArrayLiteral(CACHESCOPE_CLI_PATH));
    }
    void readingTimes();
    void longMessageShownWholeThenGone();

private:
    QTemporaryDir m_dir;
};

void TestStatusLine::readingTimes()
{
    QCOMPARE(StatusLine::readingTimeMs(u"Deleted 3 files of answers.db."_s), 15000);
    QCOMPARE(StatusLine::readingTimeMs(QString(200, u'x')), 15000 + 100 * 60);
    QCOMPARE(StatusLine::readingTimeMs(QString(5000, u'x')), 60000);
}

void TestStatusLine::longMessageShownWholeThenGone()
{
    const QString db = m_dir.filePath(u"answers.db"_s);
    makeCache(db, u"wal"_s, 5);
    MainWindow window;
    window.resize(1000, 708);
    QVERIFY(showAndOpen(window, db, Database::Mode::ReadWrite, MainWindow::Remember::No));
    auto* line = window.findChild<StatusLine*>();
    QVERIFY(line);
    auto* expiry = line->findChild<QTimer*>(u"statusLineExpiry"_s);
    QVERIFY(expiry);
    line->setMinimumReadingTime(60000); // nothing runs out while the popup is looked at (a loaded machine)

    // An action's long result (150 characters): cut at a word, whole on a click, then gone.
    const QString said
        = u"Moved 3 files of answers.db to the trash; its -wal and -shm went as CacheScope closed it "
          "(SQLite folds the -wal into the database). Open another cache, or start the demo from the welcome page."_s;
    QVERIFY(said.size() > 140);
    line->setMessage(said);
    QVERIFY(expiry->isActive());
    QCOMPARE(expiry->interval(), 60000 + (int(said.size()) - 100) * 60);
    QVERIFY2(line->isCut(), qPrintable(line->text()));
    QVERIFY2(line->text().endsWith(u" …"_s), qPrintable(line->text()));
    QTest::mouseClick(line, Qt::LeftButton, {}, QPoint(5, line->height() / 2));
    QVERIFY(line->popup() && line->popup()->isVisible());
    QCOMPARE(line->popup()->text(), said);
    QVERIFY(line->popup()->wordWrap());
    QVERIFY(line->popup()->testAttribute(Qt::WA_NoMouseReplay)); // a click on the line closes it, not reopens it
    // Above the line, not over the window's bottom edge (the platform may shift a popup by its frame).
    QVERIFY(line->popup()->geometry().top() + line->popup()->height() / 2 < line->mapToGlobal(QPoint(0, 0)).y());
    window.grab().save(screenshotPath(u"statusline-cut.png"_s));
    line->popup()->grab().save(screenshotPath(u"statusline-whole.png"_s));
    QTest::keyClick(line->popup(), Qt::Key_Escape);
    QTRY_VERIFY(!line->popup()->isVisible());
    line->setMinimumReadingTime(300);
    line->setMessage(said);
    QCOMPARE(expiry->interval(), 300 + (int(said.size()) - 100) * 60);
    QTRY_VERIFY_WITH_TIMEOUT(line->message().isEmpty(), 20000);
    QVERIFY(line->text().isEmpty());
    QVERIFY(line->toolTip().isEmpty());

    // A crossed limit's message follows the limit: no reading time runs out under it.
    const QString limit = u"Limit crossed: -wal over 64 MiB"_s;
    line->setMessage(u"Switched to WAL."_s);
    line->replaceMessage(QString(), limit, u"whole"_s);
    QVERIFY(!expiry->isActive());
    QCOMPARE(line->message(), limit);
    // An action's message shown meanwhile hides it only until that message goes; the limit's change meanwhile
    // is what comes back (the review: the limit was lost for good when the action's message went).
    const QString changed = u"Limit crossed: -wal over 64 MiB (now 80 MiB)"_s;
    line->setMessage(u"Checkpoint done."_s);
    line->replaceMessage(limit, changed, u"whole"_s);
    QCOMPARE(line->message(), u"Checkpoint done."_s);
    QTRY_COMPARE_WITH_TIMEOUT(line->message(), changed, 20000);
    QCOMPARE(line->toolTip(), u"whole"_s);
    line->replaceMessage(changed, QString(), QString()); // the limit cleared
    QVERIFY(line->message().isEmpty());
    // Cleared with its cache: nothing comes back.
    line->replaceMessage(QString(), limit, QString());
    line->setMessage(u"Checkpoint done."_s);
    line->clearMessage();
    QVERIFY(!expiry->isActive());
    QVERIFY(line->message().isEmpty());
}

QTEST_MAIN(TestStatusLine)
#include "tst_statusline.moc"
