// SPDX-License-Identifier: GPL-3.0-or-later
// `cachescope-cli entries`: the JSON contract, paging with --after visits every row exactly
// once (rowid, WITHOUT ROWID composite and text keys), read-only, usage errors.
#include "testsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

class TestCliEntries : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void jsonContract();
    void pagingVisitsEveryRowOnce_data();
    void pagingVisitsEveryRowOnce();
    void defaultTableIsTheFormatsMain();
    void cursorsRoundTripEveryValue_data();
    void cursorsRoundTripEveryValue();
    void badCursorsAreUsageErrors_data();
    void badCursorsAreUsageErrors();
    void textModeIsAnAlignedTable();
    void badArguments_data();
    void badArguments();
    void veryWideTableShowsItsFirstColumns();
    void textWithNulIsNotCutThere();
    void cacheFoldersAreAccepted();
    void invalidUtf8TextKeysArePagedPast();
    void emptyTextIsNotNull();
    void nothingIsCutSilently();
    void keysYouCannotTypeByJson();

private:
    QTemporaryDir m_dir;
    QString m_file;
};

void TestCliEntries::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_file = m_dir.filePath(u"cli.db"_s);
    exec(m_file,
        u"CREATE TABLE r(id INTEGER PRIMARY KEY, name TEXT, data BLOB);"
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 523) "
        "INSERT INTO r SELECT i * 2, 'name ' || i, CAST('bytes' || i AS BLOB) FROM n;"
        "CREATE TABLE w(a TEXT, b INTEGER, v TEXT, PRIMARY KEY(a, b)) WITHOUT ROWID;"
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 401) "
        "INSERT INTO w SELECT 'grüße ' || (i % 9), i, 'v' || i FROM n;"
        "CREATE TABLE t(k TEXT PRIMARY KEY, v) WITHOUT ROWID;"
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 333) "
        "INSERT INTO t SELECT 'key \"'' ' || hex(randomblob(5)), i FROM n;"_s);
}

void TestCliEntries::jsonContract()
{
    const QByteArray before = fileBytes(m_file);
    const auto result = runCli({ u"entries"_s, m_file, u"--table"_s, u"r"_s, u"--limit"_s, u"3"_s, u"--json"_s });
    QCOMPARE(result.exitCode, 0);
    const QJsonObject page = QJsonDocument::fromJson(result.out).object();
    QStringList keys = page.keys();
    keys.sort();
    QCOMPARE(keys,
        (QStringList { u"columns"_s, u"columns_omitted"_s, u"columns_total"_s, u"first_column"_s, u"next_cursor"_s,
            u"profile"_s, u"rows"_s, u"table"_s }));
    QCOMPARE(page[u"columns_omitted"_s].toInt(), 0);
    QCOMPARE(page[u"table"_s].toString(), u"r"_s);
    QCOMPARE(page[u"profile"_s].toString(), u"generic"_s);
    QCOMPARE(page[u"columns"_s].toArray().size(), 3);
    const QJsonArray rows = page[u"rows"_s].toArray();
    QCOMPARE(rows.size(), 3);
    QCOMPARE(rows[0][u"id"_s].toInteger(), 2);
    QCOMPARE(rows[0][u"name"_s].toString(), u"name 1"_s);
    QCOMPARE(rows[0][u"data"_s][u"blob_bytes"_s].toInteger(), 6);
    QCOMPARE(rows[0][u"data"_s][u"preview"_s].toString(), u"bytes1"_s);
    QVERIFY(page[u"next_cursor"_s].isString());
    QCOMPARE(fileBytes(m_file), before); // read-only
    QVERIFY(!exists(m_file + u"-wal"_s));
}

