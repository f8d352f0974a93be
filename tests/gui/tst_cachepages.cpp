// SPDX-License-Identifier: GPL-3.0-or-later
// CachePages shows an opened cache in slices (#23.9, d01ab50): nothing in the call itself, then
// the page in sight, then the other page, then Activity's watch, each in an event of its own so
// that no single delivery holds the GUI thread for all of it. A cache shown or cleared meanwhile
// drops the slices left of the one before: they never show a cache that is no longer the open one.
// Real WAL caches, a real Activity watch (cachescope-cli watch child).
#include "pages/activitypage.h"
#include "pages/entriespage.h"
#include "pages/overviewpage.h"
#include "sqlite/database.h"
#include "testsupport.h"
#include "window/cachepages.h"

#include <QFileInfo>
#include <QLabel>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::Literals::StringLiterals;

namespace {
// What each page shows of `path` at one moment: "overview entries activity", each 1 or 0.
QString shownOf(const CachePages& pages, const QString& path)
{
    const QString name = QFileInfo(path).fileName();
    const auto* pathLabel = pages.overview()->findChild<QLabel*>(u"pathValue"_s);
    const bool overview = pathLabel && pathLabel->text().contains(name);
    // Each cache has a table of its own, named after its file.
    const bool entriesShown = pages.entries()->tableNames().contains(QFileInfo(path).baseName() + u"_only"_s);
    const bool activity = pages.activity()->watchedPath() == path;
    return u"%1 %2 %3"_s.arg(int(overview)).arg(int(entriesShown)).arg(int(activity));
}
} // namespace

class TestCachePages : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        qputenv("CACHESCOPE_CLI", QByteArrayLiteral(CACHESCOPE_CLI_PATH));
        for (const QString& name : { u"first.db"_s, u"second.db"_s }) {
            TestSupport::makeCache(m_dir.filePath(name), u"wal"_s, 50);
            TestSupport::exec(m_dir.filePath(name), u"CREATE TABLE %1_only(x)"_s.arg(QFileInfo(name).baseName()));
            auto database = Database::open(m_dir.filePath(name), Database::Mode::ReadOnly);
            QVERIFY2(database, qPrintable(database ? QString() : database.error().message));
            m_databases.push_back(std::move(database.value()));
        }
    }
    void pagesComeOneSliceAtATime_data();
    void pagesComeOneSliceAtATime();
    void aNewShowDropsTheSlicesLeft();
    void clearDropsTheSlicesLeft();

private:
    QTemporaryDir m_dir;
    std::vector<std::unique_ptr<Database>> m_databases;
};

void TestCachePages::pagesComeOneSliceAtATime_data()
{
    QTest::addColumn<bool>("entriesInSight");
    QTest::addColumn<QString>("atFirstShown");
    QTest::newRow("overview in sight") << false << u"1 0 0"_s;
    QTest::newRow("entries in sight") << true << u"0 1 0"_s;
}

void TestCachePages::pagesComeOneSliceAtATime()
{
    QFETCH(bool, entriesInSight);
    QFETCH(QString, atFirstShown);
    Database* database = m_databases.front().get();
    const QString path = database->path();
    CachePages pages([path] { return path; });
    pages.resize(1000, 650);
    pages.show();
    pages.setCurrentWidget(entriesInSight ? static_cast<QWidget*>(pages.entries()) : pages.overview());
    QStringList seen;
    bool done = false;
    pages.showDatabase(
        database, {}, {}, [&] { seen << shownOf(pages, path); },
        [&] {
            seen << shownOf(pages, path);
            done = true;
        });
    // The call itself shows nothing: the open's result delivery only let go of the cache before.
    QCOMPARE(shownOf(pages, path), u"0 0 0"_s);
    QTRY_VERIFY_WITH_TIMEOUT(done, 20000);
    QCOMPARE(seen.size(), 2);
    QCOMPARE(seen.at(0), atFirstShown); // the page in sight alone
    QCOMPARE(seen.at(1), u"1 1 1"_s); // then the other page and Activity's watch
    pages.clear();
    QCOMPARE(shownOf(pages, path), u"0 0 0"_s);
}

// A second cache shown while the first one's slices are still queued: the first one's slices left
// never run (its `shown` is never called, Activity never watches it), the second is shown whole.
void TestCachePages::aNewShowDropsTheSlicesLeft()
{
    Database* first = m_databases.at(0).get();
    Database* second = m_databases.at(1).get();
    CachePages pages([second] { return second->path(); });
    pages.resize(1000, 650);
    pages.show();
    QStringList calls;
    // Shown again from inside the first cache's first slice: its next slices are queued by then.
    pages.showDatabase(
        first, {}, {},
        [&] {
            calls << u"first: first page"_s;
            pages.showDatabase(
                second, {}, {}, [&] { calls << u"second: first page"_s; },
                [&] {
                    calls << u"second: shown"_s
                          << shownOf(pages, second->path()) + u" / "_s + shownOf(pages, first->path());
                });
        },
        [&] { calls << u"first: shown"_s; });
    QTRY_VERIFY_WITH_TIMEOUT(calls.contains(u"second: shown"_s), 20000);
    QCOMPARE(calls,
        QStringList({ u"first: first page"_s, u"second: first page"_s, u"second: shown"_s, u"1 1 1 / 0 0 0"_s }));
}

// Cleared (the cache closed) between slices: nothing of it comes back afterwards.
void TestCachePages::clearDropsTheSlicesLeft()
{
    Database* first = m_databases.at(0).get();
    Database* second = m_databases.at(1).get();
    CachePages pages([first] { return first->path(); });
    pages.resize(1000, 650);
    pages.show();
    QStringList calls;
    QString afterClear;
    // Closed from inside the first slice, as a close queued behind the open's result would be.
    pages.showDatabase(
        first, {}, {},
        [&] {
            calls << u"first: first page"_s;
            pages.clear();
            afterClear = shownOf(pages, first->path());
            // A later show's slices are queued after any the cleared one had left, so once it is
            // shown whole, a slice of the cleared one would have run already.
            pages.showDatabase(second, {}, {}, {}, [&] { calls << u"second: shown"_s; });
        },
        [&] { calls << u"first: shown"_s; });
    QTRY_VERIFY_WITH_TIMEOUT(calls.contains(u"second: shown"_s), 20000);
    QCOMPARE(afterClear, u"0 0 0"_s);
    QCOMPARE(calls, QStringList({ u"first: first page"_s, u"second: shown"_s }));
    QCOMPARE(shownOf(pages, first->path()), u"0 0 0"_s);
}

QTEST_MAIN(TestCachePages)
#include "tst_cachepages.moc"
