// SPDX-License-Identifier: GPL-3.0-or-later
// EntryPager / EntryIndex: keyset paging visits every row exactly once (rowid, WITHOUT ROWID
// composite and text keys, hostile identifiers), stays complete while a real writer process
// inserts rows, filters run with bound parameters, the index counts exactly and cancels.
#include "entries/entrycursor.h"
#include "entries/entryindex.h"
#include "entries/entrypager.h"
#include "sqlite/statement.h"
#include "testsupport.h"

#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

namespace {
const QString Hostile = u"we\"ird; DROP TABLE r; -- ü 表 "_s;

QString keyString(const QVariantList& key)
{
    QStringList parts;
    for (const QVariant& value : key)
        parts << value.toString();
    return parts.join(u'\x1f');
}

// Every key of the table, read directly in one statement (the reference).
QStringList allKeys(Database* db, const QString& keySql, const QString& table)
{
    auto statement = Statement::prepare(db->handle(),
        u"SELECT "_s + keySql + u" FROM "_s + Database::quoteIdentifier(table) + u" ORDER BY "_s + keySql);
    QStringList keys;
    while (statement && statement->step() == SQLITE_ROW) {
        QVariantList key;
        for (int c = 0; c < statement->columnCount(); ++c)
            key << statement->column(c);
        keys << keyString(key);
    }
    return keys;
}

QStringList pageAll(EntryPager& pager, int limit, bool viaCursor)
{
    QStringList keys;
    QVariantList after;
    for (;;) {
        auto page = pager.after(after, limit);
        if (!page)
            qFatal("page failed: %s", qPrintable(page.error().message));
        for (const EntryRow& row : page->rows)
            keys << keyString(row.key);
        if (page->rows.isEmpty() || page->atEnd)
            break;
        after = page->rows.last().key;
        if (viaCursor)
            after = *EntryCursor::decode(EntryCursor::encode(after), pager.keySize());
    }
    return keys;
}
} // namespace

class TestEntryPager : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void visitsEveryRowOnce_data();
    void visitsEveryRowOnce();
    void completeWhileWriterInserts_data();
    void completeWhileWriterInserts();
    void hostileIdentifiersBrowse();
    void filterBindsParameters_data();
    void filterBindsParameters();
    void lastPageAndApproximateCount();
    void indexCountsAndCancels();
    void badCursorsRejected_data();
    void badCursorsRejected();

private:
    QTemporaryDir m_dir;
    QString m_file;
};

void TestEntryPager::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_file = m_dir.filePath(u"paging.db"_s);
    exec(m_file,
        u"PRAGMA journal_mode=WAL;"
        "CREATE TABLE r(id INTEGER PRIMARY KEY, v TEXT);"
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000) "
        "INSERT INTO r SELECT i * 3, 'value ' || i FROM n;"
        "DELETE FROM r WHERE id % 7 = 0;"
        "CREATE TABLE w(a TEXT, b INTEGER, v BLOB, PRIMARY KEY(a, b)) WITHOUT ROWID;"
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 900) "
        "INSERT INTO w SELECT 'ä' || (i % 13), i, randomblob(i % 50) FROM n;"
        "CREATE TABLE t(k TEXT PRIMARY KEY, v) WITHOUT ROWID;"
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 777) "
        "INSERT INTO t SELECT 'key ' || hex(randomblob(6)), i FROM n;"
        "CREATE TABLE plain(k TEXT, v TEXT);"
        "INSERT INTO plain SELECT 'x' || id, v FROM r;"_s);
}

void TestEntryPager::visitsEveryRowOnce_data()
{
    QTest::addColumn<QString>("table");
    QTest::addColumn<QString>("keySql");
    QTest::addColumn<int>("limit");
    QTest::addColumn<bool>("viaCursor");
    QTest::newRow("rowid with gaps") << u"r"_s << u"rowid"_s << 10 << false;
    QTest::newRow("rowid, cursor") << u"r"_s << u"rowid"_s << 97 << true;
    QTest::newRow("no primary key") << u"plain"_s << u"rowid"_s << 64 << true;
    QTest::newRow("without rowid composite") << u"w"_s << u"\"a\", \"b\""_s << 7 << false;
    QTest::newRow("without rowid composite, cursor") << u"w"_s << u"\"a\", \"b\""_s << 50 << true;
    QTest::newRow("text primary key, cursor") << u"t"_s << u"\"k\""_s << 13 << true;
    QTest::newRow("page of one") << u"t"_s << u"\"k\""_s << 1 << true;
}

