// SPDX-License-Identifier: GPL-3.0-or-later
// `cachescope --demo`: a temporary cache with real simulated writers behind the window, and
// nothing left behind — neither processes nor files — after closing or killing the GUI.
#include "common/privatedirs.h"
#include "openedwindow.h"
#include "pages/activitypage.h"
#include "pages/overviewpage.h"
#include "testsupport.h"
#include "window/demosession.h"
#include "window/mainwindow.h"

#include <QDir>
#include <QFile>
#include <QLabel>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <signal.h>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

namespace {
QStringList demoDirectories(const QString& root)
{
    return QDir(root).entryList({ DemoSession::directoryPrefix() + u"*"_s }, QDir::Dirs | QDir::NoDotAndDotDot);
}

// The Activity page's `cachescope-cli watch` child is not part of the demo.
bool isActivityWatcher(qint64 pid)
{
    QFile cmdline(u"/proc/%1/cmdline"_s.arg(pid));
    return cmdline.open(QIODevice::ReadOnly) && cmdline.readAll().contains(QByteArrayView("\0watch\0", 7));
}

// The simulator and its workers below `pid`, waiting until all of them run.
QList<qint64> waitForDemoProcesses(qint64 pid, int expected)
{
    QList<qint64> all;
    (void)QTest::qWaitFor(
        [&] {
            all.clear();
            for (qint64 simulator : childPids(pid)) {
                if (!isActivityWatcher(simulator))
                    all += QList<qint64> { simulator } + childPids(simulator);
            }
            return all.size() >= expected;
        },
        60000);
    return all;
}
} // namespace

class TestDemo : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void windowShowsLiveActivityAndCleansUp();
    void killedGuiTakesItsWritersAlong();
    void interruptedGuiCleansUp_data();
    void interruptedGuiCleansUp();
    void demoTakesNoDatabase();
    void overviewCountFollowsTheWriters();
    void killedDemosFolderGoesWhenCacheScopeStarts();

private:
    void startGui(QProcess& gui, const QStringList& args);
    void startGuiDemo(QProcess& gui, QList<qint64>& processes);
    QTemporaryDir m_tmp; // TMPDIR for the demos, so the real /tmp is left alone
};

void TestDemo::initTestCase()
{
    qputenv("CACHESCOPE_CLI", QByteArrayLiteral(CACHESCOPE_CLI_PATH)); // the Activity feed's watcher
    QCoreApplication::setOrganizationName(u"CacheScopeTests"_s);
    QVERIFY(m_tmp.isValid());
    qputenv("TMPDIR", QFile::encodeName(m_tmp.path()));
    QCOMPARE(QDir::tempPath(), m_tmp.path());
}

void TestDemo::windowShowsLiveActivityAndCleansUp()
{
    DemoSession demo;
    DemoSession::Options options;
    options.cliPath = QStringLiteral(CACHESCOPE_CLI_PATH);
    options.ratePerWorker = 5;
    const Status started = demo.start(options);
    QVERIFY2(started.ok(), qPrintable(started.error().message));
    QVERIFY(demo.databasePath().startsWith(m_tmp.path()));
    MainWindow window;
    window.resize(1000, 700);
    QVERIFY(showAndOpen(window, demo.databasePath(), Database::Mode::ReadWrite));
    const QList<qint64> processes = waitForDemoProcesses(QCoreApplication::applicationPid(), 5);
    QCOMPARE(processes.size(), 5); // the simulator and its 4 workers
    QCOMPARE(processes.first(), demo.simulatorPid());
    // The Overview follows the writers: the -wal size it shows keeps changing.
    OverviewPage* overview = window.overviewPage();
    QTRY_VERIFY_WITH_TIMEOUT(overview->shownBytes(CacheFiles::Kind::Wal) > 0, 30000);
    const qint64 walBefore = overview->shownBytes(CacheFiles::Kind::Wal);
    QTRY_VERIFY_WITH_TIMEOUT(overview->shownBytes(CacheFiles::Kind::Wal) != walBefore, 30000);
    QVERIFY(queryInt(demo.databasePath(), u"SELECT count(DISTINCT pid) FROM llm_cache"_s) >= 1);
    // Health and writers come from the Activity tab's live probe.
    QTRY_VERIFY2_WITH_TIMEOUT(overview->writersText().contains(u"commits/s"_s),
        qPrintable(
            overview->writersText() + u" / "_s + window.activityPage()->findChild<QLabel*>(u"feedStatus"_s)->text()),
        30000);
    QVERIFY(!overview->healthText().startsWith(u"Waiting"_s));
    // Writers now (#13): the simulator's workers are named as writers, and how busy the lock is.
    QTRY_VERIFY2_WITH_TIMEOUT(overview->writersText().contains(u"process"_s)
            && overview->writersText().contains(QRegularExpression(u" wrote in the last \\d+(\\.\\d)? s: "_s))
            && overview->writersText().contains(u"The write lock was held"_s),
        qPrintable(overview->writersText()), 30000);
    settleEvents(); // the layout follows the new texts before the screenshot
    QVERIFY(window.grab().save(screenshotPath(u"demo-overview.png"_s)));

    const QString directory = demo.directory();
    window.close();
    window.closeDatabase(); // as main() does once the window is closed
    demo.stop();
    for (qint64 pid : processes)
        QVERIFY2(!isRunning(pid), qPrintable(QString::number(pid)));
    QVERIFY(!QFileInfo::exists(directory));
    QVERIFY(demoDirectories(m_tmp.path()).isEmpty());
}

