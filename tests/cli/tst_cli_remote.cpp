// SPDX-License-Identifier: GPL-3.0-or-later
// Caches on another host: every command through a real OpenSSH server on 127.0.0.1
// (tests/support SshServer: fresh keys, its own configs), the remote cachescope-cli being this
// build's. Outputs equal the local ones; errors say why with exit 1; hostile paths arrive as
// written and run nothing. That nothing keeps running there after the local side ends is
// tst_cli_remoteends.
#include "sshclitest.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

namespace {
const QString Cli = QStringLiteral(CACHESCOPE_CLI_PATH);

QJsonObject jsonOf(const QByteArray& out)
{
    return QJsonDocument::fromJson(out).object();
}
} // namespace

class TestCliRemote : public SshCliTest {
    Q_OBJECT
private Q_SLOTS:
    void infoAndEntriesEqualLocal();
    void textOutputEqualsLocal();
    void sharedConnectionStartsNoSsh();
    void maintenanceCommands();
    void deleteRefusedWhileHeldThere();
    void errors_data();
    void errors();
    void unknownHostKeyIsNeverAccepted();
    void otherVersionThere();
    void hostilePaths_data();
    void hostilePaths();
    void badAddresses_data();
    void badAddresses();
    void metricsTakesLocalCachesOnly();
    void containersThroughExec();
};

void TestCliRemote::infoAndEntriesEqualLocal()
{
    const QString db = path(u"cache.db"_s);
    makeCache(db, u"wal"_s, 120);
    const auto localInfo = runCli({ u"info"_s, db, u"--json"_s });
    const auto remoteInfo = remote(u"info"_s, db, { u"--json"_s });
    QCOMPARE(remoteInfo.exitCode, 0);
    QVERIFY2(remoteInfo.err.isEmpty(), remoteInfo.err.constData());
    QCOMPARE(jsonOf(remoteInfo.out), jsonOf(localInfo.out));
    // Pages: the first, the next through its cursor, a search and a key, byte for byte.
    const QStringList first { u"--json"_s, u"--limit"_s, u"50"_s };
    const auto localPage = runCli(QStringList { u"entries"_s, db } + first);
    const auto remotePage = remote(u"entries"_s, db, first);
    QCOMPARE(remotePage.exitCode, 0);
    QCOMPARE(remotePage.out, localPage.out);
    const QString cursor = jsonOf(remotePage.out)[u"next_cursor"_s].toString();
    QVERIFY(!cursor.isEmpty());
    const QStringList next = first + QStringList { u"--after"_s, cursor };
    const auto remoteNext = remote(u"entries"_s, db, next);
    QCOMPARE(remoteNext.exitCode, 0);
    QCOMPARE(remoteNext.out, runCli(QStringList { u"entries"_s, db } + next).out);
    QCOMPARE(jsonOf(remoteNext.out)[u"rows"_s].toArray().size(), 50);
    for (const QStringList& filter :
        { QStringList { u"--search"_s, u"key-11"_s }, QStringList { u"--key"_s, u"key-7"_s } }) {
        const auto there = remote(u"entries"_s, db, filter + QStringList { u"--json"_s });
        QCOMPARE(there.exitCode, 0);
        QCOMPARE(there.out, runCli(QStringList { u"entries"_s, db, u"--json"_s } + filter).out);
        QVERIFY(!jsonOf(there.out)[u"rows"_s].toArray().isEmpty());
    }
    // A cache folder's address works as its path does.
    const auto folder = remote(u"scan"_s, m_dir.path(), { u"--json"_s });
    QCOMPARE(folder.exitCode, 0);
    QCOMPARE(jsonOf(folder.out)[u"databases"_s].toArray().size(), 1);
}

void TestCliRemote::textOutputEqualsLocal()
{
    const QString db = path(u"cache.db"_s);
    makeCache(db, u"delete"_s, 30);
    exec(db, u"UPDATE entries SET value = 'bell' || char(7) || 'esc' || char(27) || '[31m' WHERE id = 3"_s);
    for (const QStringList& args : { QStringList { u"entries"_s }, QStringList { u"info"_s } }) {
        const auto local = runCli(args + QStringList { db });
        const auto there = remote(args.first(), db);
        QCOMPARE(there.exitCode, 0);
        QCOMPARE(there.out, local.out);
        QVERIFY(!there.out.contains('\x1b'));
    }
}

