// SPDX-License-Identifier: GPL-3.0-or-later
// Caches in a container (#26): podman://CONTAINER/PATH through a real container run by Debian's
// podman (tests/support PodmanContainer), the cachescope-cli there being this build's. Pages
// equal local ones; a process in the container holding the cache refuses `delete`, named as it
// is there; `watch` ends there when its local side is killed. Skipped, saying why, where podman
// cannot run a container (tst_cli_remote::containersThroughExec still checks the command line).
// docker://CONTAINER/PATH goes through Docker's own client (`docker exec -i`) when it is
// installed; its engine here is podman's Docker-compatible API (`podman system service`) on the
// same container, as no Docker engine runs on this machine.
#include "podmancontainer.h"
#include "sshserver.h"
#include "testsupport.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

namespace {
const QString Cli = QStringLiteral(CACHESCOPE_CLI_PATH);

QJsonObject jsonOf(const QByteArray& out)
{
    return QJsonDocument::fromJson(out).object();
}

// The cachescope-cli serving a caller in the container (not the local `podman exec` naming it).
QList<qint64> servedInContainer(const QString& db)
{
    QList<qint64> served;
    for (const qint64 pid : SshServer::servedProcesses(db)) {
        if (fileBytes(u"/proc/%1/cmdline"_s.arg(pid)).startsWith(QByteArray(Cli.toUtf8() + '\0')))
            served.append(pid);
    }
    return served;
}

// podman's Docker-compatible API on a socket of its own, for Docker's client (DOCKER_HOST).
class DockerApi {
public:
    ~DockerApi()
    {
        if (m_service.state() != QProcess::NotRunning) {
            m_service.terminate();
            if (!m_service.waitForFinished(10000))
                m_service.kill();
            m_service.waitForFinished(5000);
        }
    }
    // DOCKER_HOST for docker, or empty with why().
    QString start()
    {
        if (QStandardPaths::findExecutable(u"docker"_s).isEmpty()) {
            m_why = u"Docker's client (docker) is not installed"_s;
            return {};
        }
        const QString host = u"unix://"_s + m_dir.filePath(u"docker.sock"_s);
        m_service.setProcessChannelMode(QProcess::MergedChannels);
        m_service.start(u"podman"_s, { u"system"_s, u"service"_s, u"--time=0"_s, host });
        if (!m_service.waitForStarted()) {
            m_why = u"podman system service did not start"_s;
            return {};
        }
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"DOCKER_HOST"_s, host);
        // The API is up once podman made its socket and docker's client gets an answer through it.
        const QString socket = m_dir.filePath(u"docker.sock"_s);
        if (QTest::qWaitFor([&] { return QFileInfo::exists(socket); }, 30000)
            && QTest::qWaitFor(
                [&] { return runProgram(u"docker"_s, { u"version"_s }, 10000, env).exitCode == 0; }, 30000))
            return host;
        m_why = u"Docker's client cannot reach podman's API: "_s + QString::fromUtf8(m_service.readAll()).right(500);
        return {};
    }
    QString why() const { return m_why; }

private:
    QTemporaryDir m_dir;
    QProcess m_service;
    QString m_why;
};
} // namespace

class TestCliContainer : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase() { m_container.stop(); }
    void pagesEqualLocal();
    void deleteRefusedWhileHeldInThere();
    void watchEndsWithItsLocalSide_data();
    void watchEndsWithItsLocalSide();
    void dockerClientThroughPodmansApi();

private:
    QString address(const QString& db) const { return u"podman://"_s + m_container.name() + db; }
    CliResult there(const QString& command, const QString& db, const QStringList& args = {}) const
    {
        return runProgram(Cli, QStringList { command, address(db) } + args + QStringList { u"--remote-cli"_s, Cli });
    }
    QTemporaryDir m_dir;
    PodmanContainer m_container;
};

void TestCliContainer::initTestCase()
{
    QVERIFY(m_dir.isValid());
    if (!m_container.start(m_dir.path()))
        QSKIP(qPrintable(m_container.reason()));
    qInfo("container %s (runtime: %s)", qPrintable(m_container.name()), qPrintable(m_container.runtime()));
}

