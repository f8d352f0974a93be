// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/error.h"

#include <QByteArray>
#include <QString>

#include <optional>

// SshMuxSession: one command run over an OpenSSH ControlMaster that is already up, by speaking
// its control-socket protocol (OpenSSH's PROTOCOL.mux, version 4: "passenger" sessions) — what
// `ssh -o ControlPath=… HOST COMMAND` does as a mux client, without starting that ssh (a
// process whose start costs CPU on every page: docs/BENCHMARKS.md, "Numbers behind
// constants"). The master opens a session channel on its existing connection, with the user's
// own config, keys and host key already checked when it connected; the command's stdin, stdout
// and stderr are file descriptors handed to the master (SCM_RIGHTS), so their bytes never pass
// through this process. When this session's socket is closed (this process ends, is killed),
// the master closes the channel: the remote command's stdin reaches end of file, as when an ssh
// client ends. Not copyable; closes its socket.
class SshMuxSession {
public:
    static constexpr quint32 ProtocolVersion = 4;

    SshMuxSession() = default;
    SshMuxSession(const SshMuxSession&) = delete;
    SshMuxSession& operator=(const SshMuxSession&) = delete;
    SshMuxSession(SshMuxSession&& other) noexcept;
    SshMuxSession& operator=(SshMuxSession&& other) noexcept;
    ~SshMuxSession();

    // Connects to the master listening at socketPath and has it run command (text for the remote
    // user's shell) with in, out and err as the command's stdio (the caller closes its copies
    // afterwards). Error when no master answers there, or it refused the session: nothing was run
    // (the caller then starts ssh, which becomes the master). Waits at most timeoutMs.
    static Result<SshMuxSession> open(
        const QString& socketPath, const QByteArray& command, int in, int out, int err, int timeoutMs = 10000);

    // The control socket: readable when the master says something (the exit status, or closes).
    int socket() const { return m_socket; }
    // Reads what the master sent (call when socket() is readable). true while the session
    // may still say something; false once it is over: exitStatus() then holds the remote
    // command's exit status, or nothing when the master closed without one (the connection dropped).
    bool readMaster();
    std::optional<int> exitStatus() const { return m_exit; }
    // Ends the session at once: the master closes the channel (the remote side sees its caller gone).
    void close();

private:
    int m_socket = -1;
    quint32 m_sessionId = 0;
    QByteArray m_pending;
    std::optional<int> m_exit;
};
