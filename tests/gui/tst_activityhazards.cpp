// SPDX-License-Identifier: GPL-3.0-or-later
// The hazards of watching a live cache from a process that holds its own SQLite connection
// (docs/WAL.md §4), end to end: the offscreen MainWindow with its Activity page streaming
// `cachescope-cli watch` at 10 Hz must (a) leave its own connection's locks and a writer's
// write lock in /proc/locks throughout, and (b) never pin the checkpoint: a writer's -wal
// grows no larger with the GUI attached than without it.
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

// A writer process started without blocking the GUI thread (the GUI keeps running meanwhile).
struct Writer {
    QProcess process;
    explicit Writer(const QStringList& args)
    {
        process.setProcessChannelMode(QProcess::MergedChannels);
        startPythonScript(process, QString::fromUtf8(WriterScripts::writeCommits), args);
    }
    ~Writer()
    {
        process.closeWriteChannel();
        if (!process.waitForFinished(5000)) {
            process.kill();
            process.waitForFinished(3000);
        }
    }
    bool ready() { return process.peek(1 << 20).contains("ready"); }
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
    qint64 walHighWaterWithWriter(MainWindow* window);
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

qint64 TestActivityHazards::walHighWaterWithWriter(MainWindow* window)
{
    // 1500 commits with a checkpoint every 100 pages; the -wal size afterwards is its high-water mark.
    Writer writer({ db(), u"1500"_s, u"1"_s, u"100"_s, u"none"_s, u"100"_s });
    if (!writer.process.waitForStarted())
        return -1;
    // The event loop runs meanwhile: the GUI keeps sampling and refreshing.
    (void)QTest::qWaitFor([&] { return writer.ready() || writer.process.state() != QProcess::Running; }, 120000);
    if (!writer.ready())
        return -1;
    if (window && window->activityPage()->samplesShown() < 5)
        return -2; // the inspector was not actually watching
    return QFileInfo(db() + u"-wal"_s).size();
}

void TestActivityHazards::inspectorDoesNotPinTheCheckpoint()
{
    const qint64 without = walHighWaterWithWriter(nullptr);
    QVERIFY(without > 0);
    // Start again from the same state: a fresh cache, this time with the GUI watching it.
    QVERIFY(m_dir.renew());
    makeCache(db(), u"wal"_s, 20);
    MainWindow window;
    window.show();
    QVERIFY(openAndWait(window, db(), Database::Mode::ReadWrite));
    window.pages()->setCurrentWidget(window.activityPage());
    QTRY_VERIFY_WITH_TIMEOUT(window.activityPage()->samplesShown() >= 5, 60000);
    const qint64 with = walHighWaterWithWriter(&window);
    QVERIFY(with > 0);
    qInfo("-wal high-water mark: %lld bytes without the GUI, %lld with it", without, with);
    // A pinned checkpoint would let the -wal grow to ~1500 frames (≈6 MiB); unpinned it stays
    // near the 100-page autocheckpoint.
#if defined(__SANITIZE_ADDRESS__)
    // Under ASan the GUI's short reads last 5-10x longer, so one of them more often spans a
    // checkpoint and the -wal wraps later (seen: 1,273,112 bytes against 420,272, once in five):
    // still far from a pin, which this bound (half of what 1500 unwrapped frames take) catches.
    QVERIFY2(with <= 1500 * (4096 + 24) / 2, qPrintable(u"%1 vs %2"_s.arg(with).arg(without)));
#else
    QVERIFY2(with <= without * 2 + 256 * 1024, qPrintable(u"%1 vs %2"_s.arg(with).arg(without)));
#endif
    QVERIFY(without < 2 * 1024 * 1024);
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
