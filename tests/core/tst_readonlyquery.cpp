// SPDX-License-Identifier: GPL-3.0-or-later
// ReadOnlyQuery (the SQL console) on real caches: nothing pinned after a query while a real
// writer runs, writes refused, endless queries stopped, hostile names and values made safe.
#include "query/readonlyquery.h"
#include "scratchdir.h"
#include "sqlite/database.h"
#include "testsupport.h"
#include "writerscripts.h"

#include <QDeadlineTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include <sqlite3.h>

#include <atomic>
#include <thread>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

namespace {

// A TRUNCATE checkpoint by a separate connection: (busy, log, checkpointed).
QList<qint64> truncateCheckpoint(const QString& path)
{
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(path.toUtf8().constData(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
        sqlite3_close_v2(db);
        return {};
    }
    sqlite3_busy_timeout(db, 10000);
    QList<qint64> values;
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, "PRAGMA wal_checkpoint(TRUNCATE)", -1, &stmt, nullptr) == SQLITE_OK
        && sqlite3_step(stmt) == SQLITE_ROW) {
        for (int c = 0; c < 3; ++c)
            values << sqlite3_column_int64(stmt, c);
    }
    sqlite3_finalize(stmt);
    sqlite3_close_v2(db);
    return values;
}

const QString endless = u"WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT count(*) FROM c"_s;

} // namespace

class TestReadOnlyQuery : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.renew());
        m_db = m_dir.filePath(u"cache.db"_s);
    }
    void readsRowsWithTheirTypes();
    void capsRowsAndSaysSo();
    void hardenedThroughTheDriverHandle();
    void queryDuringLiveWriterLeavesWalCheckpointable();
    void unfinishedStatementWouldPinTheWal();
    void refusesWrites_data();
    void refusesWrites();
    void allowsReads_data();
    void allowsReads();
    void journalModeIsNeverWrong();
    void endlessQueryTimesOut();
    void endlessQueryCancelled();
    void hostileNamesAndValuesRenderedSafely();
    void leavesNoSidecars();
    void orphanedWalIsQueriedWithoutTouchingIt();
    void badFilesKeepTheirReason();

private:
    std::unique_ptr<ReadOnlyQuery> open()
    {
        auto query = ReadOnlyQuery::open(m_db);
        if (!query)
            qWarning("%s", qPrintable(query.error().message));
        return query ? std::move(query.value()) : nullptr;
    }
    ScratchDir m_dir;
    QString m_db;
};

void TestReadOnlyQuery::readsRowsWithTheirTypes()
{
    makeCache(m_db, u"wal"_s, 3);
    auto query = open();
    QVERIFY(query);
    auto result = query->run(u"SELECT id, key, 1.5, NULL, x'00ff41' AS blob FROM entries ORDER BY id"_s);
    QVERIFY2(result.ok(), qPrintable(result.error().message));
    QCOMPARE(result->columns, (QStringList { u"id"_s, u"key"_s, u"1.5"_s, u"NULL"_s, u"blob"_s }));
    QCOMPARE(result->rows.size(), 3);
    QVERIFY(!result->truncated);
    const QJsonObject json = result->toJson();
    const QJsonArray first = json[u"rows"_s].toArray().at(0).toArray();
    QCOMPARE(first.at(0).toInteger(), 1);
    QVERIFY(first.at(1).isString());
    QCOMPARE(first.at(2).toDouble(), 1.5);
    QVERIFY(first.at(3).isNull());
    QCOMPARE(first.at(4)[u"blob_bytes"_s].toInt(), 3);
    QCOMPARE(first.at(4)[u"preview"_s].toString(), u"..A"_s);
    QCOMPARE(json[u"truncated"_s].toBool(), false);
    QVERIFY(!query->hasOpenStatements());
    QVERIFY(!query->inTransaction());
}

void TestReadOnlyQuery::capsRowsAndSaysSo()
{
    makeCache(m_db, u"wal"_s, 100);
    auto query = open();
    QVERIFY(query);
    QueryLimits limits;
    limits.maxRows = 10;
    auto capped = query->run(u"SELECT * FROM entries"_s, limits);
    QVERIFY(capped.ok());
    QCOMPARE(capped->rows.size(), 10);
    QVERIFY(capped->truncated);
    QCOMPARE(capped->truncatedReason, u"max_rows"_s);
    QVERIFY(capped->toText().contains(u"truncated at the 10-row cap"_s));
    limits.maxRows = 100;
    auto exact = query->run(u"SELECT * FROM entries"_s, limits);
    QVERIFY(exact.ok());
    QCOMPARE(exact->rows.size(), 100);
    QVERIFY(!exact->truncated);
    limits.maxBytes = 1000;
    auto bytes = query->run(u"SELECT * FROM entries"_s, limits);
    QVERIFY(bytes.ok());
    QVERIFY(bytes->truncated);
    QCOMPARE(bytes->truncatedReason, u"max_bytes"_s);
    QVERIFY(bytes->rows.size() < 100);
    QVERIFY(!query->hasOpenStatements());
}