void TestCliContainer::pagesEqualLocal()
{
    const QString db = m_dir.filePath(u"cache.db"_s);
    makeCache(db, u"wal"_s, 120);
    const QStringList first { u"--json"_s, u"--limit"_s, u"50"_s };
    const auto page = there(u"entries"_s, db, first);
    QVERIFY2(page.exitCode == 0, page.err.constData());
    QCOMPARE(page.out, runCli(QStringList { u"entries"_s, db } + first).out);
    const QStringList next = first + QStringList { u"--after"_s, jsonOf(page.out)[u"next_cursor"_s].toString() };
    const auto nextPage = there(u"entries"_s, db, next);
    QCOMPARE(nextPage.exitCode, 0);
    QCOMPARE(nextPage.out, runCli(QStringList { u"entries"_s, db } + next).out);
    const auto info = there(u"info"_s, db, { u"--json"_s });
    QVERIFY2(info.exitCode == 0, info.err.constData());
    QVERIFY2(info.err.isEmpty(), info.err.constData());
    const QJsonObject local = jsonOf(runCli({ u"info"_s, db, u"--json"_s }).out);
    for (const QString& field : { u"tables"_s, u"journal_mode"_s, u"page_count"_s, u"files"_s, u"contents"_s })
        QCOMPARE(jsonOf(info.out)[field], local[field]);
    // A path that is not there: the program's own exit 1, said with the place.
    const auto missing = there(u"info"_s, m_dir.filePath(u"none.db"_s));
    QCOMPARE(missing.exitCode, 1);
    QVERIFY2(missing.err.contains(QByteArray(QByteArray("podman container ") + m_container.name().toUtf8())),
        missing.err.constData());
}

void TestCliContainer::deleteRefusedWhileHeldInThere()
{
    // The holder runs in the container: only a program in there sees it (its own pid namespace),
    // and the refusal names it by its pid there.
    const QString db = m_dir.filePath(u"held.db"_s);
    makeCache(db, u"wal"_s, 10);
    QProcess holder;
    holder.start(u"podman"_s,
        m_container.execArguments({ u"/usr/bin/python3"_s, u"-c"_s,
            u"import os\nprint('pid', os.getpid(), flush=True)\n"_s + holderScript(), db, u"idle"_s }));
    QVERIFY(holder.waitForStarted());
    QByteArray said;
    QTRY_VERIFY_WITH_TIMEOUT((said += holder.readAllStandardOutput()).contains("ready"), 60000);
    const qint64 pidThere = said.split('\n').first().split(' ').value(1).toLongLong();
    QVERIFY2(pidThere > 0, said.constData());
    const auto refused = there(u"delete"_s, db);
    QCOMPARE(refused.exitCode, 3);
    QVERIFY2(refused.out.contains(u"held by PID %1"_s.arg(pidThere).toUtf8()), refused.out.constData());
    const auto json = there(u"delete"_s, db, { u"--json"_s });
    QCOMPARE(json.exitCode, 3);
    QCOMPARE(jsonOf(json.out)[u"holders"_s].toArray().at(0).toObject()[u"pid"_s].toInteger(), pidThere);
    QVERIFY(QFileInfo::exists(db));
    holder.closeWriteChannel();
    QVERIFY(holder.waitForFinished(30000));
}

void TestCliContainer::watchEndsWithItsLocalSide_data()
{
    QTest::addColumn<QString>("end");
    QTest::addRow("local side killed") << u"kill"_s;
    QTest::addRow("local side stopped (SIGTERM)") << u"term"_s;
    QTest::addRow("podman exec killed") << u"exec"_s; // what a dropped connection is to a container
}

