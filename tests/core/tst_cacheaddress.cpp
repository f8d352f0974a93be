// SPDX-License-Identifier: GPL-3.0-or-later
// CacheAddress (ssh://, docker://, podman:// parsed; nothing ssh could take for an option) and
// RemoteCommand's quoting, checked by real POSIX shells: every word arrives as written.
#include "remote/cacheaddress.h"
#include "remote/remotecommand.h"
#include "testsupport.h"

#include <QRegularExpression>
#include <QStandardPaths>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

class TestCacheAddress : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void parses_data();
    void parses();
    void refuses_data();
    void refuses();
    void quotedWordsArriveAsWritten_data();
    void quotedWordsArriveAsWritten();
    void sshCommandLine();
    void containerCommandLine();
};

void TestCacheAddress::parses_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("transport");
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("where");
    using T = CacheAddress::Transport;
    QTest::addRow("local") << u"/tmp/a.db"_s << int(T::Local) << QString() << QString() << 0 << u"/tmp/a.db"_s
                           << u"this computer"_s;
    QTest::addRow("alias") << u"ssh://build/var/cache/c.db"_s << int(T::Ssh) << QString() << u"build"_s << 0
                           << u"/var/cache/c.db"_s << u"build"_s;
    QTest::addRow("user, port") << u"ssh://me@gpu.example.org:2222/srv/x.db"_s << int(T::Ssh) << u"me"_s
                                << u"gpu.example.org"_s << 2222 << u"/srv/x.db"_s << u"me@gpu.example.org:2222"_s;
    QTest::addRow("ipv6") << u"ssh://[::1]:22/c.db"_s << int(T::Ssh) << QString() << u"::1"_s << 22 << u"/c.db"_s
                          << u"[::1]:22"_s;
    QTest::addRow("path as written") << u"ssh://h/a b/%20/$(x);'\n/c.db"_s << int(T::Ssh) << QString() << u"h"_s << 0
                                     << u"/a b/%20/$(x);'\n/c.db"_s << u"h"_s;
    QTest::addRow("docker") << u"docker://web_1/app/cache.db"_s << int(T::Docker) << QString() << u"web_1"_s << 0
                            << u"/app/cache.db"_s << u"docker container web_1"_s;
    QTest::addRow("podman") << u"podman://3f2a/c.db"_s << int(T::Podman) << QString() << u"3f2a"_s << 0 << u"/c.db"_s
                            << u"podman container 3f2a"_s;
}

void TestCacheAddress::parses()
{
    QFETCH(QString, text);
    QFETCH(int, transport);
    QFETCH(QString, user);
    QFETCH(QString, host);
    QFETCH(int, port);
    QFETCH(QString, path);
    QFETCH(QString, where);
    const auto address = CacheAddress::parse(text);
    QVERIFY2(address.ok(), qPrintable(address.error().message));
    QCOMPARE(int(address->transport()), transport);
    QCOMPARE(address->isRemote(), transport != int(CacheAddress::Transport::Local));
    QCOMPARE(CacheAddress::isRemoteText(text), address->isRemote());
    QCOMPARE(address->user(), user);
    QCOMPARE(address->host(), host);
    QCOMPARE(address->port(), port);
    QCOMPARE(address->path(), path);
    QCOMPARE(address->where(), where);
    QCOMPARE(CacheAddress::parse(address->toString())->toString(), address->toString());
}

