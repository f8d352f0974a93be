// SPDX-License-Identifier: GPL-3.0-or-later
// EntryCounter never makes the GUI thread wait for an index build it stopped (#23.9): closing a
// cache, changing the filter or destroying the counter returns while the build still reads; the
// stopped build's result and progress never reach the counter, a new build starts only once the
// stopped one ended (one walk at a time), and a model of the next cache counts that cache alone.
// The builds are the real EntryIndex::build over real SQLite files; a gate before it holds a
// build where the test needs it (as a slow statement of a big table would).
#include "backgroundwork.h"
#include "models/entrycounter.h"
#include "models/entrymodel.h"
#include "report/cachesummary.h"
#include "testsupport.h"

#include <QSemaphore>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <memory>
#include <optional>

using namespace Qt::Literals::StringLiterals;

namespace {
// Builds of one counter: each enters, waits at the gate, reports a progress the test can tell
// apart (as a build cancelled inside a statement reports once more), then runs the real walk.
struct GatedBuilds {
    static constexpr qint64 ReportAfterGate = 987654;
    QString path;
    std::shared_ptr<QSemaphore> entered = std::make_shared<QSemaphore>();
    std::shared_ptr<QSemaphore> gate = std::make_shared<QSemaphore>();
    std::shared_ptr<std::atomic_int> running = std::make_shared<std::atomic_int>(0);
    std::shared_ptr<std::atomic_int> mostAtOnce = std::make_shared<std::atomic_int>(0);
    std::shared_ptr<std::atomic_int> ended = std::make_shared<std::atomic_int>(0);

    std::function<EntryCounter::Build()> maker() const
    {
        return [*this] {
            return [b = *this](const std::atomic_bool& cancel, const EntryIndex::Progress& progress) {
                const int now = ++*b.running;
                for (int most = *b.mostAtOnce; now > most && !b.mostAtOnce->compare_exchange_weak(most, now);) { }
                b.entered->release();
                b.gate->tryAcquire(1, 20000); // released by the test; 20 s if a stop waited for it
                progress(ReportAfterGate);
                auto index = EntryIndex::build(b.path, u"entries"_s, {}, 100, cancel, progress);
                --*b.running;
                ++*b.ended;
                return index;
            };
        };
    }
};
} // namespace

class TestEntryCounter : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_small = m_dir.filePath(u"small.db"_s);
        TestSupport::makeCache(m_small, u"wal"_s, 2000);
    }
    void stopReturnsWhileTheBuildReads();
    void destroyedWhileTheBuildReads();
    void nextCacheCountsItselfAlone();
    void smallTableIsExactWithItsFirstPage();
    void indexIsDeliveredBeforeItsCount();

private:
    QTemporaryDir m_dir;
    QString m_small;
};

void TestEntryCounter::stopReturnsWhileTheBuildReads()
{
    GatedBuilds builds;
    builds.path = m_small;
    EntryCounter counter(builds.maker());
    QList<Result<EntryIndex>> finished;
    QList<qint64> progress;
    connect(&counter, &EntryCounter::finished, this, [&](const Result<EntryIndex>& index) { finished << index; });
    connect(&counter, &EntryCounter::progress, this, [&](qint64 seen) { progress << seen; });
    counter.start();
    QVERIFY(builds.entered->tryAcquire(1, 10000));
    counter.stop();
    QCOMPARE(builds.ended->load(), 0); // stop() returned while the build was held
    QVERIFY(!counter.isRunning());
    counter.start(); // asked for while the stopped build still reads: starts when it ends
    builds.gate->release(2);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 20000);
    const Result<EntryIndex>& index = finished.first();
    QVERIFY(index);
    QVERIFY(!index->cancelled);
    QCOMPARE(index->count, 2000);
    QVERIFY(waitForBackgroundWork());
    QCOMPARE(builds.ended->load(), 2);
    QCOMPARE(finished.count(), 1); // the stopped build's (cancelled) index was dropped
    QCOMPARE(builds.mostAtOnce->load(), 1); // one walk at a time
    // Each build reported ReportAfterGate once; only the second one's report is shown.
    QCOMPARE(progress.count(GatedBuilds::ReportAfterGate), 1);
}

void TestEntryCounter::destroyedWhileTheBuildReads()
{
    GatedBuilds builds;
    builds.path = m_small;
    auto counter = std::make_unique<EntryCounter>(builds.maker());
    counter->start();
    QVERIFY(builds.entered->tryAcquire(1, 10000));
    counter.reset(); // the window closing the cache: its counter goes at once
    QCOMPARE(builds.ended->load(), 0);
    builds.gate->release();
    // The build ends on its own; its result and progress find no counter (nothing delivered, no crash).
    QVERIFY(waitForBackgroundWork());
    QCOMPARE(builds.ended->load(), 1);
}

