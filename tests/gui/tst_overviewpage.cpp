// SPDX-License-Identifier: GPL-3.0-or-later
// OverviewPage offscreen: exact entry counts gathered in the background, health in plain
// words with the fix, hostile table names shown visibly, and a window that keeps running
// while another process holds the database exclusively.
#include "common/format.h"
#include "librarycaches.h"
#include "live/warningcatalog.h"
#include "models/activityfeed.h"
#include "pages/agechart.h"
#include "pages/overviewpage.h"
#include "testsupport.h"

#include <QAbstractAxis>
#include <QChart>
#include <QElapsedTimer>
#include <QFontMetricsF>
#include <QLabel>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QToolTip>

#include <cmath>
#include <functional>
#include <memory>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

namespace {
// The longest the event loop was late for a 10 ms timer while `until` was false.
qint64 maxLatenessWhile(const std::function<bool()>& until, int timeoutMs)
{
    qint64 worst = 0;
    QElapsedTimer clock;
    clock.start();
    qint64 last = 0;
    QTimer tick;
    tick.setInterval(10);
    QObject::connect(&tick, &QTimer::timeout, [&] {
        const qint64 now = clock.elapsed();
        worst = std::max(worst, now - last - 10);
        last = now;
    });
    tick.start();
    // The measurement itself: the event loop spun in 5 ms slices (QTest::qWaitFor blocks 10 ms
    // between its passes, which alone would make a 10 ms timer late).
    while (!until() && clock.elapsed() < timeoutMs)
        QTest::qWait(5);
    return worst;
}

// The live samples as the Activity tab's feed delivers them (a cachescope-cli watch child of `file`), applied to the
// page; `seen` holds what `describe` reads on the page right after each sample that saw commits.
struct FollowedSamples {
    ActivityFeed feed;
    int samples = 0;
    QStringList seen;
};

std::unique_ptr<FollowedSamples> followSamples(
    OverviewPage& page, const QString& file, const std::function<QString()>& describe)
{
    auto live = std::make_unique<FollowedSamples>();
    QObject::connect(&live->feed, &ActivityFeed::sampleReceived, &page,
        [&page, followed = live.get(), describe](const ActivitySample& sample) {
            page.applySample(sample);
            ++followed->samples;
            if (sample.commitsInterval > 0)
                followed->seen << describe();
        });
    live->feed.start(file);
    return live;
}

// A cache open read-only in an OverviewPage (resized when a size is given, shown when told), its summary read in the
// background: how most tests begin. `error` says why not (no database, or no summary within 30 s). The page goes
// before the database it shows (members are destroyed in reverse).
struct ShownCache {
    enum class Show { Later, Now };
    explicit ShownCache(const QString& file, const QSize& size = QSize(), Show show = Show::Later)
        : database(Database::open(file, Database::Mode::ReadOnly))
    {
        if (!database) {
            error = database.error().message;
            return;
        }
        if (size.isValid())
            page.resize(size);
        if (show == Show::Now)
            page.show();
        QSignalSpy summary(&page, &OverviewPage::summaryShown);
        page.showDatabase(database.value().get());
        if (!summary.wait(30000))
            error = u"no summary within 30 s"_s;
    }
    Result<std::unique_ptr<Database>> database;
    QString error;
    OverviewPage page;
};

// Five rows added to table "entries" of file in one commit by another process (python3), as a writer adds them.
CliResult appendFiveRows(const QString& file)
{
    return runPythonScript(
        u"import sqlite3, sys\nc = sqlite3.connect(sys.argv[1])\n"
        "c.executemany('INSERT INTO entries(key, value) VALUES (?, ?)', [('n%d' % i, 'x') for i in range(5)])\n"
        "c.commit()\n"_s,
        { file });
}
} // namespace

