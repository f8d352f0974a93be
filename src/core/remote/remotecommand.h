// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/error.h"
#include "remote/cacheaddress.h"

#include <QStringList>

// RemoteCommand: how `cachescope-cli ARGS` is run where a remote cache lives — the program and
// arguments to start locally. Over ssh it is the OpenSSH client with the user's own config,
// agent and known_hosts, and: BatchMode=yes (never a hidden password prompt), a host key that
// is not known is refused (StrictHostKeyChecking=yes), one shared connection per host
// (ControlMaster=auto, ControlPath under $XDG_RUNTIME_DIR or a private temporary folder,
// ControlPersist), no agent or X11 forwarding, no terminal. The control socket is named by this
// address (controlSocket()), so a command can reach a master that is up without starting ssh
// (SshMuxSession). ssh hands the command to the
// remote user's shell, so every word is quoted for a POSIX shell: a path with blanks, quotes,
// $(…), ';' or a newline arrives as written and runs nothing. CACHESCOPE_SSH_COMMAND
// replaces `ssh` (run through /bin/sh like GIT_SSH_COMMAND, or split at blanks when it holds
// nothing a shell would treat specially). Containers go through
// `docker exec -i` / `podman exec -i`, whose arguments reach the program without a shell.
class RemoteCommand {
public:
    static constexpr int ControlPersistSeconds = 60;
    // A command run there for a caller (--caller-version) takes a caller that has written
    // nothing to its stdin for CallerSilenceMs as gone: its connection dropped without closing
    // (a network that went away, a host that froze), which TCP alone notices only after many
    // minutes, if at all. So the caller writes a newline every HeartbeatMs while it waits.
    static constexpr int HeartbeatMs = 5000;
    static constexpr int CallerSilenceMs = 30000;

    explicit RemoteCommand(CacheAddress address, QString remoteProgram = {});

    const CacheAddress& address() const { return m_address; }
    // The program run there: --remote-cli, default `cachescope-cli` on the remote PATH.
    QString remoteProgram() const { return m_remoteProgram; }
    // What to start here for `remoteProgram ARGS` there; Error when no control folder can be made.
    Result<QStringList> commandLine(const QStringList& args) const;
    // What the remote user's shell runs for `remoteProgram ARGS` (ssh).
    QString remoteShellCommand(const QStringList& args) const { return shellCommand(m_remoteProgram, args); }
    // ssh: the shared connection's control socket for this address — the control folder and the
    // SHA-1 of user, host, port and CACHESCOPE_SSH_COMMAND (so that a master is only shared by
    // commands that would have made the same connection).
    Result<QString> controlSocket() const;

    // One word for a POSIX shell: 'text' with each ' written as '\''.
    static QString quoteForShell(const QString& word);
    // "exec 'program' 'arg' …" for the remote shell; a program starting with "~/" keeps the
    // tilde outside the quotes, so it still means the remote home.
    static QString shellCommand(const QString& program, const QStringList& args);
    // Where the shared connections' sockets live: $XDG_RUNTIME_DIR/cachescope, else
    // TMPDIR/cachescope-ssh-UID — created 0700, refused when it is not a folder of ours
    // that only we can enter (another user could otherwise use our connections).
    static Result<QString> controlDirectory();
    // The ssh options that make every connection to this address share one (also for `ssh -O exit`).
    Result<QStringList> sharedConnectionOptions() const;

private:
    CacheAddress m_address;
    QString m_remoteProgram;
};