void TestEntryCounter::nextCacheCountsItselfAlone()
{
    // A real walk over a bigger cache, stopped by closing it (model and connection gone) while
    // it runs; the next cache's model counts its own rows, and nothing of the first arrives later.
    const QString big = m_dir.filePath(u"big.db"_s);
    TestSupport::makeCache(big, u"wal"_s, 200000);
    auto first = Database::open(big, Database::Mode::ReadOnly);
    QVERIFY(first);
    auto model = std::make_unique<EntryModel>(first->get(), u"entries"_s);
    QSignalSpy walking(model.get(), &EntryModel::countProgress);
    QVERIFY(walking.wait(30000)); // the index build is under way
    QVERIFY(!model->isCountExact());
    model.reset();
    first->reset();
    auto second = Database::open(m_small, Database::Mode::ReadOnly);
    QVERIFY(second);
    EntryModel next(second->get(), u"entries"_s);
    QSignalSpy nextWalking(&next, &EntryModel::countProgress);
    QTRY_VERIFY_WITH_TIMEOUT(next.isCountExact(), 30000);
    QVERIFY(waitForBackgroundWork());
    QCOMPARE(next.totalCount(), 2000);
    for (const QList<QVariant>& report : std::as_const(nextWalking))
        QVERIFY2(report.first().toLongLong() <= 2000, qPrintable(report.first().toString()));
}

// #28: a table its first page holds whole is counted exactly once that page is read — the footer never says
// "≈10 entries" of a 10-entry cache while the walk over it waits to start.
void TestEntryCounter::smallTableIsExactWithItsFirstPage()
{
    const QString tiny = m_dir.filePath(u"tiny.db"_s);
    TestSupport::makeCache(tiny, u"wal"_s, 10);
    const qint64 rows = TestSupport::queryInt(tiny, u"SELECT count(*) FROM entries"_s);
    auto database = Database::open(tiny, Database::Mode::ReadOnly);
    QVERIFY(database);
    EntryModel model(database->get(), u"entries"_s);
    std::optional<bool> exactWhenShown;
    connect(&model, &EntryModel::pageLoaded, this, [&] {
        if (!exactWhenShown)
            exactWhenShown = model.isCountExact() && model.totalCount() == rows;
    });
    (void)model.data(model.index(0, 0)); // as a view asks for its first rows
    QTRY_VERIFY_WITH_TIMEOUT(exactWhenShown.has_value(), 20000);
    QVERIFY(*exactWhenShown);
    QCOMPARE(model.rowCount(), int(rows));
    QVERIFY(waitForBackgroundWork());
}

// A build's second step (a filtered view's count of the whole table) never holds back its index:
// finished() arrives while the count is still held, the count arrives after it, and a build asked
// for meanwhile waits for the count as for a walk (one walk at a time).
void TestEntryCounter::indexIsDeliveredBeforeItsCount()
{
    GatedBuilds builds;
    builds.path = m_small;
    auto countGate = std::make_shared<QSemaphore>();
    auto countEntered = std::make_shared<QSemaphore>();
    auto counts = std::make_shared<std::atomic_int>(0);
    EntryCounter counter(builds.maker(), [path = m_small, countGate, countEntered, counts]() -> EntryCounter::Count {
        return [=](const std::atomic_bool& cancel) -> Result<qint64> {
            ++*counts;
            countEntered->release();
            countGate->tryAcquire(1, 20000);
            auto database = Database::open(path, Database::Mode::ReadOnly);
            if (!database)
                return database.error();
            return CacheSummary::countRows(database->get(), u"entries"_s, cancel);
        };
    });
    QList<Result<EntryIndex>> finished;
    QList<qint64> counted;
    connect(&counter, &EntryCounter::finished, this, [&](const Result<EntryIndex>& index) { finished << index; });
    connect(&counter, &EntryCounter::counted, this, [&](qint64 rows) { counted << rows; });
    counter.start();
    builds.gate->release();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 20000);
    QTRY_COMPARE_WITH_TIMEOUT(countEntered->available(), 1, 20000); // the count step began after the index
    QVERIFY(finished.first());
    QCOMPARE(finished.first()->count, 2000);
    QVERIFY(counted.isEmpty()); // the index came first, while the count is still held
    QVERIFY(counter.isRunning());
    counter.start(); // asked for during the count: made once it ends
    QCOMPARE(builds.ended->load(), 1);
    countGate->release();
    QTRY_COMPARE_WITH_TIMEOUT(counted.count(), 1, 20000);
    QCOMPARE(counted.first(), TestSupport::queryInt(m_small, u"SELECT count(*) FROM entries"_s));
    builds.gate->release();
    QTRY_COMPARE_WITH_TIMEOUT(countEntered->available(), 2, 20000); // the second build ran and reached its count
    countGate->release();
    QTRY_COMPARE_WITH_TIMEOUT(counted.count(), 2, 20000);
    QCOMPARE(finished.count(), 2);
    QCOMPARE(builds.mostAtOnce->load(), 1);
    QCOMPARE(counts->load(), 2);
    QVERIFY(waitForBackgroundWork());
}

QTEST_MAIN(TestEntryCounter)
#include "tst_entrycounter.moc"