void TestCliRemote::sharedConnectionStartsNoSsh()
{
    // An ssh that counts its starts: the first command starts it (it becomes the shared
    // connection's master); the next ones reach that master over its control socket without
    // starting ssh (SshMuxSession) and print the same; once the master is gone, ssh again.
    const QString db = path(u"cache.db"_s);
    makeCache(db, u"wal"_s, 40);
    const QString counter = path(u"counting-ssh"_s);
    QFile script(counter);
    QVERIFY(script.open(QIODevice::WriteOnly));
    script.write(
        "#!/bin/sh\necho started >> \"$0.log\"\nexec ssh -F '" + m_server.configPath().toUtf8() + "' \"$@\"\n");
    script.close();
    script.setPermissions(QFileDevice::ReadOwner | QFileDevice::ExeOwner);
    QProcessEnvironment env = m_server.environment();
    env.insert(u"CACHESCOPE_SSH_COMMAND"_s, counter);
    const auto starts = [&] { return fileBytes(counter + u".log"_s).count("started"); };
    const QStringList args { u"entries"_s, SshServer::address(db), u"--json"_s, u"--limit"_s, u"10"_s,
        u"--remote-cli"_s, Cli };
    const QByteArray local = runCli({ u"entries"_s, db, u"--json"_s, u"--limit"_s, u"10"_s }).out;
    const auto first = runProgram(Cli, args, 60000, env);
    QVERIFY2(first.exitCode == 0, first.err.constData());
    QCOMPARE(first.out, local);
    QCOMPARE(starts(), 1);
    for (int i = 0; i < 3; ++i) {
        const auto again = runProgram(Cli, args, 60000, env);
        QVERIFY2(again.exitCode == 0, again.err.constData());
        QCOMPARE(again.out, local);
    }
    QCOMPARE(starts(), 1);
    // The remote program's exit code and its errors come back the same way.
    const auto missing
        = runProgram(Cli, { u"info"_s, SshServer::address(path(u"none.db"_s)), u"--remote-cli"_s, Cli }, 60000, env);
    QCOMPARE(missing.exitCode, 1);
    QVERIFY2(missing.err.contains("cachescope-test: does not exist"), missing.err.constData());
    QCOMPARE(starts(), 1);
    m_server.endSharedConnections();
    const auto after = runProgram(Cli, args, 60000, env);
    QVERIFY2(after.exitCode == 0, after.err.constData());
    QCOMPARE(after.out, local);
    QCOMPARE(starts(), 2);
}

void TestCliRemote::maintenanceCommands()
{
    const QString db = path(u"cache.db"_s);
    makeCache(db, u"wal"_s, 200);
    writeLeavingWal(db, 50); // frames in the -wal for checkpoint to copy back
    const auto check
        = remote(u"check"_s, db, { u"--max-wal-bytes"_s, u"1"_s, u"--window-ms"_s, u"500"_s, u"--json"_s });
    QCOMPARE(check.exitCode, 4); // a limit crossed there: exit 4 as locally
    QCOMPARE(jsonOf(check.out)[u"ok"_s].toBool(true), false);
    const auto query = remote(u"query"_s, db, { u"SELECT count(*) AS n FROM entries"_s, u"--json"_s });
    QCOMPARE(query.exitCode, 0);
    QCOMPARE(jsonOf(query.out)[u"rows"_s].toArray().at(0).toArray().at(0).toInteger(), 250);
    const auto refused = remote(u"query"_s, db, { u"DELETE FROM entries"_s });
    QCOMPARE(refused.exitCode, 3); // as locally: a statement query does not run
    QVERIFY(refused.err.contains("cachescope-cli: cachescope-test: "));
    const auto checkpoint = remote(u"checkpoint"_s, db, { u"--mode"_s, u"truncate"_s, u"--json"_s });
    QCOMPARE(checkpoint.exitCode, 0);
    QCOMPARE(jsonOf(checkpoint.out)[u"complete"_s].toBool(), true);
    QVERIFY(jsonOf(checkpoint.out)[u"wal_bytes_before"_s].toInteger() > 0);
    QCOMPARE(jsonOf(checkpoint.out)[u"wal_bytes_after"_s].toInteger(), 0);
    const QString copy = path(u"copy.db"_s);
    const auto vacuum = remote(u"vacuum"_s, db, { u"--into"_s, copy, u"--json"_s });
    QCOMPARE(vacuum.exitCode, 0);
    QCOMPARE(queryInt(copy, u"SELECT count(*) FROM entries"_s), 250);
    const auto dryRun
        = remote(u"prune"_s, db, { u"--table"_s, u"entries"_s, u"--match"_s, u"key-1"_s, u"--dry-run"_s, u"--json"_s });
    QVERIFY2(dryRun.exitCode == 0, dryRun.err.constData());
    QCOMPARE(dryRun.out,
        runCli({ u"prune"_s, db, u"--table"_s, u"entries"_s, u"--match"_s, u"key-1"_s, u"--dry-run"_s, u"--json"_s })
            .out);
    const auto prune = remote(u"prune"_s, db, { u"--table"_s, u"entries"_s, u"--match"_s, u"key-2"_s, u"--json"_s });
    QCOMPARE(prune.exitCode, 0);
    QCOMPARE(jsonOf(prune.out)[u"removed"_s].toInteger(), jsonOf(prune.out)[u"matched"_s].toInteger());
    QVERIFY(jsonOf(prune.out)[u"removed"_s].toInteger() > 0);
    QCOMPARE(queryInt(db, u"SELECT count(*) FROM entries WHERE key LIKE '%key-2%'"_s), 0);
    // In place: the VACUUM and its TRUNCATE checkpoint run there, the entries stay.
    const qint64 left = queryInt(db, u"SELECT count(*) FROM entries"_s);
    const auto inPlace = remote(u"vacuum"_s, db, { u"--json"_s });
    QVERIFY2(inPlace.exitCode == 0, inPlace.err.constData());
    QVERIFY(jsonOf(inPlace.out)[u"into"_s].isNull());
    QCOMPARE(jsonOf(inPlace.out)[u"checkpoint_busy"_s].toBool(true), false);
    QCOMPARE(jsonOf(inPlace.out)[u"wal_bytes_after"_s].toInteger(), 0);
    QCOMPARE(QFileInfo(db).size(), jsonOf(inPlace.out)[u"db_bytes_after"_s].toInteger());
    QCOMPARE(queryInt(db, u"SELECT count(*) FROM entries"_s), left);
    const auto removed = remote(u"delete"_s, copy, { u"--json"_s });
    QCOMPARE(removed.exitCode, 0);
    QVERIFY(!QFileInfo::exists(copy));
}

