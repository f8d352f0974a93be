// SPDX-License-Identifier: GPL-3.0-or-later
#include "remotecommand.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcessEnvironment>
#include <QRegularExpression>

#include <cerrno>
#include <cstring>

#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::Literals::StringLiterals;

namespace {
// A unix socket path is at most 107 bytes; the socket is "/" + 40 hex (controlSocket()), and ssh
// adds a 17-byte suffix while it creates it.
constexpr qsizetype MaxControlDirectory = 107 - 1 - 40 - 17;

// The folder exists (or is made) as ours alone: a directory, not a link, owned by us, 0700.
Result<QString> privateFolder(const QString& path)
{
    const QByteArray native = QFile::encodeName(path);
    if (::mkdir(native.constData(), 0700) != 0 && errno != EEXIST)
        return Error { Error::Kind::Io,
            u"cannot create %1 for ssh's shared connections: %2"_s.arg(
                path, QString::fromLocal8Bit(std::strerror(errno))) };
    struct stat info { };
    if (::lstat(native.constData(), &info) != 0)
        return Error { Error::Kind::Io,
            u"cannot read %1: %2"_s.arg(path, QString::fromLocal8Bit(std::strerror(errno))) };
    if (!S_ISDIR(info.st_mode) || info.st_uid != ::geteuid() || (info.st_mode & 077) != 0)
        return Error { Error::Kind::Refused,
            u"%1 is not a private folder of this user (it must be a directory owned by uid %2 with mode 0700; it "
            "holds the sockets of ssh's shared connections): remove it or set XDG_RUNTIME_DIR"_s.arg(path)
                .arg(::geteuid()) };
    return path;
}

bool usableBase(const QString& base)
{
    if (base.isEmpty() || !QDir::isAbsolutePath(base) || !QFileInfo(base).isDir())
        return false;
    for (const QChar c : base) {
        if (c.isSpace() || c == u'"' || c == u'\'' || c == u'%' || c == u'\\')
            return false; // ssh would split or expand it
    }
    return true;
}
} // namespace

RemoteCommand::RemoteCommand(CacheAddress address, QString remoteProgram)
    : m_address(std::move(address))
    , m_remoteProgram(remoteProgram.isEmpty() ? u"cachescope-cli"_s : std::move(remoteProgram))
{
}

QString RemoteCommand::quoteForShell(const QString& word)
{
    QString quoted = word;
    quoted.replace(u'\'', u"'\\''"_s);
    return u'\'' + quoted + u'\'';
}

QString RemoteCommand::shellCommand(const QString& program, const QStringList& args)
{
    QString command = u"exec "_s;
    if (program.startsWith(u"~/"_s) && program.size() > 2)
        command += u"~/"_s + quoteForShell(program.mid(2));
    else
        command += quoteForShell(program);
    for (const QString& arg : args)
        command += u' ' + quoteForShell(arg);
    return command;
}

Result<QString> RemoteCommand::controlDirectory()
{
    const QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    const QString runtime = env.value(u"XDG_RUNTIME_DIR"_s);
    if (usableBase(runtime) && runtime.size() + 11 <= MaxControlDirectory)
        return privateFolder(QDir::cleanPath(runtime) + u"/cachescope"_s);
    QString temp = QDir::tempPath();
    if (!usableBase(temp) || temp.size() + 30 > MaxControlDirectory)
        temp = u"/tmp"_s;
    return privateFolder(QDir::cleanPath(temp) + u"/cachescope-ssh-"_s + QString::number(::geteuid()));
}

Result<QString> RemoteCommand::controlSocket() const
{
    const auto directory = controlDirectory();
    if (!directory)
        return directory.error();
    QCryptographicHash hash(QCryptographicHash::Sha1);
    for (const QString& part : { m_address.user(), m_address.host(), QString::number(m_address.port()),
             QProcessEnvironment::systemEnvironment().value(u"CACHESCOPE_SSH_COMMAND"_s) })
        hash.addData(part.toUtf8().append('\0'));
    return QString(directory.value() + u'/' + QString::fromLatin1(hash.result().toHex()));
}

Result<QStringList> RemoteCommand::sharedConnectionOptions() const
{
    const auto socket = controlSocket();
    if (!socket)
        return socket.error();
    return QStringList { u"-o"_s, u"ControlMaster=auto"_s, u"-o"_s, u"ControlPath="_s + socket.value(), u"-o"_s,
        u"ControlPersist="_s + QString::number(ControlPersistSeconds) };
}

Result<QStringList> RemoteCommand::commandLine(const QStringList& args) const
{
    if (m_address.transport() == CacheAddress::Transport::Docker
        || m_address.transport() == CacheAddress::Transport::Podman) {
        const QString tool = m_address.transport() == CacheAddress::Transport::Docker ? u"docker"_s : u"podman"_s;
        return QStringList { tool, u"exec"_s, u"-i"_s, m_address.host(), m_remoteProgram } + args;
    }
    const auto shared = sharedConnectionOptions();
    if (!shared)
        return shared.error();
    QStringList ssh { u"-T"_s, u"-a"_s, u"-x"_s, u"-o"_s, u"BatchMode=yes"_s, u"-o"_s, u"StrictHostKeyChecking=yes"_s,
        u"-o"_s, u"ConnectTimeout=10"_s, u"-o"_s, u"ServerAliveInterval=10"_s, u"-o"_s, u"ServerAliveCountMax=3"_s };
    ssh += shared.value();
    if (!m_address.user().isEmpty())
        ssh += { u"-l"_s, m_address.user() };
    if (m_address.port() > 0)
        ssh += { u"-p"_s, QString::number(m_address.port()) };
    ssh += { m_address.host(), shellCommand(m_remoteProgram, args) };
    const QString replacement = QProcessEnvironment::systemEnvironment().value(u"CACHESCOPE_SSH_COMMAND"_s);
    if (replacement.trimmed().isEmpty())
        return QStringList { u"ssh"_s } + ssh;
    // Like GIT_SSH_COMMAND: the variable is shell text, the arguments follow it as "$@". Words
    // without anything a shell would treat specially are run directly (a shell less to start).
    static const QRegularExpression special(uR"([|&;<>()$`\\"'*?\[\]#~=%{}!\n\t])"_s);
    if (!replacement.contains(special))
        return replacement.split(u' ', Qt::SkipEmptyParts) + ssh;
    return QStringList { u"/bin/sh"_s, u"-c"_s, replacement + u" \"$@\""_s, u"cachescope-ssh"_s } + ssh;
}
