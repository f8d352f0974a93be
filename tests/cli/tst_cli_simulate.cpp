// SPDX-License-Identifier: GPL-3.0-or-later
// `cachescope-cli simulate` end to end: real worker processes writing a real SQLite file.
#include "testsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <signal.h>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

namespace {
QJsonObject parseSummary(const CliResult& result)
{
    const QJsonDocument document = QJsonDocument::fromJson(result.out);
    if (!document.isObject())
        qWarning("not JSON: %s / %s", result.out.constData(), result.err.constData());
    return document.object();
}

QSet<qint64> workerPids(const QJsonObject& summary)
{
    QSet<qint64> pids;
    for (const QJsonValue& worker : summary.value(u"per_worker"_s).toArray())
        pids.insert(worker.toObject().value(u"pid"_s).toInteger());
    return pids;
}

// Waits until `parent` has `count` child processes and returns them.
QList<qint64> waitForWorkers(qint64 parent, int count)
{
    QList<qint64> children;
    (void)QTest::qWaitFor(
        [&] {
            children = childPids(parent);
            return children.size() >= count;
        },
        30000);
    return children;
}
} // namespace

class TestCliSimulate : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init() { QVERIFY(m_dir.isValid()); }
    void walWithTimeoutStoresEverything();
    void deleteWithoutTimeoutLosesWritesAndSaysSo();
    void accounting_data();
    void accounting();
    void killingTheParentStopsTheWorkers();
    void interruptPrintsASummary();
    void interruptWhileWorkersStartIsAStop();
    void badOptions_data();
    void badOptions();
    void killedWorkerIsReportedAsKilled();
    void optionsOutOfRange_data();
    void optionsOutOfRange();

private:
    QTemporaryDir m_dir;
};

void TestCliSimulate::walWithTimeoutStoresEverything()
{
    const QString db = m_dir.filePath(u"wal.db"_s);
    const auto result = runCli({ u"simulate"_s, u"--workers"_s, u"4"_s, u"--entries"_s, u"400"_s, u"--journal"_s,
                                   u"wal"_s, u"--busy-timeout-ms"_s, u"30000"_s, u"--json"_s, db },
        300000);
    QCOMPARE(result.exitCode, 0);
    const QJsonObject summary = parseSummary(result);
    QCOMPARE(summary.value(u"workers"_s).toInt(), 4);
    QCOMPARE(summary.value(u"stored"_s).toInteger(), 400);
    QCOMPARE(summary.value(u"errors"_s).toInteger(), 0);
    QCOMPARE(summary.value(u"busy_errors"_s).toInteger(), 0);
    const QSet<qint64> pids = workerPids(summary);
    QCOMPARE(pids.size(), 4);
    QVERIFY(!pids.contains(0));
    // The rows are really in the file, each written by the process that said so.
    QCOMPARE(queryInt(db, u"SELECT count(*) FROM llm_cache"_s), 400);
    QCOMPARE(queryInt(db, u"SELECT count(DISTINCT pid) FROM llm_cache"_s), 4);
    for (const QJsonValue& worker : summary.value(u"per_worker"_s).toArray()) {
        const QJsonObject object = worker.toObject();
        QCOMPARE(
            queryInt(db, u"SELECT count(*) FROM llm_cache WHERE pid = %1"_s.arg(object.value(u"pid"_s).toInteger())),
            object.value(u"stored"_s).toInteger());
    }
    QCOMPARE(queryInt(db, u"SELECT count(*) FROM llm_cache WHERE length(key) = 64 AND json_valid(response)"_s), 400);
    QCOMPARE(headerVersions(db), qMakePair(2, 2));
}