// Starts a real `cachescope ARGS`, offscreen, its temporary files in m_tmp.
void TestDemo::startGui(QProcess& gui, const QStringList& args)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
    env.insert(u"TMPDIR"_s, m_tmp.path());
    gui.setProcessEnvironment(env);
    gui.start(QStringLiteral(CACHESCOPE_GUI_PATH), args);
}

// Starts a real `cachescope --demo` (offscreen, temp files in m_tmp) and waits for its
// simulator and four workers.
void TestDemo::startGuiDemo(QProcess& gui, QList<qint64>& processes)
{
    const qsizetype before = demoDirectories(m_tmp.path()).size();
    startGui(gui, { u"--demo"_s });
    QVERIFY(gui.waitForStarted());
    processes = waitForDemoProcesses(gui.processId(), 5);
    QCOMPARE(processes.size(), 5);
    QCOMPARE(demoDirectories(m_tmp.path()).size(), before + 1);
}

void TestDemo::killedGuiTakesItsWritersAlong()
{
    QProcess gui;
    QList<qint64> processes;
    startGuiDemo(gui, processes);
    if (QTest::currentTestFailed())
        return;
    ::kill(pid_t(gui.processId()), SIGKILL);
    QVERIFY(gui.waitForFinished(10000));
    // PR_SET_PDEATHSIG: the simulator dies with the GUI, and the workers with the simulator.
    for (qint64 pid : processes)
        QTRY_VERIFY2_WITH_TIMEOUT(!isRunning(pid), qPrintable(QString::number(pid)), 60000);
    // Its directory stays behind until the next demo starts and sees that its GUI is gone.
    QCOMPARE(demoDirectories(m_tmp.path()).size(), 1);
    DemoSession next;
    DemoSession::Options options;
    options.cliPath = QStringLiteral(CACHESCOPE_CLI_PATH);
    QVERIFY(next.start(options).ok());
    QCOMPARE(demoDirectories(m_tmp.path()), QStringList { QFileInfo(next.directory()).fileName() });
    // A running demo's directory is never taken for a stale one.
    QCOMPARE(PrivateDirs::sweepStale(), 0);
    next.stop();
    QVERIFY(demoDirectories(m_tmp.path()).isEmpty());
}

void TestDemo::interruptedGuiCleansUp_data()
{
    QTest::addColumn<int>("signal");
    QTest::newRow("Ctrl-C (SIGINT)") << int(SIGINT);
    QTest::newRow("SIGTERM") << int(SIGTERM);
    QTest::newRow("SIGHUP") << int(SIGHUP);
}

void TestDemo::interruptedGuiCleansUp()
{
    // Ctrl-C in the terminal of `./setup.sh run`, or a plain kill: the GUI shuts down as if its
    // window were closed, so the writers stop and the temporary cache is removed at once.
    QFETCH(int, signal);
    QProcess gui;
    QList<qint64> processes;
    startGuiDemo(gui, processes);
    if (QTest::currentTestFailed())
        return;
    ::kill(pid_t(gui.processId()), signal);
    QVERIFY(gui.waitForFinished(30000));
    QCOMPARE(gui.exitStatus(), QProcess::NormalExit);
    for (qint64 pid : processes)
        QTRY_VERIFY2_WITH_TIMEOUT(!isRunning(pid), qPrintable(QString::number(pid)), 30000);
    QVERIFY(demoDirectories(m_tmp.path()).isEmpty());
}

void TestDemo::demoTakesNoDatabase()
{
    const auto result = runProgram(QStringLiteral(CACHESCOPE_GUI_PATH), { u"--demo"_s, u"some.db"_s });
    QCOMPARE(result.exitCode, 2);
    QVERIFY(result.err.contains("--demo"));
    QVERIFY(demoDirectories(m_tmp.path()).isEmpty());
}

