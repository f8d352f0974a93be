// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "testsupport.h"

#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>

#include <memory>

namespace TestSupport {

// A real OpenSSH server (Debian's openssh-server) for the tests of remote caches: sshd on
// 127.0.0.1 on a free port, with fresh host and user keys, its own sshd_config (no PAM, the
// fresh user key the only one authorized, root login by key), and a client config of its own
// that the CLI uses through CACHESCOPE_SSH_COMMAND="ssh -F CONFIG". The client's shared
// connections live under this fixture's XDG_RUNTIME_DIR. Host aliases in the client config:
//   cachescope-test          the server, key authorized, host key known
//   cachescope-test-nokey    the server with a key it does not authorize
//   cachescope-test-unknown  the server with an empty known_hosts (its key is not known)
//   cachescope-test-closed   a port nobody listens on
// The session's shell is the user's, with SHLVL=1 set by the server so that bash does not
// read ~/.bashrc (this machine's runs `pyenv init`, 0.4 s per command): a user's shell start-up
// is theirs to pay, not CacheScope's. stop() (and the destructor) end the shared connections,
// the server and every session it started.
class SshServer {
public:
    ~SshServer() { stop(); }
    // Starts the server; false (with reason()) when it cannot run on this machine.
    bool start();
    // Before start(): serve SFTP too (internal-sftp), for a test that mounts a folder with
    // sshfs. Off by default: CacheScope's remote access never uses SFTP.
    void enableSftp() { m_sftp = true; }
    void stop();
    QString reason() const { return m_reason; }
    // After a failed start(): sshd is not installed or cannot run on this machine (a test skips), rather than failed.
    bool cannotRunHere() const;

    static QString host() { return QStringLiteral("cachescope-test"); }
    // ssh://ALIAS/PATH
    static QString address(const QString& path, const QString& alias = host());
    QString configPath() const { return m_dir->filePath(QStringLiteral("ssh_config")); }
    QString knownHostsPath() const { return m_dir->filePath(QStringLiteral("known_hosts")); }
    QString emptyKnownHostsPath() const { return m_dir->filePath(QStringLiteral("known_hosts_empty")); }
    QString controlDirectory() const { return m_dir->filePath(QStringLiteral("run/cachescope")); }
    qint64 pid() const { return m_sshd ? m_sshd->processId() : 0; }
    // The environment the local CLI (or GUI) runs in to reach this server.
    QProcessEnvironment environment() const;
    // The same put into this process's own environment, so that the children a window starts (the local
    // cachescope-cli, with CACHESCOPE_CLI set to this build's) reach the server as runCli() does.
    void exportEnvironment() const;
    // cachescope-cli ARGS with environment().
    CliResult runCli(const QStringList& args, int timeoutMs = 60000) const;
    // Processes serving a caller (run with --caller-version) whose command line holds marker.
    static QList<qint64> servedProcesses(const QString& marker);
    // …of them, those running `cachescope-cli COMMAND` (serve's forked requests count as serve).
    static QList<qint64> servedProcesses(const QString& marker, const QString& command);
    // `ssh -O exit` to every shared connection's master (ssh's ControlMaster) of this server.
    void endSharedConnections();
    // Every connection to this server ends as when the network or the host drops it: the
    // server's processes serving them (sshd's per-connection children) are killed, whether the
    // client shares its connection or not (two clients starting at once: one of them cannot
    // become the master and connects on its own). The commands they ran are left to notice.
    void dropConnections();
    // The `serve` sessions there (not the requests one of them forked) for marker.
    static QList<qint64> servedSessions(const QString& marker);
    // One line per process serving marker (pid, parent, command): what a failed count shows.
    static QString describeServed(const QString& marker);
    // The pids of the shared connections' masters that answer (`ssh -O check`).
    QList<qint64> masterPids() const;

private:
    bool m_sftp = false;
    bool startOnce(int port);
    bool writeFiles(int port, int closedPort);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QProcess> m_sshd;
    QString m_reason;
    QString m_log;
};

} // namespace TestSupport

// In a test's initTestCase: starts server, or skips the test class where sshd cannot run on this machine
// (SshServer::cannotRunHere) and fails it otherwise, with the reason.
#define CACHESCOPE_START_SSH_OR_SKIP(server)                                                                           \
    do {                                                                                                               \
        if (!(server).start()) {                                                                                       \
            if ((server).cannotRunHere())                                                                              \
                QSKIP(qPrintable((server).reason()));                                                                  \
            QFAIL(qPrintable((server).reason()));                                                                      \
        }                                                                                                              \
    } while (false)