void TestCliSimulate::deleteWithoutTimeoutLosesWritesAndSaysSo()
{
    const QString db = m_dir.filePath(u"delete.db"_s);
    const auto result
        = runCli({ u"simulate"_s, u"--workers"_s, u"4"_s, u"--entries"_s, u"400"_s, u"--journal"_s, u"delete"_s,
                     u"--busy-timeout-ms"_s, u"0"_s, u"--payload-bytes"_s, u"200000"_s, u"--json"_s, db },
            300000);
    QCOMPARE(result.exitCode, 3);
    const QJsonObject summary = parseSummary(result);
    const qint64 stored = summary.value(u"stored"_s).toInteger();
    const qint64 errors = summary.value(u"errors"_s).toInteger();
    QVERIFY2(errors > 0, result.out.constData());
    QVERIFY(summary.value(u"busy_errors"_s).toInteger() > 0);
    QCOMPARE(stored + errors, 400);
    QCOMPARE(queryInt(db, u"SELECT count(*) FROM llm_cache"_s), stored);
    QCOMPARE(workerPids(summary).size(), 4);
    QCOMPARE(headerVersions(db), qMakePair(1, 1));
    bool sawLockedMessage = false;
    for (const QJsonValue& worker : summary.value(u"per_worker"_s).toArray())
        sawLockedMessage |= worker.toObject().value(u"last_error"_s).toString().contains(u"locked"_s);
    QVERIFY(sawLockedMessage);
}

void TestCliSimulate::accounting_data()
{
    QTest::addColumn<QString>("journal");
    QTest::addColumn<int>("timeoutMs");
    QTest::addColumn<int>("payload");
    QTest::addColumn<int>("workers");
    QTest::addColumn<int>("entries");
    QTest::addRow("wal, uneven split") << u"wal"_s << 30000 << 500 << 3 << 10;
    QTest::addRow("wal, no timeout") << u"wal"_s << 0 << 20000 << 4 << 200;
    QTest::addRow("delete, no timeout") << u"delete"_s << 0 << 50000 << 4 << 200;
    QTest::addRow("delete, short timeout") << u"delete"_s << 50 << 50000 << 2 << 60;
    QTest::addRow("one worker") << u"delete"_s << 0 << 1000 << 1 << 25;
}

void TestCliSimulate::accounting()
{
    QFETCH(QString, journal);
    QFETCH(int, timeoutMs);
    QFETCH(int, payload);
    QFETCH(int, workers);
    QFETCH(int, entries);
    const QString db
        = m_dir.filePath(u"accounting-%1.db"_s.arg(QString::fromLatin1(QTest::currentDataTag())).replace(u' ', u'-'));
    const auto result
        = runCli({ u"simulate"_s, u"--workers"_s, QString::number(workers), u"--entries"_s, QString::number(entries),
                     u"--journal"_s, journal, u"--busy-timeout-ms"_s, QString::number(timeoutMs), u"--payload-bytes"_s,
                     QString::number(payload), u"--json"_s, db },
            300000);
    const QJsonObject summary = parseSummary(result);
    const qint64 stored = summary.value(u"stored"_s).toInteger();
    const qint64 errors = summary.value(u"errors"_s).toInteger();
    QCOMPARE(stored + errors, entries);
    QCOMPARE(result.exitCode, errors == 0 ? 0 : 3);
    QCOMPARE(queryInt(db, u"SELECT count(*) FROM llm_cache"_s), stored);
    const QJsonArray perWorker = summary.value(u"per_worker"_s).toArray();
    QCOMPARE(perWorker.size(), workers);
    qint64 sumStored = 0, sumErrors = 0, sumBusy = 0;
    for (const QJsonValue& worker : perWorker) {
        const QJsonObject object = worker.toObject();
        const qint64 share = object.value(u"stored"_s).toInteger() + object.value(u"errors"_s).toInteger();
        QVERIFY(share == entries / workers || share == entries / workers + 1);
        sumStored += object.value(u"stored"_s).toInteger();
        sumErrors += object.value(u"errors"_s).toInteger();
        sumBusy += object.value(u"busy_errors"_s).toInteger();
    }
    QCOMPARE(sumStored, stored);
    QCOMPARE(sumErrors, errors);
    QCOMPARE(sumBusy, summary.value(u"busy_errors"_s).toInteger());
}

void TestCliSimulate::killingTheParentStopsTheWorkers()
{
    QProcess simulator;
    simulator.start(QStringLiteral(CACHESCOPE_CLI_PATH),
        { u"simulate"_s, u"--duration-s"_s, u"0"_s, u"--rate-per-worker"_s, u"20"_s, m_dir.filePath(u"killed.db"_s) });
    QVERIFY(simulator.waitForStarted());
    const QList<qint64> workers = waitForWorkers(simulator.processId(), 4);
    QCOMPARE(workers.size(), 4);
    ::kill(pid_t(simulator.processId()), SIGKILL);
    QVERIFY(simulator.waitForFinished(10000));
    for (qint64 worker : workers)
        QTRY_VERIFY_WITH_TIMEOUT(!isRunning(worker), 30000);
    // Whatever they committed before dying is intact.
    QVERIFY(queryInt(m_dir.filePath(u"killed.db"_s), u"SELECT count(*) FROM llm_cache"_s) >= 0);
}