void TestReadOnlyQuery::hardenedThroughTheDriverHandle()
{
    makeCache(m_db, u"wal"_s, 1);
    auto query = open();
    QVERIFY(query);
    int defensive = -1, trusted = -1, extensions = -1;
    sqlite3_db_config(query->handle(), SQLITE_DBCONFIG_DEFENSIVE, -1, &defensive);
    sqlite3_db_config(query->handle(), SQLITE_DBCONFIG_TRUSTED_SCHEMA, -1, &trusted);
    sqlite3_db_config(query->handle(), SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, -1, &extensions);
    QCOMPARE(defensive, 1);
    QCOMPARE(trusted, 0);
    QCOMPARE(extensions, 0);
    QCOMPARE(sqlite3_db_readonly(query->handle(), "main"), 1);
    // The QSQLITE driver runs on the same libsqlite3 as core: one SQLite in the process.
    auto version = query->run(u"SELECT sqlite_version()"_s);
    QVERIFY(version.ok());
    QCOMPARE(version->rows.at(0).values.at(0).toString(), Database::runtimeVersion());
    auto onlyQuery = query->run(u"PRAGMA query_only"_s);
    QVERIFY(onlyQuery.ok());
    QCOMPARE(onlyQuery->rows.at(0).values.at(0).toLongLong(), 1);
}

void TestReadOnlyQuery::queryDuringLiveWriterLeavesWalCheckpointable()
{
    makeCache(m_db, u"wal"_s, 200);
    // A real writer committing continuously, its own auto-checkpoints off.
    PythonChild writer(QString::fromUtf8(WriterScripts::writeContinuously), { m_db, u"0.002"_s, u"0"_s });
    QVERIFY(writer.waitReady());
    auto query = open();
    QVERIFY(query);
    for (int round = 0; round < 3; ++round) {
        auto result = query->run(u"SELECT id, key, value FROM entries ORDER BY id"_s);
        QVERIFY2(result.ok(), qPrintable(result.error().message));
        QVERIFY(result->rows.size() >= 200);
        QVERIFY(!query->hasOpenStatements());
        QVERIFY(!query->inTransaction());
        // The console's connection stays open; its query must not pin the WAL.
        const QList<qint64> ckpt = truncateCheckpoint(m_db);
        QCOMPARE(ckpt.size(), 3);
        QCOMPARE(ckpt.at(0), 0); // not busy: nothing pins the checkpoint
    }
    writer.stop();
    QVERIFY(queryInt(m_db, u"SELECT count(*) FROM entries"_s) > 200); // the writer did write meanwhile
}

void TestReadOnlyQuery::unfinishedStatementWouldPinTheWal()
{
    // The control for the test above: a statement left stepping on the console's connection
    // makes the same TRUNCATE checkpoint busy, so the check can fail.
    makeCache(m_db, u"wal"_s, 50);
    PythonChild writer(QString::fromUtf8(WriterScripts::writeContinuously), { m_db, u"0.002"_s, u"0"_s });
    QVERIFY(writer.waitReady());
    auto query = open();
    QVERIFY(query);
    sqlite3_stmt* stmt = nullptr;
    QCOMPARE(sqlite3_prepare_v2(query->handle(), "SELECT id FROM entries", -1, &stmt, nullptr), SQLITE_OK);
    QCOMPARE(sqlite3_step(stmt), SQLITE_ROW);
    QVERIFY(query->hasOpenStatements());
    const QList<qint64> ckpt = truncateCheckpoint(m_db);
    QCOMPARE(ckpt.size(), 3);
    QCOMPARE(ckpt.at(0), 1);
    sqlite3_finalize(stmt);
    QVERIFY(!query->hasOpenStatements());
    writer.stop();
}