void TestCliEntries::pagingVisitsEveryRowOnce_data()
{
    QTest::addColumn<QString>("table");
    QTest::addColumn<QStringList>("keyColumns");
    QTest::addColumn<int>("limit");
    QTest::addColumn<int>("expected");
    QTest::newRow("rowid") << u"r"_s << QStringList { u"id"_s } << 50 << 523;
    QTest::newRow("without rowid composite") << u"w"_s << QStringList { u"a"_s, u"b"_s } << 37 << 401;
    QTest::newRow("text primary key") << u"t"_s << QStringList { u"k"_s } << 100 << 333;
    QTest::newRow("exact multiple") << u"t"_s << QStringList { u"k"_s } << 111 << 333;
}

void TestCliEntries::pagingVisitsEveryRowOnce()
{
    QFETCH(QString, table);
    QFETCH(QStringList, keyColumns);
    QFETCH(int, limit);
    QFETCH(int, expected);
    QStringList seen;
    QString cursor;
    for (int pages = 0; pages < 100; ++pages) {
        QStringList args { u"entries"_s, m_file, u"--table"_s, table, u"--limit"_s, QString::number(limit),
            u"--json"_s };
        if (!cursor.isEmpty())
            args << u"--after"_s << cursor;
        const auto result = runCli(args);
        QCOMPARE(result.exitCode, 0);
        const QJsonObject page = QJsonDocument::fromJson(result.out).object();
        for (const QJsonValue& row : page[u"rows"_s].toArray()) {
            QStringList key;
            for (const QString& column : keyColumns)
                key << row[column].toVariant().toString();
            seen << key.join(u'|');
        }
        if (!page[u"next_cursor"_s].isString())
            break;
        cursor = page[u"next_cursor"_s].toString();
    }
    QCOMPARE(seen.size(), expected);
    QCOMPARE(QSet<QString>(seen.begin(), seen.end()).size(), expected);
}

void TestCliEntries::defaultTableIsTheFormatsMain()
{
    const QString dir = m_dir.filePath(u"dc"_s);
    const auto made = runPythonScript(u"import diskcache, sys\n"
                                      "c = diskcache.Cache(sys.argv[1])\n"
                                      "c.set('k', 'v')\nc.set(('pickled', 1), 2)\nc.close()"_s,
        { dir });
    QVERIFY2(made.exitCode == 0, made.err.constData());
    const auto result = runCli({ u"entries"_s, dir + u"/cache.db"_s, u"--json"_s });
    QCOMPARE(result.exitCode, 0);
    const QJsonObject page = QJsonDocument::fromJson(result.out).object();
    QCOMPARE(page[u"table"_s].toString(), u"Cache"_s);
    QCOMPARE(page[u"profile"_s].toString(), u"diskcache"_s);
    QSet<QString> keys;
    for (const QJsonValue& row : page[u"rows"_s].toArray()) {
        const QJsonValue key = row[u"key"_s];
        keys << (key.isArray() ? QString::fromUtf8(QJsonDocument(key.toArray()).toJson(QJsonDocument::Compact))
                               : key.toString());
    }
    QVERIFY(keys.contains(u"k"_s));
    QVERIFY2(keys.contains(u"[\"pickled\",1]"_s), qPrintable(QStringList(keys.begin(), keys.end()).join(u' ')));
}

void TestCliEntries::cursorsRoundTripEveryValue_data()
{
    QTest::addColumn<QString>("sql");
    QTest::addColumn<int>("expected");
    QTest::newRow("ints >= 2^53") << u"WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 99) "
                                     "INSERT INTO k SELECT 4611686018427387904 + i FROM n"_s
                                  << 100;
    QTest::newRow("int64 extremes") << u"INSERT INTO k VALUES (-9223372036854775808), (-9223372036854775807), (0), "
                                       "(9223372036854775806), (9223372036854775807)"_s
                                    << 5;
    QTest::newRow("reals") << u"INSERT INTO k VALUES (1e308), (-1e308), (0.1), (0.30000000000000004), (5e-324), "
                              "(9e999), (-9e999)"_s
                           << 7;
    QTest::newRow("mixed") << u"INSERT INTO k VALUES (1), (1.5), ('text \"q\"'), (x'00ff'), (x''), ('')"_s << 6;
}

