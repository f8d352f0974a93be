// SPDX-License-Identifier: GPL-3.0-or-later
#include "sshserver.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTest>

#include <algorithm>
#include <csignal>

#include <netinet/in.h>
#include <pwd.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::Literals::StringLiterals;

namespace TestSupport {

namespace {
    // A port nobody listens on right now (bound, read and released).
    int freePort()
    {
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address {};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        int port = 0;
        if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0
            && ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0)
            port = ntohs(address.sin_port);
        ::close(fd);
        return port;
    }

    bool writeFile(const QString& path, const QByteArray& text)
    {
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return false;
        file.write(text);
        file.close();
        return file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    }

    bool keygen(const QString& path, QString& reason)
    {
        const auto made = runProgram(u"ssh-keygen"_s,
            { u"-q"_s, u"-t"_s, u"ed25519"_s, u"-N"_s, QString(), u"-C"_s, u"cachescope-test"_s, u"-f"_s, path });
        if (made.exitCode != 0)
            reason = u"ssh-keygen failed: "_s + QString::fromUtf8(made.err);
        return made.exitCode == 0;
    }

    QString userName()
    {
        const passwd* entry = ::getpwuid(::geteuid());
        return entry ? QString::fromLocal8Bit(entry->pw_name) : QString();
    }

    // The fields of /proc/PID/stat after the command name (state first, then the parent); empty
    // when the process is gone.
    QList<QByteArray> statFields(qint64 pid)
    {
        const QByteArray stat = fileBytes(u"/proc/%1/stat"_s.arg(pid));
        return stat.isEmpty() ? QList<QByteArray>() : stat.mid(stat.lastIndexOf(')') + 2).split(' ');
    }

    QList<qint64> descendants(qint64 pid)
    {
        QList<qint64> all;
        for (qint64 child : childPids(pid))
            all += QList<qint64> { child } + descendants(child);
        return all;
    }
} // namespace

QString SshServer::address(const QString& path, const QString& alias)
{
    return u"ssh://"_s + alias + path;
}