void TestReadOnlyQuery::refusesWrites_data()
{
    QTest::addColumn<QString>("sql");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("reason");
    const int refused = int(Error::Kind::ReadOnly);
    QTest::addRow("insert") << u"INSERT INTO entries(key) VALUES('x')"_s << refused << u"writes"_s;
    QTest::addRow("update") << u"UPDATE entries SET key='x'"_s << refused << u"writes"_s;
    QTest::addRow("delete") << u"DELETE FROM entries"_s << refused << u"writes"_s;
    QTest::addRow("create") << u"CREATE TABLE t(x)"_s << refused << u"writes"_s;
    QTest::addRow("drop") << u"DROP TABLE entries"_s << refused << u"writes"_s;
    QTest::addRow("vacuum") << u"VACUUM"_s << refused << u"writes"_s;
    QTest::addRow("reindex") << u"REINDEX"_s << refused << u"REINDEX"_s;
    QTest::addRow("analyze") << u"ANALYZE"_s << refused << u"ANALYZE"_s;
    QTest::addRow("cte delete") << u"WITH a AS (SELECT 1) DELETE FROM entries"_s << refused << u"writes"_s;
    QTest::addRow("begin") << u"BEGIN"_s << refused << u"transactions"_s;
    QTest::addRow("savepoint") << u"SAVEPOINT s"_s << refused << u"transactions"_s;
    QTest::addRow("attach") << u"ATTACH 'other.db' AS o"_s << refused << u"ATTACH"_s;
    QTest::addRow("journal mode") << u"PRAGMA journal_mode=DELETE"_s << refused << u"journal_mode"_s;
    QTest::addRow("query_only off") << u"PRAGMA query_only=0"_s << refused << u"query_only"_s;
    QTest::addRow("checkpoint") << u"PRAGMA wal_checkpoint(TRUNCATE)"_s << refused << u"wal_checkpoint"_s;
    QTest::addRow("bare checkpoint") << u"PRAGMA wal_checkpoint"_s << refused << u"wal_checkpoint"_s;
    QTest::addRow("two statements") << u"SELECT 1; DELETE FROM entries"_s << int(Error::Kind::Invalid)
                                    << u"one statement"_s;
    QTest::addRow("empty") << u"  -- nothing\n"_s << int(Error::Kind::Invalid) << u"no SQL"_s;
    QTest::addRow("syntax") << u"SELEC 1"_s << int(Error::Kind::Invalid) << u"syntax error"_s;
}

void TestReadOnlyQuery::refusesWrites()
{
    QFETCH(QString, sql);
    QFETCH(int, kind);
    QFETCH(QString, reason);
    makeCache(m_db, u"delete"_s, 10);
    exec(m_db, u"CREATE INDEX entries_key ON entries(key)"_s); // something for REINDEX to rebuild
    const QByteArray before = fileBytes(m_db);
    {
        auto query = open();
        QVERIFY(query);
        auto result = query->run(sql);
        QVERIFY(!result.ok());
        QCOMPARE(int(result.error().kind), kind);
        QVERIFY2(result.error().message.contains(reason), qPrintable(result.error().message));
        QVERIFY(!query->hasOpenStatements());
        QVERIFY(!query->inTransaction());
        // The connection is still usable after a refusal.
        QVERIFY(query->run(u"SELECT count(*) FROM entries"_s).ok());
    }
    QCOMPARE(fileBytes(m_db), before);
    QVERIFY(!exists(m_dir.filePath(u"other.db"_s)));
    QCOMPARE(QDir(m_dir.path()).entryList(QDir::Files), QStringList { u"cache.db"_s });
}

void TestReadOnlyQuery::allowsReads_data()
{
    QTest::addColumn<QString>("sql");
    QTest::addColumn<int>("rows");
    QTest::addRow("select") << u"SELECT * FROM entries"_s << 10;
    QTest::addRow("trailing semicolon and comment") << u"SELECT 1; -- done"_s << 1;
    QTest::addRow("cte") << u"WITH a AS (SELECT key FROM entries) SELECT count(*) FROM a"_s << 1;
    QTest::addRow("table_info") << u"PRAGMA table_info(entries)"_s << 3;
    QTest::addRow("page_count") << u"PRAGMA page_count"_s << 1;
    // Not flagged read-only by SQLite, but reads without "=": they were refused as writes.
    QTest::addRow("journal_mode") << u"PRAGMA journal_mode"_s << 1;
    QTest::addRow("main.journal_mode") << u"PRAGMA main.journal_mode"_s << 1;
    QTest::addRow("locking_mode") << u"PRAGMA locking_mode"_s << 1;
    QTest::addRow("pragma function") << u"SELECT name FROM pragma_table_info('entries')"_s << 3;
    QTest::addRow("schema") << u"SELECT name FROM sqlite_schema"_s << 1;
}