void TestCliSimulate::interruptPrintsASummary()
{
    QProcess simulator;
    const QString db = m_dir.filePath(u"interrupted.db"_s);
    simulator.start(QStringLiteral(CACHESCOPE_CLI_PATH),
        { u"simulate"_s, u"--duration-s"_s, u"0"_s, u"--rate-per-worker"_s, u"50"_s, u"--json"_s, db });
    QVERIFY(simulator.waitForStarted());
    const QList<qint64> workers = waitForWorkers(simulator.processId(), 4);
    QCOMPARE(workers.size(), 4);
    QTRY_VERIFY_WITH_TIMEOUT(queryInt(db, u"SELECT count(*) FROM llm_cache"_s) >= 8, 30000);
    ::kill(pid_t(simulator.processId()), SIGINT); // only the parent: it passes the stop on
    QVERIFY(simulator.waitForFinished(60000));
    QCOMPARE(simulator.exitStatus(), QProcess::NormalExit);
    QCOMPARE(simulator.exitCode(), 0); // no quota and no error: a clean stop
    const QJsonObject summary = QJsonDocument::fromJson(simulator.readAllStandardOutput()).object();
    QCOMPARE(summary.value(u"interrupted"_s).toBool(), true);
    QCOMPARE(summary.value(u"errors"_s).toInteger(), 0);
    QCOMPARE(summary.value(u"stored"_s).toInteger(), queryInt(db, u"SELECT count(*) FROM llm_cache"_s));
    QCOMPARE(workerPids(summary), QSet<qint64>(workers.begin(), workers.end()));
    for (qint64 worker : workers)
        QVERIFY(!isRunning(worker));
}

// A stop that reaches a worker before it has installed its handlers (it is still starting:
// exec, the dynamic loader, Qt) must not kill it unreported: the worker is spawned with the stop
// signals blocked and takes them once it can report. Before, this run ended with exit 3.
void TestCliSimulate::interruptWhileWorkersStartIsAStop()
{
    for (int round = 0; round < 3; ++round) {
        QProcess simulator;
        const QString db = m_dir.filePath(u"early-stop-%1.db"_s.arg(round));
        simulator.start(QStringLiteral(CACHESCOPE_CLI_PATH),
            { u"simulate"_s, u"--duration-s"_s, u"0"_s, u"--rate-per-worker"_s, u"50"_s, u"--json"_s, db });
        QVERIFY(simulator.waitForStarted());
        const QList<qint64> workers = waitForWorkers(simulator.processId(), 4);
        QCOMPARE(workers.size(), 4);
        ::kill(pid_t(simulator.processId()), SIGINT); // the workers have only just been spawned
        QVERIFY(simulator.waitForFinished(60000));
        const QJsonObject summary = QJsonDocument::fromJson(simulator.readAllStandardOutput()).object();
        for (const QJsonValue& worker : summary.value(u"per_worker"_s).toArray())
            QVERIFY2(worker.toObject().value(u"reported"_s).toBool(),
                QJsonDocument(worker.toObject()).toJson(QJsonDocument::Compact).constData());
        QCOMPARE(simulator.exitCode(), 0);
        QCOMPARE(summary.value(u"interrupted"_s).toBool(), true);
        QCOMPARE(summary.value(u"stored"_s).toInteger(), queryInt(db, u"SELECT count(*) FROM llm_cache"_s));
    }
}

void TestCliSimulate::badOptions_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addRow("journal") << QStringList { u"--journal"_s, u"truncate"_s };
    QTest::addRow("workers 0") << QStringList { u"--workers"_s, u"0"_s };
    QTest::addRow("negative rate") << QStringList { u"--rate-per-worker"_s, u"-1"_s };
    QTest::addRow("entries text") << QStringList { u"--entries"_s, u"many"_s };
}

