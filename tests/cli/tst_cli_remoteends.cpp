// SPDX-License-Identifier: GPL-3.0-or-later
// Caches on another host: nothing keeps running there after the local side ends — however it
// ends (killed, stopped by a signal, its ssh or the shared connection's master gone, the
// connection silent). Through a real OpenSSH server on 127.0.0.1 (tests/support SshServer),
// the remote cachescope-cli being this build's.
#include "remote/remotecommand.h"
#include "sshclitest.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <csignal>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

namespace {
const QString Cli = QStringLiteral(CACHESCOPE_CLI_PATH);
} // namespace

class TestCliRemoteEnds : public SshCliTest {
    Q_OBJECT
private Q_SLOTS:
    void watchSeesCommitsAndEndsWithItsLocalSide_data();
    void watchSeesCommitsAndEndsWithItsLocalSide();
    void servedCommandEndsWhenItsCallerHangsUp();
    void commandEndsWhenItsConnectionGoes_data();
    void commandEndsWhenItsConnectionGoes();
    void silentConnectionEndsTheRemoteSide();
};

void TestCliRemoteEnds::watchSeesCommitsAndEndsWithItsLocalSide_data()
{
    QTest::addColumn<int>("stop");
    QTest::addRow("SIGKILL") << SIGKILL;
    QTest::addRow("SIGTERM") << SIGTERM;
    QTest::addRow("SIGINT") << SIGINT;
}