void TestReadOnlyQuery::allowsReads()
{
    QFETCH(QString, sql);
    QFETCH(int, rows);
    makeCache(m_db, u"delete"_s, 10);
    auto query = open();
    QVERIFY(query);
    auto result = query->run(sql);
    QVERIFY2(result.ok(), qPrintable(result.error().message));
    QCOMPARE(result->rows.size(), rows);
}

void TestReadOnlyQuery::journalModeIsNeverWrong()
{
    // "PRAGMA journal_mode" was refused as a write. It reads now, except on a snapshot: a WAL
    // cache nobody has open is read immutable, where SQLite answers "delete" — a lie the
    // console must not pass on.
    makeCache(m_db, u"wal"_s, 5);
    {
        auto query = open();
        QVERIFY(query);
        auto result = query->run(u"PRAGMA journal_mode"_s);
        QVERIFY(!result.ok());
        QVERIFY2(result.error().message.contains(u"its journal mode is wal"_s), qPrintable(result.error().message));
    }
    PythonChild writer(QString::fromUtf8(WriterScripts::writeContinuously), { m_db, u"0.01"_s, u"0"_s });
    QVERIFY(writer.waitReady());
    auto query = open(); // read live now: another process has it open
    QVERIFY(query);
    auto result = query->run(u"PRAGMA journal_mode"_s);
    QVERIFY2(result.ok(), qPrintable(result.error().message));
    QCOMPARE(result->rows.at(0).values.at(0).toString(), u"wal"_s);
    writer.stop();
}

void TestReadOnlyQuery::endlessQueryTimesOut()
{
    makeCache(m_db, u"wal"_s, 1);
    auto query = open();
    QVERIFY(query);
    QueryLimits limits;
    limits.timeoutMs = 200;
    auto result = query->run(endless, limits);
    QVERIFY(!result.ok());
    QVERIFY2(result.error().message.contains(u"200 ms time limit"_s), qPrintable(result.error().message));
    QVERIFY(!query->hasOpenStatements());
    QVERIFY(query->run(u"SELECT 1"_s).ok());
}

void TestReadOnlyQuery::endlessQueryCancelled()
{
    makeCache(m_db, u"wal"_s, 1);
    auto query = open();
    QVERIFY(query);
    // started() flips once the statement runs; another thread then presses Cancel.
    static std::atomic_bool started;
    started = false;
    sqlite3_create_function(
        query->handle(), "started", 0, SQLITE_UTF8, nullptr,
        [](sqlite3_context* context, int, sqlite3_value**) {
            started = true;
            sqlite3_result_int(context, 1);
        },
        nullptr, nullptr);
    std::atomic_bool cancel { false };
    std::thread canceller([&cancel]() {
        QDeadlineTimer deadline(30000);
        while (!started && !deadline.hasExpired())
            std::this_thread::yield();
        cancel = true;
    });
    QueryLimits limits;
    limits.timeoutMs = 60000;
    auto result = query->run(u"WITH RECURSIVE c(x) AS (SELECT started() UNION ALL SELECT x+1 FROM c) "
                             "SELECT count(*) FROM c"_s,
        limits, &cancel);
    canceller.join();
    QVERIFY(started);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().message, u"cancelled"_s);
    QVERIFY(!query->hasOpenStatements());
    QVERIFY(!query->inTransaction());
    QVERIFY(query->run(u"SELECT 1"_s, limits).ok()); // the flag is per run: a new query runs
}