void TestCliEntries::cursorsRoundTripEveryValue()
{
    // Keyset cursors carry SQLite values exactly: --limit 1 visits every row once and ends.
    QFETCH(QString, sql);
    QFETCH(int, expected);
    const QString file
        = m_dir.filePath(u"cursor-%1.db"_s.arg(QString::fromLatin1(QTest::currentDataTag()).replace(u' ', u'-')));
    exec(file, u"CREATE TABLE k(v PRIMARY KEY) WITHOUT ROWID;"_s + sql);
    QString cursor;
    int rows = 0;
    for (int pages = 0; pages < expected + 2; ++pages) {
        QStringList args { u"entries"_s, file, u"--limit"_s, u"1"_s, u"--json"_s };
        if (!cursor.isEmpty())
            args << u"--after"_s << cursor;
        const auto result = runCli(args);
        QCOMPARE(result.exitCode, 0);
        const QJsonObject page = QJsonDocument::fromJson(result.out).object();
        rows += int(page[u"rows"_s].toArray().size());
        if (!page[u"next_cursor"_s].isString())
            break;
        cursor = page[u"next_cursor"_s].toString();
    }
    QCOMPARE(rows, expected);
}

void TestCliEntries::badCursorsAreUsageErrors_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::newRow("huge double") << QByteArray("[1e308]");
    QTest::newRow("bare number") << QByteArray("[5]");
    QTest::newRow("int out of range") << QByteArray("[{\"i\":\"99999999999999999999\"}]");
    QTest::newRow("nan") << QByteArray("[{\"r\":\"nan\"}]");
    QTest::newRow("unknown type") << QByteArray("[{\"x\":\"1\"}]");
    QTest::newRow("bad base64") << QByteArray("[{\"b\":\"!!\"}]");
    QTest::newRow("null") << QByteArray("[null]");
}

void TestCliEntries::badCursorsAreUsageErrors()
{
    QFETCH(QByteArray, json);
    const QString cursor
        = QString::fromLatin1(json.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
    const auto result = runCli({ u"entries"_s, m_file, u"--table"_s, u"t"_s, u"--after"_s, cursor });
    QCOMPARE(result.exitCode, 2);
    QVERIFY(result.err.contains("not a cursor"));
}

void TestCliEntries::textModeIsAnAlignedTable()
{
    const auto result = runCli({ u"entries"_s, m_file, u"--table"_s, u"r"_s, u"--limit"_s, u"2"_s });
    QCOMPARE(result.exitCode, 0);
    const QList<QByteArray> lines = result.out.split('\n');
    QVERIFY2(lines.size() >= 4, result.out.constData());
    QVERIFY(lines[1].startsWith("id"));
    QCOMPARE(lines[2].indexOf("name 1"), lines[1].indexOf("name"));
    QVERIFY(result.out.contains("--after "));
    // #28: bytes read as the GUI's Entries table and SQL page show them, never "<6 B> bytes1".
    QVERIFY2(lines[2].endsWith("6 bytes: 62 79 74 65 73 31 |bytes1|"), lines[2].constData());
    const auto one = runCli({ u"entries"_s, m_file, u"--table"_s, u"r"_s, u"--key"_s, u"2"_s });
    QCOMPARE(one.exitCode, 0);
    QVERIFY2(one.out.contains("── data ──\n6 bytes\n000000  62 79 74 65 73 31"), one.out.constData());
}

void TestCliEntries::badArguments_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("exitCode");
    QTest::newRow("bad cursor") << QStringList { u"--table"_s, u"r"_s, u"--after"_s, u"%%%"_s } << 2;
    QTest::newRow("cursor of another key shape") << QStringList { u"--table"_s, u"w"_s, u"--after"_s, u"WzFd"_s } << 2;
    QTest::newRow("zero limit") << QStringList { u"--limit"_s, u"0"_s } << 2;
    QTest::newRow("unknown table") << QStringList { u"--table"_s, u"nope"_s } << 1;
}

