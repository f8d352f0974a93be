// SPDX-License-Identifier: GPL-3.0-or-later
#include "remotefailure.h"

#include <QStringList>

using namespace Qt::Literals::StringLiterals;

namespace {
// The lines that are not the remote program's own ("cachescope-cli: …").
QStringList foreignLines(const QString& errorOutput)
{
    QStringList lines;
    for (const QString& line : errorOutput.split(u'\n', Qt::SkipEmptyParts)) {
        if (!line.startsWith(u"cachescope-cli:"_s))
            lines.append(line.trimmed());
    }
    return lines;
}

bool anyContains(const QStringList& lines, std::initializer_list<const char16_t*> needles)
{
    for (const QString& line : lines) {
        for (const char16_t* needle : needles) {
            if (line.contains(QStringView(needle), Qt::CaseInsensitive))
                return true;
        }
    }
    return false;
}

QString lastOf(const QStringList& lines)
{
    return lines.isEmpty() ? u"no message"_s : lines.last();
}

bool isContainer(const RemoteCommand& command)
{
    return command.address().transport() != CacheAddress::Transport::Ssh;
}

// ssh ends with 255 when it failed itself (the remote program never does).
Error sshFailure(const RemoteCommand& command, const QStringList& lines)
{
    const QString host = command.address().where();
    const QString said = lines.join(u"; "_s);
    if (anyContains(lines, { u"REMOTE HOST IDENTIFICATION HAS CHANGED", u"host key for", u"has changed" }))
        return { Error::Kind::PermissionDenied,
            u"the host key of %1 has changed since it was last seen — it is not accepted (ssh: %2). If the change is "
            "expected, remove the old key with `ssh-keygen -R HOST` and connect once with `ssh %1`"_s.arg(host, said) };
    if (anyContains(lines, { u"Host key verification failed", u"host key is known", u"No matching host key" }))
        return { Error::Kind::PermissionDenied,
            u"the host key of %1 is not known, and CacheScope never accepts one silently (ssh: %2). Check it and "
            "add it by connecting once with `ssh %1`"_s.arg(host, said) };
    if (anyContains(lines, { u"Permission denied", u"Too many authentication failures", u"no more authentication" }))
        return { Error::Kind::PermissionDenied,
            u"%1 refused the login (ssh: %2): set up a key or ssh-agent — CacheScope runs ssh with BatchMode=yes, "
            "so it never asks for a password"_s.arg(host, said) };
    if (anyContains(lines, { u"Could not resolve hostname", u"Name or service not known", u"nodename nor servname" }))
        return { Error::Kind::NotFound, u"unknown host %1 (ssh: %2)"_s.arg(host, said) };
    if (anyContains(lines,
            { u"Connection refused", u"timed out", u"No route to host", u"Network is unreachable", u"Connection closed",
                u"Connection reset", u"Broken pipe", u"kex_exchange_identification" }))
        return { Error::Kind::Io, u"cannot reach %1 (ssh: %2)"_s.arg(host, said) };
    if (lines.isEmpty())
        return { Error::Kind::Io,
            u"the connection to %1 ended without a reason (the program there was ended by a signal, or the "
            "connection dropped)"_s.arg(host) };
    return { Error::Kind::Io, u"ssh to %1 failed: %2"_s.arg(host, lastOf(lines)) };
}

// docker and podman end with 125 (podman) or 1 (docker) and a daemon error of their own.
std::optional<Error> containerFailure(const RemoteCommand& command, int exitCode, const QStringList& lines)
{
    const QString where = command.address().where();
    if (anyContains(lines, { u"No such container", u"no container with name or ID", u"is not running" }))
        return Error { Error::Kind::NotFound, u"no running %1 (%2)"_s.arg(where, lastOf(lines)) };
    if (exitCode == 125
        || anyContains(lines, { u"Cannot connect to the Docker daemon", u"Error response from daemon", u"Error: " }))
        return Error { Error::Kind::Io, u"cannot run a command in %1: %2"_s.arg(where, lastOf(lines)) };
    return std::nullopt;
}
} // namespace

Error RemoteFailure::programMissing(const RemoteCommand& command, const QString& detail)
{
    return { Error::Kind::NotFound,
        u"install cachescope on %1: `%2` was not found or cannot run there (%3); or name the program with "
        "--remote-cli PATH"_s.arg(command.address().where(), command.remoteProgram(), detail) };
}

Error RemoteFailure::otherVersion(const RemoteCommand& command, const QString& detail)
{
    return { Error::Kind::Invalid,
        u"`%1` on %2 is another version of cachescope (%3): install cachescope %4 on %2, or name a matching "
        "program with --remote-cli PATH"_s.arg(
            command.remoteProgram(), command.address().where(), detail, QStringLiteral(CACHESCOPE_VERSION)) };
}

Error RemoteFailure::notStarted(const RemoteCommand& command, const QString& why)
{
    const QString tool = isContainer(command)
        ? (command.address().transport() == CacheAddress::Transport::Docker ? u"docker"_s : u"podman"_s)
        : u"ssh (the OpenSSH client, or CACHESCOPE_SSH_COMMAND)"_s;
    return { Error::Kind::NotFound, u"cannot start %1 to reach %2: %3"_s.arg(tool, command.address().where(), why) };
}

Error RemoteFailure::crashed(const RemoteCommand& command)
{
    return { Error::Kind::Io,
        u"the connection to %1 ended abnormally (the local ssh, docker or podman was killed)"_s.arg(
            command.address().where()) };
}

std::optional<Error> RemoteFailure::explain(const RemoteCommand& command, int exitCode, const QString& errorOutput)
{
    const QStringList lines = foreignLines(errorOutput);
    for (const QString& line : errorOutput.split(u'\n', Qt::SkipEmptyParts)) {
        if (const qsizetype at = line.indexOf(VersionMismatch); at >= 0 && line.startsWith(u"cachescope-cli:"_s))
            return otherVersion(command, line.mid(at + VersionMismatch.size()).trimmed());
    }
    if (exitCode == 2 && errorOutput.contains(CallerVersionOption))
        return otherVersion(command, u"it does not know --%1, so it is older than this one"_s.arg(CallerVersionOption));
    if (exitCode == 127 || exitCode == 126)
        return programMissing(command, lastOf(lines));
    if (isContainer(command))
        return containerFailure(command, exitCode, lines);
    if (exitCode == 255)
        return sshFailure(command, lines);
    if (exitCode >= 128) // the shell there reports a program ended by signal N as 128 + N
        return Error { Error::Kind::Io,
            u"the command on %1 was ended by signal %2: %3"_s.arg(command.address().where())
                .arg(exitCode - 128)
                .arg(lastOf(lines)) };
    return std::nullopt;
}