class TestOverviewPage : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }
    void countsEveryTableExactlyInChunks();
    void hostileTableNamesAreVisible();
    void healthSaysTheFix();
    void exclusiveHolderNeverFreezesTheWindow();
    void contentsOfARealDiskcache();
    void walGrowthOverTheLastMinute();
    void largestByReadableLabelWholeTicks();
    void contentsRecountedWhenTheTableChanges();
    void countNeverOlderThanTheLiveLineUnsaid();
    void ageChartGoesWithTheCount();
    void everyValueSaysWhatItIs();

private:
    QTemporaryDir m_dir;
};

void TestOverviewPage::countsEveryTableExactlyInChunks()
{
    const QString file = m_dir.filePath(u"counts.db"_s);
    const int rows = CacheSummary::ChunkRows * 2 + 17; // three chunks, the last one partial
    makeCache(file, u"wal"_s, rows);
    exec(file, u"CREATE TABLE small(k TEXT PRIMARY KEY, v) WITHOUT ROWID; INSERT INTO small VALUES('a', 1);"_s);
    exec(file, u"DELETE FROM entries WHERE id % 1000 = 0"_s); // holes in the rowids
    const qint64 expected = queryInt(file, u"SELECT count(*) FROM entries"_s);
    QVERIFY(expected < rows);

    ShownCache shown(file);
    QVERIFY2(shown.error.isEmpty(), qPrintable(shown.error));
    OverviewPage& page = shown.page;
    const QString text = page.cacheText();
    QVERIFY2(text.contains(QLocale().toString(expected) + u" entries"_s), qPrintable(text));
    QVERIFY2(text.contains(u"not counted"_s), qPrintable(text)); // the WITHOUT ROWID table
    page.clear();
}

void TestOverviewPage::hostileTableNamesAreVisible()
{
    const QString file = m_dir.filePath(u"names.db"_s);
    makeCache(file, u"wal"_s, 3);
    exec(file,
        QString::fromUtf8("CREATE TABLE \"rtl\xE2\x80\xAE"
                          "exe.live\"(x); CREATE TABLE \"bell\x07\"(x);"));
    ShownCache shown(file);
    QVERIFY2(shown.error.isEmpty(), qPrintable(shown.error));
    OverviewPage& page = shown.page;
    const QString text = page.cacheText();
    QVERIFY2(text.contains(u"rtl\\u202eexe.live"_s), qPrintable(text));
    QVERIFY2(text.contains(u"bell\\u0007"_s), qPrintable(text));
    QVERIFY(!text.contains(QChar(0x202E)));
    QVERIFY(!text.contains(QChar(0x07)));
}

void TestOverviewPage::healthSaysTheFix()
{
    const QString file = m_dir.filePath(u"health.db"_s);
    makeCache(file, u"delete"_s, 3);
    auto database = Database::open(file, Database::Mode::ReadOnly);
    QVERIFY(database);
    OverviewPage page;
    page.showDatabase(database.value().get());
    ActivitySample sample;
    sample.warnings << HealthWarning { WarningCode::NotWal, u"The cache is in DELETE journal mode."_s };
    sample.commitsPerSecond = 12.5;
    sample.ratesKnown = true; // over 2 s of a 10 s window: shown (under 1 s it says "measuring…")
    sample.rateSpanMs = 2000;
    sample.rateWindowMs = 10000;
    page.applySample(sample);
    QVERIFY2(page.healthText().contains(u"timeout=30"_s), qPrintable(page.healthText()));
    QVERIFY(page.healthText().contains(u"journal_mode=WAL"_s));
    QVERIFY2(page.writersText().contains(QLocale().toString(12.5, 'f', 1)), qPrintable(page.writersText()));
    // A rollback-journal cache has no -wal frames: no "0.0 frames/s; checkpoint lag 0 frames".
    sample.journalMode = u"rollback"_s;
    page.applySample(sample);
    QVERIFY2(!page.writersText().contains(u"frame"_s), qPrintable(page.writersText()));
    sample.journalMode = u"wal"_s;
    sample.lagFrames = 1204;
    page.applySample(sample);
    QVERIFY2(page.writersText().contains(u"%1 frames not yet copied back"_s.arg(Format::count(1204))),
        qPrintable(page.writersText()));
    // #28: one number format. Rates of 1,000 and more grouped as every count is, a write lock held 5 s in seconds.
    sample.commitsPerSecond = 1204.25;
    sample.framesPerSecond = 1866.66;
    sample.writer = ActivitySample::WriterLock {};
    sample.writer->pid = 4242;
    sample.writer->name = u"python3"_s;
    sample.writer->heldMs = 5000;
    page.applySample(sample);
    for (const QString& said : { u"1,204.3 commits/s, 1,866.7 frames/s over the last 2 s;"_s,
             u"PID 4242 (python3) holds the write lock now (5 s so far)."_s })
        QVERIFY2(page.writersText().contains(said), qPrintable(page.writersText()));
    sample.writer->heldMs = 850;
    page.applySample(sample);
    QVERIFY2(page.writersText().contains(u"(850 ms so far)"_s), qPrintable(page.writersText()));
    sample.writer.reset();
    page.applySample(ActivitySample {});
    QCOMPARE(page.healthText(), u"No problems seen."_s);
}

