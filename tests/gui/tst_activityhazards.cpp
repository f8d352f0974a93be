// SPDX-License-Identifier: GPL-3.0-or-later
// The hazards of watching a live cache from a process that holds its own SQLite connection
// (docs/WAL.md §4), end to end: the offscreen MainWindow with its Activity page streaming
// `cachescope-cli watch` at 10 Hz must (a) leave its own connection's locks and a writer's
// write lock in /proc/locks throughout, and (b) never pin the checkpoint: a writer's -wal
// grows with the GUI attached nowhere near as a reader holding a read transaction makes it grow.
#include "models/activityfeed.h"
#include "openedwindow.h"
#include "os/locktable.h"
#include "pages/activitypage.h"
#include "scratchdir.h"
#include "testsupport.h"
#include "window/mainwindow.h"
#include "writerscripts.h"

#include <QDir>
#include <QFileInfo>
#include <QTabWidget>
#include <QTest>

#include <csignal>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

namespace {
bool holds(const LockTable& table, qint64 pid, const QString& name, bool write)
{
    for (const auto& lock : table.holders(name)) {
        if (lock.pid == pid && lock.write == write)
            return true;
    }
    return false;
}

// A Python child started without blocking the GUI thread (the GUI keeps running meanwhile).
struct Writer {
    QProcess process;
    Writer(const char* script, const QStringList& args)
    {
        process.setProcessChannelMode(QProcess::MergedChannels);
        startPythonScript(process, QString::fromUtf8(script), args);
    }
    ~Writer() { stop(); }
    void stop()
    {
        process.closeWriteChannel();
        if (!process.waitForFinished(5000)) {
            process.kill();
            process.waitForFinished(3000);
        }
    }
    bool ready() { return process.peek(1 << 20).contains("ready"); }
    bool waitReady()
    {
        if (!process.waitForStarted())
            return false;
        (void)QTest::qWaitFor([&] { return ready() || process.state() != QProcess::Running; }, 120000);
        return ready();
    }
};

// What one writer's run left: the -wal's high-water mark and how many commits made it.
struct WalRun {
    qint64 walBytes = -1;
    qint64 commits = 0;
    double bytesPerCommit() const { return commits > 0 ? double(walBytes) / double(commits) : 0; }
};
} // namespace

class TestActivityHazards : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup() { m_dir.reset(); }
    void monitoringKeepsEveryonesLocks();
    void inspectorDoesNotPinTheCheckpoint();
    void watcherDiesWithKilledGui();

private:
    QString db() const { return m_dir.filePath(u"cache.db"_s); }
    WalRun walRunWithWriter(MainWindow* window);
    ScratchDir m_dir;
};

void TestActivityHazards::initTestCase()
{
    QCoreApplication::setOrganizationName(u"CacheScopeTests"_s);
    qputenv("CACHESCOPE_CLI", QByteArrayLiteral(CACHESCOPE_CLI_PATH));
}

void TestActivityHazards::init()
{
    QVERIFY(m_dir.renew());
    makeCache(db(), u"wal"_s, 20);
}

void TestActivityHazards::monitoringKeepsEveryonesLocks()
{
    PythonChild writer(QString::fromUtf8(WriterScripts::holdWriteLock), { db() });
    QVERIFY(writer.waitReady());
    MainWindow window;
    QVERIFY(showAndOpen(window, db(), Database::Mode::ReadWrite));
    window.pages()->setCurrentWidget(window.activityPage());
    ActivityPage* page = window.activityPage();
    QVERIFY(page->feed()->arguments().contains(u"100"_s)); // --interval-ms 100: 10 Hz
    const qint64 self = QCoreApplication::applicationPid();
    const auto targets = lockTargetsFor(db());
    QVERIFY(holds(LockTable::collect(targets).value(), self, u"dms"_s, false));

    // 50 samples at 10 Hz: about five seconds; check /proc/locks all along (it needs no fd).
    int polls = 0;
    while (page->samplesShown() < 50 || polls < 10) { // both, however loaded the machine is
        QTest::qWait(50); // the measurement itself: /proc/locks read every 50 ms while the samples arrive
        ++polls;
        const auto table = LockTable::collect(targets);
        QVERIFY(table.ok());
        QVERIFY2(holds(table.value(), self, u"dms"_s, false), "the GUI's own connection lost its -shm lock");
        QVERIFY2(holds(table.value(), self, u"db_shared"_s, false), "the GUI's own connection lost its db lock");
        QVERIFY2(holds(table.value(), writer.pid(), u"write"_s, true), "the writer lost its write lock");
        // The watcher child itself holds no lock at all.
        for (const auto& lock : table->locks())
            QVERIFY(lock.pid != page->feed()->childPid());
        QVERIFY2(polls < 2400, "the Activity page received no samples"); // 2 minutes on a very loaded machine
    }
    QCOMPARE(page->shownWriterPid(), writer.pid());
    QVERIFY(window.grab().save(screenshotPath(u"activity-writer.png"_s)));
}

