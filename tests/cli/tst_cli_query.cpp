// SPDX-License-Identifier: GPL-3.0-or-later
// cachescope-cli query as a user runs it: real files, a real writer, the real process, exit codes.
#include "scratchdir.h"
#include "testsupport.h"
#include "writerscripts.h"

#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

class TestCliQuery : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.renew());
        m_db = m_dir.filePath(u"cache.db"_s);
    }
    void jsonKeepsTheContract();
    void maxRowsTruncates();
    void textEscapesControlCharacters();
    void writesRefusedWithExit3_data();
    void writesRefusedWithExit3();
    void endlessQueryInterrupted();
    void usageAndFileErrors_data();
    void usageAndFileErrors();
    void duringLiveWriterWalStaysCheckpointable();
    void busyTimeoutIsHonoured();

private:
    ScratchDir m_dir;
    QString m_db;
};

void TestCliQuery::jsonKeepsTheContract()
{
    makeCache(m_db, u"delete"_s, 5);
    const QByteArray before = fileBytes(m_db);
    const auto result
        = runCli({ u"query"_s, m_db, u"SELECT id, key, x'0001' AS b FROM entries ORDER BY id"_s, u"--json"_s });
    QCOMPARE(result.exitCode, 0);
    QVERIFY(result.err.isEmpty());
    const QJsonObject json = QJsonDocument::fromJson(result.out).object();
    QCOMPARE(json[u"columns"_s].toArray(), (QJsonArray { u"id"_s, u"key"_s, u"b"_s }));
    QCOMPARE(json[u"rows"_s].toArray().size(), 5);
    QCOMPARE(json[u"rows"_s].toArray().at(0).toArray().at(0).toInt(), 1);
    QCOMPARE(json[u"rows"_s].toArray().at(0).toArray().at(2)[u"blob_bytes"_s].toInt(), 2);
    QCOMPARE(json[u"truncated"_s].toBool(true), false);
    QCOMPARE(json[u"max_rows"_s].toInt(), 10000);
    QCOMPARE(fileBytes(m_db), before);
    QCOMPARE(QDir(m_dir.path()).entryList(QDir::Files), QStringList { u"cache.db"_s });
}

void TestCliQuery::maxRowsTruncates()
{
    makeCache(m_db, u"wal"_s, 50);
    const auto result = runCli({ u"query"_s, m_db, u"SELECT * FROM entries"_s, u"--max-rows"_s, u"7"_s, u"--json"_s });
    QCOMPARE(result.exitCode, 0);
    const QJsonObject json = QJsonDocument::fromJson(result.out).object();
    QCOMPARE(json[u"rows"_s].toArray().size(), 7);
    QCOMPARE(json[u"truncated"_s].toBool(), true);
    QCOMPARE(json[u"truncated_reason"_s].toString(), u"max_rows"_s);
    const auto text = runCli({ u"query"_s, m_db, u"SELECT * FROM entries"_s, u"--max-rows"_s, u"7"_s });
    QCOMPARE(text.exitCode, 0);
    QVERIFY(text.out.endsWith("(7 rows, truncated at the 7-row cap)\n"));
}

void TestCliQuery::textEscapesControlCharacters()
{
    makeCache(m_db, u"delete"_s, 0);
    exec(m_db, u"INSERT INTO entries(key, value) VALUES('\x1b]0;pwned\x07\x1b[2J', 'a\u202eb')"_s);
    const auto result = runCli({ u"query"_s, m_db, u"SELECT key AS \"k\x1b[1m\", value FROM entries"_s });
    QCOMPARE(result.exitCode, 0);
    QVERIFY(!result.out.contains('\x1b'));
    QVERIFY(!result.out.contains('\x07'));
    QVERIFY(!result.out.contains("\u202e"));
    QVERIFY(result.out.contains("\\e]0;pwned\\x07\\e[2J | a\\u202Eb"));
    QVERIFY(result.out.startsWith("k\\e[1m | value\n"));
}

void TestCliQuery::writesRefusedWithExit3_data()
{
    QTest::addColumn<QString>("sql");
    QTest::addRow("delete") << u"DELETE FROM entries"_s;
    QTest::addRow("drop") << u"DROP TABLE entries"_s;
    QTest::addRow("begin") << u"BEGIN IMMEDIATE"_s;
    QTest::addRow("journal mode") << u"PRAGMA journal_mode=DELETE"_s;
    QTest::addRow("checkpoint") << u"PRAGMA wal_checkpoint(TRUNCATE)"_s;
}