void TestCliContainer::watchEndsWithItsLocalSide()
{
    QFETCH(QString, end);
    const QString db = m_dir.filePath(u"watched-%1.db"_s.arg(end));
    makeCache(db, u"wal"_s, 5);
    QProcess watch;
    watch.start(Cli, { u"watch"_s, address(db), u"--json"_s, u"--interval-ms"_s, u"100"_s, u"--remote-cli"_s, Cli });
    QVERIFY(watch.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(watch.canReadLine(), 60000);
    QVERIFY(!jsonOf(watch.readLine()).isEmpty());
    QCOMPARE(servedInContainer(db).size(), 1); // the container's processes are this host's too
    if (end == u"kill"_s) {
        ::kill(pid_t(watch.processId()), SIGKILL);
    } else if (end == u"term"_s) {
        ::kill(pid_t(watch.processId()), SIGTERM);
    } else {
        const QList<qint64> exec = childPids(watch.processId());
        QCOMPARE(exec.size(), 1); // podman exec -i
        ::kill(pid_t(exec.first()), SIGKILL);
    }
    QVERIFY(watch.waitForFinished(20000));
    if (end == u"term"_s) { // stopped there as Ctrl-C stops it here
        QCOMPARE(watch.exitStatus(), QProcess::NormalExit);
        QCOMPARE(watch.exitCode(), 0);
    } else if (end == u"exec"_s) {
        QCOMPARE(watch.exitCode(), 1);
        QVERIFY2(watch.readAllStandardError().contains("podman container"), "the reason names the container");
    }
    QTRY_VERIFY_WITH_TIMEOUT(servedInContainer(db).isEmpty(), 20000);
    QTRY_VERIFY_WITH_TIMEOUT(SshServer::servedProcesses(db).isEmpty(), 20000); // podman exec too
}

void TestCliContainer::dockerClientThroughPodmansApi()
{
    DockerApi api;
    const QString dockerHost = api.start();
    if (dockerHost.isEmpty())
        QSKIP(qPrintable(api.why()));
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"DOCKER_HOST"_s, dockerHost);
    const QString db = m_dir.filePath(u"docker.db"_s);
    makeCache(db, u"wal"_s, 80);
    const QString address = u"docker://"_s + m_container.name() + db;
    const QStringList first { u"--json"_s, u"--limit"_s, u"50"_s };
    const auto page = runProgram(
        Cli, QStringList { u"entries"_s, address } + first + QStringList { u"--remote-cli"_s, Cli }, 60000, env);
    QVERIFY2(page.exitCode == 0, page.err.constData());
    QCOMPARE(page.out, runCli(QStringList { u"entries"_s, db } + first).out);
    const auto info = runProgram(Cli, { u"info"_s, address, u"--json"_s, u"--remote-cli"_s, Cli }, 60000, env);
    QVERIFY2(info.exitCode == 0, info.err.constData());
    QCOMPARE(jsonOf(info.out)[u"tables"_s], jsonOf(runCli({ u"info"_s, db, u"--json"_s }).out)[u"tables"_s]);
    // A container that is not there: exit 1, said with docker's reason.
    const auto missing = runProgram(
        Cli, { u"info"_s, u"docker://cachescope-no-such-container"_s + db, u"--remote-cli"_s, Cli }, 60000, env);
    QCOMPARE(missing.exitCode, 1);
    QVERIFY2(missing.err.contains("no running docker container cachescope-no-such-container"), missing.err.constData());
    // The watch there ends when its local side is killed, and when `docker exec` itself is.
    for (const bool killExec : { false, true }) {
        QProcess watch;
        watch.setProcessEnvironment(env);
        watch.start(Cli, { u"watch"_s, address, u"--json"_s, u"--interval-ms"_s, u"100"_s, u"--remote-cli"_s, Cli });
        QVERIFY(watch.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(watch.canReadLine(), 60000);
        QCOMPARE(servedInContainer(db).size(), 1);
        const QList<qint64> exec = childPids(watch.processId());
        QCOMPARE(exec.size(), 1); // docker exec -i
        ::kill(pid_t(killExec ? exec.first() : watch.processId()), SIGKILL);
        QVERIFY(watch.waitForFinished(20000));
        QTRY_VERIFY_WITH_TIMEOUT(servedInContainer(db).isEmpty(), 20000);
        QTRY_VERIFY_WITH_TIMEOUT(!isRunning(exec.first()), 20000);
    }
}

QTEST_GUILESS_MAIN(TestCliContainer)
#include "tst_cli_container.moc"