void TestCliEntries::badArguments()
{
    QFETCH(QStringList, args);
    QFETCH(int, exitCode);
    const auto result = runCli(QStringList { u"entries"_s, m_file } + args);
    QCOMPARE(result.exitCode, exitCode);
    QVERIFY(!result.err.isEmpty());
}

void TestCliEntries::veryWideTableShowsItsFirstColumns()
{
    // Issue #12.14: 1,200 columns gave "too many columns in result set" (a page reads 2-3
    // values per column; SQLite returns at most 2,000 per row).
    const QString file = m_dir.filePath(u"wide.db"_s);
    QStringList columns { u"id INTEGER PRIMARY KEY"_s };
    for (int c = 0; c < 1200; ++c)
        columns << u"c%1 TEXT"_s.arg(c);
    exec(file,
        u"CREATE TABLE wide("_s + columns.join(u", "_s)
            + u"); INSERT INTO wide(id, c0, c399) VALUES (1, 'first', 'last shown')"_s);
    const auto result = runCli({ u"entries"_s, file, u"--table"_s, u"wide"_s, u"--json"_s });
    QVERIFY2(result.exitCode == 0, result.err.constData());
    const QJsonObject page = QJsonDocument::fromJson(result.out).object();
    QCOMPARE(page[u"columns"_s].toArray().size(), 400);
    QCOMPARE(page[u"columns_omitted"_s].toInt(), 801);
    QCOMPARE(page[u"rows"_s].toArray().at(0)[u"c0"_s].toString(), u"first"_s);
    const auto text = runCli({ u"entries"_s, file, u"--table"_s, u"wide"_s });
    QCOMPARE(text.exitCode, 0);
    QVERIFY2(text.out.contains("columns 1–400 of 1201 shown"), text.out.right(300).constData());
    QVERIFY2(text.out.contains("--columns-from 401"), text.out.right(300).constData());
}

void TestCliEntries::textWithNulIsNotCutThere()
{
    // Issue #10: SQLite's length() and substr() stop text at a NUL; the preview showed
    // "before" as if it were the whole value. Long previews still end in "…".
    const QString file = m_dir.filePath(u"nul.db"_s);
    exec(file,
        u"CREATE TABLE kv(key TEXT PRIMARY KEY, value TEXT);"
        "INSERT INTO kv VALUES ('nul', 'before' || char(0) || 'after'), ('long', printf('%.*c', 1000, 'x')),"
        " ('wide', printf('%.*c', 290, 'x') || 'Kühlschränke')"_s);
    const auto result = runCli({ u"entries"_s, file, u"--json"_s });
    QVERIFY2(result.exitCode == 0, result.err.constData());
    QMap<QString, QString> values;
    for (const QJsonValue& row : QJsonDocument::fromJson(result.out).object()[u"rows"_s].toArray())
        values.insert(row[u"key"_s].toString(), row[u"value"_s].toString());
    QCOMPARE(values.value(u"nul"_s), u"before"_s + QChar(0) + u"after"_s);
    QVERIFY(values.value(u"long"_s).endsWith(u"…"_s));
    QVERIFY(values.value(u"long"_s).size() < 1000);
    QVERIFY2(values.value(u"wide"_s).endsWith(u"Kühlschränke"_s) || values.value(u"wide"_s).endsWith(u"…"_s),
        qPrintable(values.value(u"wide"_s)));
    const auto text = runCli({ u"entries"_s, file });
    QVERIFY(text.out.contains("before\\x00after"));
}