void TestCliQuery::writesRefusedWithExit3()
{
    QFETCH(QString, sql);
    makeCache(m_db, u"wal"_s, 5);
    writeLeavingWal(m_db, 5);
    const QByteArray db = fileBytes(m_db), wal = fileBytes(m_db + u"-wal"_s);
    const auto result = runCli({ u"query"_s, m_db, sql });
    QCOMPARE(result.exitCode, 3);
    QVERIFY2(result.err.contains("cachescope-cli: refused: "), result.err.constData());
    QVERIFY(result.out.isEmpty());
    QCOMPARE(fileBytes(m_db), db);
    QCOMPARE(fileBytes(m_db + u"-wal"_s), wal);
}

void TestCliQuery::endlessQueryInterrupted()
{
    makeCache(m_db, u"wal"_s, 1);
    const auto result = runCli(
        { u"query"_s, m_db, u"WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT count(*) FROM c"_s,
            u"--timeout-ms"_s, u"300"_s });
    QCOMPARE(result.exitCode, 1);
    QCOMPARE(result.err, "cachescope-cli: interrupted: the query ran longer than its 300 ms time limit\n");
}

void TestCliQuery::usageAndFileErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("message");
    QTest::addRow("no sql") << QStringList { u"DB"_s } << 2 << u"expects 2 argument"_s;
    QTest::addRow("bad max-rows") << QStringList { u"DB"_s, u"SELECT 1"_s, u"--max-rows"_s, u"0"_s } << 2
                                  << u"--max-rows needs a whole number"_s;
    QTest::addRow("bad timeout") << QStringList { u"DB"_s, u"SELECT 1"_s, u"--timeout-ms"_s, u"x"_s } << 2
                                 << u"--timeout-ms needs a whole number"_s;
    QTest::addRow("missing file") << QStringList { u"MISSING"_s, u"SELECT 1"_s } << 1 << u"does not exist"_s;
    QTest::addRow("syntax") << QStringList { u"DB"_s, u"SELEKT 1"_s } << 1 << u"syntax error"_s;
    QTest::addRow("no table") << QStringList { u"DB"_s, u"SELECT * FROM nope"_s } << 1 << u"no such table: nope"_s;
}

void TestCliQuery::usageAndFileErrors()
{
    QFETCH(QStringList, args);
    QFETCH(int, exitCode);
    QFETCH(QString, message);
    makeCache(m_db, u"delete"_s, 1);
    args.replaceInStrings(u"MISSING"_s, m_dir.filePath(u"missing.db"_s));
    args.replaceInStrings(u"DB"_s, m_db);
    const auto result = runCli(QStringList { u"query"_s } + args);
    QCOMPARE(result.exitCode, exitCode);
    QVERIFY2(QString::fromUtf8(result.err).contains(message), result.err.constData());
}

void TestCliQuery::duringLiveWriterWalStaysCheckpointable()
{
    makeCache(m_db, u"wal"_s, 100);
    PythonChild writer(QString::fromUtf8(WriterScripts::writeContinuously), { m_db, u"0.002"_s, u"0"_s });
    QVERIFY(writer.waitReady());
    const auto result = runCli({ u"query"_s, m_db, u"SELECT count(*) FROM entries"_s, u"--json"_s });
    QCOMPARE(result.exitCode, 0);
    QVERIFY(QJsonDocument::fromJson(result.out)[u"rows"_s][0][0].toInt() >= 100);
    // Right after the query, a TRUNCATE checkpoint by the CLI itself (another connection) is not busy.
    const auto ckpt = runCli({ u"checkpoint"_s, m_db, u"--mode"_s, u"truncate"_s, u"--json"_s });
    QCOMPARE(ckpt.exitCode, 0);
    QCOMPARE(QJsonDocument::fromJson(ckpt.out)[u"busy"_s].toBool(true), false);
    writer.stop();
}

void TestCliQuery::busyTimeoutIsHonoured()
{
    // `query` waited its 10 s --timeout-ms for a lock and then advised --busy-timeout-ms, which
    // it ignored. A rollback cache held EXCLUSIVE: exit 3 after about the busy timeout given.
    makeCache(m_db, u"delete"_s, 3);
    PythonChild holder(holderScript(), { m_db, u"exclusive"_s });
    QVERIFY(holder.waitReady());
    QElapsedTimer clock;
    clock.start();
    const auto result
        = runCli({ u"query"_s, m_db, u"SELECT count(*) FROM entries"_s, u"--busy-timeout-ms"_s, u"300"_s });
    QCOMPARE(result.exitCode, 3);
    QVERIFY2(clock.elapsed() < 8000, qPrintable(QString::number(clock.elapsed()))); // not the 10 s default
    QVERIFY2(result.err.contains("busy") || result.err.contains("locked"), result.err.constData());
    const auto tooMany = runCli({ u"query"_s, m_db, u"SELECT 1"_s, u"--max-rows"_s, u"2000000"_s });
    QCOMPARE(tooMany.exitCode, 2);
    QVERIFY2(tooMany.err.contains("1000000"), tooMany.err.constData());
}

QTEST_GUILESS_MAIN(TestCliQuery)
#include "tst_cli_query.moc"
