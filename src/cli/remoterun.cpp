// SPDX-License-Identifier: GPL-3.0-or-later
#include "remoterun.h"

#include "common/format.h"
#include "fddrain.h"
#include "remote/remotefailure.h"
#include "remote/sshmuxsession.h"
#include "stopsignals.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QProcess>
#include <QTimer>

#include <array>
#include <cerrno>
#include <cstdio>

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

using namespace Qt::Literals::StringLiterals;

namespace {
constexpr QLatin1StringView OwnPrefix { "cachescope-cli: " };

// A pipe whose ends close with it; -1 for a closed end.
struct Pipe {
    int read = -1;
    int write = -1;
    bool open()
    {
        int fds[2];
        if (::pipe2(fds, O_CLOEXEC) != 0)
            return false;
        read = fds[0];
        write = fds[1];
        return true;
    }
    static void close(int& fd)
    {
        if (fd >= 0)
            ::close(fd);
        fd = -1;
    }
    ~Pipe()
    {
        close(read);
        close(write);
    }
};

void printLine(FILE* stream, const QString& line)
{
    const QByteArray bytes = Format::escapeControl(line, true).toUtf8() + '\n';
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stream);
    std::fflush(stream);
}
} // namespace

RemoteRun::RemoteRun(RemoteCommand command, bool json, Stdio stdio)
    : m_command(std::move(command))
    , m_json(json)
    , m_stdio(stdio)
{
}

void RemoteRun::writeOut(const QByteArray& bytes)
{
    if (m_outputGone || bytes.isEmpty())
        return;
    if (std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout) != size_t(bytes.size())
        || std::fflush(stdout) != 0)
        m_outputGone = true; // the reader went away (watch | head): the remote side is stopped below
}

void RemoteRun::relayOutput(const QByteArray& bytes, bool flush)
{
    if (m_json) { // JSON as it came: the contract is the remote program's
        writeOut(bytes);
        return;
    }
    m_outPending += bytes;
    qsizetype newline;
    while ((newline = m_outPending.indexOf('\n')) >= 0) {
        writeOut(Format::escapeControl(QString::fromUtf8(m_outPending.left(newline)), true).toUtf8() + '\n');
        m_outPending.remove(0, newline + 1);
    }
    if (flush && !m_outPending.isEmpty()) {
        writeOut(Format::escapeControl(QString::fromUtf8(m_outPending), true).toUtf8());
        m_outPending.clear();
    }
}

void RemoteRun::relayErrors(const QByteArray& bytes, bool flush)
{
    m_errPending += bytes;
    if (flush && !m_errPending.isEmpty() && !m_errPending.endsWith('\n'))
        m_errPending += '\n';
    qsizetype newline;
    while ((newline = m_errPending.indexOf('\n')) >= 0) {
        const QString line = QString::fromUtf8(m_errPending.left(newline));
        m_errPending.remove(0, newline + 1);
        m_errors += line + u'\n';
        if (line.startsWith(OwnPrefix) && !line.contains(RemoteFailure::VersionMismatch))
            printLine(stderr, OwnPrefix + m_command.address().where() + u": "_s + line.mid(OwnPrefix.size()));
        else if (!line.trimmed().isEmpty())
            m_foreignErrors.append(line);
    }
}