void TestCliEntries::cacheFoldersAreAccepted()
{
    // Issue #11: `entries DIR` said "is a directory" for a diskcache folder; a FanoutCache
    // folder names its shards and takes --shard.
    const QString dc = m_dir.filePath(u"folder-dc"_s), fc = m_dir.filePath(u"folder-fc"_s);
    const auto made = runPythonScript(
        u"import diskcache, sys\nc = diskcache.Cache(sys.argv[1])\nfor i in range(5): c.set('k%d' % i, 'v%d' % i)\n"
        "c.close()\nf = diskcache.FanoutCache(sys.argv[2], shards=3)\nfor i in range(12): f.set('f%d' % i, i)\n"
        "f.close()"_s,
        { dc, fc });
    QVERIFY2(made.exitCode == 0, made.err.constData());
    const auto folder = runCli({ u"entries"_s, dc, u"--json"_s });
    QVERIFY2(folder.exitCode == 0, folder.err.constData());
    const QJsonObject page = QJsonDocument::fromJson(folder.out).object();
    QCOMPARE(page[u"profile"_s].toString(), u"diskcache"_s);
    QVERIFY2(page[u"rows"_s].toArray().size() == 5, folder.out.constData());
    const auto fanout = runCli({ u"entries"_s, fc });
    QCOMPARE(fanout.exitCode, 2);
    QVERIFY2(fanout.err.contains("FanoutCache of 3 shards (000, 001, 002)"), fanout.err.constData());
    int total = 0;
    for (const QString& shard : { u"000"_s, u"001"_s, u"002"_s }) {
        const auto one = runCli({ u"entries"_s, fc, u"--shard"_s, shard, u"--json"_s });
        QVERIFY2(one.exitCode == 0, one.err.constData());
        total += int(QJsonDocument::fromJson(one.out).object()[u"rows"_s].toArray().size());
    }
    QCOMPARE(total, 12);
    QCOMPARE(runCli({ u"entries"_s, fc, u"--shard"_s, u"007"_s }).exitCode, 2);
}

void TestCliEntries::invalidUtf8TextKeysArePagedPast()
{
    // Issue #22.10: a text key that is not UTF-8 became U+FFFD in its cursor, which no longer
    // equals the key: paging repeated that row forever and never reached the keys after it.
    const QString file = m_dir.filePath(u"utf8.db"_s);
    exec(file,
        u"CREATE TABLE k(name TEXT PRIMARY KEY, v) WITHOUT ROWID;"
        "INSERT INTO k VALUES ('a', 1), (CAST(x'ff00fe' AS TEXT), 2), (CAST(x'ff00ff' AS TEXT), 3), ('zz', 4),"
        " (CAST(x'c3' AS TEXT), 5)"_s);
    QStringList cursors;
    QList<int> seen;
    QString cursor;
    for (int page = 0; page < 20; ++page) {
        QStringList args { u"entries"_s, file, u"--limit"_s, u"1"_s, u"--json"_s };
        if (!cursor.isEmpty())
            args << u"--after"_s << cursor;
        const auto result = runCli(args);
        QVERIFY2(result.exitCode == 0, result.err.constData());
        const QJsonObject json = QJsonDocument::fromJson(result.out).object();
        for (const QJsonValue& row : json[u"rows"_s].toArray())
            seen << row[u"v"_s].toInt();
        if (json[u"next_cursor"_s].isNull())
            break;
        cursor = json[u"next_cursor"_s].toString();
        QVERIFY2(!cursors.contains(cursor), qPrintable(u"cursor repeated: "_s + cursor));
        cursors << cursor;
    }
    std::sort(seen.begin(), seen.end());
    QCOMPARE(seen, (QList<int> { 1, 2, 3, 4, 5 }));
}

void TestCliEntries::emptyTextIsNotNull()
{
    // Issue #22.11: entries --json showed an empty text as null, like NULL (query was right).
    const QString file = m_dir.filePath(u"empty.db"_s);
    exec(file, u"CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT, w TEXT); INSERT INTO t VALUES (1, '', NULL)"_s);
    const auto result = runCli({ u"entries"_s, file, u"--json"_s });
    QVERIFY2(result.exitCode == 0, result.err.constData());
    const QJsonObject row = QJsonDocument::fromJson(result.out).object()[u"rows"_s].toArray().first().toObject();
    QVERIFY(row[u"v"_s].isString());
    QCOMPARE(row[u"v"_s].toString(), QString());
    QVERIFY(row[u"w"_s].isNull());
}