void TestCliRemote::deleteRefusedWhileHeldThere()
{
    const QString db = path(u"held.db"_s);
    makeCache(db, u"wal"_s, 10);
    PythonChild holder(holderScript(), { db, u"idle"_s });
    QVERIFY(holder.waitReady());
    const auto refused = remote(u"delete"_s, db);
    QCOMPARE(refused.exitCode, 3);
    QVERIFY2(refused.out.contains(u"held by PID %1"_s.arg(holder.pid()).toUtf8()), refused.out.constData());
    QVERIFY(QFileInfo::exists(db));
    const auto json = remote(u"delete"_s, db, { u"--json"_s });
    QCOMPARE(json.exitCode, 3);
    QCOMPARE(jsonOf(json.out)[u"refused"_s].toBool(), true);
    QCOMPARE(jsonOf(json.out)[u"holders"_s].toArray().at(0).toObject()[u"pid"_s].toInteger(), holder.pid());
    QVERIFY(QFileInfo::exists(db));
}

void TestCliRemote::errors_data()
{
    QTest::addColumn<QString>("alias");
    QTest::addColumn<bool>("ownProgram");
    QTest::addColumn<QString>("file");
    QTest::addColumn<QByteArray>("reason");
    QTest::addRow("port closed") << u"cachescope-test-closed"_s << true << u"cache.db"_s
                                 << QByteArray("cannot reach cachescope-test-closed");
    QTest::addRow("key not authorized") << u"cachescope-test-nokey"_s << true << u"cache.db"_s
                                        << QByteArray("set up a key or ssh-agent");
    QTest::addRow("unknown host") << u"no-such-host.invalid"_s << true << u"cache.db"_s
                                  << QByteArray("unknown host no-such-host.invalid");
    QTest::addRow("program missing there") << u"cachescope-test"_s << false << u"cache.db"_s
                                           << QByteArray("install cachescope on cachescope-test: `cachescope-cli`");
    QTest::addRow("path missing there") << u"cachescope-test"_s << true << u"absent.db"_s
                                        << QByteArray("cachescope-cli: cachescope-test: ");
}

void TestCliRemote::errors()
{
    QFETCH(QString, alias);
    QFETCH(bool, ownProgram);
    QFETCH(QString, file);
    QFETCH(QByteArray, reason);
    makeCache(path(u"cache.db"_s), u"wal"_s, 3);
    for (const QString& command : { u"info"_s, u"entries"_s, u"watch"_s, u"delete"_s }) {
        QStringList args { command, SshServer::address(path(file), alias), u"--json"_s };
        if (ownProgram)
            args += { u"--remote-cli"_s, Cli };
        const auto result = m_server.runCli(args);
        QCOMPARE(result.exitCode, 1);
        QVERIFY(result.out.isEmpty());
        QVERIFY2(result.err.contains(reason), result.err.constData());
    }
    QVERIFY(QFileInfo::exists(path(u"cache.db"_s)));
}

