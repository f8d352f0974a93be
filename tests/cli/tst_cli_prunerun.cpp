// SPDX-License-Identifier: GPL-3.0-or-later
// `cachescope-cli prune` as a run: a dry run changes no byte; on the seed cache while four
// simulated writers with a 2 s busy timeout commit; interrupted between batches; refused
// inputs change nothing; durations and sizes as the CLI parses them. Each library's own
// view of a pruned cache: tst_cli_prune.
#include "prunecaches.h"
#include "scratchdir.h"
#include "testsupport.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

#include <csignal>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

class TestCliPruneRun : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void dryRunChangesNoByte();
    void seedWhileFourWritersWrite();
    void interruptBetweenBatches();
    void refusedInput_data();
    void refusedInput();
    void durationsAndSizes();

private:
    QString path(const QString& name) const { return m_dir.filePath(name); }
    ScratchDir m_dir;
};

void TestCliPruneRun::init()
{
    QVERIFY(m_dir.renew());
}

void TestCliPruneRun::dryRunChangesNoByte()
{
    const QString dir = path(u"dc"_s);
    QCOMPARE(runPython(PruneCaches::diskcache, { dir }), QByteArray());
    const QString seed = path(u"seed.db"_s);
    QCOMPARE(PruneCaches::simulate(seed, 2, 300).exitCode, 0);
    for (const QString& target : { dir, seed }) {
        const QString folder = QFileInfo(target).isDir() ? target : m_dir.path();
        const QStringList before = filesWithDigests(folder);
        const QString backup = path(u"never.jsonl"_s);
        const QStringList selector
            = target == dir ? QStringList { u"--expired"_s } : QStringList { u"--group"_s, u"gpt-4o-mini"_s };
        const auto result
            = runCli(QStringList { u"prune"_s, target, u"--dry-run"_s, u"--backup"_s, backup, u"--json"_s } + selector);
        QCOMPARE(result.exitCode, 0);
        const QJsonObject out = result.json();
        QCOMPARE(out[u"dry_run"_s].toBool(), true);
        QCOMPARE(out[u"removed"_s].toInt(), 0);
        QCOMPARE(out[u"matched"_s].toInt(), 100);
        QCOMPARE(out[u"sample_keys"_s].toArray().size(), 5);
        QCOMPARE(filesWithDigests(folder), before); // byte for byte, no file created or removed
        QVERIFY(!QFileInfo::exists(backup));
    }
}