void TestCliEntries::nothingIsCutSilently()
{
    // #23.3: a 2,000 x 100 matrix stored by Debian's python3-sqlitedict came back as 1,982 rows
    // ending in "…", even with --key, and nothing said it was cut.
    const QString file = m_dir.filePath(u"matrix.sqlite"_s);
    const auto made
        = runPythonScript(u"import sys\nfrom sqlitedict import SqliteDict\n"
                          "with SqliteDict(sys.argv[1], autocommit=True) as d:\n"
                          "    d['matrix'] = [[i * 100 + j for j in range(100)] for i in range(2000)]\n"
                          "    x = [1, 2]\n"
                          "    d['shared'] = [x] * 600000\n"_s, // 1.8 million values written out, a small pickle
            { file });
    QVERIFY2(made.exitCode == 0, made.err.constData());
    const auto rowOf = [&](const QStringList& extra) {
        const auto out = runCli(QStringList { u"entries"_s, file, u"--json"_s } + extra);
        return QJsonDocument::fromJson(out.out)[u"rows"_s].toArray().first().toObject();
    };
    // Whole with --key: every row, every item, and no "truncated".
    const QJsonObject whole = rowOf({ u"--key"_s, u"matrix"_s });
    const QJsonArray matrix = whole[u"value"_s].toArray();
    QCOMPARE(matrix.size(), 2000);
    QCOMPARE(matrix.last().toArray().size(), 100);
    QCOMPARE(matrix.last().toArray().last().toInt(), 199999);
    QVERIFY(!whole.contains(u"truncated"_s));
    // A preview is cut, and says so: the row is "truncated", the list ends in its marker.
    const QJsonObject preview = rowOf({ u"--limit"_s, u"1"_s });
    QCOMPARE(preview[u"key"_s].toString(), u"matrix"_s);
    QCOMPARE(preview[u"truncated"_s].toBool(), true);
    QCOMPARE(preview[u"value"_s].toArray().last().toString(), u"… cut at 2000 items"_s);
    // Past the whole-value bound (1,000,000 values written out) it is cut, and says so too.
    const QJsonObject shared = rowOf({ u"--key"_s, u"shared"_s });
    QCOMPARE(shared[u"truncated"_s].toBool(), true);
    QCOMPARE(shared[u"value"_s].toArray().last().toString(), u"… cut at 600000 items"_s);
    // In text, --key prints the entry whole, and the cut with the bound that made it.
    const auto text = runCli({ u"entries"_s, file, u"--key"_s, u"matrix"_s });
    QCOMPARE(text.exitCode, 0);
    QVERIFY2(text.out.contains("199999"), text.out.right(300).constData());
    QVERIFY(!text.out.contains("cut at"));
    const auto sharedText = runCli({ u"entries"_s, file, u"--key"_s, u"shared"_s });
    // The pickle as Python's repr() writes it, the marker where the list was cut (#28, defect 13).
    QVERIFY2(sharedText.out.contains("[1, 2], … cut at 600000 items]"), sharedText.out.right(300).constData());
    QVERIFY2(sharedText.out.contains("(cut at a limit: 1000000 values"), sharedText.out.right(300).constData());
}

