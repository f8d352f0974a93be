// SPDX-License-Identifier: GPL-3.0-or-later
// CacheContents (issue #13, the Overview's and `info`'s "what the cache holds"): on caches
// written by the real libraries (make_caches.py: diskcache, requests-cache, sqlitedict, and
// the other formats from their DDL) and on a generated table big enough to be read in many
// chunks, with ages known to the second.
#include "entries/entrypager.h"
#include "librarycaches.h"
#include "report/cachecontents.h"
#include "report/cachereport.h"
#include "report/cachesummary.h"
#include "testsupport.h"

#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

class TestCacheContents : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void diskcache();
    void requestsCacheExpiryInsideThePickle();
    void langchainByModel();
    void bigTableInShortChunks();
    void cancelledSaysIncomplete();
    void readBackFromInfoJson();
    void countsAgreeWhileWritten();

private:
    Result<CacheContents> gather(const QString& file, const QString& table, qint64 now = -1, bool cancel = false);
    QTemporaryDir m_dir;
};

void TestCacheContents::initTestCase()
{
    QVERIFY(m_dir.isValid());
    const auto result = makeLibraryCaches(m_dir.path());
    QVERIFY2(result.exitCode == 0, result.err.constData());
}

Result<CacheContents> TestCacheContents::gather(const QString& file, const QString& table, qint64 now, bool cancel)
{
    auto db = Database::open(m_dir.filePath(file), Database::Mode::ReadOnly);
    if (!db)
        return db.error();
    const std::atomic_bool cancelled { cancel };
    return CacheContents::gather(db.value().get(), table, cancelled, now);
}

void TestCacheContents::diskcache()
{
    const auto contents = gather(u"diskcache/cache.db"_s, u"Cache"_s);
    QVERIFY2(contents, qPrintable(contents.error().message));
    QCOMPARE(contents->profile, u"diskcache"_s);
    QCOMPARE(contents->entries, 10);
    QCOMPARE(contents->expiredEntries, 1); // "expired" (expire=0.001); "expiring" has an hour left
    QCOMPARE(contents->expiredBytes, 4); // "gone"
    // The 1 MiB pickle lives in a value file: counted by diskcache's size column.
    QVERIFY(!contents->largest.isEmpty());
    QCOMPARE(contents->largest.first().key, u"megabyte"_s);
    QVERIFY(contents->largest.first().bytes > (1 << 20));
    QVERIFY(contents->bytes > (1 << 20));
    for (int i = 1; i < contents->largest.size(); ++i)
        QVERIFY(contents->largest[i - 1].bytes >= contents->largest[i].bytes);
    QVERIFY(contents->largest.size() <= CacheContents::TopCount);
    QCOMPARE(contents->groupedBy, u"tag"_s);
    qint64 aged = 0;
    for (qint64 n : contents->ageBuckets)
        aged += n;
    QCOMPARE(aged, 10); // all written just now: every entry has an age
    QCOMPARE(contents->ageBuckets.first(), 10);
    QVERIFY(contents->complete);
    QCOMPARE(contents->toJson().value(u"expired_entries"_s).toInteger(), 1);
}

void TestCacheContents::requestsCacheExpiryInsideThePickle()
{
    // requests-cache keeps expiry inside the pickled response: counted by our own function,
    // the same one the "Expired only" filter uses; both must agree.
    const auto contents = gather(u"http_cache.sqlite"_s, u"responses"_s);
    QVERIFY2(contents, qPrintable(contents.error().message));
    auto db = Database::open(m_dir.filePath(u"http_cache.sqlite"_s), Database::Mode::ReadOnly);
    QVERIFY(db);
    auto pager = EntryPager::open(db.value().get(), u"responses"_s);
    QVERIFY(pager);
    EntryFilter expired;
    expired.expiry = EntryFilter::Expiry::ExpiredOnly;
    pager->setFilter(expired);
    auto page = pager->first(100);
    QVERIFY(page);
    QVERIFY(page->rows.size() >= 1);
    QCOMPARE(contents->expiredEntries, qint64(page->rows.size()));
    QVERIFY(contents->expiredEntries < contents->entries);
    QVERIFY(contents->expiredBytes > 0);
    // By host and by age, both read inside the pickled response (decoded here, never executed).
    QCOMPARE(contents->groupedBy, u"host"_s);
    QVERIFY(!contents->topGroups.isEmpty());
    QCOMPARE(contents->topGroups.first().name, u"example.org"_s);
    qint64 aged = 0;
    for (qint64 n : contents->ageBuckets)
        aged += n;
    QCOMPARE(aged, contents->entries);
}

void TestCacheContents::langchainByModel()
{
    const auto contents = gather(u"langchain.db"_s, u"full_llm_cache"_s);
    QVERIFY2(contents, qPrintable(contents.error().message));
    QCOMPARE(contents->groupedBy, u"model"_s);
    QStringList models;
    qint64 grouped = 0;
    for (const auto& group : contents->topGroups) {
        models << group.name;
        grouped += group.entries;
    }
    QVERIFY2(models.contains(u"gpt-4o-mini"_s), qPrintable(models.join(u", "_s)));
    QCOMPARE(grouped, contents->entries);
    QCOMPARE(contents->expiredEntries, -1); // LangChain keeps no expiry
}