void TestCliPruneRun::seedWhileFourWritersWrite()
{
    const QString db = path(u"seed.db"_s);
    QCOMPARE(PruneCaches::simulate(db, 4, 6000, 300).exitCode, 0);
    const qint64 seeded = queryInt(db, u"SELECT count(*) FROM llm_cache WHERE model = 'gpt-4o-mini'"_s);
    QCOMPARE(seeded, 2000);
    const double start = double(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
    QProcess writers;
    writers.start(QStringLiteral(CACHESCOPE_CLI_PATH),
        { u"simulate"_s, db, u"--workers"_s, u"4"_s, u"--duration-s"_s, u"0"_s, u"--busy-timeout-ms"_s, u"2000"_s,
            u"--rate-per-worker"_s, u"100"_s, u"--payload-bytes"_s, u"300"_s, u"--json"_s });
    QVERIFY(writers.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(queryInt(db, u"SELECT count(*) FROM llm_cache"_s) > 6020, 30000); // they write
    const auto result = runCli({ u"prune"_s, db, u"--group"_s, u"gpt-4o-mini"_s, u"--older-than"_s, u"0s"_s,
        u"--backup"_s, path(u"seed.jsonl"_s), u"--json"_s });
    ::kill(pid_t(writers.processId()), SIGINT);
    QVERIFY(writers.waitForFinished(60000));
    QCOMPARE(result.exitCode, 0);
    const QJsonObject summary = QJsonDocument::fromJson(writers.readAllStandardOutput()).object();
    QCOMPARE(summary[u"errors"_s].toInt(), 0);
    QCOMPARE(summary[u"busy_errors"_s].toInt(), 0);
    const QJsonObject out = result.json();
    QVERIFY(out[u"removed"_s].toInt() >= seeded);
    QCOMPARE(out[u"removed"_s].toInt() + out[u"changed_meanwhile"_s].toInt(), out[u"matched"_s].toInt());
    QCOMPARE(
        queryInt(
            db, u"SELECT count(*) FROM llm_cache WHERE model = 'gpt-4o-mini' AND created < %1"_s.arg(start, 0, 'f', 3)),
        0);
    QCOMPARE(
        queryInt(db,
            u"SELECT count(*) FROM llm_cache WHERE model <> 'gpt-4o-mini' AND created < %1"_s.arg(start, 0, 'f', 3)),
        4000);
    QFile backup(path(u"seed.jsonl"_s));
    QVERIFY(backup.open(QIODevice::ReadOnly));
    QCOMPARE(backup.readAll().count('\n'), out[u"removed"_s].toInt());
}

void TestCliPruneRun::interruptBetweenBatches()
{
    const QString db = path(u"seed.db"_s);
    QCOMPARE(PruneCaches::simulate(db, 2, 3000, 100).exitCode, 0);
    QProcess prune;
    auto env = QProcessEnvironment::systemEnvironment();
    env.insert(u"CACHESCOPE_PRUNE_PAUSE_MS"_s, u"200"_s);
    prune.setProcessEnvironment(env);
    prune.start(QStringLiteral(CACHESCOPE_CLI_PATH),
        { u"prune"_s, db, u"--group"_s, u"gpt-4o-mini"_s, u"--batch-ms"_s, u"1"_s, u"--json"_s });
    QVERIFY(prune.waitForStarted());
    QByteArray err;
    QTRY_VERIFY_WITH_TIMEOUT((err += prune.readAllStandardError()).contains("batch 2\n"), 60000);
    ::kill(pid_t(prune.processId()), SIGINT);
    QVERIFY(prune.waitForFinished(60000));
    QCOMPARE(prune.exitCode(), 1);
    const QJsonObject out = QJsonDocument::fromJson(prune.readAllStandardOutput()).object();
    QCOMPARE(out[u"cancelled"_s].toBool(), true);
    const int removed = out[u"removed"_s].toInt();
    QVERIFY2(removed > 0 && removed < 1000, qPrintable(QString::number(removed)));
    QCOMPARE(out[u"matched"_s].toInt(), 1000);
    // Finished batches stay removed, nothing else is.
    QCOMPARE(queryInt(db, u"SELECT count(*) FROM llm_cache WHERE model = 'gpt-4o-mini'"_s), 1000 - removed);
    QCOMPARE(queryInt(db, u"SELECT count(*) FROM llm_cache"_s), 3000 - removed);
}

void TestCliPruneRun::refusedInput_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("message");
    QTest::addRow("not a cache") << u"text"_s << QStringList { u"--match"_s, u"x"_s } << 1 << u"SQLite"_s;
    QTest::addRow("no expiry in sqlitedict")
        << u"dict"_s << QStringList { u"--expired"_s } << 1 << u"keeps no expiry time"_s;
    QTest::addRow("backup exists") << u"dict"_s << QStringList { u"--match"_s, u"a"_s, u"--backup"_s, u"@exists"_s }
                                   << 1 << u"already exists"_s;
    QTest::addRow("backup folder missing")
        << u"dict"_s << QStringList { u"--match"_s, u"a"_s, u"--backup"_s, u"@missing"_s } << 1 << u"does not exist"_s;
    QTest::addRow("no selector") << u"dict"_s << QStringList {} << 2 << u"say which entries go"_s;
    QTest::addRow("bad duration") << u"dict"_s << QStringList { u"--older-than"_s, u"soon"_s } << 2 << u"duration"_s;
    QTest::addRow("unknown format without --table")
        << u"generic"_s << QStringList { u"--match"_s, u"a"_s } << 1 << u"--table"_s;
    QTest::addRow("bookkeeping table") << u"dc"_s << QStringList { u"--table"_s, u"Settings"_s, u"--match"_s, u"a"_s }
                                       << 1 << u"bookkeeping"_s;
    QTest::addRow("unknown column") << u"dict"_s << QStringList { u"--column"_s, u"nope=1"_s } << 1 << u"no column"_s;
}

void TestCliPruneRun::refusedInput()
{
    QFETCH(QString, kind);
    QFETCH(QStringList, args);
    QFETCH(int, exitCode);
    QFETCH(QString, message);
    QString target;
    if (kind == u"text"_s) {
        target = path(u"notes.db"_s);
        QFile file(target);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("these are notes, not a database\n");
    } else if (kind == u"dict"_s) {
        target = path(u"dict.sqlite"_s);
        runPython(
            u"from sqlitedict import SqliteDict; import sys\nwith SqliteDict(sys.argv[1], autocommit=True) as d: d['a'] = 1"_s,
            { target });
    } else if (kind == u"generic"_s) {
        target = path(u"plain.db"_s);
        exec(
            target, u"CREATE TABLE things(id INTEGER PRIMARY KEY, name TEXT); INSERT INTO things(name) VALUES ('a')"_s);
    } else {
        target = path(u"dc"_s);
        QCOMPARE(runPython(PruneCaches::diskcache, { target }), QByteArray());
    }
    QFile exists(path(u"exists.jsonl"_s));
    QVERIFY(exists.open(QIODevice::WriteOnly));
    exists.write("keep me\n");
    exists.close();
    args.replaceInStrings(u"@exists"_s, path(u"exists.jsonl"_s));
    args.replaceInStrings(u"@missing"_s, path(u"no/such/folder/b.jsonl"_s));
    const QStringList before = filesWithDigests(m_dir.path());
    const auto result = runCli(QStringList { u"prune"_s, target } + args);
    QCOMPARE(result.exitCode, exitCode);
    QVERIFY2(QString::fromUtf8(result.err).contains(message), result.err.constData());
    QVERIFY(result.out.isEmpty());
    QCOMPARE(filesWithDigests(m_dir.path()), before); // nothing removed, nothing written
}

void TestCliPruneRun::durationsAndSizes()
{
    // Through the CLI's parsing: a budget keeps the newest entries that fit.
    const QString db = path(u"seed.db"_s);
    QCOMPARE(PruneCaches::simulate(db, 1, 100, 1000).exitCode, 0);
    const qint64 total = queryInt(db, u"SELECT sum(length(response)) FROM llm_cache"_s);
    const auto result = runCli({ u"prune"_s, db, u"--max-bytes"_s, u"%1"_s.arg(total / 2), u"--json"_s });
    QCOMPARE(result.exitCode, 0);
    QVERIFY(queryInt(db, u"SELECT sum(length(response)) FROM llm_cache"_s) <= total / 2);
    QVERIFY(queryInt(db, u"SELECT sum(length(response)) FROM llm_cache"_s) > total / 2 - 2000);
    // The oldest went: every remaining entry is newer than every removed one.
    QCOMPARE(result.json()[u"parts"_s][0][u"eviction_order"_s].toString(), u"\"created\" (oldest first)"_s);
    const auto older = runCli({ u"prune"_s, db, u"--older-than"_s, u"1h"_s, u"--json"_s });
    QCOMPARE(older.exitCode, 0);
    QCOMPARE(older.json()[u"matched"_s].toInt(), 0);
}

QTEST_GUILESS_MAIN(TestCliPruneRun)
#include "tst_cli_prunerun.moc"