void TestEntryPager::visitsEveryRowOnce()
{
    QFETCH(QString, table);
    QFETCH(QString, keySql);
    QFETCH(int, limit);
    QFETCH(bool, viaCursor);
    auto db = Database::open(m_file, Database::Mode::ReadOnly);
    QVERIFY(db);
    auto pager = EntryPager::open(db->get(), table);
    QVERIFY2(pager, qPrintable(pager.error().message));
    const QStringList expected = allKeys(db->get(), keySql, table);
    QVERIFY(expected.size() > 500);
    const QStringList seen = pageAll(pager.value(), limit, viaCursor);
    QCOMPARE(seen.size(), expected.size());
    QCOMPARE(seen, expected);
}

void TestEntryPager::completeWhileWriterInserts_data()
{
    QTest::addColumn<QString>("table");
    QTest::addColumn<QString>("keySql");
    QTest::addColumn<QString>("insert");
    QTest::newRow("rowid appends") << u"r"_s << u"rowid"_s << u"INSERT INTO r(v) VALUES ('new')"_s;
    // Replaces existing rowids in place and fills gaps in the middle of the table.
    QTest::newRow("rowid replace") << u"r"_s << u"rowid"_s
                                   << u"INSERT OR REPLACE INTO r(id, v) VALUES (abs(random()) % 3000 + 1, 'x')"_s;
    QTest::newRow("text keys in the middle")
        << u"t"_s << u"\"k\""_s << u"INSERT INTO t VALUES ('key ' || hex(randomblob(6)), 0)"_s;
}

void TestEntryPager::completeWhileWriterInserts()
{
    QFETCH(QString, table);
    QFETCH(QString, keySql);
    QFETCH(QString, insert);
    const QString file
        = m_dir.filePath(u"live-%1.db"_s.arg(QString::fromUtf8(QTest::currentDataTag())).replace(u' ', u'-'));
    QFile::copy(m_file, file);
    exec(file, u"PRAGMA journal_mode=WAL"_s);
    // A real writer process committing one row at a time for as long as the test pages.
    PythonChild writer(uR"PY(
import sqlite3, sys, threading, time
c = sqlite3.connect(sys.argv[1], isolation_level=None, check_same_thread=False, timeout=30)
stop = threading.Event()
def write():
    while not stop.is_set():
        c.execute(sys.argv[2])
        time.sleep(0.001)
c.execute(sys.argv[2])
t = threading.Thread(target=write)
t.start()
print("ready", flush=True)
sys.stdin.read()
stop.set()
t.join()
)PY"_s,
        { file, insert });
    QVERIFY(writer.waitReady());
    auto db = Database::open(file, Database::Mode::ReadOnly);
    QVERIFY(db);
    const QStringList before = allKeys(db->get(), keySql, table);
    auto pager = EntryPager::open(db->get(), table);
    QVERIFY(pager);
    // Page half the table, let the writer commit more rows, then page the rest.
    QStringList seen;
    QVariantList cursor;
    bool waited = false;
    for (;;) {
        auto page = pager->after(cursor, 5);
        QVERIFY2(page, qPrintable(page.error().message));
        for (const EntryRow& row : page->rows)
            seen << keyString(row.key);
        if (page->rows.isEmpty() || page->atEnd)
            break;
        cursor = *EntryCursor::decode(EntryCursor::encode(page->rows.last().key), pager->keySize());
        if (!waited && seen.size() >= before.size() / 2) {
            waited = true;
            const qint64 target = before.size() + 20;
            QTRY_VERIFY_WITH_TIMEOUT(queryInt(file, u"SELECT count(*) FROM "_s + table) >= target, 30000);
        }
    }
    writer.stop();
    const QStringList after = allKeys(db->get(), keySql, table);
    QVERIFY2(after.size() > before.size(), "the writer inserted nothing while we paged");
    QCOMPARE(QSet<QString>(seen.begin(), seen.end()).size(), seen.size()); // no row twice
    QStringList sorted = seen;
    std::sort(sorted.begin(), sorted.end(),
        [&](const QString& a, const QString& b) { return after.indexOf(a) < after.indexOf(b); });
    QCOMPARE(seen, sorted); // in key order
    const QSet<QString> seenSet(seen.begin(), seen.end());
    for (const QString& key : before) // every row that existed all along is visited
        QVERIFY2(seenSet.contains(key) || !after.contains(key), qPrintable(key));
}