void TestOverviewPage::exclusiveHolderNeverFreezesTheWindow()
{
    const QString file = m_dir.filePath(u"exclusive.db"_s);
    makeCache(file, u"delete"_s, 200);
    auto database = Database::open(file, Database::Mode::ReadOnly);
    QVERIFY(database);
    QCOMPARE(database.value()->journalMode(), u"delete"_s);
    PythonChild holder(holderScript(), { file, u"exclusive"_s });
    QVERIFY(holder.waitReady());

    OverviewPage page;
    QSignalSpy shown(&page, &OverviewPage::summaryShown);
    page.showDatabase(database.value().get());
    // Reading facts on the GUI thread would wait out the connection's 30 s busy timeout; in
    // the background the event loop keeps its 10 ms ticks (generous bound for loaded CI).
    const qint64 worst = maxLatenessWhile([&] { return shown.count() > 0; }, 30000);
    QCOMPARE(shown.count(), 1);
    QVERIFY2(worst < 1000, qPrintable(u"event loop late by %1 ms"_s.arg(worst)));
    QVERIFY2(page.cacheText().contains(u"Busy"_s), qPrintable(page.cacheText()));

    holder.stop(); // the lock goes away; F5 shows the entries
    page.refresh();
    QVERIFY(shown.wait(30000));
    QVERIFY2(page.cacheText().contains(u"200 entries"_s), qPrintable(page.cacheText()));
}

void TestOverviewPage::contentsOfARealDiskcache()
{
    // Issue #13: the Overview answers what the cache holds, in diskcache's own terms, on a
    // cache written by Debian's python3-diskcache.
    const auto made = makeLibraryCaches(m_dir.filePath(u"real"_s));
    QVERIFY2(made.exitCode == 0, made.err.constData());
    ShownCache shown(m_dir.filePath(u"real/diskcache/cache.db"_s), QSize(900, 1100));
    QVERIFY2(shown.error.isEmpty(), qPrintable(shown.error));
    OverviewPage& page = shown.page;
    const QString text = page.contentsText();
    QVERIFY2(text.contains(u"10 entries"_s), qPrintable(text));
    QVERIFY2(text.contains(u"1 entry has expired and still takes 4\u00a0B"_s), qPrintable(text));
    QVERIFY2(!text.contains(u"By tag"_s), qPrintable(text)); // no entry has a tag: no grouping to show
    QVERIFY2(text.contains(u"megabyte</a> — 1.0\u00a0MiB"_s), qPrintable(text)); // its value lives in a file
    const QList<qint64> ages = page.ageChart()->shownCounts();
    QCOMPARE(ages.size(), CacheContents::ageBucketNames().size());
    QCOMPARE(ages.first(), 10); // written just now
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    page.grab().save(screenshotPath(u"overview-contents-diskcache.png"_s));
    page.clear();
    QVERIFY(page.contentsText().isEmpty());
    QVERIFY(page.ageChart()->shownCounts().isEmpty());
}