WalRun TestActivityHazards::walRunWithWriter(MainWindow* window)
{
    // A writer committing one row every 5 ms for RunMs, with a checkpoint every 100 pages; the
    // -wal's size afterwards is its high-water mark. Paced, not a burst: the run lasts as long on
    // a loaded machine as on an idle one. A short read by the GUI that waits a second for a core
    // (its reader threads run at nice +10) then spans a part of the run, not all of it, as it did
    // when the 1500 commits of a burst took about a second.
    constexpr int RunMs = 8000;
    Writer writer(WriterScripts::writeContinuously, { db(), u"0.005"_s, u"100"_s });
    if (!writer.waitReady())
        return {};
    QTest::qWait(RunMs); // the measurement itself: the writer commits while the GUI samples and refreshes
    WalRun run;
    run.walBytes = QFileInfo(db() + u"-wal"_s).size();
    writer.stop();
    const QByteArray output = writer.process.readAll();
    const qsizetype at = output.indexOf("commits ");
    run.commits = at < 0 ? 0 : output.mid(at + 8).trimmed().toLongLong();
    if (window && window->activityPage()->samplesShown() < 5)
        run.walBytes = -2; // the inspector was not actually watching
    return run;
}

void TestActivityHazards::inspectorDoesNotPinTheCheckpoint()
{
    const WalRun without = walRunWithWriter(nullptr);
    QVERIFY(without.walBytes > 0 && without.commits > 0);
    // What a pin does, measured here: a reader holding a read transaction through the run.
    QVERIFY(m_dir.renew());
    makeCache(db(), u"wal"_s, 20);
    WalRun pinned;
    {
        Writer reader(WriterScripts::holdReadTransaction, { db() });
        QVERIFY(reader.waitReady());
        pinned = walRunWithWriter(nullptr);
    }
    QVERIFY(pinned.walBytes > 0 && pinned.commits > 0);
    // Start again from the same state: a fresh cache, this time with the GUI watching it.
    QVERIFY(m_dir.renew());
    makeCache(db(), u"wal"_s, 20);
    MainWindow window;
    window.show();
    QVERIFY(openAndWait(window, db(), Database::Mode::ReadWrite));
    window.pages()->setCurrentWidget(window.activityPage());
    QTRY_VERIFY_WITH_TIMEOUT(window.activityPage()->samplesShown() >= 5, 60000);
    const WalRun with = walRunWithWriter(&window);
    QVERIFY(with.walBytes > 0 && with.commits > 0);
    const QString report = u"-wal high-water mark: %1 bytes after %2 commits without the GUI, %3 after %4 with it, "
                           "%5 after %6 with a reader pinning the checkpoint"_s.arg(without.walBytes)
                               .arg(without.commits)
                               .arg(with.walBytes)
                               .arg(with.commits)
                               .arg(pinned.walBytes)
                               .arg(pinned.commits);
    qInfo("%s", qPrintable(report));
    // Unpinned, the -wal wraps near the 100-page autocheckpoint; pinned, it keeps every commit's
    // frames. With the GUI it must stay under half of what a pin gives for as many commits: the
    // GUI's short reads may hold a wrap back for a while (longer under ASan, or when a loaded
    // machine makes a read wait for a core), never for the run.
    QVERIFY2(pinned.walBytes > 4 * without.walBytes, qPrintable(report)); // the pin was one
    QVERIFY2(with.bytesPerCommit() <= pinned.bytesPerCommit() / 2, qPrintable(report));
    QVERIFY(without.walBytes < 2 * 1024 * 1024);
}

void TestActivityHazards::watcherDiesWithKilledGui()
{
    QProcess gui;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
    gui.setProcessEnvironment(env);
    gui.start(QStringLiteral(CACHESCOPE_GUI_PATH), { db() });
    QVERIFY(gui.waitForStarted());
    // The GUI's `cachescope-cli watch` child, found by its parent and command line.
    qint64 watcher = 0;
    const auto alive = [&watcher] {
        QFile status(u"/proc/%1/stat"_s.arg(watcher));
        if (!status.open(QIODevice::ReadOnly))
            return false;
        const QByteArray stat = status.readAll();
        return stat.mid(stat.lastIndexOf(')') + 2, 1) != "Z"; // a zombie is dead, waiting to be reaped
    };
    const auto findWatcher = [&] {
        QDir proc(u"/proc"_s);
        for (const QString& entry : proc.entryList(QDir::Dirs)) {
            QFile status(u"/proc/%1/stat"_s.arg(entry));
            QFile cmdline(u"/proc/%1/cmdline"_s.arg(entry));
            if (!status.open(QIODevice::ReadOnly) || !cmdline.open(QIODevice::ReadOnly))
                continue;
            const QByteArray stat = status.readAll();
            const QList<QByteArray> fields = stat.mid(stat.lastIndexOf(')') + 2).split(' ');
            if (fields.size() > 1 && fields.at(1).toLongLong() == gui.processId()
                && cmdline.readAll().contains(QByteArrayView("\0watch\0", 7)))
                watcher = entry.toLongLong();
        }
        return watcher != 0;
    };
    QTRY_VERIFY_WITH_TIMEOUT(findWatcher(), 60000);
    QVERIFY(alive());
    ::kill(pid_t(gui.processId()), SIGKILL);
    QVERIFY(gui.waitForFinished(10000));
    QTRY_VERIFY_WITH_TIMEOUT(!alive(), 30000);
}

QTEST_MAIN(TestActivityHazards)
#include "tst_activityhazards.moc"