void TestEntryPager::hostileIdentifiersBrowse()
{
    const QString file = m_dir.filePath(u"hostile.db"_s);
    const QString table = Database::quoteIdentifier(Hostile);
    exec(file,
        u"CREATE TABLE r(x); CREATE TABLE %1 (\"k\"\"ey\" TEXT, \"val ue; --\" BLOB, \"ü\" INTEGER, "
        "PRIMARY KEY(\"k\"\"ey\")) WITHOUT ROWID;"
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300) "
        "INSERT INTO %1 SELECT 'k''' || i || '\"; DROP TABLE r;', randomblob(10), i FROM n;"_s.arg(table));
    auto db = Database::open(file, Database::Mode::ReadOnly);
    QVERIFY(db);
    auto pager = EntryPager::open(db->get(), Hostile);
    QVERIFY2(pager, qPrintable(pager.error().message));
    QCOMPARE(pager->view().columnNames(), (QStringList { u"k\"ey"_s, u"val ue; --"_s, u"ü"_s }));
    QCOMPARE(pageAll(pager.value(), 17, true).size(), 300);
    pager->setFilter(EntryFilter { u"'; DROP"_s, {} });
    QCOMPARE(pageAll(pager.value(), 17, true).size(), 0);
    pager->setFilter(EntryFilter { u"k'12"_s, {} });
    QCOMPARE(pageAll(pager.value(), 17, true).size(), 11); // k'12, k'120 … k'129
    pager->setFilter(EntryFilter { u"\"; DROP TABLE r;"_s, {} });
    QCOMPARE(pageAll(pager.value(), 17, true).size(), 300);
    auto entry = pager->entry(pager->first(1)->rows.first().key);
    QVERIFY(entry);
    QCOMPARE(entry->value(u"ü"_s).toLongLong(), 1);
    QCOMPARE(queryInt(file, u"SELECT count(*) FROM r"_s), 0); // still there
}

void TestEntryPager::filterBindsParameters_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("column");
    QTest::addColumn<int>("expected");
    QTest::newRow("percent is literal") << u"%"_s << -1 << 0;
    QTest::newRow("underscore is literal") << u"_"_s << -1 << 0;
    QTest::newRow("quote") << u"'"_s << -1 << 0;
    QTest::newRow("value column") << u"value 99"_s << 1 << 10; // 99, 990 … 999 minus multiples of 7
    QTest::newRow("no key role: any column") << u"value 1000"_s << -1 << 1;
}

void TestEntryPager::filterBindsParameters()
{
    QFETCH(QString, text);
    QFETCH(int, column);
    QFETCH(int, expected);
    auto db = Database::open(m_file, Database::Mode::ReadOnly);
    QVERIFY(db);
    auto pager = EntryPager::open(db->get(), u"r"_s);
    QVERIFY(pager);
    EntryFilter filter;
    if (column < 0)
        filter.text = text;
    else
        filter.columns.insert(column, text);
    pager->setFilter(filter);
    const qint64 reference = queryInt(
        m_file, u"SELECT count(*) FROM r WHERE instr(v, '%1') > 0"_s.arg(QString(text).replace(u"'"_s, u"''"_s)));
    QCOMPARE(qint64(expected), reference);
    QCOMPARE(pageAll(pager.value(), 8, true).size(), expected);
}