void TestOverviewPage::walGrowthOverTheLastMinute()
{
    const QString file = m_dir.filePath(u"growth.db"_s);
    makeCache(file, u"wal"_s, 10);
    PythonChild writer(uR"PY(
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
c.execute("PRAGMA wal_autocheckpoint=0")
c.execute("INSERT INTO entries(key, value) VALUES ('first', 'x')")
print("ready", flush=True)
time.sleep(4)  # the page sees an unchanged -wal first
for i in range(200):
    c.execute("INSERT INTO entries(key, value) VALUES (?, ?)", ("grow-%d" % i, "y" * 1000))
sys.stdin.read()
)PY"_s,
        { file });
    QVERIFY(writer.waitReady());
    auto database = Database::open(file, Database::Mode::ReadOnly);
    QVERIFY2(database, qPrintable(database ? QString() : database.error().message));
    OverviewPage page;
    page.showDatabase(database.value().get());
    QTRY_VERIFY_WITH_TIMEOUT(page.walGrowthText().contains(u"unchanged"_s), 3500);
    const qint64 before = page.shownBytes(CacheFiles::Kind::Wal);
    QTRY_VERIFY_WITH_TIMEOUT(page.shownBytes(CacheFiles::Kind::Wal) > before, 15000);
    QTRY_VERIFY_WITH_TIMEOUT(page.walGrowthText().startsWith(u"+"_s), 5000);
    writer.stop();
    page.clear();
}

void TestOverviewPage::largestByReadableLabelWholeTicks()
{
    // #23.8: requests-cache's largest responses by their URL (the key, a hash, on hover); the
    // age chart's count axis ticks at whole numbers (0 2 4 … 10, and 0 1 for one entry).
    const auto made = makeLibraryCaches(m_dir.filePath(u"labels"_s));
    QVERIFY2(made.exitCode == 0, made.err.constData());
    ShownCache shown(m_dir.filePath(u"labels/http_cache.sqlite"_s), QSize(1000, 708));
    QVERIFY2(shown.error.isEmpty(), qPrintable(shown.error));
    OverviewPage& page = shown.page;
    const QString text = page.contentsText();
    QVERIFY2(text.contains(u"\">https://example.org/missing</a> — "_s), qPrintable(text));
    QVERIFY2(text.contains(u"\">https://example.org/a?x=1</a> — "_s), qPrintable(text));
    const auto keys = runPythonScript(
        u"import sqlite3, sys\nprint(sqlite3.connect(sys.argv[1]).execute('SELECT rowid, key FROM responses "
        "ORDER BY length(value) DESC LIMIT 1').fetchone()[1])"_s,
        { m_dir.filePath(u"labels/http_cache.sqlite"_s) });
    const QString biggestKey = QString::fromUtf8(keys.out).trimmed();
    QVERIFY(!biggestKey.isEmpty());
    QVERIFY2(!text.contains(u">"_s + biggestKey + u"</a>"_s), qPrintable(text)); // not labelled by its hash
    auto* label = page.findChild<QLabel*>(u"contentsValue"_s);
    QVERIFY(label);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    const qsizetype link = text.indexOf(u"entry:"_s);
    Q_EMIT label->linkHovered(text.mid(link, text.indexOf(u'"', link) - link));
    QTRY_VERIFY(QToolTip::isVisible());
    QCOMPARE(QToolTip::text(), u"Key: "_s + biggestKey);
    page.grab().save(screenshotPath(u"overview-contents-requests-cache.png"_s));
    QList<double> ticks = page.ageChart()->tickValues();
    QVERIFY2(!ticks.isEmpty(), "no ticks");
    for (double tick : std::as_const(ticks))
        QCOMPARE(tick, std::round(tick));
    AgeChart one;
    one.setBuckets({ u"under 1 hour"_s }, { 1 });
    QCOMPARE(one.tickValues(), QList<double>({ 0, 1 }));
    one.setBuckets({ u"under 1 hour"_s }, { 10 });
    QCOMPARE(one.tickValues(), QList<double>({ 0, 2, 4, 6, 8, 10 }));
    QCOMPARE(AgeChart::tickStep(3392), 1000);
    // A short chart (a FanoutCache's Overview at the default size) gets fewer ticks, each label a
    // line and a half apart: Qt Charts drew labels with less room than their height as "…".
    AgeChart shortChart;
    shortChart.resize(400, 150);
    shortChart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&shortChart));
    shortChart.setBuckets({ u"under 1 hour"_s, u"older"_s }, { 27, 3 });
    const double labelHeight = QFontMetricsF(shortChart.chart()->axes(Qt::Vertical).first()->labelsFont()).height();
    const auto roomPerLabel = [&shortChart] {
        return shortChart.chart()->plotArea().height() / std::max<qsizetype>(1, shortChart.tickValues().size() - 1);
    };
    QTRY_VERIFY2(roomPerLabel() >= 1.5 * labelHeight,
        qPrintable(u"%1 px a label, %2 px high"_s.arg(roomPerLabel()).arg(labelHeight)));
    QVERIFY(shortChart.tickValues().last() >= 27);
    shortChart.grab().save(screenshotPath(u"agechart-short.png"_s));
}