void TestCacheContents::bigTableInShortChunks()
{
    // 150,000 rows: a third written 10 s before `now`, a third 2 days before, a third 400
    // days before; model a/b/c by rowid; one 300 KB response. Read in many chunks.
    const QString file = m_dir.filePath(u"big.db"_s);
    const qint64 now = 1800000000;
    exec(file,
        u"PRAGMA journal_mode=WAL; CREATE TABLE llm_cache(id INTEGER PRIMARY KEY, model TEXT, prompt TEXT, "
        "response TEXT, created_at REAL);"
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 150000) "
        "INSERT INTO llm_cache SELECT i, char(97 + i % 3), 'prompt ' || i, 'answer ' || i, "
        "%1 - CASE i % 3 WHEN 0 THEN 10 WHEN 1 THEN 2 * 86400 ELSE 400 * 86400 END FROM n;"
        "UPDATE llm_cache SET response = printf('%.*c', 300000, 'z') WHERE id = 77777"_s.arg(now));
    const auto contents = gather(u"big.db"_s, u"llm_cache"_s, now);
    QVERIFY2(contents, qPrintable(contents.error().message));
    QCOMPARE(contents->entries, 150000);
    QVERIFY2(contents->chunks > 5, qPrintable(QString::number(contents->chunks)));
    QCOMPARE(contents->groupedBy, u"model"_s);
    QCOMPARE(contents->topGroups.size(), 3);
    for (const auto& group : contents->topGroups)
        QCOMPARE(group.entries, 50000);
    const QList<qint64> expected { 50000, 0, 50000, 0, 0, 50000 }; // <1 h, <1 d, <1 wk, <30 d, <1 y, older
    QCOMPARE(contents->ageBuckets, expected);
    QCOMPARE(contents->largest.first().rowid, 77777);
    QCOMPARE(contents->largest.first().key, u"prompt 77777"_s);
    QCOMPARE(contents->largest.first().bytes, 300000);
}

void TestCacheContents::cancelledSaysIncomplete()
{
    const auto contents = gather(u"diskcache/cache.db"_s, u"Cache"_s, -1, true);
    QVERIFY2(contents, qPrintable(contents.error().message));
    QVERIFY(!contents->complete);
    QCOMPARE(contents->entries, 0);
    QCOMPARE(contents->toJson().value(u"complete"_s).toBool(), false);
}

// A table a writer appends to as fast as it can (new-user review: "32,538 entries" above "Contents: 32,542 entries"
// under one "counted at"; `info --json` tables[0].rows 34058 beside contents.entries 34062): the summary and the
// report say one count for the main table, the contents'.
void TestCacheContents::countsAgreeWhileWritten()
{
    const QString file = m_dir.filePath(u"written.db"_s);
    makeCache(file, u"wal"_s, 20000);
    PythonChild writer(u"import sqlite3, sys\n"
                       "c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)\n"
                       "c.execute('PRAGMA synchronous=OFF')\n"
                       "print('ready', flush=True)\n"
                       "i = 0\n"
                       "while True:\n"
                       "    c.execute(\"INSERT INTO entries(key, value) VALUES (?, 'x')\", ('w%d' % i,))\n"
                       "    i += 1\n"_s,
        { file });
    QVERIFY(writer.waitReady());
    const std::atomic_bool never { false };
    QSet<qint64> seen; // the counts taken: more than one, or the writer wrote nothing meanwhile and this proves nothing
    for (int round = 0; round < 4; ++round) {
        const auto summary = CacheSummary::gather(file, never, true);
        QVERIFY2(summary, qPrintable(summary.error().message));
        QVERIFY(summary->contents && summary->contents->complete);
        const auto table = std::find_if(summary->tables.cbegin(), summary->tables.cend(),
            [&](const CacheSummary::Table& t) { return t.name == summary->contents->table; });
        QVERIFY(table != summary->tables.cend());
        QCOMPARE(table->rows, summary->contents->entries);
        seen << table->rows;

        const auto report = CacheReport::collect(file);
        QVERIFY2(report, qPrintable(report.error().message));
        QVERIFY(report->contents);
        const auto row = std::find_if(report->tables.cbegin(), report->tables.cend(),
            [&](const CacheReport::Table& t) { return t.name == report->contents->table; });
        QVERIFY(row != report->tables.cend());
        QCOMPARE(row->rows, report->contents->entries);
        seen << row->rows;
    }
    QVERIFY2(seen.size() > 1, "the writer added no row while the counts were taken");
}

QTEST_GUILESS_MAIN(TestCacheContents)
void TestCacheContents::readBackFromInfoJson()
{
    // A remote cache's Overview reads `info --json` back (CacheSummary::fromReportJson): the
    // same facts, tables and contents as gathered here.
    const QString path = m_dir.filePath(u"diskcache/cache.db"_s);
    const auto report = CacheReport::collect(path);
    QVERIFY2(report, qPrintable(report.error().message));
    const auto back = CacheSummary::fromReportJson(report->toJson());
    QVERIFY2(back, qPrintable(back.error().message));
    const std::atomic_bool never { false };
    const auto here = CacheSummary::gather(path, never, true);
    QVERIFY2(here, qPrintable(here.error().message));
    QCOMPARE(back->facts.journalMode, here->facts.journalMode);
    QCOMPARE(back->facts.pageCount, here->facts.pageCount);
    QCOMPARE(back->facts.freelistCount, here->facts.freelistCount);
    QCOMPARE(back->filesystem.type, here->filesystem.type);
    QCOMPARE(back->tables.size(), here->tables.size());
    for (const CacheSummary::Table& table : here->tables) { // info lists them by name, gather main first
        const auto it = std::find_if(back->tables.cbegin(), back->tables.cend(),
            [&table](const CacheSummary::Table& other) { return other.name == table.name; });
        QVERIFY2(it != back->tables.cend(), qPrintable(table.name));
        QCOMPARE(it->rows, table.rows);
        QCOMPARE(it->profile, table.profile);
    }
    QVERIFY(back->contents && here->contents);
    QCOMPARE(back->contents->toJson(), here->contents->toJson());
    QVERIFY(!CacheSummary::fromReportJson(QJsonObject { { u"rows"_s, 1 } }));
}

#include "tst_cachecontents.moc"
