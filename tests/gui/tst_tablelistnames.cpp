// SPDX-License-Identifier: GPL-3.0-or-later
// Issue #28, defect 9: the Entries page's table list cut the names of real caches ("responses [request…",
// "Sub-cache ca…", even maximised). At the window's default size and maximised, every line of the list shows
// whole for a requests-cache (Debian's python3-requests-cache) and a FanoutCache with named sub-caches (Debian's
// python3-diskcache); the whole line is its tooltip. A name too long for a quarter of the page is cut in its middle,
// keeping the end that tells two sub-caches apart. Real SQLite files written by the libraries, the real window.
#include "openedwindow.h"
#include "pages/entriespage.h"
#include "scratchdir.h"
#include "testsupport.h"
#include "window/mainwindow.h"

#include <QListWidget>
#include <QSettings>
#include <QStyle>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

class TestTableListNames : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void namesShowWhole_data();
    void namesShowWhole();

private:
    ScratchDir m_dir;
};

void TestTableListNames::initTestCase()
{
    QCoreApplication::setOrganizationName(u"CacheScopeTests"_s);
    QCoreApplication::setApplicationName(u"tst_tablelistnames"_s);
    QVERIFY(m_dir.renew());
    const auto requests = runPythonScript(u"import requests_cache, sys\n"
                                          "from requests_cache.backends.sqlite import SQLiteCache\n"
                                          "c = SQLiteCache(sys.argv[1])\n"
                                          "c.redirects['https://example.org/r'] = 'k'\n"
                                          "c.responses['k'] = b'x'\n"_s,
        { m_dir.filePath(u"http_cache"_s) });
    QVERIFY2(requests.exitCode == 0, requests.err.constData());
    const auto fanout = runPythonScript(u"import diskcache, sys\n"
                                        "c = diskcache.FanoutCache(sys.argv[1], shards=4)\n"
                                        "for i in range(20): c.set('main%d' % i, i)\n"
                                        "c.index('sessions')['user-1'] = 'session'\n"
                                        "c.index('sessions_of_the_weather_service_users_kept_for_a_week_a')['u'] = 1\n"
                                        "c.index('sessions_of_the_weather_service_users_kept_for_a_week_b')['u'] = 1\n"
                                        "c.cache('pages').set('/page/1', '<html>1</html>')\n"
                                        "c.close()\n"_s,
        { m_dir.filePath(u"fan"_s) });
    QVERIFY2(fanout.exitCode == 0, fanout.err.constData());
    exec(m_dir.filePath(u"short.db"_s), u"PRAGMA journal_mode=wal; CREATE TABLE t(k TEXT PRIMARY KEY, v BLOB);"_s);
}

void TestTableListNames::namesShowWhole_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QSize>("size");
    QTest::addColumn<QString>("shot");
    QTest::addColumn<bool>("afterShortNames"); // the last session's window showed a cache of short names
    const QSize maximised(1920, 1050); // a maximised window on a 1920×1080 desktop (offscreen's screen is smaller)
    QTest::newRow("requests-cache") << u"http_cache.sqlite"_s << MainWindow::DefaultSize << u"table-list-requests"_s
                                    << false;
    QTest::newRow("requests-cache maximised")
        << u"http_cache.sqlite"_s << maximised << u"table-list-requests-max"_s << false;
    QTest::newRow("fanout") << u"fan"_s << MainWindow::DefaultSize << u"table-list-fanout"_s << false;
    QTest::newRow("fanout maximised") << u"fan"_s << maximised << u"table-list-fanout-max"_s << false;
    // A new user's second launch: the window restores the list's width from the first, where it showed one short
    // name (main: "responses  [request…", "Sub-cache ca…", even maximised).
    QTest::newRow("requests-cache, second launch")
        << u"http_cache.sqlite"_s << MainWindow::DefaultSize << u"table-list-requests-second"_s << true;
    QTest::newRow("fanout maximised, second launch")
        << u"fan"_s << maximised << u"table-list-fanout-second-max"_s << true;
}

void TestTableListNames::namesShowWhole()
{
    QFETCH(QString, path);
    QFETCH(QSize, size);
    QFETCH(QString, shot);
    QFETCH(bool, afterShortNames);
    QSettings().clear();
    if (afterShortNames) {
        MainWindow first;
        first.resize(MainWindow::DefaultSize);
        QVERIFY(showAndOpen(first, m_dir.filePath(u"short.db"_s), Database::Mode::ReadOnly, MainWindow::Remember::No));
        first.pages()->setCurrentWidget(first.entriesPage());
        settleEvents();
        first.close(); // saves the window's layout, the list's width with it
    }
    MainWindow window;
    window.resize(size);
    QVERIFY(showAndOpen(window, m_dir.filePath(path), Database::Mode::ReadOnly, MainWindow::Remember::No));
    window.pages()->setCurrentWidget(window.entriesPage());
    settleEvents();
    auto* list = window.entriesPage()->findChild<QListWidget*>(u"tableList"_s);
    QVERIFY(list && list->count() >= 2);
    QVERIFY(window.grab().save(screenshotPath(shot + u".png"_s)));
    // Each line's text as drawn fits the room its item has inside the list's viewport.
    QStringList cut;
    const int viewport = list->viewport()->width();
    // The text's margins in an item, as QCommonStyle draws it.
    const int margin = list->style()->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, list) + 1;
    for (int i = 0; i < list->count(); ++i) {
        const QListWidgetItem* item = list->item(i);
        const int needed = QFontMetrics(item->font()).horizontalAdvance(item->text());
        const QRect rect = list->visualItemRect(item);
        const int room = std::min(rect.right() + 1, viewport) - rect.left() - 2 * margin; // what the text may take
        // Too long for a quarter of the page: what is drawn keeps the line's end, which tells the two long
        // sub-caches apart ("…week_a" / "…week_b").
        const QString drawn = QFontMetrics(item->font()).elidedText(item->text(), list->textElideMode(), room);
        const bool tooLong = needed > list->window()->width() / 4;
        if (needed > room && !(tooLong && drawn.endsWith(item->text().right(8))))
            cut << u"'%1' (%2 px in %3, drawn '%4')"_s.arg(item->text()).arg(needed).arg(room).arg(drawn);
        QVERIFY2(item->toolTip().contains(item->text().trimmed()), qPrintable(item->toolTip()));
    }
    QVERIFY2(cut.isEmpty(), qPrintable(cut.join(u", "_s)));
}

QTEST_MAIN(TestTableListNames)
#include "tst_tablelistnames.moc"
