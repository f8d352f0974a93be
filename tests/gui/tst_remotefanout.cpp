// SPDX-License-Identifier: GPL-3.0-or-later
// A FanoutCache on another host (#26 with #23.2): the remote window's Overview, read from `info --json` run there
// through a real sshd (tests/support SshServer), counts the whole cache — every shard and each named sub-cache — as
// the local window does. It once showed only "not a cache report": a FanoutCache folder's report has no database
// facts of its own. Its Activity tab watches one shard or sub-cache at a time there, chosen as locally: it once ran
// `watch` on the folder, "is a directory", said as a lost connection. Debian's python3-diskcache writes the cache.
#include "maintenance/cachefolder.h"
#include "models/activityfeed.h"
#include "pages/activitypage.h"
#include "pages/overviewpage.h"
#include "sshserver.h"
#include "testsupport.h"
#include "window/remotewindow.h"
#include "writerscripts.h"

#include <QComboBox>
#include <QFileInfo>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

class TestRemoteFanout : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase() { m_server.stop(); }
    void overviewCountsTheWholeCacheThere();
    void activityWatchesEachPartThere();

private:
    SshServer m_server;
    QTemporaryDir m_dir;
};

void TestRemoteFanout::initTestCase()
{
    QCoreApplication::setOrganizationName(u"CacheScopeTests"_s);
    QVERIFY(m_dir.isValid());
    CACHESCOPE_START_SSH_OR_SKIP(m_server);
    m_server.exportEnvironment(); // the window's children (the local cachescope-cli) reach the server
}

void TestRemoteFanout::overviewCountsTheWholeCacheThere()
{
    const QString folder = m_dir.filePath(u"fanout"_s);
    const CliResult made = runPythonScript(uR"PY(
import diskcache, sys
cache = diskcache.FanoutCache(sys.argv[1], shards=4)
for i in range(230):
    cache.set("k%d" % i, "v" * 100)
sessions = cache.index("sessions")
for i in range(7):
    sessions["s%d" % i] = i
cache.close()
)PY"_s,
        { folder });
    QVERIFY2(made.exitCode == 0, made.err.constData());
    RemoteWindow window(CacheAddress::parse(SshServer::address(folder)).value(), QStringLiteral(CACHESCOPE_CLI_PATH));
    window.resize(1000, 708);
    window.show();
    OverviewPage* overview = window.overview();
    // Whatever comes first (the counts, or why there are none) is what the page says.
    QTRY_VERIFY_WITH_TIMEOUT(!overview->cacheText().isEmpty() && !overview->cacheText().contains(u"…"_s), 30000);
    const QString text = overview->cacheText();
    QVERIFY2(text.contains(u"230 entries in its 4 shards"_s), qPrintable(text));
    QVERIFY2(text.contains(u"Sub-cache <b>index/sessions</b> — format diskcache — 7 entries"_s), qPrintable(text));
    QTRY_VERIFY_WITH_TIMEOUT(overview->contentsText().contains(u"230 entries"_s), 30000);
    // Largest entries name their shard by its folder, as the local page does.
    QVERIFY2(overview->contentsText().contains(u"(shard 000)"_s) && !overview->contentsText().contains(u"(shard )"_s),
        qPrintable(overview->contentsText()));
    // The Files box: every database of the cache added up, as `info` found them there (the page had none to show).
    const auto layout = CacheFolder::resolve(folder);
    QVERIFY(layout);
    qint64 databases = 0;
    for (const QString& database : layout->everyDatabase())
        databases += QFileInfo(database).size();
    QCOMPARE(layout->everyDatabase().size(), 5);
    QCOMPARE(overview->shownBytes(CacheFiles::Kind::Db), databases);
    settleEvents();
    QVERIFY(window.grab().save(screenshotPath(u"remotewindow-fanout-overview.png"_s)));
}

