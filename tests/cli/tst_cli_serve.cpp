// SPDX-License-Identifier: GPL-3.0-or-later
// `cachescope-cli serve DB` (#26): the session a remote window's reads go through. Answers equal
// the commands' own output byte for byte, with their exit codes and errors; answers carry their
// request's id when several run at once; nothing is held between requests (a writer's TRUNCATE
// checkpoint succeeds beside an idle session); the end of stdin ends it and every command it
// runs — locally, and there through a real sshd (tests/support SshServer), also when the
// local side is killed or the shared connection's master goes.
#include "remote/remotecommand.h"
#include "remote/sessionframe.h"
#include "scratchdir.h"
#include "sshserver.h"
#include "testsupport.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>
#include <QTimer>

#include <csignal>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

namespace {
const QString Cli = QStringLiteral(CACHESCOPE_CLI_PATH);

// One `serve` child and its answers.
class ServeClient {
public:
    explicit ServeClient(
        const QStringList& args, const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment())
    {
        m_process.setProcessEnvironment(env);
        m_process.start(Cli, QStringList { u"serve"_s } + args);
    }
    ~ServeClient()
    {
        m_process.closeWriteChannel(); // its end
        if (!m_process.waitForFinished(10000))
            m_process.kill();
        m_process.waitForFinished(5000);
    }
    QProcess& process() { return m_process; }
    void send(qint64 id, const QStringList& args) { m_process.write(SessionFrame::request(id, args)); }
    // The next answer (any id); an empty frame with id -1 when none came in time.
    SessionFrame next(int timeoutMs = 60000)
    {
        const QDeadlineTimer deadline(timeoutMs);
        for (;;) {
            if (auto answer = SessionFrame::takeAnswer(m_pending)) {
                if (*answer)
                    return answer->value();
                qWarning() << answer->error().message;
                break;
            }
            if (deadline.hasExpired() || m_process.state() == QProcess::NotRunning)
                break;
            if (m_process.waitForReadyRead(200))
                m_pending += m_process.readAllStandardOutput();
        }
        SessionFrame none;
        none.id = -1;
        return none;
    }
    SessionFrame ask(qint64 id, const QStringList& args)
    {
        send(id, args);
        return next();
    }

private:
    QProcess m_process;
    QByteArray m_pending;
};

// The same command run on its own: what the session must answer.
CliResult alone(const QString& db, const QStringList& request)
{
    return runCli(QStringList { request.first(), db } + request.mid(1));
}

// serve there (or here, with --caller-version) and the requests it forked.
QList<qint64> servesOf(const QString& db)
{
    return SshServer::servedProcesses(db, u"serve"_s);
}
} // namespace

class TestCliServe : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { QVERIFY(m_dir.renew()); }
    void answersAsTheCommandsPrint();
    void concurrentRequestsAnsweredById();
    void refusesWhatItDoesNotServe();
    void holdsNothingBetweenRequests();
    void endOfStdinEndsRunningCommands();
    void silentRemoteCallerEndsTheSession();
    void overSshEqualsLocalAndEndsWithItsLocalSide_data();
    void overSshEqualsLocalAndEndsWithItsLocalSide();

private:
    QString path(const QString& name) const { return m_dir.filePath(name); }
    ScratchDir m_dir;
};

void TestCliServe::answersAsTheCommandsPrint()
{
    const QString db = path(u"cache.db"_s);
    makeCache(db, u"wal"_s, 120);
    ServeClient serve({ db });
    const QList<QStringList> requests {
        { u"entries"_s, u"--json"_s, u"--limit"_s, u"50"_s }, { u"info"_s, u"--json"_s },
        { u"entries"_s, u"--json"_s, u"--search"_s, u"key-11"_s },
        { u"query"_s, u"SELECT count(*) AS n FROM entries"_s, u"--json"_s },
        { u"query"_s, u"SELECT * FROM no_such_table"_s, u"--json"_s }, // exit 1, the reason on stderr
        { u"entries"_s }, // text
    };
    qint64 id = 10;
    for (const QStringList& request : requests) {
        const SessionFrame answer = serve.ask(id, request);
        const CliResult expected = alone(db, request);
        QCOMPARE(answer.id, id);
        QCOMPARE(answer.exitCode, expected.exitCode);
        if (request.first() == u"entries"_s)
            QCOMPARE(answer.out, expected.out);
        else if (request.first() == u"info"_s) // info says how long its scan took
            QCOMPARE(QJsonDocument::fromJson(answer.out).object()[u"tables"_s],
                QJsonDocument::fromJson(expected.out).object()[u"tables"_s]);
        else // and query how long the statement ran
            QCOMPARE(QJsonDocument::fromJson(answer.out).object()[u"rows"_s],
                QJsonDocument::fromJson(expected.out).object()[u"rows"_s]);
        QCOMPARE(answer.err, expected.err);
        ++id;
    }
    // The next page through the cursor of the first.
    const SessionFrame first = serve.ask(1, { u"entries"_s, u"--json"_s, u"--limit"_s, u"50"_s });
    const QString cursor = QJsonDocument::fromJson(first.out).object()[u"next_cursor"_s].toString();
    QVERIFY(!cursor.isEmpty());
    const QStringList next { u"entries"_s, u"--json"_s, u"--limit"_s, u"50"_s, u"--after"_s, cursor };
    QCOMPARE(serve.ask(2, next).out, alone(db, next).out);
    serve.process().closeWriteChannel();
    QVERIFY(serve.process().waitForFinished(10000));
    QCOMPARE(serve.process().exitCode(), 0);
}