void TestCliRemoteEnds::watchSeesCommitsAndEndsWithItsLocalSide()
{
    QFETCH(int, stop);
    const QString db = path(u"watched.db"_s);
    WalWriterChild writer(db);
    QVERIFY(writer.waitReady());
    QProcess watch;
    watch.setProcessEnvironment(m_server.environment());
    watch.start(
        Cli, { u"watch"_s, SshServer::address(db), u"--json"_s, u"--interval-ms"_s, u"100"_s, u"--remote-cli"_s, Cli });
    QVERIFY(watch.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(watch.canReadLine(), 30000);
    QCOMPARE(writer.ask("commit 25"), QList<QByteArray> { "done" });
    qint64 counted = 0;
    const QDeadlineTimer deadline(30000);
    while (counted < 25 && !deadline.hasExpired()) {
        if (!watch.canReadLine() && !watch.waitForReadyRead(200))
            continue;
        const QJsonObject line = QJsonDocument::fromJson(watch.readLine()).object();
        QVERIFY(!line.isEmpty());
        counted = line[u"commits_total"_s].toInteger();
    }
    QVERIFY2(counted >= 25, qPrintable(u"watch over ssh counted %1 of 25 commits"_s.arg(counted)));
    QCOMPARE(SshServer::servedProcesses(db).size(), 1);
    ::kill(pid_t(watch.processId()), stop);
    QVERIFY(watch.waitForFinished(20000));
    if (stop != SIGKILL) { // stopped cleanly there, like Ctrl-C locally: exit 0
        QCOMPARE(watch.exitStatus(), QProcess::NormalExit);
        QCOMPARE(watch.exitCode(), 0);
    }
    // Nothing keeps running where the cache lives.
    QTRY_VERIFY_WITH_TIMEOUT(SshServer::servedProcesses(db).isEmpty(), 10000);
}

void TestCliRemoteEnds::servedCommandEndsWhenItsCallerHangsUp()
{
    // The remote end of a watch, as ssh starts it: its stdin is the caller; closing it ends it.
    const QString db = path(u"cache.db"_s);
    makeCache(db, u"wal"_s, 3);
    QProcess served;
    served.start(Cli,
        { u"watch"_s, u"--caller-version"_s, QStringLiteral(CACHESCOPE_VERSION), db, u"--json"_s, u"--interval-ms"_s,
            u"60000"_s });
    QVERIFY(served.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(served.canReadLine(), 20000);
    served.closeWriteChannel();
    QVERIFY(served.waitForFinished(10000)); // long before the next sample, a minute away
    QCOMPARE(served.exitCode(), 0);
    // Another caller's version is refused before anything runs.
    const auto other = runCli({ u"info"_s, db, u"--caller-version"_s, u"0.0.0-other"_s });
    QCOMPARE(other.exitCode, 1);
    QVERIFY(other.err.contains("version mismatch"));
}

void TestCliRemoteEnds::commandEndsWhenItsConnectionGoes_data()
{
    // Every way the local side or the connection between can go, for a stream (watch) and for
    // a command that would run for minutes there (a query with no statement limit).
    QTest::addColumn<QString>("command");
    QTest::addColumn<QString>("end");
    QTest::addColumn<bool>("masterUp");
    QTest::addRow("watch, ssh started for it, local side killed") << u"watch"_s << u"kill"_s << false;
    QTest::addRow("watch, the ssh it started killed") << u"watch"_s << u"ssh"_s << false;
    QTest::addRow("watch, the master exits") << u"watch"_s << u"exit"_s << true;
    QTest::addRow("watch, the master killed") << u"watch"_s << u"master"_s << true;
    QTest::addRow("query, local side killed") << u"query"_s << u"kill"_s << true;
    QTest::addRow("query, ssh started for it, local side killed") << u"query"_s << u"kill"_s << false;
    QTest::addRow("query, the master killed") << u"query"_s << u"master"_s << true;
}

void TestCliRemoteEnds::commandEndsWhenItsConnectionGoes()
{
    QFETCH(QString, command);
    QFETCH(QString, end);
    QFETCH(bool, masterUp);
    const QString db = path(u"ends.db"_s);
    makeCache(db, u"wal"_s, 20);
    m_server.endSharedConnections();
    if (masterUp)
        QCOMPARE(remote(u"info"_s, db).exitCode, 0);
    QCOMPARE(m_server.masterPids().size(), masterUp ? 1 : 0);
    const QStringList args = command == u"watch"_s
        ? QStringList { u"--json"_s, u"--interval-ms"_s, u"100"_s }
        : QStringList { u"WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"_s,
              u"--statement-timeout-ms"_s, u"0"_s };
    QProcess local;
    local.setProcessEnvironment(m_server.environment());
    local.start(Cli, QStringList { command, SshServer::address(db) } + args + QStringList { u"--remote-cli"_s, Cli });
    QVERIFY(local.waitForStarted());
    QTRY_COMPARE_WITH_TIMEOUT(SshServer::servedProcesses(db, command).size(), 1, 30000);
    if (command == u"watch"_s)
        QTRY_VERIFY_WITH_TIMEOUT(local.canReadLine(), 30000);
    if (end == u"kill"_s) {
        ::kill(pid_t(local.processId()), SIGKILL);
    } else if (end == u"ssh"_s) {
        const QList<qint64> children = childPids(local.processId());
        QCOMPARE(children.size(), 1); // the ssh it started
        ::kill(pid_t(children.first()), SIGKILL);
    } else if (end == u"exit"_s) {
        m_server.endSharedConnections();
    } else {
        const QList<qint64> masters = m_server.masterPids();
        QCOMPARE(masters.size(), 1);
        ::kill(pid_t(masters.first()), SIGKILL);
    }
    QVERIFY(local.waitForFinished(30000));
    if (end != u"kill"_s) { // said, exit 1
        const QByteArray err = local.readAllStandardError();
        QCOMPARE(local.exitCode(), 1);
        QVERIFY2(err.contains("cachescope-test") && err.contains("connection"), err.constData());
    }
    // Nothing keeps running where the cache lives.
    QTRY_VERIFY_WITH_TIMEOUT(SshServer::servedProcesses(db).isEmpty(), 15000);
}

void TestCliRemoteEnds::silentConnectionEndsTheRemoteSide()
{
    // A connection gone without closing (the network away, a laptop asleep): the shared
    // connection's master is stopped (SIGSTOP), so nothing passes and nothing closes — TCP would
    // keep the remote side waiting. Heartbeats keep a quiet watch there alive past the silence
    // limit, whether its ssh was started for it (ssh's stdin) or it went through the master
    // (the control socket); once they stop coming, it ends there on its own within the limit.
    const QString db = path(u"quiet.db"_s);
    makeCache(db, u"wal"_s, 5);
    m_server.endSharedConnections();
    const QStringList args { u"watch"_s, SshServer::address(db), u"--json"_s, u"--interval-ms"_s, u"600000"_s,
        u"--remote-cli"_s, Cli };
    QProcess started; // starts ssh, which becomes the master
    started.setProcessEnvironment(m_server.environment());
    started.start(Cli, args);
    QVERIFY(started.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(started.canReadLine(), 30000);
    QTRY_COMPARE_WITH_TIMEOUT(m_server.masterPids().size(), 1, 10000);
    QProcess muxed; // through the master
    muxed.setProcessEnvironment(m_server.environment());
    muxed.start(Cli, args);
    QVERIFY(muxed.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(muxed.canReadLine(), 30000);
    QCOMPARE(childPids(muxed.processId()).size(), 0); // no ssh of its own
    const QList<qint64> served = SshServer::servedProcesses(db, u"watch"_s);
    QCOMPARE(served.size(), 2);
    // The measurement itself: longer than the silence limit with nothing to say, the heartbeats
    // keep both there; only time passing shows that.
    QTest::qWait(RemoteCommand::CallerSilenceMs + 2 * RemoteCommand::HeartbeatMs);
    QCOMPARE(SshServer::servedProcesses(db, u"watch"_s), served);
    // The connection goes silent: both end there within the limit (and a margin for a loaded machine).
    const qint64 master = m_server.masterPids().value(0);
    QVERIFY(master > 0);
    // A stopped master never ends on its own (ControlPersist's timer is stopped with it): however this test ends —
    // a failed check returning early, or ctest killing it at its timeout — the master is resumed and ended. A failed
    // check runs the guard; a killed test leaves the watcher, which waits for this process to go.
    struct ResumeAndEnd {
        qint64 pid;
        void now()
        {
            if (pid > 0) {
                ::kill(pid_t(pid), SIGKILL);
                ::kill(pid_t(pid), SIGCONT);
            }
            pid = 0;
        }
        ~ResumeAndEnd() { now(); }
    } resumeAndEnd { master };
    QVERIFY(QProcess::startDetached(u"/bin/sh"_s,
        { u"-c"_s,
            // Only the stopped ssh it was started for: by then the pid may be another process's.
            u"while kill -0 %1 2>/dev/null; do sleep 1; done; [ \"$(cat /proc/%2/comm 2>/dev/null)\" = ssh ] && "
            "grep -q ') T ' /proc/%2/stat && kill -KILL %2 && kill -CONT %2"_s.arg(QCoreApplication::applicationPid())
                .arg(master) }));
    ::kill(pid_t(master), SIGSTOP);
    QElapsedTimer silent;
    silent.start();
    QTRY_VERIFY_WITH_TIMEOUT(SshServer::servedProcesses(db).isEmpty(), RemoteCommand::CallerSilenceMs + 20000);
    QVERIFY2(silent.elapsed() >= RemoteCommand::CallerSilenceMs - 2 * RemoteCommand::HeartbeatMs,
        qPrintable(u"ended %1 ms after the connection went silent"_s.arg(silent.elapsed())));
    // The master goes for good (resumeAndEnd, now); the local sides say the connection is lost.
    resumeAndEnd.now();
    for (QProcess* local : { &started, &muxed }) {
        QVERIFY(local->waitForFinished(30000));
        QCOMPARE(local->exitCode(), 1);
    }
}

QTEST_GUILESS_MAIN(TestCliRemoteEnds)
#include "tst_cli_remoteends.moc"