void TestEntryPager::lastPageAndApproximateCount()
{
    auto db = Database::open(m_file, Database::Mode::ReadOnly);
    QVERIFY(db);
    auto pager = EntryPager::open(db->get(), u"r"_s);
    QVERIFY(pager);
    auto approximate = pager->approximateCount();
    QVERIFY(approximate);
    QCOMPARE(approximate.value(), 3000 - 3 + 1); // max(rowid) - min(rowid) + 1, no scan
    auto last = pager->last(5);
    QVERIFY(last);
    QCOMPARE(last->rows.size(), 5);
    QCOMPARE(last->rows.last().key.first().toLongLong(), 3000);
    QVERIFY(last->rows.first().key.first().toLongLong() < last->rows.last().key.first().toLongLong());
    auto w = EntryPager::open(db->get(), u"w"_s);
    QVERIFY(w);
    QCOMPARE(w->approximateCount().value(), -1); // no sqlite_stat1: unknown, not counted
    // After ANALYZE, sqlite_stat1 holds the row count of each index: used, still no scan.
    const QString analyzed = m_dir.filePath(u"analyzed.db"_s);
    QFile::copy(m_file, analyzed);
    exec(analyzed, u"ANALYZE"_s);
    auto adb = Database::open(analyzed, Database::Mode::ReadOnly);
    QVERIFY(adb);
    auto aw = EntryPager::open(adb->get(), u"w"_s);
    QVERIFY(aw);
    QCOMPARE(aw->approximateCount().value(), queryInt(analyzed, u"SELECT count(*) FROM w"_s));
}

void TestEntryPager::indexCountsAndCancels()
{
    for (const QString& table : { u"r"_s, u"w"_s, u"t"_s }) {
        std::atomic_bool cancel { false };
        qint64 progressCalls = 0;
        auto index = EntryIndex::build(m_file, table, {}, 64, cancel, [&](qint64) { ++progressCalls; });
        QVERIFY2(index, qPrintable(index.error().message));
        QCOMPARE(index->count, queryInt(m_file, u"SELECT count(*) FROM "_s + table));
        QCOMPARE(index->keys.size(), (index->count + 63) / 64);
        QVERIFY(progressCalls > 0);
        // keys[i] is the first key of page i: paging from it yields row i * 64.
        auto db = Database::open(m_file, Database::Mode::ReadOnly);
        auto pager = EntryPager::open(db->get(), table);
        const QStringList all = pageAll(pager.value(), 100, false);
        for (int i = 0; i < index->keys.size(); ++i)
            QCOMPARE(keyString(index->keys[i]), all[i * 64]);
        QCOMPARE(keyString(index->lastKey), all.last());
    }
    std::atomic_bool cancel { true };
    auto cancelled = EntryIndex::build(m_file, u"r"_s, {}, 64, cancel);
    QVERIFY(cancelled);
    QVERIFY(cancelled->cancelled);
}

void TestEntryPager::badCursorsRejected_data()
{
    QTest::addColumn<QString>("cursor");
    QTest::newRow("not base64") << u"!!!"_s;
    QTest::newRow("not json") << QString::fromLatin1(QByteArray("hello").toBase64());
    QTest::newRow("wrong arity") << EntryCursor::encode({ 1, 2 });
    QTest::newRow("null key") << QString::fromLatin1(QByteArray("[null]").toBase64());
    QTest::newRow("empty") << QString();
}

void TestEntryPager::badCursorsRejected()
{
    QFETCH(QString, cursor);
    QVERIFY(!EntryCursor::decode(cursor, 1));
    const QVariantList blobKey { QByteArray("\x00\xff bytes", 8), u"ü"_s, qint64(1) << 60 };
    QCOMPARE(EntryCursor::decode(EntryCursor::encode(blobKey), 3).value(), blobKey);
}

QTEST_GUILESS_MAIN(TestEntryPager)
#include "tst_entrypager.moc"
