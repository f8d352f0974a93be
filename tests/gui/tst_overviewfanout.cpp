// SPDX-License-Identifier: GPL-3.0-or-later
// The Overview's Database and Files boxes of a FanoutCache (#28, new-user review defect 1): they
// showed shard 000's path, pages and file sizes and said nothing of it, beside a Cache box, an
// Entries page, a status bar and an `info` that take the FanoutCache as one cache. They are now
// of every shard and named sub-cache together: the folder, the journal mode of each database,
// the pages and the files added up — checked against what Python's sqlite3 and stat() read of a
// FanoutCache written by Debian's python3-diskcache.
#include "common/format.h"
#include "openedwindow.h"
#include "pages/overviewpage.h"
#include "scratchdir.h"
#include "testsupport.h"

#include <QDir>
#include <QFileInfo>
#include <QGroupBox>
#include <QLabel>
#include <QScrollArea>
#include <QScrollBar>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

class TestOverviewFanout : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void databaseAndFilesAreTheWholeCache();

private:
    ScratchDir m_dir;
    QString m_folder;
    QStringList m_databases; // every shard's, then the sub-cache's
};

void TestOverviewFanout::initTestCase()
{
    QCoreApplication::setOrganizationName(u"CacheScopeTests"_s);
    QCoreApplication::setApplicationName(u"tst_overviewfanout"_s);
    QVERIFY(m_dir.renew());
    m_folder = QDir(m_dir.filePath(u"fan"_s)).absolutePath();
    // Shards of different sizes (values of 1 to 60 KiB, some kept in files), a sub-cache of its own.
    const auto made = runPythonScript(u"import diskcache, sys\n"
                                      "c = diskcache.FanoutCache(sys.argv[1], shards=4)\n"
                                      "for i in range(120): c.set('main%d' % i, 'x' * (500 * i))\n"
                                      "s = c.index('sessions')\n"
                                      "for i in range(40): s['user-%d' % i] = 'session of user %d' % i\n"
                                      "c.close()\n"_s,
        { m_folder });
    QVERIFY2(made.exitCode == 0, made.err.constData());
    for (const QString& shard : { u"000"_s, u"001"_s, u"002"_s, u"003"_s })
        m_databases << m_folder + u'/' + shard + u"/cache.db"_s;
    m_databases << m_folder + u"/index/sessions/cache.db"_s;
    for (const QString& database : m_databases)
        QVERIFY2(QFileInfo::exists(database), qPrintable(database));
}

void TestOverviewFanout::databaseAndFilesAreTheWholeCache()
{
    // What Python's sqlite3 reads of each database: the pages added up, and each one's journal mode.
    const QByteArray read = runPython(u"import sqlite3, sys\n"
                                      "pages = 0\n"
                                      "modes = set()\n"
                                      "for p in sys.argv[1:]:\n"
                                      "    c = sqlite3.connect('file:%s?mode=ro' % p, uri=True)\n"
                                      "    pages += c.execute('pragma page_count').fetchone()[0]\n"
                                      "    modes.add(c.execute('pragma journal_mode').fetchone()[0])\n"
                                      "    c.close()\n"
                                      "print(pages, ','.join(sorted(modes)))\n"_s,
        m_databases);
    const QList<QByteArray> fields = read.split(' ');
    QCOMPARE(fields.size(), 2);
    const qint64 pages = fields.at(0).toLongLong();
    QVERIFY(pages > 0);
    QCOMPARE(fields.at(1), QByteArray("wal"));
    qint64 dbBytes = 0;
    qint64 shard000 = 0;
    for (const QString& database : m_databases) {
        dbBytes += QFileInfo(database).size();
        shard000 = shard000 > 0 ? shard000 : QFileInfo(database).size();
    }
    QVERIFY(dbBytes > shard000);

    MainWindow window;
    window.resize(1000, 708);
    QVERIFY(showAndOpen(window, m_folder, Database::Mode::ReadOnly, MainWindow::Remember::No));
    window.pages()->setCurrentWidget(window.overviewPage());
    OverviewPage* overview = window.overviewPage();
    const auto text
        = [overview](const char* name) { return overview->findChild<QLabel*>(QLatin1String(name))->text(); };
    QTRY_VERIFY_WITH_TIMEOUT(text("pagesValue") != u"—"_s, 30000);

    // The folder, not shard 000's database; the box says it is the whole FanoutCache.
    QCOMPARE(text("pathValue"), m_folder);
    QCOMPARE(text("pathLabel"), u"Folder:"_s);
    const QString databaseTitle = overview->findChild<QGroupBox*>(u"databaseGroup"_s)->title();
    QVERIFY2(databaseTitle.contains(u"4 shards and 1 sub-cache"_s), qPrintable(databaseTitle));
    QCOMPARE(text("journalValue"), u"WAL in every shard and sub-cache — opened read-only"_s);
    // Every database's pages, added up, as Python's sqlite3 counts them.
    QVERIFY2(text("pagesValue").startsWith(u"%1 pages, "_s.arg(Format::count(pages)))
            && text("pagesValue").contains(u"in its 5 databases"_s),
        qPrintable(text("pagesValue") + u" — Python: "_s + QString::number(pages)));
    QVERIFY2(
        text("settingsValue").contains(u"the same in each of its 5 databases"_s), qPrintable(text("settingsValue")));
    // The database files' sizes added up, as stat() gives them (nothing writes the cache).
    QCOMPARE(overview->shownBytes(CacheFiles::Kind::Db), dbBytes);
    QVERIFY2(text("dbSizeValue").contains(u"in 5 files"_s), qPrintable(text("dbSizeValue")));
    const QString filesTitle = overview->findChild<QGroupBox*>(u"filesGroup"_s)->title();
    QVERIFY2(filesTitle.contains(u"all 5 databases"_s), qPrintable(filesTitle));
    // Each database's size on hover.
    const QString tip = overview->findChild<QLabel*>(u"dbSizeValue"_s)->toolTip();
    QVERIFY2(tip.contains(u"shard 003: "_s) && tip.contains(u"sub-cache index/sessions: "_s), qPrintable(tip));
    auto* scroll = overview->findChild<QScrollArea*>(u"overviewScroll"_s);
    scroll->verticalScrollBar()->setValue(scroll->verticalScrollBar()->maximum()); // the two boxes, at the bottom
    settleEvents();
    QVERIFY(window.grab().save(screenshotPath(u"overview-fanout-whole.png"_s)));
}

QTEST_MAIN(TestOverviewFanout)
#include "tst_overviewfanout.moc"