void TestOverviewPage::contentsRecountedWhenTheTableChanges()
{
    // #23.8: the contents (counted at open) and the table's live count never disagree for
    // long: a changed count says so and the contents are counted again.
    const QString file = m_dir.filePath(u"recount.db"_s);
    makeCache(file, u"wal"_s, 10);
    auto database = Database::open(file, Database::Mode::ReadOnly);
    QVERIFY2(database, qPrintable(database ? QString() : database.error().message));
    OverviewPage page;
    QStringList texts;
    QStringList titles;
    connect(&page, &OverviewPage::summaryShown, this, [&] {
        texts << page.contentsText();
        titles << page.cacheTitle();
    });
    page.showDatabase(database.value().get());
    QTRY_VERIFY_WITH_TIMEOUT(!texts.isEmpty(), 30000);
    // #28, no repeats: counted with the Cache box, the contents leave its time to its title.
    QVERIFY2(titles.last().startsWith(u"Cache — counted at "_s), qPrintable(titles.last()));
    QVERIFY2(texts.last().startsWith(u"Contents: 10 entries"_s), qPrintable(texts.last()));
    const QString firstTime = titles.last().mid(titles.last().lastIndexOf(u' ') + 1);
    const auto wrote = appendFiveRows(file);
    QVERIFY2(wrote.exitCode == 0, wrote.err.constData());
    QTRY_VERIFY_WITH_TIMEOUT(page.contentsText().contains(u": 15 entries"_s), 40000);
    QVERIFY2(!page.contentsText().contains(u"recounting"_s), qPrintable(page.contentsText()));
    bool saidRecounting = false;
    for (const QString& text : std::as_const(texts))
        saidRecounting = saidRecounting || text.contains(u"The table has changed since (15 entries now): recounting"_s);
    QVERIFY2(saidRecounting, qPrintable(texts.join(u"\n---\n"_s)));
    // Once the Cache box counted again (its title at a later time) the contents older than it say their own time.
    bool saidOwnTime = false;
    for (qsizetype i = 1; i < texts.size(); ++i) {
        if (titles[i].contains(firstTime))
            continue;
        saidOwnTime = saidOwnTime || texts[i].contains(u"Contents, counted at %1: 10 entries"_s.arg(firstTime))
            || texts[i].startsWith(u"Contents: 15 entries"_s); // a recount shown at once: with the title's time
        QVERIFY2(texts[i].contains(u"counted at %1"_s.arg(firstTime)) || !texts[i].contains(u": 10 entries"_s),
            qPrintable(titles[i] + u'\n' + texts[i]));
    }
    QVERIFY2(saidOwnTime, qPrintable(texts.join(u"\n---\n"_s)));
}