std::optional<Result<int>> RemoteRun::runOverSharedConnection(const QStringList& args)
{
    const auto socket = m_command.controlSocket();
    if (!socket)
        return std::nullopt; // ssh says why
    Pipe in, out, err;
    const bool passed = m_stdio == Stdio::Passed;
    if ((!passed && (!in.open() || !out.open())) || !err.open())
        return std::nullopt;
    auto session = SshMuxSession::open(socket.value(), m_command.remoteShellCommand(args).toUtf8(),
        passed ? STDIN_FILENO : in.read, passed ? STDOUT_FILENO : out.write, err.write);
    // The master has its own copies now; ours would keep the output open after it closes its.
    Pipe::close(in.read);
    Pipe::close(out.write);
    Pipe::close(err.write);
    if (!session)
        return std::nullopt; // no master up: ssh starts one
    StopSignals::install();
    for (const int fd : { out.read, err.read, in.write }) {
        if (fd >= 0)
            ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
    }
    bool killed = false;
    QElapsedTimer heartbeat;
    heartbeat.start();
    while (out.read >= 0 || err.read >= 0 || session->socket() >= 0) {
        if (passed && StopSignals::requested().load()) {
            session->close(); // the master closes the channel: the remote side's stdin ends
            relayErrors({}, true);
            return Result<int>(0);
        }
        // A stop here or a reader that went away: the remote side's stdin ends, so it stops
        // cleanly; a second stop ends the session.
        if ((StopSignals::requested().load() || m_outputGone) && in.write >= 0)
            Pipe::close(in.write);
        if (StopSignals::requests().load() >= 2) {
            killed = true;
            break;
        }
        if (in.write >= 0 && heartbeat.hasExpired(RemoteCommand::HeartbeatMs)) {
            heartbeat.restart();
            if (::write(in.write, "\n", 1) < 0 && errno != EAGAIN)
                Pipe::close(in.write); // the master let go of it: the session is ending
        }
        std::array<pollfd, 3> fds { pollfd { out.read, POLLIN, 0 }, pollfd { err.read, POLLIN, 0 },
            pollfd { session->socket(), POLLIN, 0 } };
        if (::poll(fds.data(), fds.size(), 50) < 0 && errno != EINTR)
            break;
        QByteArray bytes;
        if (fds[0].revents != 0) {
            const bool more = FdDrain::drain(out.read, bytes);
            relayOutput(bytes, false);
            if (!more)
                Pipe::close(out.read);
        }
        if (fds[1].revents != 0) {
            bytes.clear();
            const bool more = FdDrain::drain(err.read, bytes);
            relayErrors(bytes, false);
            if (!more)
                Pipe::close(err.read);
        }
        if (fds[2].revents != 0)
            session->readMaster();
    }
    session->close();
    relayOutput({}, true);
    relayErrors({}, true);
    if (killed)
        return Result<int>(RemoteFailure::crashed(m_command));
    // No exit status: the connection dropped, or the program there was ended by a signal (as ssh's 255).
    return finish(session->exitStatus().value_or(255));
}

Result<int> RemoteRun::finish(int exitCode)
{
    if (const auto failure = RemoteFailure::explain(m_command, exitCode, m_errors))
        return failure.value();
    for (const QString& line : std::as_const(m_foreignErrors))
        printLine(stderr, OwnPrefix + m_command.address().where() + u": "_s + line);
    return exitCode;
}

Result<int> RemoteRun::run(const QStringList& args)
{
    if (m_command.address().transport() == CacheAddress::Transport::Ssh) {
        if (auto ran = runOverSharedConnection(args))
            return std::move(*ran);
    }
    const auto commandLine = m_command.commandLine(args);
    if (!commandLine)
        return commandLine.error();
    StopSignals::install();
    QProcess process;
    process.setProgram(commandLine->first());
    process.setArguments(commandLine->mid(1));
    process.setChildProcessModifier([] { ::setpgid(0, 0); });
    if (m_stdio == Stdio::Passed) {
        process.setInputChannelMode(QProcess::ForwardedInputChannel);
        process.setProcessChannelMode(QProcess::ForwardedOutputChannel);
    }
    QEventLoop loop;
    QObject::connect(&process, &QProcess::readyReadStandardOutput, &loop,
        [&] { relayOutput(process.readAllStandardOutput(), false); });
    QObject::connect(&process, &QProcess::readyReadStandardError, &loop,
        [&] { relayErrors(process.readAllStandardError(), false); });
    QObject::connect(&process, &QProcess::finished, &loop, &QEventLoop::quit);
    QObject::connect(&process, &QProcess::errorOccurred, &loop, [&](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart)
            loop.quit();
    });
    // A stop here (Ctrl-C, SIGTERM) or a reader that went away: the remote side's stdin is
    // closed, so it stops cleanly; a second stop ends the connection.
    bool stdinClosed = false;
    QElapsedTimer heartbeat;
    heartbeat.start();
    QTimer stops;
    QObject::connect(&stops, &QTimer::timeout, &loop, [&] {
        // While it runs, the remote side hears from us (RemoteCommand::HeartbeatMs).
        if (m_stdio == Stdio::Relayed && !stdinClosed && process.state() == QProcess::Running
            && heartbeat.hasExpired(RemoteCommand::HeartbeatMs)) {
            heartbeat.restart();
            process.write("\n");
        }
        if ((StopSignals::requested().load() || m_outputGone) && !stdinClosed) {
            stdinClosed = true;
            if (m_stdio == Stdio::Passed)
                process.terminate(); // its stdin is not ours to close: ending ssh ends the session there
            else
                process.closeWriteChannel();
        }
        if (StopSignals::requests().load() >= 2 && process.state() == QProcess::Running)
            process.kill();
    });
    stops.start(50);
    process.start();
    if (process.state() != QProcess::NotRunning || process.error() != QProcess::FailedToStart)
        loop.exec();
    if (process.error() == QProcess::FailedToStart)
        return RemoteFailure::notStarted(m_command, process.errorString());
    relayOutput(process.readAllStandardOutput(), true);
    relayErrors(process.readAllStandardError(), true);
    if (process.exitStatus() == QProcess::CrashExit)
        return RemoteFailure::crashed(m_command);
    return finish(process.exitCode());
}