void TestCacheAddress::refuses_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("reason");
    QTest::addRow("no path") << u"ssh://host"_s << u"give the absolute path"_s;
    QTest::addRow("host is an option") << u"ssh://-oProxyCommand=x/p"_s << u"the host may not start with '-'"_s;
    QTest::addRow("user is an option") << u"ssh://-F@h/p"_s << u"the user may not start with '-'"_s;
    QTest::addRow("empty host") << u"ssh:///p"_s << u"the host is empty"_s;
    QTest::addRow("empty user") << u"ssh://@h/p"_s << u"the user is empty"_s;
    QTest::addRow("blank in host") << u"ssh://a b/p"_s << u"blank, quote or control"_s;
    QTest::addRow("port 0") << u"ssh://h:0/p"_s << u"the port must be"_s;
    QTest::addRow("port text") << u"ssh://h:ssh/p"_s << u"the port must be"_s;
    QTest::addRow("port sign") << u"ssh://h:+22/p"_s << u"the port must be"_s;
    QTest::addRow("empty port") << u"ssh://h:/p"_s << u"the port after ':' is empty"_s;
    QTest::addRow("open bracket") << u"ssh://[::1/p"_s << u"closing ']'"_s;
    QTest::addRow("container option") << u"docker://-it/p"_s << u"a container name"_s;
    QTest::addRow("container blank") << u"podman://a b/p"_s << u"a container name"_s;
}

void TestCacheAddress::refuses()
{
    QFETCH(QString, text);
    QFETCH(QString, reason);
    const auto address = CacheAddress::parse(text);
    QVERIFY(!address.ok());
    QCOMPARE(address.error().kind, Error::Kind::Invalid);
    QVERIFY2(address.error().message.contains(reason), qPrintable(address.error().message));
}

void TestCacheAddress::quotedWordsArriveAsWritten_data()
{
    QTest::addColumn<QString>("shell");
    for (const QString& shell : { u"/bin/sh"_s, u"/bin/dash"_s, u"/bin/bash"_s }) {
        if (QFileInfo::exists(shell))
            QTest::addRow("%s", qPrintable(shell)) << shell;
    }
}

void TestCacheAddress::quotedWordsArriveAsWritten()
{
    QFETCH(QString, shell);
    const QStringList words { u"plain"_s, u"with blank"_s, u"it's"_s, u"''"_s, u"\"double\""_s, u"$(echo PWNED)"_s,
        u"`echo PWNED`"_s, u"a;echo PWNED;b"_s, u"line\nbreak"_s, u"$HOME"_s, u"*"_s, u"back\\slash\\"_s,
        u"x'; echo PWNED; '"_s, u"-n"_s, QString(), u"ünïcödé ✓"_s, u"tab\there"_s, u"!history"_s, u"~"_s };
    // printf prints each word followed by a NUL: what the remote program would get as argv.
    const QString command = RemoteCommand::shellCommand(u"printf"_s, QStringList { u"%s\\0"_s } + words);
    QVERIFY(command.startsWith(u"exec 'printf' "_s));
    const auto ran = runProgram(shell, { u"-c"_s, command });
    QCOMPARE(ran.exitCode, 0);
    QVERIFY(!ran.err.contains("PWNED") && !ran.out.contains("PWNED\n"));
    QByteArray expected;
    for (const QString& word : words)
        expected += word.toUtf8() + '\0';
    QCOMPARE(ran.out, expected);
    // A program in the remote home keeps its tilde unquoted, the rest quoted.
    QCOMPARE(RemoteCommand::shellCommand(u"~/bin/cachescope cli"_s, { u"a"_s }), u"exec ~/'bin/cachescope cli' 'a'"_s);
}

