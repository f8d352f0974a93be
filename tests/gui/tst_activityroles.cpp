// SPDX-License-Identifier: GPL-3.0-or-later
// Who the Activity page says each process is: the process table's roles of real clients (a diskcache writer, a
// process that only has the cache open), and this window itself when it holds the write lock. The page's facts,
// banner and chart: tst_activitypage.
#include "common/format.h"
#include "live/sampler.h"
#include "live/warningcatalog.h"
#include "livecachetest.h"
#include "measuredsample.h"
#include "models/activityfeed.h"
#include "models/activitysample.h"
#include "models/processmodel.h"
#include "pages/activitypage.h"
#include "pages/activitywording.h"
#include "pages/emptyviewhint.h"
#include "shownwords.h"
#include "testsupport.h"
#include "window/mainwindow.h"
#include "writerscripts.h"

#include <QCoreApplication>
#include <QFile>
#include <QLabel>
#include <QProcess>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

#include <optional>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

class TestActivityRoles : public LiveCacheTest {
    Q_OBJECT
private Q_SLOTS:
    void processTableNamesEveryRole();
    void ownWriteLockIsThisWindow();
    void unseenWriterIsNotNobody_data();
    void unseenWriterIsNotNobody();
    void holderWithoutPidIsNotPidZero();
};

namespace {
// The Activity page with its own watch of the cache, and the latest sample it received.
struct WatchedPage {
    explicit WatchedPage(const QString& db, const QString& attribution = QString())
    {
        QObject::connect(
            page.feed(), &ActivityFeed::sampleReceived, &page, [this](const ActivitySample& sample) { last = sample; });
        if (!attribution.isEmpty())
            page.feed()->setAttribution(attribution);
        page.resize(MainWindow::DefaultSize);
        page.show();
        page.showDatabase(db);
    }
    // Stops the watch and shows `last` alone, so the words compared are of one sample.
    ActivitySample freeze()
    {
        page.feed()->stop();
        page.applySample(*last);
        return *last;
    }
    QString label(const QString& name) const { return shownWords(page.findChild<QLabel*>(name)); }
    ActivityPage page;
    std::optional<ActivitySample> last;
};
} // namespace

void TestActivityRoles::processTableNamesEveryRole()
{
    const QString dir = m_live.filePath(u"diskcache"_s);
    PythonChild* writer = start(WriterScripts::diskcacheWriter, { dir });
    QVERIFY(writer);
    PythonChild* idle = start(WriterScripts::holdOpen, { dir + u"/cache.db"_s });
    QVERIFY(idle);
    ActivityPage page;
    page.resize(1000, 660); // the default window less its menu, tabs and status bar
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    Sampler sampler(dir + u"/cache.db"_s);
    ProcessModel* model = page.processModel();
    const auto named = [&] {
        return model->roleOf(writer->pid()).contains(u"writer"_s)
            || model->roleOf(writer->pid()).contains(u"write lock"_s);
    };
    for (qint64 t = 0; t < 30000 && (t < 1000 || !named() || model->rowOf(idle->pid()) < 0); t += 100) {
        page.applySample(measure(sampler, t, true));
        QTest::qWait(100); // the real writer commits between two samples
    }
    QVERIFY2(named(), qPrintable(model->roleOf(writer->pid())));
    QCOMPARE(model->roleOf(idle->pid()), u"has it open"_s);
    const QModelIndex command = model->index(model->rowOf(writer->pid()), int(ProcessModel::Column::CommandLine));
    const QString shown = command.data().toString();
    const QString full = command.data(Qt::ToolTipRole).toString();
    QVERIFY2(shown.startsWith(u"python3 -u -c "_s), qPrintable(shown)); // the program's name, not its folder
    QVERIFY2(full.contains(u"import diskcache"_s) && full.size() > shown.size() - 20, qPrintable(full));
    QVERIFY(!model->index(0, int(ProcessModel::Column::Role)).data(Qt::ToolTipRole).toString().isEmpty());
    auto* view = page.findChild<QTableView*>(u"processView"_s);
    QCOMPARE(view->textElideMode(), Qt::ElideMiddle);
    // The command line gets what the other columns leave: a sensible share of the table.
    QVERIFY2(view->columnWidth(int(ProcessModel::Column::CommandLine)) >= view->viewport()->width() / 4,
        qPrintable(QString::number(view->columnWidth(int(ProcessModel::Column::CommandLine)))));
    const int roleWidth = view->columnWidth(int(ProcessModel::Column::Role));
    QVERIFY2(roleWidth >= view->fontMetrics().horizontalAdvance(model->roleOf(writer->pid())),
        qPrintable(QString::number(roleWidth)));
    QVERIFY(page.grab().save(screenshotPath(u"activity-process-roles.png"_s)));
    page.resize(1920, 1000); // maximised on a 1920x1080 screen (offscreen has no window manager)
    QTRY_COMPARE(view->width() > 1000, true);
    QVERIFY(page.grab().save(screenshotPath(u"activity-process-roles-maximised.png"_s)));
}

