// SPDX-License-Identifier: GPL-3.0-or-later
// A FanoutCache on another host (#26 with #23.2): the remote window's Overview, read from `info --json` run there
// through a real sshd (tests/support SshServer), counts the whole cache — every shard and each named sub-cache — as
// the local window does. It once showed only "not a cache report": a FanoutCache folder's report has no database
// facts of its own. Debian's python3-diskcache writes the cache.
#include "maintenance/cachefolder.h"
#include "pages/overviewpage.h"
#include "sshserver.h"
#include "testsupport.h"
#include "window/remotewindow.h"

#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

class TestRemoteFanout : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase() { m_server.stop(); }
    void overviewCountsTheWholeCacheThere();

private:
    SshServer m_server;
    QTemporaryDir m_dir;
};

void TestRemoteFanout::initTestCase()
{
    QCoreApplication::setOrganizationName(u"CacheScopeTests"_s);
    QVERIFY(m_dir.isValid());
    if (!m_server.start()) {
        if (m_server.reason().contains(u"not installed"_s) || m_server.reason().contains(u"/run/sshd"_s))
            QSKIP(qPrintable(m_server.reason()));
        QFAIL(qPrintable(m_server.reason()));
    }
    const QProcessEnvironment env = m_server.environment();
    for (const QString& name : { u"XDG_RUNTIME_DIR"_s, u"CACHESCOPE_SSH_COMMAND"_s })
        qputenv(name.toUtf8().constData(), env.value(name).toUtf8());
    qunsetenv("SSH_AUTH_SOCK");
    qputenv("CACHESCOPE_CLI", CACHESCOPE_CLI_PATH);
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

QTEST_MAIN(TestRemoteFanout)
#include "tst_remotefanout.moc"
