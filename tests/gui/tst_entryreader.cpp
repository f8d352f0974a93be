// SPDX-License-Identifier: GPL-3.0-or-later
// EntryReader never makes the GUI thread wait for a read it cannot interrupt (#23.9): when the
// reader goes while a read runs (one OP_Column of a 100 MiB cell, a pickle decode), its
// destructor returns at once; the running read keeps its connection until it ends and closes it
// on its worker, reads still queued fail without opening one, and once BackgroundTask's pool is
// done this process holds no connection to the cache (what Delete Cache Safely and a journal
// switch wait for). A reader with no read running closes its connection before its destructor
// returns. The reads are real EntryPager reads of a real SQLite file; a gate inside the read
// holds it where the test needs it, as an uninterruptible step would.
#include "backgroundwork.h"
#include "entries/profiles.h"
#include "tasks/entryreader.h"
#include "testsupport.h"

#include <QElapsedTimer>
#include <QSemaphore>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <memory>

using namespace Qt::Literals::StringLiterals;

class TestEntryReader : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath(u"small.db"_s);
        TestSupport::makeCache(m_path, u"wal"_s, 500);
        auto database = Database::open(m_path, Database::Mode::ReadOnly);
        QVERIFY(database);
        auto view = Profiles::mainView(database->get());
        QVERIFY2(view, qPrintable(view ? QString() : view.error().message));
        m_view = view.value();
    }
    void destroyedWhileAReadRuns();
    void destroyedIdleClosesAtOnce();

private:
    QTemporaryDir m_dir;
    QString m_path;
    EntryView m_view;
};

void TestEntryReader::destroyedWhileAReadRuns()
{
    QObject context;
    auto entered = std::make_shared<QSemaphore>();
    auto gate = std::make_shared<QSemaphore>();
    auto heldReadRows = std::make_shared<std::atomic_int>(-1);
    QList<Result<EntryPage>> delivered;
    auto reader = std::make_unique<EntryReader>(m_path, m_view, EntryFilter {});
    reader->read<EntryPage>(
        &context,
        [entered, gate, heldReadRows](EntryPager& pager) -> Result<EntryPage> {
            entered->release();
            gate->tryAcquire(1, 20000); // released by the test; 20 s if the destructor waited for it
            auto page = pager.first(50); // the connection is still open for the read that holds it
            *heldReadRows = page ? int(page->rows.size()) : 0;
            return page;
        },
        [&](Result<EntryPage> page) { delivered << page; });
    QVERIFY(entered->tryAcquire(1, 10000)); // the held read has the reader's mutex
    std::atomic_bool queuedRan = false;
    auto queued = reader->read<EntryPage>(
        &context,
        [&queuedRan](EntryPager& pager) {
            queuedRan = true; // never: a read waiting behind a reader that went opens nothing
            return pager.first(50);
        },
        [&](Result<EntryPage> page) { delivered << page; });
    QVERIFY(Database::isOpenInProcess(m_path)); // the held read's connection
    QElapsedTimer destroying;
    destroying.start();
    reader.reset();
    QVERIFY2(destroying.elapsed() < 5000, "the destructor waited for the held read");
    QVERIFY(Database::isOpenInProcess(m_path)); // the read still runs: its connection stays open
    gate->release();
    QVERIFY(waitForBackgroundWork());
    QCOMPARE(heldReadRows->load(), 50); // the held read read through the connection it kept
    QVERIFY(!queuedRan);
    QVERIFY(queued.isFinished());
    QVERIFY(!queued.result()); // failed: "the table view was closed"
    QVERIFY(queued.result().error().message.contains(u"closed"_s));
    QVERIFY(!Database::isOpenInProcess(m_path)); // closed by the held read's worker as it ended
    QCOMPARE(delivered.size(), 2); // the context is alive: both results still reach it
}

void TestEntryReader::destroyedIdleClosesAtOnce()
{
    QObject context;
    auto reader = std::make_unique<EntryReader>(m_path, m_view, EntryFilter {});
    QList<Result<EntryPage>> delivered;
    reader->read<EntryPage>(
        &context, [](EntryPager& pager) { return pager.first(10); },
        [&](Result<EntryPage> page) { delivered << page; });
    QVERIFY(waitForBackgroundWork());
    QCOMPARE(delivered.size(), 1);
    QVERIFY(delivered.first());
    QCOMPARE(delivered.first()->rows.size(), 10);
    QVERIFY(Database::isOpenInProcess(m_path)); // the reader keeps its connection between reads
    reader.reset();
    QVERIFY(!Database::isOpenInProcess(m_path)); // no read ran: closed before the destructor returned
}

QTEST_MAIN(TestEntryReader)
#include "tst_entryreader.moc"