// #28: "3 processes wrote … 13.1 commits/s" stood beside "0 entries" until the recount came. A real writer adds rows;
// the moment a sample shows its commits, the Cache box says its count is older and is being taken again, and says it
// until the count taken after them is shown.
void TestOverviewPage::countNeverOlderThanTheLiveLineUnsaid()
{
    qputenv("CACHESCOPE_CLI", QByteArrayLiteral(CACHESCOPE_CLI_PATH));
    const QString file = m_dir.filePath(u"written.db"_s);
    makeCache(file, u"wal"_s, 10);
    ShownCache shown(file, QSize(1000, 600), ShownCache::Show::Now);
    QVERIFY2(shown.error.isEmpty(), qPrintable(shown.error));
    OverviewPage& page = shown.page;
    QVERIFY2(page.contentsText().contains(u": 10 entries"_s), qPrintable(page.contentsText()));
    QVERIFY2(page.cacheTitle().startsWith(u"Cache — counted at "_s) && !page.cacheTitle().contains(u"counting"_s),
        qPrintable(page.cacheTitle()));
    // What the Cache box says right after each sample that saw commits.
    const auto live = followSamples(page, file,
        [&page]() -> QString { return page.cacheTitle() + u'\n' + page.cacheText() + u'\n' + page.contentsText(); });
    QTRY_VERIFY_WITH_TIMEOUT(live->samples > 0, 30000);
    const auto wrote = appendFiveRows(file); // a real writer: python3's sqlite3
    QVERIFY2(wrote.exitCode == 0, wrote.err.constData());
    QTRY_VERIFY_WITH_TIMEOUT(!live->seen.isEmpty(), 30000);
    // #28: the sample of that commit. The count of before it ("10 entries") is not shown beside the live line that
    // says it was written to: the title says the count is being taken again, the counts are left out until it comes.
    QVERIFY2(live->seen.first().contains(u"; written to since, counting again…"_s), qPrintable(live->seen.first()));
    QVERIFY2(!live->seen.first().contains(u"10 entries"_s), qPrintable(live->seen.first()));
    QVERIFY2(live->seen.first().contains(u"<b>entries</b> — format generic\n"_s), qPrintable(live->seen.first()));
    // The writer, a script that ended before the probe read its name, is its pid (was "915 (, 1 commit)").
    QVERIFY2(
        !page.writersText().contains(u"(,"_s) && !page.writersText().contains(u"()"_s), qPrintable(page.writersText()));
    settleEvents();
    QVERIFY(page.grab().save(screenshotPath(u"overview-counting-again.png"_s)));
    // A count asked before the sample that showed the commits arrived (a slow watch, under ASan) holds the 15 rows yet
    // is older than that sample: the title keeps "counting again" until the count asked after it is in.
    QTRY_VERIFY_WITH_TIMEOUT(
        page.contentsText().contains(u": 15 entries"_s) && !page.cacheTitle().contains(u"counting"_s), 40000);
    QVERIFY2(page.cacheText().contains(u" — 15 entries"_s), qPrintable(page.cacheText()));
    live->feed.stop();
}