void TestReadOnlyQuery::hostileNamesAndValuesRenderedSafely()
{
    makeCache(m_db, u"delete"_s, 0);
    const QString hostile = u"\x1b[31mred\x1b]0;title\x07\n\r\t\u202eevil\x7f\u0085"_s;
    exec(m_db, u"CREATE TABLE \"t\x1b[2J\"(\"col\x1b[1m\n\" TEXT, b BLOB)"_s);
    exec(m_db, u"INSERT INTO \"t\x1b[2J\" VALUES('"_s + hostile + u"', x'1b5b324a00')"_s);
    auto query = open();
    QVERIFY(query);
    auto result = query->run(u"SELECT * FROM \"t\x1b[2J\""_s);
    QVERIFY2(result.ok(), qPrintable(result.error().message));
    QCOMPARE(result->columns.at(0), u"col\x1b[1m\n"_s); // kept exactly in the value
    // JSON keeps every character, escaped by JSON's own rules.
    const QJsonObject parsed = QJsonDocument::fromJson(QJsonDocument(result->toJson()).toJson()).object();
    QCOMPARE(parsed[u"rows"_s].toArray().at(0).toArray().at(0).toString(), hostile);
    QCOMPARE(parsed[u"columns"_s].toArray().at(0).toString(), u"col\x1b[1m\n"_s);
    // Text and table cells: no control character reaches a terminal or a cell.
    const QString text = result->toText();
    const QString cell = result->displayText(0, 0);
    const QString blob = result->displayText(0, 1);
    const QStringList shownTexts { QString(text).remove(u'\n'), cell, blob }; // text: lines end in \n
    for (const QString& shown : shownTexts) {
        for (const QChar c : shown) {
            QVERIFY2(c.unicode() >= 0x20 && c.unicode() != 0x7f && !(c.unicode() >= 0x80 && c.unicode() < 0xa0)
                    && c.unicode() != 0x202e,
                qPrintable(u"raw U+%1 in %2"_s.arg(uint(c.unicode()), 4, 16, QChar(u'0')).arg(shown)));
        }
    }
    QVERIFY(cell.contains(u"\\e[31mred"_s));
    QVERIFY(cell.contains(u"\\u202E"_s));
    QVERIFY(text.contains(u"col\\e[1m\\n"_s));
    QCOMPARE(text.count(u'\n'), 3); // header, one row, footer
    QCOMPARE(blob, u"5 bytes: 1b 5b 32 4a 00 |.[2J.|"_s); // as the Entries table shows bytes
    QVERIFY2(text.contains(u"| 5 bytes: 1b 5b 32 4a 00 |.[2J.|"_s), qPrintable(text));
    // CSV keeps the value (quoted), for a spreadsheet rather than a terminal.
    QVERIFY(result->toCsv().contains(hostile.toUtf8().replace("\"", "\"\"")));
}

void TestReadOnlyQuery::leavesNoSidecars()
{
    makeCache(m_db, u"wal"_s, 5); // WAL mode, the -wal checkpointed away on close
    QVERIFY(!exists(m_db + u"-wal"_s));
    {
        auto query = open();
        QVERIFY(query);
        auto result = query->run(u"SELECT count(*) FROM entries"_s);
        QVERIFY(result.ok());
        QCOMPARE(result->rows.at(0).values.at(0).toLongLong(), 5);
    }
    QCOMPARE(QDir(m_dir.path()).entryList(QDir::Files), QStringList { u"cache.db"_s });
}

void TestReadOnlyQuery::orphanedWalIsQueriedWithoutTouchingIt()
{
    // A -wal left by a process that died, no -shm: opening it read-only in place makes SQLite
    // create a -shm. The query reads core's private copy instead, with the -wal's rows.
    makeCache(m_db, u"wal"_s, 5);
    writeLeavingWal(m_db, 7);
    QFile::remove(m_db + u"-shm"_s);
    QVERIFY(exists(m_db + u"-wal"_s));
    const QString before = cacheFingerprint(m_db);
    {
        auto query = open();
        QVERIFY(query);
        auto result = query->run(u"SELECT count(*) FROM entries"_s);
        QVERIFY2(result.ok(), qPrintable(result.error().message));
        QCOMPARE(result->rows.at(0).values.at(0).toLongLong(), 12);
    }
    QCOMPARE(cacheFingerprint(m_db), before);
    QVERIFY(!exists(m_db + u"-shm"_s));
}

void TestReadOnlyQuery::badFilesKeepTheirReason()
{
    QVERIFY(!ReadOnlyQuery::open(m_dir.filePath(u"missing.db"_s)).ok());
    QVERIFY(ReadOnlyQuery::open(m_dir.filePath(u"missing.db"_s)).error().message.contains(u"does not exist"_s));
    QVERIFY(ReadOnlyQuery::open(m_dir.path()).error().message.contains(u"is a directory"_s));
    QFile junk(m_db);
    QVERIFY(junk.open(QIODevice::WriteOnly));
    junk.write(QByteArray(4096, 'x'));
    junk.close();
    const auto notDb = ReadOnlyQuery::open(m_db);
    QVERIFY(!notDb.ok());
    QCOMPARE(notDb.error().kind, Error::Kind::NotSqlite);
}

QTEST_GUILESS_MAIN(TestReadOnlyQuery)
#include "tst_readonlyquery.moc"
