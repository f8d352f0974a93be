// SPDX-License-Identifier: GPL-3.0-or-later
#include "remoterun.h"

#include "common/format.h"
#include "remote/remotefailure.h"
#include "stopsignals.h"

#include <QEventLoop>
#include <QProcess>
#include <QTimer>

#include <cstdio>

#include <unistd.h>

using namespace Qt::Literals::StringLiterals;

namespace {
constexpr QLatin1StringView OwnPrefix { "cachescope-cli: " };

void printLine(FILE* stream, const QString& line)
{
    const QByteArray bytes = Format::escapeControl(line, true).toUtf8() + '\n';
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stream);
    std::fflush(stream);
}
} // namespace

RemoteRun::RemoteRun(RemoteCommand command, bool json)
    : m_command(std::move(command))
    , m_json(json)
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

Result<int> RemoteRun::run(const QStringList& args)
{
    const auto commandLine = m_command.commandLine(args);
    if (!commandLine)
        return commandLine.error();
    StopSignals::install();
    QProcess process;
    process.setProgram(commandLine->first());
    process.setArguments(commandLine->mid(1));
    process.setChildProcessModifier([] { ::setpgid(0, 0); });
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
    QTimer stops;
    QObject::connect(&stops, &QTimer::timeout, &loop, [&] {
        if ((StopSignals::requested().load() || m_outputGone) && !stdinClosed) {
            stdinClosed = true;
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
    if (const auto failure = RemoteFailure::explain(m_command, process.exitCode(), m_errors))
        return failure.value();
    for (const QString& line : std::as_const(m_foreignErrors))
        printLine(stderr, OwnPrefix + m_command.address().where() + u": "_s + line);
    return process.exitCode();
}
