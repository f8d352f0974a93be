// SPDX-License-Identifier: GPL-3.0-or-later
// Closing a page never waits for its background work (#23.9: the GUI thread is never late by more than a
// frame). The Overview's summary and the Entries' rows are read on BackgroundTask's pool; while another
// process holds a rollback cache exclusively, those reads wait for the lock. A page destroyed meanwhile must go
// at once — its result dropped with its watcher — and the worker must finish later without touching it (ASan+UBSan
// run this too).
#include "models/entrymodel.h"
#include "pages/entriespage.h"
#include "pages/overviewpage.h"
#include "sqlite/database.h"
#include "tasks/backgroundtask.h"
#include "testsupport.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

namespace {
// Far below the 3 s the blocked worker waits: a destructor that waited for it could not return in time.
constexpr qint64 QuickMs = 1000;
} // namespace

class TestClosingNeverWaits : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void overviewGoesWhileItsSummaryWaits();
    void entriesGoWhileTheirRowsWait();

private:
    QTemporaryDir m_dir;
    QString m_file;
};

void TestClosingNeverWaits::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QCOMPARE(Database::defaultBusyTimeoutMs(Database::Mode::ReadOnly), 3000); // far above QuickMs
    m_file = m_dir.filePath(u"held.db"_s);
    makeCache(m_file, u"delete"_s, 50);
}

void TestClosingNeverWaits::overviewGoesWhileItsSummaryWaits()
{
    auto database = Database::open(m_file, Database::Mode::ReadOnly);
    QVERIFY(database);
    QCOMPARE(database.value()->journalMode(), u"delete"_s);
    PythonChild holder(holderScript(), { m_file, u"exclusive"_s });
    QVERIFY(holder.waitReady());
    QCOMPARE(BackgroundTask::pool()->activeThreadCount(), 0);

    auto page = std::make_unique<OverviewPage>();
    QSignalSpy shown(page.get(), &OverviewPage::summaryShown);
    page->showDatabase(database.value().get());
    QTRY_VERIFY(BackgroundTask::pool()->activeThreadCount() > 0); // the summary is being read, and waits
    QTest::qWait(100);
    QCOMPARE(shown.count(), 0);

    QElapsedTimer clock;
    clock.start();
    page.reset();
    const qint64 took = clock.elapsed();
    QVERIFY2(took < QuickMs, qPrintable(u"closing the Overview waited %1 ms"_s.arg(took)));
    // The summary waits at most CacheSummary::BusyTimeoutMs (100 ms) for the lock at a time, so a page that
    // waited for it could not be caught here by the clock; what this proves is that its result, arriving after
    // the page went, is dropped without touching it (ASan+UBSan) and nothing is left running.
    QVERIFY(BackgroundTask::pool()->waitForDone(15000));
    QCoreApplication::processEvents();
    QCOMPARE(shown.count(), 0);
}

void TestClosingNeverWaits::entriesGoWhileTheirRowsWait()
{
    auto database = Database::open(m_file, Database::Mode::ReadOnly);
    QVERIFY(database);
    auto page = std::make_unique<EntriesPage>();
    page->showDatabase(database.value().get());
    auto* view = page->findChild<QTableView*>(u"rowsView"_s);
    QVERIFY(view);
    QTRY_COMPARE(view->model()->rowCount(), 50);
    QVERIFY(BackgroundTask::pool()->waitForDone(15000));

    // The lock taken, then a search: its first page is read on a worker, which waits for the lock.
    PythonChild holder(holderScript(), { m_file, u"exclusive"_s });
    QVERIFY(holder.waitReady());
    page->entryModel()->setFilter(EntryFilter {});
    QTRY_VERIFY(BackgroundTask::pool()->activeThreadCount() > 0);
    QTest::qWait(100);

    QElapsedTimer clock;
    clock.start();
    page.reset();
    const qint64 took = clock.elapsed();
    // Still reading (the lock is still held, its 3 s busy timeout not over): the page did not wait for it.
    const int stillRunning = BackgroundTask::pool()->activeThreadCount();
    QVERIFY2(took < QuickMs, qPrintable(u"closing the Entries page waited %1 ms"_s.arg(took)));
    QVERIFY2(stillRunning > 0, "the rows' worker had already finished: the test proves nothing");
    QVERIFY(BackgroundTask::pool()->waitForDone(15000));
    QCoreApplication::processEvents();
}

QTEST_MAIN(TestClosingNeverWaits)
#include "tst_closingneverwaits.moc"