void TestDemo::overviewCountFollowsTheWriters()
{
    // #28: the Overview counted the demo's cache once at open ("0 entries") while Entries listed
    // the rows the writers added since. Once the live samples show commits it counts again
    // within seconds: three times in a row it catches up with a count taken from the table.
    MainWindow window;
    window.resize(1000, 708);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    DemoSession::Options options;
    options.cliPath = QStringLiteral(CACHESCOPE_CLI_PATH);
    const Status started = window.startDemo(options);
    QVERIFY2(started.ok(), qPrintable(started.error().message));
    QTRY_VERIFY_WITH_TIMEOUT(window.database(), 30000);
    const QString db = window.database()->path();
    OverviewPage* overview = window.overviewPage();
    static const QRegularExpression contents(u"Contents(?:, counted at \\d\\d:\\d\\d:\\d\\d)?: ([\\d,]+) entr"_s);
    static const QRegularExpression table(u"— ([\\d,]+) entr"_s); // the Cache box: "llm_cache — format llm — 8 entries"
    const auto number = [](const QRegularExpression& expression, const QString& text) {
        const auto match = expression.match(text);
        return match.hasMatch() ? match.captured(1).remove(u',').toLongLong() : -1;
    };
    const auto shown = [&] { return number(contents, overview->contentsText()); };
    QTRY_VERIFY2_WITH_TIMEOUT(shown() >= 0, qPrintable(overview->contentsText()), 30000);
    for (int round = 0; round < 3; ++round) {
        qint64 rows = 0; // more than the Overview shows: the writers wrote since its count
        QTRY_VERIFY_WITH_TIMEOUT((rows = queryInt(db, u"SELECT count(*) FROM llm_cache"_s)) > shown(), 30000);
        QTRY_VERIFY2_WITH_TIMEOUT(shown() >= rows,
            qPrintable(u"round %1: the table had %2 rows; the Overview shows: %3"_s.arg(round).arg(rows).arg(
                overview->contentsText().left(200))),
            OverviewPage::ChangedRecountMs + 6000);
        // The Cache box was counted in the same pass, just before.
        QVERIFY2(number(table, overview->cacheText()) >= rows, qPrintable(overview->cacheText()));
    }
    QVERIFY(window.grab().save(screenshotPath(u"demo-overview-recounted.png"_s)));
    window.close();
    window.closeDatabase();
}

// #28: a demo's folder outlived a GUI killed with SIGKILL (or a crash) until the next demo started.
// Any start of CacheScope removes it now, and never the folder of a demo still running: one demo
// runs, another is killed, then the plain GUI starts and the killed one's folder goes.
void TestDemo::killedDemosFolderGoesWhenCacheScopeStarts()
{
    QProcess live;
    QList<qint64> liveProcesses;
    startGuiDemo(live, liveProcesses);
    if (QTest::currentTestFailed())
        return;
    const QStringList liveFolder = demoDirectories(m_tmp.path());
    QProcess killed;
    QList<qint64> killedProcesses;
    startGuiDemo(killed, killedProcesses);
    if (QTest::currentTestFailed())
        return;
    QStringList dead = demoDirectories(m_tmp.path());
    for (const QString& name : liveFolder)
        dead.removeAll(name);
    QCOMPARE(dead.size(), 1);
    QVERIFY(dead.first().startsWith(u"cachescope-demo-%1."_s.arg(killed.processId()))); // its owner, by name
    ::kill(pid_t(killed.processId()), SIGKILL);
    QVERIFY(killed.waitForFinished(10000));
    for (qint64 pid : killedProcesses)
        QTRY_VERIFY2_WITH_TIMEOUT(!isRunning(pid), qPrintable(QString::number(pid)), 60000);
    QVERIFY(QFileInfo::exists(m_tmp.filePath(dead.first()))); // left behind, with the demo's cache in it
    QVERIFY(QFileInfo::exists(m_tmp.filePath(dead.first() + u"/llm-cache.db"_s)));
    QProcess gui;
    startGui(gui, {}); // CacheScope with no cache: its welcome page
    QVERIFY(gui.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(!QFileInfo::exists(m_tmp.filePath(dead.first())), 30000);
    QCOMPARE(demoDirectories(m_tmp.path()), liveFolder); // the running demo's stays, its writers write on
    for (qint64 pid : liveProcesses)
        QVERIFY2(isRunning(pid), qPrintable(QString::number(pid)));
    for (QProcess* process : { &gui, &live }) {
        ::kill(pid_t(process->processId()), SIGTERM);
        QVERIFY(process->waitForFinished(30000));
    }
    QVERIFY(demoDirectories(m_tmp.path()).isEmpty());
}

QTEST_MAIN(TestDemo)
#include "tst_demo.moc"