void TestRemoteFanout::activityWatchesEachPartThere()
{
    const QString folder = m_dir.filePath(u"live"_s);
    const CliResult made = runPythonScript(uR"PY(
import diskcache, sys
cache = diskcache.FanoutCache(sys.argv[1], shards=4)
for i in range(40):
    cache.set("k%d" % i, i)
cache.index("sessions")["s"] = 1
cache.close()
)PY"_s,
        { folder });
    QVERIFY2(made.exitCode == 0, made.err.constData());
    // A real diskcache writer in shard 000 there.
    PythonChild writer(QString::fromLatin1(WriterScripts::diskcacheWriter), { folder + u"/000"_s });
    QVERIFY(writer.waitReady());
    RemoteWindow window(CacheAddress::parse(SshServer::address(folder)).value(), QStringLiteral(CACHESCOPE_CLI_PATH));
    window.resize(1000, 708);
    window.show();
    ActivityPage* activity = window.activity();
    QSignalSpy failed(activity->feed(), &ActivityFeed::failed);
    qint64 commits = 0;
    connect(activity->feed(), &ActivityFeed::sampleReceived, this,
        [&commits](const ActivitySample& sample) { commits += std::max<qint64>(sample.commitsInterval, 0); });
    auto* choice = activity->findChild<QComboBox*>(u"activityPart"_s);
    QVERIFY(choice);
    // Every shard and the sub-cache, named as locally, shard 000 watched first; never the folder.
    QTRY_COMPARE_WITH_TIMEOUT(choice->count(), 5, 30000);
    QCOMPARE(choice->itemText(0), u"shard 000"_s);
    QCOMPARE(choice->itemText(3), u"shard 003"_s);
    QCOMPARE(choice->itemText(4), u"sub-cache index/sessions"_s);
    const auto part = [&folder](const QString& database) { return SshServer::address(folder + database); };
    QCOMPARE(activity->watchedPath(), part(u"/000/cache.db"_s));
    QCOMPARE(activity->shownPart(), 0);
    QTRY_VERIFY2_WITH_TIMEOUT(window.isConnected(), qPrintable(window.statusText()), 30000);
    QTRY_VERIFY_WITH_TIMEOUT(commits > 0, 30000); // the writer's commits, seen there
    QVERIFY2(window.statusText().contains(u" · live"_s), qPrintable(window.statusText()));
    QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
    QTRY_COMPARE_WITH_TIMEOUT(SshServer::servedProcesses(folder + u"/000/cache.db"_s, u"watch"_s).size(), 1, 10000);
    window.tabs()->setCurrentWidget(activity);
    settleEvents();
    QVERIFY(window.grab().save(screenshotPath(u"remotewindow-fanout-activity.png"_s)));
    // Another part chosen as a user does: its watch there instead, its own samples.
    QSignalSpy sampled(activity->feed(), &ActivityFeed::sampleReceived);
    choice->setFocus();
    QTest::keyClick(choice, Qt::Key_Down);
    QCOMPARE(activity->shownPart(), 1);
    QCOMPARE(activity->watchedPath(), part(u"/001/cache.db"_s));
    sampled.clear();
    QVERIFY(sampled.wait(30000));
    QTRY_COMPARE_WITH_TIMEOUT(SshServer::servedProcesses(folder + u"/001/cache.db"_s, u"watch"_s).size(), 1, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(SshServer::servedProcesses(folder + u"/000/cache.db"_s, u"watch"_s).isEmpty(), 10000);
    // The connection drops (the watch there dies): the window reconnects to the part shown, not to the first.
    // Seen through connectionChanged: the window may be back before the next look.
    QSignalSpy changed(&window, &RemoteWindow::connectionChanged);
    const QList<qint64> served = SshServer::servedProcesses(folder + u"/001/cache.db"_s, u"watch"_s);
    QCOMPARE(served.size(), 1);
    ::kill(pid_t(served.first()), SIGKILL);
    QTRY_VERIFY2_WITH_TIMEOUT(
        !changed.isEmpty() && !changed.first().first().toBool(), qPrintable(SshServer::describeServed(folder)), 30000);
    QTRY_VERIFY2_WITH_TIMEOUT(window.isConnected(), qPrintable(window.statusText()), 30000);
    QCOMPARE(activity->shownPart(), 1);
    QCOMPARE(activity->watchedPath(), part(u"/001/cache.db"_s));
    QCOMPARE(choice->currentText(), u"shard 001"_s);
    QTRY_COMPARE_WITH_TIMEOUT(SshServer::servedProcesses(folder + u"/001/cache.db"_s, u"watch"_s).size(), 1, 10000);
    QVERIFY(!SshServer::servedProcesses(folder + u"/001/cache.db"_s, u"watch"_s).contains(served.first()));
    QVERIFY(SshServer::servedProcesses(folder + u"/000/cache.db"_s, u"watch"_s).isEmpty());
}

QTEST_MAIN(TestRemoteFanout)
#include "tst_remotefanout.moc"