void TestCliRemote::unknownHostKeyIsNeverAccepted()
{
    makeCache(path(u"cache.db"_s), u"wal"_s, 3);
    const auto result = m_server.runCli(
        { u"info"_s, SshServer::address(path(u"cache.db"_s), u"cachescope-test-unknown"_s), u"--remote-cli"_s, Cli });
    QCOMPARE(result.exitCode, 1);
    QVERIFY2(result.err.contains("the host key of cachescope-test-unknown is not known"), result.err.constData());
    QVERIFY(fileBytes(m_server.emptyKnownHostsPath()).isEmpty()); // not added
}

void TestCliRemote::otherVersionThere()
{
    // A cachescope-cli older than the caller does not know --caller-version; Qt's parser says so.
    const QString old = path(u"old-cachescope-cli"_s);
    QFile script(old);
    QVERIFY(script.open(QIODevice::WriteOnly));
    script.write("#!/bin/sh\necho \"Unknown option 'caller-version'.\" >&2\nexit 2\n");
    script.close();
    script.setPermissions(QFileDevice::ReadOwner | QFileDevice::ExeOwner);
    makeCache(path(u"cache.db"_s), u"wal"_s, 3);
    const auto result
        = m_server.runCli({ u"info"_s, SshServer::address(path(u"cache.db"_s)), u"--remote-cli"_s, old, u"--json"_s });
    QCOMPARE(result.exitCode, 1);
    QVERIFY2(result.err.contains("is another version of cachescope"), result.err.constData());
    QVERIFY(result.err.contains("install cachescope " CACHESCOPE_VERSION " on cachescope-test"));
}

void TestCliRemote::hostilePaths_data()
{
    QTest::addColumn<QString>("folder");
    QTest::addRow("blank") << u"with blank"_s;
    QTest::addRow("single quote") << u"it's"_s;
    QTest::addRow("double quotes") << u"say \"hi\""_s;
    QTest::addRow("command substitution") << u"$(echo PWNED >&2)"_s;
    QTest::addRow("backticks") << u"`echo PWNED >&2`"_s;
    QTest::addRow("semicolon") << u"a;echo PWNED >&2;b"_s;
    QTest::addRow("newline") << u"line\necho PWNED >&2"_s;
    QTest::addRow("quote and semicolon") << u"x';echo PWNED >&2;'"_s;
    QTest::addRow("variable and glob") << u"$HOME*?[a]"_s;
    QTest::addRow("backslash") << u"back\\slash\\"_s;
    QTest::addRow("leading dash") << u"-rf"_s;
}

void TestCliRemote::hostilePaths()
{
    QFETCH(QString, folder);
    QVERIFY(QDir(m_dir.path()).mkdir(folder));
    const QString db = path(folder + u"/cache.db"_s);
    makeCache(db, u"wal"_s, 5);
    const auto info = remote(u"info"_s, db, { u"--json"_s });
    QVERIFY2(info.exitCode == 0, info.err.constData());
    QCOMPARE(jsonOf(info.out)[u"path"_s].toString(), db);
    QVERIFY(!info.err.contains("PWNED"));
    // The other arguments are quoted the same way: SQL, a search text.
    const QString sql = u"SELECT '"_s + QString(folder).replace(u'\'', u"''"_s) + u"' AS v"_s;
    const auto query = remote(u"query"_s, db, { sql, u"--json"_s });
    QCOMPARE(query.exitCode, 0);
    QCOMPARE(jsonOf(query.out)[u"rows"_s].toArray().at(0).toArray().at(0).toString(), folder);
    const auto search = remote(u"entries"_s, db, { u"--search"_s, folder, u"--json"_s });
    QCOMPARE(search.exitCode, 0);
    QCOMPARE(search.out, runCli({ u"entries"_s, db, u"--search"_s, folder, u"--json"_s }).out);
    QVERIFY(!query.err.contains("PWNED") && !search.err.contains("PWNED"));
}

void TestCliRemote::badAddresses_data()
{
    QTest::addColumn<QString>("address");
    QTest::addColumn<QByteArray>("reason");
    QTest::addRow("option as host") << u"ssh://-oProxyCommand=touch${IFS}x/tmp/c.db"_s
                                    << QByteArray("may not start with '-'");
    QTest::addRow("option as user") << u"ssh://-F@host/tmp/c.db"_s << QByteArray("may not start with '-'");
    QTest::addRow("no path") << u"ssh://host"_s << QByteArray("give the absolute path");
    QTest::addRow("bad port") << u"ssh://host:99999/tmp/c.db"_s << QByteArray("the port must be");
    QTest::addRow("container option") << u"docker://--privileged/tmp/c.db"_s << QByteArray("a container name");
}