void TestCliSimulate::badOptions()
{
    QFETCH(QStringList, args);
    const QString db = m_dir.filePath(u"never.db"_s);
    const auto result = runCli(QStringList { u"simulate"_s } + args + QStringList { db });
    QCOMPARE(result.exitCode, 2);
    QVERIFY(!result.err.isEmpty());
    QVERIFY(!exists(db));
}

void TestCliSimulate::killedWorkerIsReportedAsKilled()
{
    // Issue #12.4: a SIGKILLed worker reports nothing, but its committed rows are in the file.
    QProcess simulator;
    const QString db = m_dir.filePath(u"sigkill.db"_s);
    simulator.start(QStringLiteral(CACHESCOPE_CLI_PATH),
        { u"simulate"_s, u"--workers"_s, u"3"_s, u"--entries"_s, u"3000"_s, u"--rate-per-worker"_s, u"100"_s,
            u"--json"_s, db });
    QVERIFY(simulator.waitForStarted());
    const QList<qint64> workers = waitForWorkers(simulator.processId(), 3);
    QCOMPARE(workers.size(), 3);
    const qint64 victim = workers.first();
    const QString byVictim = u"SELECT count(*) FROM llm_cache WHERE pid = %1"_s.arg(victim);
    QTRY_VERIFY_WITH_TIMEOUT(queryInt(db, byVictim) >= 5, 30000);
    QCOMPARE(::kill(pid_t(victim), SIGKILL), 0);
    QTRY_VERIFY_WITH_TIMEOUT(queryInt(db, u"SELECT count(*) FROM llm_cache"_s) >= 30, 30000);
    ::kill(pid_t(simulator.processId()), SIGINT); // the others stop cleanly and report
    QVERIFY(simulator.waitForFinished(60000));
    QCOMPARE(simulator.exitCode(), 3); // not everything the run asked for was stored
    const QJsonObject summary = QJsonDocument::fromJson(simulator.readAllStandardOutput()).object();
    QCOMPARE(summary.value(u"stored"_s).toInteger(), queryInt(db, u"SELECT count(*) FROM llm_cache"_s));
    QCOMPARE(summary.value(u"errors"_s).toInteger(), 0); // killed is not "500 errors"
    bool sawVictim = false;
    for (const QJsonValue& value : summary.value(u"per_worker"_s).toArray()) {
        const QJsonObject worker = value.toObject();
        const qint64 pid = worker.value(u"pid"_s).toInteger();
        QCOMPARE(worker.value(u"stored"_s).toInteger(),
            queryInt(db, u"SELECT count(*) FROM llm_cache WHERE pid = %1"_s.arg(pid)));
        QCOMPARE(worker.value(u"killed"_s).toBool(), pid == victim);
        if (pid == victim) {
            sawVictim = true;
            QCOMPARE(worker.value(u"signal"_s).toInt(), SIGKILL);
            QVERIFY(worker.value(u"stored"_s).toInteger() >= 5);
            QVERIFY(worker.value(u"last_error"_s).toString().contains(u"killed by signal 9"_s));
        }
    }
    QVERIFY(sawVictim);
}

void TestCliSimulate::optionsOutOfRange_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addRow("payload 2^32+1") << QStringList { u"--payload-bytes"_s, u"4294967297"_s };
    QTest::addRow("workers 257") << QStringList { u"--workers"_s, u"257"_s };
    QTest::addRow("duration overflow") << QStringList { u"--duration-s"_s, u"9223372036854776"_s };
    QTest::addRow("busy timeout overflow") << QStringList { u"--busy-timeout-ms"_s, u"2147483648"_s };
    QTest::addRow("rate inf") << QStringList { u"--rate-per-worker"_s, u"inf"_s };
    QTest::addRow("rate nan") << QStringList { u"--rate-per-worker"_s, u"nan"_s };
}

void TestCliSimulate::optionsOutOfRange()
{
    QFETCH(QStringList, args);
    const QString db = m_dir.filePath(u"range.db"_s);
    const auto result = runCli(QStringList { u"simulate"_s } + args + QStringList { db });
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.contains(args.first().toUtf8()), result.err.constData());
    QVERIFY(!exists(db));
}

QTEST_GUILESS_MAIN(TestCliSimulate)
#include "tst_cli_simulate.moc"