void TestCliServe::concurrentRequestsAnsweredById()
{
    const QString db = path(u"cache.db"_s);
    makeCache(db, u"wal"_s, 300);
    ServeClient serve({ db });
    QHash<qint64, QByteArray> expected;
    for (qint64 id = 1; id <= 9; ++id) {
        const QStringList request { u"entries"_s, u"--json"_s, u"--limit"_s, QString::number(id * 7) };
        expected.insert(id, alone(db, request).out);
        serve.send(id, request);
    }
    while (!expected.isEmpty()) {
        const SessionFrame answer = serve.next();
        QVERIFY2(expected.contains(answer.id), qPrintable(u"answer id %1"_s.arg(answer.id)));
        QCOMPARE(answer.exitCode, 0);
        QCOMPARE(answer.out, expected.take(answer.id));
    }
}

void TestCliServe::refusesWhatItDoesNotServe()
{
    const QString db = path(u"cache.db"_s);
    makeCache(db, u"wal"_s, 5);
    ServeClient serve({ db });
    // Maintenance and streams are commands of their own: refused, the session goes on.
    for (const QString& command : { u"delete"_s, u"watch"_s, u"checkpoint"_s, u"serve"_s }) {
        const SessionFrame answer = serve.ask(3, { command, u"--json"_s });
        QCOMPARE(answer.exitCode, 2);
        QVERIFY2(answer.err.contains("serve runs info, entries and query"), answer.err.constData());
    }
    const SessionFrame hangup = serve.ask(4, { u"entries"_s, u"--caller-version"_s, u"1"_s });
    QCOMPARE(hangup.exitCode, 2);
    QVERIFY(exists(db));
    QCOMPARE(serve.ask(5, { u"entries"_s, u"--json"_s }).exitCode, 0);
    // What is not a request ends the session: exit 2, the reason on stderr.
    serve.process().write("not json\n");
    QVERIFY(serve.process().waitForFinished(10000));
    QCOMPARE(serve.process().exitCode(), 2);
    QVERIFY(serve.process().readAllStandardError().contains("a request is one line of JSON"));
    // A missing cache is said before any request.
    const auto missing = runCli({ u"serve"_s, path(u"none.db"_s) });
    QCOMPARE(missing.exitCode, 1);
    QVERIFY2(missing.err.contains("no such file"), missing.err.constData());
}

void TestCliServe::holdsNothingBetweenRequests()
{
    // A writer's TRUNCATE checkpoint needs every reader gone from the -wal: it succeeds beside
    // an idle session that has just read the cache, again and again.
    const QString db = path(u"live.db"_s);
    WalWriterChild writer(db);
    QVERIFY(writer.waitReady());
    ServeClient serve({ db });
    for (int round = 0; round < 3; ++round) {
        QCOMPARE(writer.ask("commit 20"), QList<QByteArray> { "done" });
        const SessionFrame page = serve.ask(round, { u"entries"_s, u"--json"_s, u"--table"_s, u"t"_s });
        QVERIFY2(page.exitCode == 0, page.err.constData());
        QCOMPARE(serve.ask(100 + round, { u"info"_s, u"--json"_s }).exitCode, 0);
        const QList<QByteArray> checkpoint = writer.ask("checkpoint TRUNCATE"); // ckpt busy log checkpointed
        QCOMPARE(checkpoint.value(0), QByteArray("ckpt"));
        QCOMPARE(checkpoint.value(1), QByteArray("0")); // not busy: no reader in the -wal
    }
}

void TestCliServe::endOfStdinEndsRunningCommands()
{
    // A query that would run for 30 s is running when the caller goes: it is stopped, and no
    // process of the session is left.
    const QString db = path(u"cache.db"_s);
    makeCache(db, u"wal"_s, 5);
    ServeClient serve({ db, u"--caller-version"_s, QStringLiteral(CACHESCOPE_VERSION) });
    QCOMPARE(serve.ask(1, { u"entries"_s, u"--json"_s }).exitCode, 0);
    serve.send(2,
        { u"query"_s, u"WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"_s,
            u"--json"_s });
    QTRY_COMPARE_WITH_TIMEOUT(servesOf(db).size(), 2, 20000); // serve and the query it forked
    serve.process().closeWriteChannel();
    QVERIFY(serve.process().waitForFinished(10000));
    QCOMPARE(serve.process().exitCode(), 0);
    QTRY_VERIFY_WITH_TIMEOUT(servesOf(db).isEmpty(), 10000);
    // SIGKILL of the session: the command it runs goes with it (PR_SET_PDEATHSIG).
    ServeClient killed({ db, u"--caller-version"_s, QStringLiteral(CACHESCOPE_VERSION) });
    killed.send(
        3, { u"query"_s, u"WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"_s });
    QTRY_COMPARE_WITH_TIMEOUT(servesOf(db).size(), 2, 20000);
    killed.process().kill();
    QVERIFY(killed.process().waitForFinished(10000));
    QTRY_VERIFY_WITH_TIMEOUT(servesOf(db).isEmpty(), 10000);
}