// #28: while this window's own maintenance held the write lock (a checkpoint), the Overview said "PID 25334
// (tst_checkpointd) holds the write lock now", a client of the cache by its pid. This process takes the write lock
// for real (BEGIN IMMEDIATE through the system SQLite) while the Activity feed's watch runs: every panel says it is
// this window.
void TestActivityRoles::ownWriteLockIsThisWindow()
{
    qputenv("CACHESCOPE_CLI", QByteArrayLiteral(CACHESCOPE_CLI_PATH));
    sqlite3* connection = nullptr;
    QCOMPARE(sqlite3_open_v2(db().toUtf8().constData(), &connection, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
    const auto closeConnection = qScopeGuard([connection] { sqlite3_close(connection); });
    QCOMPARE(sqlite3_exec(connection, "BEGIN IMMEDIATE; INSERT INTO entries(key, value) VALUES ('own', 'x')", nullptr,
                 nullptr, nullptr),
        SQLITE_OK);
    ActivityPage page;
    page.resize(1000, 700);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    ActivityFeed feed;
    std::optional<ActivitySample> held;
    connect(&feed, &ActivityFeed::sampleReceived, &page, [&](const ActivitySample& sample) {
        page.applySample(sample);
        if (sample.writer && !held)
            held = sample;
    });
    feed.start(db());
    QTRY_VERIFY_WITH_TIMEOUT(held.has_value(), 30000);
    const QString self = QString::number(QCoreApplication::applicationPid());
    QCOMPARE(held->writer->pid, QCoreApplication::applicationPid()); // the truth: this process holds it
    QVERIFY(held->writerIsThisProcess);
    const QString words = ActivityWording::writersText(*held); // the Overview's Writers box
    QVERIFY2(words.contains(u"CacheScope (this window) holds the write lock now"_s) && !words.contains(self),
        qPrintable(words));
    auto* writerValue = page.findChild<QLabel*>(u"writerValue"_s);
    QTRY_VERIFY2(
        shownWords(writerValue).startsWith(u"CacheScope (this window)"_s), qPrintable(shownWords(writerValue)));
    QVERIFY2(!shownWords(writerValue).contains(self), qPrintable(shownWords(writerValue)));
    feed.stop();
    QCOMPARE(sqlite3_exec(connection, "ROLLBACK", nullptr, nullptr, nullptr), SQLITE_OK);
}

void TestActivityRoles::unseenWriterIsNotNobody_data()
{
    addAttributionRows();
}

// #28: commits counted, nobody named. The watch runs in a pid namespace of its own (unshare), as CacheScope in a
// container beside the cache's writers: it counts a real python3 writer's commits (the -wal, the -shm) but the kernel
// shows it neither that process nor its locks. "Wrote lately" said "nobody in the last 10 s", and the Overview's
// Writers box "Nobody wrote in the last 10 s.", beside the commits/s.
void TestActivityRoles::unseenWriterIsNotNobody()
{
    QFETCH(QString, attribution);
    QTemporaryDir wrapperDir;
    const QString wrapper = wrapperDir.filePath(u"cachescope-cli-in-a-container"_s);
    QFile script(wrapper);
    QVERIFY(script.open(QIODevice::WriteOnly));
    script.write("#!/bin/sh\nexec unshare --pid --fork --mount-proc --kill-child " CACHESCOPE_CLI_PATH " \"$@\"\n");
    script.close();
    QVERIFY(script.setPermissions(script.permissions() | QFileDevice::ExeOwner));
    if (QProcess::execute(u"unshare"_s, { u"--pid"_s, u"--fork"_s, u"--mount-proc"_s, u"true"_s }) != 0)
        QSKIP("unshare --pid needs root (CI and this machine run the tests as root)");
    qputenv("CACHESCOPE_CLI", wrapper.toUtf8());
    const auto restore = qScopeGuard([] { qputenv("CACHESCOPE_CLI", QByteArrayLiteral(CACHESCOPE_CLI_PATH)); });
    PythonChild* writer = start(WriterScripts::writeContinuously, { db(), u"0.05"_s });
    QVERIFY(writer);
    WatchedPage watched(db(), attribution);
    // A line that carries the process list (#28: "open: 0" said beside the live -shm).
    QTRY_VERIFY_WITH_TIMEOUT(
        watched.last && watched.last->ratesShown() && watched.last->commitsPerSecond > 0 && watched.last->processes,
        60000);
    const ActivitySample sample = watched.freeze();
    QVERIFY2(sample.recentWriters.isEmpty() && !sample.writer, "the watch in its own namespace saw the writer");
    // Nobody visible has the files open, yet the -shm shows live connections: said as such, never a bare 0 beside
    // "live: connections have the cache open", in the Overview's box and in the Activity tab's empty process table.
    QVERIFY(sample.processes->isEmpty());
    QCOMPARE(sample.filesState, u"live"_s);
    const QString unseen = u"Processes with the cache's files open: 0 visible to CacheScope; the -shm shows live "
                           "connections (processes in another container or pid namespace cannot be seen)."_s;
    QVERIFY2(ActivityWording::writersText(sample).contains(unseen), qPrintable(ActivityWording::writersText(sample)));
    const auto* hint = watched.page.findChild<QTableView*>(u"processView"_s)->findChild<EmptyViewHint*>();
    QVERIFY(hint && hint->isShown());
    QVERIFY2(
        shownWords(hint).startsWith(u"No process visible to CacheScope has the cache's files open, but the -shm shows "
                                    "live connections"_s),
        qPrintable(shownWords(hint)));
    const QString wrote = watched.label(u"writersValue"_s);
    const QString box = ActivityWording::writersText(sample); // the Overview's Writers box
    qInfo("Wrote lately: %s", qPrintable(wrote));
    qInfo("Overview: %s", qPrintable(box));
    // The commits the rate counted over its span, said as such (rate × span, c662233), and that nobody was named.
    const QString span = u"the last "_s + Format::duration(sample.rateSpanMs);
    const qint64 counted = qRound64(sample.commitsPerSecond * double(sample.rateSpanMs) / 1000.0);
    const QString words = u"%1 commits in %2, writer not identified"_s.arg(counted).arg(span);
    QVERIFY2(wrote.contains(words) && !wrote.contains(u"nobody"_s, Qt::CaseInsensitive), qPrintable(wrote));
    QVERIFY2(box.contains(words + u'.') && !box.contains(u"Nobody"_s), qPrintable(box));
    settleEvents();
    QVERIFY(watched.page.grab().save(screenshotPath(u"activity-writer-not-identified-%1.png"_s.arg(attribution))));
}

// #28: a write lock /proc/locks names no process for (an open file description lock: pid -1; a holder in another pid
// namespace reads 0 through fcntl) was said "PID -1 () holds the write lock now" in the Overview's Writers box.
void TestActivityRoles::holderWithoutPidIsNotPidZero()
{
    qputenv("CACHESCOPE_CLI", QByteArrayLiteral(CACHESCOPE_CLI_PATH));
    PythonChild* holder = start(WriterScripts::holdWriteLockOfd, { db() });
    QVERIFY(holder);
    WatchedPage watched(db());
    // Held long enough for the lock's share (5 samples) and the contention warning.
    QTRY_VERIFY_WITH_TIMEOUT(watched.last && watched.last->writer && watched.last->writeLockBusy
            && !watched.last->warnings.isEmpty()
            && watched.last->warnings.last().code == WarningCode::WriteLockContention,
        60000);
    const ActivitySample sample = watched.freeze();
    QCOMPARE(sample.writer->pid, -1); // the truth: the kernel gives no pid for it
    // Busy all along: the share counted it (it read 0% while nobody could be named).
    QCOMPARE(*sample.writeLockBusy, 1.0);
    const QString warned = sample.warnings.last().message;
    qInfo("Health: %s", qPrintable(warned));
    QVERIFY2(
        warned.contains(u". It is held by a process CacheScope cannot see ("_s) && !warned.contains(u"process -1"_s),
        qPrintable(warned));
    const QString box = ActivityWording::writersText(sample);
    const QString lock = watched.label(u"writerValue"_s);
    qInfo("Overview: %s", qPrintable(box));
    qInfo("Write lock: %s", qPrintable(lock));
    static const QRegularExpression pid(u"PID -?\\d"_s);
    const QString unseen = u"a process CacheScope cannot see"_s;
    QVERIFY2(box.contains(unseen
                 + u" (in another container, or a lock the kernel names no process for) holds the "
                   "write lock now"_s)
            && !box.contains(pid),
        qPrintable(box));
    QVERIFY2(lock.startsWith(unseen) && !lock.contains(pid), qPrintable(lock));
    settleEvents();
    QVERIFY(watched.page.grab().save(screenshotPath(u"activity-holder-without-pid.png"_s)));
}

QTEST_MAIN(TestActivityRoles)
#include "tst_activityroles.moc"