// #28 (the demo's Overview): "Contents: counting…" stood above the age chart of the count before, all bars at 0 under a
// 0–1 axis, read as "no entry". The chart is of that count: it goes with it and comes back with the new one. A cache
// written by Debian's python3-diskcache, five entries added by the library while the page follows the live samples.
void TestOverviewPage::ageChartGoesWithTheCount()
{
    qputenv("CACHESCOPE_CLI", QByteArrayLiteral(CACHESCOPE_CLI_PATH));
    const auto made = makeLibraryCaches(m_dir.filePath(u"ages"_s));
    QVERIFY2(made.exitCode == 0, made.err.constData());
    const QString file = m_dir.filePath(u"ages/diskcache/cache.db"_s);
    ShownCache shown(file, QSize(1000, 900), ShownCache::Show::Now);
    QVERIFY2(shown.error.isEmpty(), qPrintable(shown.error));
    OverviewPage& page = shown.page;
    QVERIFY(page.ageChart()->isVisible());
    QCOMPARE(page.ageChart()->shownCounts().value(0), 10);
    const auto live = followSamples(page, file, [&page]() -> QString {
        return u"chart %1: %2"_s.arg(page.ageChart()->isVisible() ? u"shown"_s : u"hidden"_s, page.contentsText());
    });
    QTRY_VERIFY_WITH_TIMEOUT(live->samples > 0, 30000);
    const auto wrote = runPythonScript(
        u"import diskcache, sys\nc = diskcache.Cache(sys.argv[1])\nfor i in range(5):\n    c.set('added%d' % i, 'x')\n"
        "print(len(c))\nc.close()\n"_s,
        { m_dir.filePath(u"ages/diskcache"_s) });
    QVERIFY2(wrote.exitCode == 0, wrote.err.constData());
    QTRY_VERIFY_WITH_TIMEOUT(!live->seen.isEmpty(), 30000);
    QVERIFY2(live->seen.first().startsWith(u"chart hidden: Contents: counting"_s), qPrintable(live->seen.first()));
    // What the library holds now (its set culled the expired entry: 14).
    const int entries = wrote.out.trimmed().toInt();
    QVERIFY(entries >= 14);
    QTRY_VERIFY2_WITH_TIMEOUT(
        page.contentsText().contains(u": %1 entries"_s.arg(entries)) && page.ageChart()->isVisible(),
        qPrintable(page.contentsText()), 40000);
    QCOMPARE(page.ageChart()->shownCounts().value(0), entries);
    live->feed.stop();
}

// #28 (no jargon left unexplained): every value of the Health, Writers, Cache, Database and Files boxes has a tooltip
// that says what it is, still there once a summary came (the Pages row lost its own at the first one). The settings
// say whose they are: wal_autocheckpoint and journal_size_limit belong to each connection, not to the file.
void TestOverviewPage::everyValueSaysWhatItIs()
{
    const QString file = m_dir.filePath(u"explained.db"_s);
    makeCache(file, u"wal"_s, 20);
    ShownCache shown(file, QSize(1000, 650), ShownCache::Show::Now);
    QVERIFY2(shown.error.isEmpty(), qPrintable(shown.error));
    OverviewPage& page = shown.page;
    QStringList unexplained;
    int values = 0;
    for (const QLabel* label : page.findChildren<QLabel*>()) {
        if (!label->objectName().endsWith(u"Value"_s))
            continue;
        ++values;
        if (label->toolTip().trimmed().isEmpty())
            unexplained << label->objectName();
    }
    QVERIFY(values >= 12);
    QVERIFY2(unexplained.isEmpty(), qPrintable(unexplained.join(u", "_s)));
    const auto* pages = page.findChild<QLabel*>(u"pagesValue"_s);
    QVERIFY2(pages->toolTip().contains(u"fixed-size pages"_s), qPrintable(pages->toolTip()));
    const auto* settings = page.findChild<QLabel*>(u"settingsValue"_s);
    QVERIFY2(settings->text().contains(u"a new connection's wal_autocheckpoint"_s), qPrintable(settings->text()));
    QVERIFY2(settings->toolTip().contains(u"each connection's own"_s), qPrintable(settings->toolTip()));
    QVERIFY(page.grab().save(screenshotPath(u"overview-settings-explained.png"_s)));
}

QTEST_MAIN(TestOverviewPage)
#include "tst_overviewpage.moc"
