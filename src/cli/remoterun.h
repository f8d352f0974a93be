// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "remote/remotecommand.h"

#include <QByteArray>
#include <QString>

#include <optional>

// RemoteRun: one cachescope-cli command run where a remote cache lives (RemoteCommand), its
// output relayed as it comes — JSON byte for byte, text with control characters escaped as the
// CLI's own text is — and the remote program's stderr lines ("cachescope-cli: …") said with the
// host ("cachescope-cli: HOST: …"). The remote exit code is ours; when ssh, docker or podman
// failed instead, RemoteFailure's reason is printed and the exit is 1 (3 for a refusal).
// While it runs, a newline every RemoteCommand::HeartbeatMs on the remote side's stdin tells it
// we are still here (CallerHangup). Ctrl-C/SIGTERM here closes that stdin, so the remote command
// stops as cleanly as it would locally and its last output still arrives; a second one kills the
// connection. ssh runs in its own process group, so the terminal's Ctrl-C reaches only us.
// Over ssh, when the shared connection is already up, the command runs through it without
// starting ssh (SshMuxSession); else ssh starts it (and becomes its master).
// With Stdio::Passed (serve) our own stdin and stdout are the remote side's — handed to the
// shared connection's master, or inherited by ssh — so its caller's requests and its answers
// never pass through this process, heartbeats included (the caller writes them: serve takes an
// empty line as one); its end is the remote side's end (and a stop here ends the session: the
// remote side's stdin then ends).
class RemoteRun {
public:
    enum class Stdio { Relayed, Passed };
    RemoteRun(RemoteCommand command, bool json, Stdio stdio = Stdio::Relayed);
    // Runs `remoteProgram args` there: the remote program's exit code, or why it did not run
    // there (the caller prints it and exits 1).
    Result<int> run(const QStringList& args);

private:
    // The command over the shared connection's master, when one answers; nullopt when none does.
    std::optional<Result<int>> runOverSharedConnection(const QStringList& args);
    Result<int> finish(int exitCode);
    void relayOutput(const QByteArray& bytes, bool flush);
    void relayErrors(const QByteArray& bytes, bool flush);
    void writeOut(const QByteArray& bytes);

    RemoteCommand m_command;
    bool m_json = false;
    Stdio m_stdio = Stdio::Relayed;
    bool m_outputGone = false;
    QByteArray m_outPending;
    QByteArray m_errPending;
    QString m_errors; // every stderr line, for RemoteFailure
    QStringList m_foreignErrors; // lines not from the remote program, printed when it ran
};