void TestCliServe::silentRemoteCallerEndsTheSession()
{
    // Run for a remote caller (--caller-version), a session whose caller writes nothing — not even
    // the empty line of a heartbeat — for the silence limit takes it as gone (its connection went
    // without closing) and ends. One that hears heartbeats stays, and so does a local caller's.
    const QString db = path(u"cache.db"_s);
    makeCache(db, u"wal"_s, 5);
    const QStringList remoteCaller { db, u"--caller-version"_s, QStringLiteral(CACHESCOPE_VERSION) };
    ServeClient silent(remoteCaller);
    ServeClient heard(remoteCaller);
    ServeClient local({ db });
    const QStringList page { u"entries"_s, u"--json"_s };
    for (ServeClient* serve : { &silent, &heard, &local })
        QCOMPARE(serve->ask(1, page).exitCode, 0);
    QElapsedTimer clock;
    clock.start();
    QTimer beat;
    connect(&beat, &QTimer::timeout, this, [&heard] { heard.process().write("\n"); });
    beat.start(RemoteCommand::HeartbeatMs);
    QTRY_VERIFY_WITH_TIMEOUT(silent.process().state() == QProcess::NotRunning, RemoteCommand::CallerSilenceMs + 20000);
    QVERIFY2(clock.elapsed() >= RemoteCommand::CallerSilenceMs - 1000, qPrintable(QString::number(clock.elapsed())));
    QCOMPARE(silent.process().exitCode(), 0);
    // The measurement itself: the others must still be there past the limit (two heartbeats
    // more), and only time passing shows that nothing ended them.
    QTest::qWait(2 * RemoteCommand::HeartbeatMs);
    for (ServeClient* serve : { &heard, &local }) {
        QCOMPARE(serve->process().state(), QProcess::Running);
        QCOMPARE(serve->ask(2, page).exitCode, 0);
    }
}

void TestCliServe::overSshEqualsLocalAndEndsWithItsLocalSide_data()
{
    QTest::addColumn<QString>("end");
    QTest::addRow("stdin closed") << u"stdin"_s;
    QTest::addRow("local side killed") << u"kill"_s;
    QTest::addRow("master gone") << u"master"_s;
}

void TestCliServe::overSshEqualsLocalAndEndsWithItsLocalSide()
{
    QFETCH(QString, end);
    SshServer server;
    CACHESCOPE_START_SSH_OR_SKIP(server);
    const QString db = path(u"cache.db"_s);
    makeCache(db, u"wal"_s, 200);
    // The shared connection is up (as in a window, whose watch opened it): serve goes through its master.
    QCOMPARE(server.runCli({ u"info"_s, SshServer::address(db), u"--remote-cli"_s, Cli }).exitCode, 0);
    ServeClient serve({ SshServer::address(db), u"--remote-cli"_s, Cli }, server.environment());
    const QStringList page { u"entries"_s, u"--json"_s, u"--limit"_s, u"50"_s };
    for (qint64 id = 1; id <= 3; ++id) {
        const SessionFrame answer = serve.ask(id, page);
        QCOMPARE(answer.id, id);
        QCOMPARE(answer.exitCode, 0);
        QCOMPARE(answer.out, alone(db, page).out);
    }
    const SessionFrame missing = serve.ask(4, { u"query"_s, u"SELECT * FROM nothing_here"_s });
    QCOMPARE(missing.exitCode, 1);
    QVERIFY2(missing.err.contains("nothing_here"), missing.err.constData());
    QCOMPARE(servesOf(db).size(), 1); // one process there for all of them
    if (end == u"stdin"_s) {
        serve.process().closeWriteChannel();
        QVERIFY(serve.process().waitForFinished(20000));
        QCOMPARE(serve.process().exitCode(), 0);
    } else if (end == u"kill"_s) {
        serve.process().kill();
        QVERIFY(serve.process().waitForFinished(20000));
    } else {
        server.endSharedConnections();
        QVERIFY(serve.process().waitForFinished(20000));
        QVERIFY(serve.process().exitCode() != 0);
    }
    QTRY_VERIFY_WITH_TIMEOUT(servesOf(db).isEmpty(), 15000);
}

QTEST_MAIN(TestCliServe)
#include "tst_cli_serve.moc"