void TestCliRemote::badAddresses()
{
    QFETCH(QString, address);
    QFETCH(QByteArray, reason);
    const auto result = m_server.runCli({ u"info"_s, address });
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.contains(reason), result.err.constData());
    QVERIFY(!QFileInfo::exists(u"x"_s));
    // --remote-cli with a local path is a usage error, not ignored.
    const auto local = runCli({ u"info"_s, u"/tmp/c.db"_s, u"--remote-cli"_s, Cli });
    QCOMPARE(local.exitCode, 2);
}

void TestCliRemote::metricsTakesLocalCachesOnly()
{
    // metrics serves HTTP where it runs: a remote cache is refused with what to do instead, and
    // nothing is started there (nor here).
    const QString db = path(u"cache.db"_s);
    makeCache(db, u"wal"_s, 5);
    for (const QStringList& caches :
        { QStringList { SshServer::address(db) }, QStringList { db, u"podman://box/c.db"_s } }) {
        const auto refused = m_server.runCli(QStringList { u"metrics"_s } + caches
                + QStringList { u"--listen"_s, u"127.0.0.1:0"_s, u"--remote-cli"_s, Cli },
            30000);
        QCOMPARE(refused.exitCode, 2);
        QVERIFY2(
            refused.err.contains("takes local caches only") && refused.err.contains("run it where the cache lives"),
            refused.err.constData());
        QVERIFY(!refused.err.contains("serving"));
    }
    QVERIFY(SshServer::servedProcesses(db).isEmpty());
}

void TestCliRemote::containersThroughExec()
{
    // tst_cli_container runs a real podman container where the machine can (here with runc:
    // crun refuses cgroups in hybrid mode); docker is not in Debian's packages here. The code path
    // is the same as over ssh but without a shell: `podman exec -i CONTAINER PROGRAM ARGS`. A
    // stand-in `podman`/`docker` on PATH runs ARGS in place of the container (and refuses an
    // unknown one as podman does), so what reaches the program is checked, for both.
    const QString bin = path(u"bin"_s);
    QVERIFY(QDir().mkdir(bin));
    for (const QString& tool : { u"podman"_s, u"docker"_s }) {
        QFile shim(bin + u'/' + tool);
        QVERIFY(shim.open(QIODevice::WriteOnly));
        shim.write("#!/bin/sh\nprintf '%s\\n' \"$@\" > \"$0.args\"\n[ \"$1 $2\" = 'exec -i' ] || exit 125\n"
                   "if [ \"$3\" != box ]; then echo \"Error: no container with name or ID \\\"$3\\\" found: no such "
                   "container\" >&2; exit 125; fi\nshift 3\nexec \"$@\"\n");
        shim.close();
        shim.setPermissions(QFileDevice::ReadOwner | QFileDevice::ExeOwner);
    }
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"PATH"_s, bin + u':' + env.value(u"PATH"_s));
    QVERIFY(QDir(m_dir.path()).mkdir(u"a b;$(echo PWNED)"_s));
    const QString db = path(u"a b;$(echo PWNED)/cache.db"_s);
    makeCache(db, u"wal"_s, 7);
    for (const QString& scheme : { u"podman://"_s, u"docker://"_s }) {
        const auto there = runProgram(
            Cli, { u"entries"_s, scheme + u"box"_s + db, u"--json"_s, u"--remote-cli"_s, Cli }, 60000, env);
        QVERIFY2(there.exitCode == 0, there.err.constData());
        QCOMPARE(there.out, runCli({ u"entries"_s, db, u"--json"_s }).out);
        const QString tool = scheme.chopped(3);
        QCOMPARE(QString::fromUtf8(fileBytes(bin + u'/' + tool + u".args"_s)).split(u'\n').mid(0, 8),
            (QStringList { u"exec"_s, u"-i"_s, u"box"_s, Cli, u"entries"_s, u"--caller-version"_s,
                QStringLiteral(CACHESCOPE_VERSION), db }));
    }
    const auto missing = runProgram(Cli, { u"info"_s, u"podman://other"_s + db, u"--remote-cli"_s, Cli }, 60000, env);
    QCOMPARE(missing.exitCode, 1);
    QVERIFY2(missing.err.contains("no running podman container other"), missing.err.constData());
}

QTEST_GUILESS_MAIN(TestCliRemote)
#include "tst_cli_remote.moc"