bool SshServer::start()
{
    const QString sshd
        = QStandardPaths::findExecutable(u"sshd"_s, { u"/usr/sbin"_s, u"/usr/local/sbin"_s, u"/sbin"_s });
    if (sshd.isEmpty() || QStandardPaths::findExecutable(u"ssh"_s).isEmpty()) {
        m_reason = u"OpenSSH (openssh-server, openssh-client) is not installed"_s;
        return false;
    }
    // sshd insists on its privilege separation folder, made by the service at boot.
    if (!QFileInfo::exists(u"/run/sshd"_s) && (::geteuid() != 0 || ::mkdir("/run/sshd", 0755) != 0)) {
        m_reason = u"/run/sshd is missing and cannot be made (sshd needs it; run as root once)"_s;
        return false;
    }
    m_dir = std::make_unique<QTemporaryDir>();
    QDir().mkpath(m_dir->filePath(u"run"_s));
    QFile::setPermissions(
        m_dir->filePath(u"run"_s), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    if (!keygen(m_dir->filePath(u"host_key"_s), m_reason) || !keygen(m_dir->filePath(u"user_key"_s), m_reason)
        || !keygen(m_dir->filePath(u"other_key"_s), m_reason))
        return false;
    for (int attempt = 0; attempt < 5; ++attempt) {
        if (startOnce(freePort()))
            return true;
    }
    m_reason = u"sshd did not start: "_s + m_log.right(2000);
    return false;
}

bool SshServer::writeFiles(int port, int closedPort)
{
    const QString dir = m_dir->path();
    QByteArray env = "SHLVL=1";
    for (const char* name : { "ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS" }) {
        if (qEnvironmentVariableIsSet(name))
            env += ' ' + QByteArray(name) + '=' + qgetenv(name);
    }
    const QByteArray server = "Port " + QByteArray::number(port)
        + "\nListenAddress 127.0.0.1\nListenAddress 127.0.0.2\nListenAddress 127.0.0.3\nHostKey " + dir.toUtf8()
        + "/host_key\nPidFile none\nAuthorizedKeysFile " + dir.toUtf8()
        + "/authorized_keys\nStrictModes no\nUsePAM no\nPasswordAuthentication no\n"
          "KbdInteractiveAuthentication no\nPubkeyAuthentication yes\nPermitRootLogin prohibit-password\n"
          "AllowUsers "
        + userName().toUtf8() + "\nSubsystem sftp " + (m_sftp ? "internal-sftp" : "none")
        + "\nLogLevel VERBOSE\nMaxSessions 100\nMaxStartups 100\nSetEnv " + env + "\n";
    // Each alias its own address and shared connection.
    auto alias
        = [&](const char* name, const char* ip, int toPort, const char* key, const QString& knownHosts) -> QByteArray {
        return "Host " + QByteArray(name) + "\n  HostName " + ip + "\n  Port " + QByteArray::number(toPort)
            + "\n  User " + userName().toUtf8() + "\n  IdentityFile " + dir.toUtf8() + '/' + key
            + "\n  IdentitiesOnly yes\n  IdentityAgent none\n  UserKnownHostsFile " + knownHosts.toUtf8()
            + "\n  GlobalKnownHostsFile /dev/null\n  UpdateHostKeys no\n  LogLevel ERROR\n";
    };
    const QByteArray client = alias("cachescope-test", "127.0.0.1", port, "user_key", knownHostsPath())
        + alias("cachescope-test-nokey", "127.0.0.2", port, "other_key", knownHostsPath())
        + alias("cachescope-test-unknown", "127.0.0.3", port, "user_key", emptyKnownHostsPath())
        + alias("cachescope-test-closed", "127.0.0.1", closedPort, "user_key", knownHostsPath());
    const QByteArray hostKey = TestSupport::fileBytes(m_dir->filePath(u"host_key.pub"_s)).trimmed();
    return writeFile(m_dir->filePath(u"sshd_config"_s), server) && writeFile(configPath(), client)
        && writeFile(m_dir->filePath(u"authorized_keys"_s), TestSupport::fileBytes(m_dir->filePath(u"user_key.pub"_s)))
        && writeFile(knownHostsPath(),
            "[127.0.0.1]:" + QByteArray::number(port) + ' ' + hostKey + "\n[127.0.0.2]:" + QByteArray::number(port)
                + ' ' + hostKey + '\n')
        && writeFile(emptyKnownHostsPath(), {});
}

bool SshServer::startOnce(int port)
{
    if (port <= 0 || !writeFiles(port, freePort()))
        return false;
    m_sshd = std::make_unique<QProcess>();
    m_sshd->setProcessChannelMode(QProcess::MergedChannels);
    // A test that crashes takes its server with it (stop() never runs then).
    m_sshd->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
    m_sshd->start(u"/usr/sbin/sshd"_s, { u"-D"_s, u"-e"_s, u"-f"_s, m_dir->filePath(u"sshd_config"_s) });
    const QDeadlineTimer deadline(20000);
    while (!deadline.hasExpired() && m_sshd->state() != QProcess::NotRunning) {
        m_sshd->waitForReadyRead(100);
        m_log += QString::fromUtf8(m_sshd->readAll());
        if (m_log.count(u"Server listening on"_s) == 3)
            return true;
    }
    m_log += QString::fromUtf8(m_sshd->readAll());
    m_sshd->kill();
    m_sshd->waitForFinished(5000);
    m_sshd.reset();
    return false;
}

QProcessEnvironment SshServer::environment() const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"XDG_RUNTIME_DIR"_s, m_dir->filePath(u"run"_s));
    env.insert(u"CACHESCOPE_SSH_COMMAND"_s, u"ssh -F "_s + configPath());
    env.remove(u"SSH_AUTH_SOCK"_s);
    return env;
}

void SshServer::exportEnvironment() const
{
    const QProcessEnvironment env = environment();
    for (const QString& name : { u"XDG_RUNTIME_DIR"_s, u"CACHESCOPE_SSH_COMMAND"_s })
        qputenv(name.toUtf8().constData(), env.value(name).toUtf8());
    qunsetenv("SSH_AUTH_SOCK");
    qputenv("CACHESCOPE_CLI", CACHESCOPE_CLI_PATH);
}

bool SshServer::cannotRunHere() const
{
    return m_reason.contains(u"not installed"_s) || m_reason.contains(u"/run/sshd"_s);
}

CliResult SshServer::runCli(const QStringList& args, int timeoutMs) const
{
    return runProgram(QStringLiteral(CACHESCOPE_CLI_PATH), args, timeoutMs, environment());
}