void TestCliEntries::keysYouCannotTypeByJson()
{
    // #23.6: tuple and int keys (diskcache memoize, ('user', 3)) could not be given to --key.
    const QString dir = m_dir.filePath(u"keys"_s);
    const auto made
        = runPythonScript(u"import sys, diskcache\n"
                          "c = diskcache.Cache(sys.argv[1])\n"
                          "c.set(('user', 3), 'three')\nc.set(7, 'seven')\nc.set(2.5, 'real')\nc.set('user', 'text')\n"
                          "c.set(b'user', 'bytes')\nc.set(b'\\x00\\xff', 'binary')\nc.set(b'only', 'only bytes')\n"
                          "@c.memoize()\ndef area(w, h):\n    return w * h\narea(3, 4)\nc.close()\n"_s,
            { dir });
    QVERIFY2(made.exitCode == 0, made.err.constData());
    const auto value = [&](const QString& json) {
        const auto out = runCli({ u"entries"_s, dir, u"--key-json"_s, json, u"--json"_s });
        const QJsonArray rows = QJsonDocument::fromJson(out.out)[u"rows"_s].toArray();
        return rows.size() == 1 ? rows[0][u"value"_s] : QJsonValue(QJsonValue::Undefined);
    };
    QCOMPARE(value(u"[\"user\", 3]"_s), QJsonValue(u"three"_s));
    QCOMPARE(value(u"[ \"user\",3 ]"_s), QJsonValue(u"three"_s)); // spacing does not matter
    QCOMPARE(value(u"7"_s), QJsonValue(u"seven"_s));
    QCOMPARE(value(u"2.5"_s), QJsonValue(u"real"_s));
    QCOMPARE(value(u"\"user\""_s), QJsonValue(u"text"_s));
    QCOMPARE(value(u"[\"user\", 4]"_s), QJsonValue(QJsonValue::Undefined)); // no such key
    // Bytes keys, kept apart from text keys by diskcache: each by its own bytes, in base64.
    QCOMPARE(value(u"{\"base64\": \"dXNlcg==\"}"_s), QJsonValue(u"bytes"_s));
    QCOMPARE(value(u"{\"base64\":\"AP8=\"}"_s), QJsonValue(u"binary"_s));
    QCOMPARE(value(u"{\"base64\": \"dXNlcw==\"}"_s), QJsonValue(QJsonValue::Undefined));
    // --key is the text key when there is one (b'user' beside 'user' was found too), and a
    // bytes key only when no other key reads the same.
    const auto byText = [&](const QString& key) {
        const auto out = runCli({ u"entries"_s, dir, u"--key"_s, key, u"--json"_s });
        QJsonArray values;
        for (const QJsonValue& row : QJsonDocument::fromJson(out.out)[u"rows"_s].toArray())
            values << row[u"value"_s];
        return values;
    };
    QCOMPARE(byText(u"user"_s), QJsonArray { u"text"_s });
    QCOMPARE(byText(u"only"_s), QJsonArray { u"only bytes"_s });
    // memoize's key: the function's name, its arguments, as diskcache builds it.
    const auto list = runCli({ u"entries"_s, dir, u"--json"_s });
    QJsonValue memoKey;
    for (const QJsonValue& row : QJsonDocument::fromJson(list.out)[u"rows"_s].toArray())
        if (row[u"key"_s].isArray() && row[u"key"_s][0].toString().contains(u"area"_s))
            memoKey = row[u"key"_s];
    QVERIFY(memoKey.isArray());
    QCOMPARE(value(QString::fromUtf8(QJsonDocument(memoKey.toArray()).toJson())), QJsonValue(12));
    // Usage errors: not JSON, or both --key and --key-json.
    QCOMPARE(runCli({ u"entries"_s, dir, u"--key-json"_s, u"[user"_s }).exitCode, 2);
    QCOMPARE(runCli({ u"entries"_s, dir, u"--key-json"_s, u"7"_s, u"--key"_s, u"7"_s }).exitCode, 2);
    const auto text = runCli({ u"entries"_s, dir, u"--key-json"_s, u"[\"user\", 3]"_s });
    QVERIFY2(text.out.contains("three"), text.out.constData());
}

QTEST_GUILESS_MAIN(TestCliEntries)
#include "tst_cli_entries.moc"
