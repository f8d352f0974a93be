// SPDX-License-Identifier: GPL-3.0-or-later
// Who the Activity page says each process is: the process table's roles of real clients (a diskcache writer, a
// process that only has the cache open), and this window itself when it holds the write lock. The page's facts,
// banner and chart: tst_activitypage.
#include "live/sampler.h"
#include "livecachetest.h"
#include "measuredsample.h"
#include "models/activityfeed.h"
#include "models/activitysample.h"
#include "models/processmodel.h"
#include "pages/activitypage.h"
#include "pages/activitywording.h"
#include "testsupport.h"
#include "writerscripts.h"

#include <QCoreApplication>
#include <QLabel>
#include <QScopeGuard>
#include <QTableView>
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
};

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
    QTRY_VERIFY2(writerValue->text().startsWith(u"CacheScope (this window)"_s), qPrintable(writerValue->text()));
    QVERIFY2(!writerValue->text().contains(self), qPrintable(writerValue->text()));
    feed.stop();
    QCOMPARE(sqlite3_exec(connection, "ROLLBACK", nullptr, nullptr, nullptr), SQLITE_OK);
}

QTEST_MAIN(TestActivityRoles)
#include "tst_activityroles.moc"