void TestCacheAddress::sshCommandLine()
{
    const QString runtime = QDir::tempPath() + u"/tst_cacheaddress_run"_s;
    QDir(runtime).removeRecursively();
    QVERIFY(QDir().mkpath(runtime));
    qputenv("XDG_RUNTIME_DIR", runtime.toUtf8());
    qunsetenv("CACHESCOPE_SSH_COMMAND");
    const RemoteCommand command(CacheAddress::parse(u"ssh://me@h:2200/a b.db"_s).value());
    QCOMPARE(command.remoteProgram(), u"cachescope-cli"_s);
    const auto line = command.commandLine({ u"info"_s, u"/a b.db"_s });
    QVERIFY(line.ok());
    QCOMPARE(line->first(), u"ssh"_s);
    // The control socket is named by the address (SshMuxSession reaches it without ssh): 40 hex
    // digits, another for another user, port or host.
    const auto socket = command.controlSocket();
    QVERIFY(socket.ok());
    QVERIFY2(QRegularExpression(u"^"_s + QRegularExpression::escape(runtime) + u"/cachescope/[0-9a-f]{40}$"_s)
                 .match(socket.value())
                 .hasMatch(),
        qPrintable(socket.value()));
    for (const QString& other : { u"ssh://you@h:2200/a b.db"_s, u"ssh://me@h:2201/a b.db"_s, u"ssh://me@g:2200/x"_s })
        QVERIFY(RemoteCommand(CacheAddress::parse(other).value()).controlSocket().value() != socket.value());
    QCOMPARE(RemoteCommand(CacheAddress::parse(u"ssh://me@h:2200/other.db"_s).value()).controlSocket().value(),
        socket.value());
    for (const QString& option : QStringList { u"BatchMode=yes"_s, u"StrictHostKeyChecking=yes"_s,
             u"ControlMaster=auto"_s, u"ControlPath="_s + socket.value(), u"ControlPersist=60"_s })
        QVERIFY2(line->contains(option), qPrintable(option));
    QVERIFY(line->contains(u"-T"_s) && line->contains(u"-a"_s));
    QCOMPARE(line->at(line->indexOf(u"-l"_s) + 1), u"me"_s);
    QCOMPARE(line->at(line->indexOf(u"-p"_s) + 1), u"2200"_s);
    QCOMPARE(line->last(), u"exec 'cachescope-cli' 'info' '/a b.db'"_s);
    QCOMPARE(line->at(line->size() - 2), u"h"_s);
    // The control folder is ours alone; one that is not is refused, never used.
    QCOMPARE(QFileInfo(runtime + u"/cachescope"_s).permissions() & (QFileDevice::ReadGroup | QFileDevice::ReadOther),
        QFileDevice::Permissions());
    QFile::setPermissions(runtime + u"/cachescope"_s, QFileDevice::Permissions(0x7777));
    const auto open = command.commandLine({ u"info"_s });
    QVERIFY(!open.ok());
    QVERIFY2(open.error().message.contains(u"not a private folder"_s), qPrintable(open.error().message));
    // CACHESCOPE_SSH_COMMAND replaces ssh, like GIT_SSH_COMMAND.
    QFile::setPermissions(
        runtime + u"/cachescope"_s, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    qputenv("CACHESCOPE_SSH_COMMAND", "ssh -F '/my config'");
    const auto replaced = command.commandLine({ u"info"_s });
    QVERIFY(replaced.ok());
    QCOMPARE(replaced->mid(0, 4),
        (QStringList { u"/bin/sh"_s, u"-c"_s, u"ssh -F '/my config' \"$@\""_s, u"cachescope-ssh"_s }));
    qputenv("CACHESCOPE_SSH_COMMAND", "ssh -F /etc/cachescope/ssh_config  -v");
    const auto simple = command.commandLine({ u"info"_s });
    QVERIFY(simple.ok());
    QCOMPARE(simple->mid(0, 4), (QStringList { u"ssh"_s, u"-F"_s, u"/etc/cachescope/ssh_config"_s, u"-v"_s }));
    qunsetenv("CACHESCOPE_SSH_COMMAND");
    QDir(runtime).removeRecursively();
}

void TestCacheAddress::containerCommandLine()
{
    const RemoteCommand command(CacheAddress::parse(u"podman://box/c d.db"_s).value(), u"/opt/cs/cachescope-cli"_s);
    const auto line = command.commandLine({ u"entries"_s, u"/c d.db"_s, u"--json"_s });
    QVERIFY(line.ok());
    QCOMPARE(line.value(),
        (QStringList { u"podman"_s, u"exec"_s, u"-i"_s, u"box"_s, u"/opt/cs/cachescope-cli"_s, u"entries"_s,
            u"/c d.db"_s, u"--json"_s }));
}

QTEST_GUILESS_MAIN(TestCacheAddress)
#include "tst_cacheaddress.moc"