QList<qint64> SshServer::servedProcesses(const QString& marker)
{
    QList<qint64> found;
    const QStringList entries = QDir(u"/proc"_s).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString& entry : entries) {
        bool numeric = false;
        const qint64 pid = entry.toLongLong(&numeric);
        if (!numeric || !isRunning(pid))
            continue;
        const QByteArray cmdline = fileBytes(u"/proc/%1/cmdline"_s.arg(pid));
        if (cmdline.contains(QByteArrayView("\0--caller-version\0", 18)) && cmdline.contains(marker.toUtf8()))
            found.append(pid);
    }
    return found;
}

QList<qint64> SshServer::servedProcesses(const QString& marker, const QString& command)
{
    QList<qint64> found;
    const QByteArray word = '\0' + command.toUtf8() + '\0';
    for (const qint64 pid : servedProcesses(marker)) {
        if (fileBytes(u"/proc/%1/cmdline"_s.arg(pid)).contains(word))
            found.append(pid);
    }
    return found;
}

void SshServer::endSharedConnections()
{
    const QStringList sockets = QDir(controlDirectory()).entryList(QDir::System | QDir::Files | QDir::NoDotAndDotDot);
    for (const QString& socket : sockets)
        runProgram(u"ssh"_s,
            { u"-F"_s, configPath(), u"-o"_s, u"ControlPath="_s + controlDirectory() + u'/' + socket, u"-O"_s,
                u"exit"_s, host() },
            10000);
}

void SshServer::dropConnections()
{
    if (!m_sshd)
        return;
    for (const qint64 pid : descendants(m_sshd->processId())) {
        if (fileBytes(u"/proc/%1/comm"_s.arg(pid)).trimmed() == "sshd")
            ::kill(pid_t(pid), SIGKILL);
    }
}

QList<qint64> SshServer::servedSessions(const QString& marker)
{
    // Each process's parent read from its own stat, once: a request that ends while the list is
    // taken is then left out, never counted as a session of its own.
    QList<qint64> sessions;
    for (const qint64 pid : servedProcesses(marker, u"serve"_s)) {
        const qint64 parent = statFields(pid).value(1).toLongLong();
        const QByteArray parentCommand = fileBytes(u"/proc/%1/cmdline"_s.arg(parent));
        if (parent > 0
            && !(parentCommand.contains(QByteArrayView("\0serve\0", 7)) && parentCommand.contains(marker.toUtf8())))
            sessions.append(pid);
    }
    return sessions;
}

QString SshServer::describeServed(const QString& marker)
{
    QStringList lines;
    for (const qint64 pid : servedProcesses(marker)) {
        QByteArray command = fileBytes(u"/proc/%1/cmdline"_s.arg(pid));
        command.replace('\0', ' ');
        lines << u"%1 (parent %2): %3"_s.arg(pid).arg(
            QString::fromLatin1(statFields(pid).value(1)), QString::fromUtf8(command));
    }
    return lines.isEmpty() ? u"nothing served"_s : lines.join(u"; "_s);
}

QList<qint64> SshServer::masterPids() const
{
    QList<qint64> pids;
    static const QRegularExpression running(u"pid=(\\d+)"_s);
    const QStringList sockets = QDir(controlDirectory()).entryList(QDir::System | QDir::Files | QDir::NoDotAndDotDot);
    for (const QString& socket : sockets) {
        const auto check = runProgram(u"ssh"_s,
            { u"-F"_s, configPath(), u"-o"_s, u"ControlPath="_s + controlDirectory() + u'/' + socket, u"-O"_s,
                u"check"_s, host() },
            10000);
        if (const auto match = running.match(QString::fromUtf8(check.err)); check.exitCode == 0 && match.hasMatch())
            pids.append(match.captured(1).toLongLong());
    }
    return pids;
}

void SshServer::stop()
{
    if (!m_sshd) {
        m_dir.reset();
        return;
    }
    endSharedConnections();
    const QList<qint64> sessions = descendants(m_sshd->processId());
    m_sshd->terminate();
    if (!m_sshd->waitForFinished(10000)) {
        m_sshd->kill();
        m_sshd->waitForFinished(5000);
    }
    // A session whose connection is still open outlives the listener: end it too.
    const QDeadlineTimer deadline(5000);
    for (qint64 pid : sessions) {
        (void)QTest::qWaitFor([pid] { return !isRunning(pid); }, int(std::max<qint64>(0, deadline.remainingTime())));
        if (isRunning(pid))
            ::kill(pid_t(pid), SIGTERM);
    }
    m_sshd.reset();
    m_dir.reset();
}

} // namespace TestSupport
