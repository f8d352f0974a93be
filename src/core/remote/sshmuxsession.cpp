// SPDX-License-Identifier: GPL-3.0-or-later
#include "sshmuxsession.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QProcessEnvironment>

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

using namespace Qt::Literals::StringLiterals;

namespace {
// PROTOCOL.mux, section 11.
constexpr quint32 MuxHello = 0x00000001;
constexpr quint32 MuxNewSession = 0x10000002;
constexpr quint32 MuxOk = 0x80000001;
constexpr quint32 MuxPermissionDenied = 0x80000002;
constexpr quint32 MuxFailure = 0x80000003;
constexpr quint32 MuxExitMessage = 0x80000004;
constexpr quint32 MuxSessionOpened = 0x80000006;
constexpr quint32 MuxTtyAllocFail = 0x80000008;
constexpr quint32 RequestId = 1;
constexpr quint32 NoEscapeChar = 0xffffffff;
constexpr qsizetype MaxPacket = 256 * 1024; // the master's own limit

void putUint32(QByteArray& out, quint32 value)
{
    out.append(char(value >> 24)).append(char(value >> 16)).append(char(value >> 8)).append(char(value));
}

void putString(QByteArray& out, const QByteArray& text)
{
    putUint32(out, quint32(text.size()));
    out.append(text);
}

quint32 uint32At(const QByteArray& in, qsizetype at)
{
    const auto* p = reinterpret_cast<const unsigned char*>(in.constData() + at);
    return quint32(p[0]) << 24 | quint32(p[1]) << 16 | quint32(p[2]) << 8 | quint32(p[3]);
}

// One whole packet (its type and body, without the length) from the front of pending, if there.
std::optional<QByteArray> takePacket(QByteArray& pending, bool* malformed)
{
    if (pending.size() < 4)
        return std::nullopt;
    const quint32 length = uint32At(pending, 0);
    if (length < 4 || length > MaxPacket) {
        *malformed = true;
        return std::nullopt;
    }
    if (pending.size() < 4 + qsizetype(length))
        return std::nullopt;
    QByteArray packet = pending.mid(4, length);
    pending.remove(0, 4 + length);
    return packet;
}

Error failure(const QString& socketPath, const QString& why)
{
    return { Error::Kind::Io, u"ssh control master at %1: %2"_s.arg(socketPath, why) };
}

QString systemError()
{
    return QString::fromLocal8Bit(std::strerror(errno));
}

bool writeAll(int fd, const QByteArray& bytes)
{
    qsizetype done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::send(fd, bytes.constData() + done, size_t(bytes.size() - done), MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        done += n;
    }
    return true;
}

// One descriptor with one byte, as OpenSSH's mm_send_fd() sends it.
bool sendDescriptor(int socket, int fd)
{
    char byte = 0;
    iovec vector { &byte, 1 };
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
    msghdr message {};
    message.msg_iov = &vector;
    message.msg_iovlen = 1;
    message.msg_control = control;
    message.msg_controllen = sizeof(control);
    cmsghdr* header = CMSG_FIRSTHDR(&message);
    header->cmsg_level = SOL_SOCKET;
    header->cmsg_type = SCM_RIGHTS;
    header->cmsg_len = CMSG_LEN(sizeof(int));
    std::memcpy(CMSG_DATA(header), &fd, sizeof(int));
    for (;;) {
        const ssize_t n = ::sendmsg(socket, &message, MSG_NOSIGNAL);
        if (n == 1)
            return true;
        if (n < 0 && errno == EINTR)
            continue;
        return false;
    }
}

// Reads until pending holds a whole packet or the deadline passes; the packet, or why not.
Result<QByteArray> readPacket(int socket, QByteArray& pending, const QDeadlineTimer& deadline)
{
    for (;;) {
        bool malformed = false;
        if (auto packet = takePacket(pending, &malformed))
            return *packet;
        if (malformed)
            return Error { Error::Kind::Io, u"it sent a malformed packet"_s };
        pollfd wait { socket, POLLIN, 0 };
        const int ready = ::poll(&wait, 1, int(std::min<qint64>(deadline.remainingTime(), 1000)));
        if (ready < 0 && errno == EINTR)
            continue;
        if (ready < 0)
            return Error { Error::Kind::Io, systemError() };
        if (ready == 0) {
            if (deadline.hasExpired())
                return Error { Error::Kind::Io, u"no answer"_s };
            continue;
        }
        char buffer[4096];
        const ssize_t n = ::recv(socket, buffer, sizeof(buffer), 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return Error { Error::Kind::Io, n == 0 ? u"it closed the connection"_s : systemError() };
        pending.append(buffer, n);
    }
}

QString reasonIn(const QByteArray& packet)
{
    if (packet.size() < 12)
        return u"no reason given"_s;
    const quint32 length = uint32At(packet, 8);
    return QString::fromUtf8(packet.mid(12, std::min<qsizetype>(length, 1000)));
}

// The variables Debian's ssh_config sends (SendEnv LANG LC_*): the server takes those it accepts.
QList<QByteArray> sentEnvironment()
{
    QList<QByteArray> sent;
    const QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString& name : env.keys()) {
        if (name == u"LANG"_s || name.startsWith(u"LC_"_s))
            sent.append((name + u'=' + env.value(name)).toUtf8());
    }
    return sent;
}
} // namespace

SshMuxSession::SshMuxSession(SshMuxSession&& other) noexcept
    : m_socket(std::exchange(other.m_socket, -1))
    , m_sessionId(other.m_sessionId)
    , m_pending(std::move(other.m_pending))
    , m_exit(other.m_exit)
{
}

SshMuxSession& SshMuxSession::operator=(SshMuxSession&& other) noexcept
{
    if (this != &other) {
        close();
        m_socket = std::exchange(other.m_socket, -1);
        m_sessionId = other.m_sessionId;
        m_pending = std::move(other.m_pending);
        m_exit = other.m_exit;
    }
    return *this;
}

SshMuxSession::~SshMuxSession()
{
    close();
}

void SshMuxSession::close()
{
    if (m_socket >= 0)
        ::close(m_socket);
    m_socket = -1;
}

Result<SshMuxSession> SshMuxSession::open(
    const QString& socketPath, const QByteArray& command, int in, int out, int err, int timeoutMs)
{
    const QByteArray path = QFile::encodeName(socketPath);
    sockaddr_un address {};
    if (path.isEmpty() || size_t(path.size()) >= sizeof(address.sun_path))
        return failure(socketPath, u"the path does not fit a unix socket"_s);
    address.sun_family = AF_UNIX;
    std::memcpy(address.sun_path, path.constData(), size_t(path.size()));
    SshMuxSession session;
    session.m_socket = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (session.m_socket < 0)
        return failure(socketPath, systemError());
    if (::connect(session.m_socket, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0)
        return failure(socketPath, systemError()); // none yet (ENOENT), or a stale one (ECONNREFUSED)
    const QDeadlineTimer deadline(timeoutMs);

    QByteArray hello;
    putUint32(hello, 8);
    putUint32(hello, MuxHello);
    putUint32(hello, ProtocolVersion);
    if (!writeAll(session.m_socket, hello))
        return failure(socketPath, systemError());
    const auto theirs = readPacket(session.m_socket, session.m_pending, deadline);
    if (!theirs)
        return failure(socketPath, theirs.error().message);
    if (theirs->size() < 8 || uint32At(theirs.value(), 0) != MuxHello || uint32At(theirs.value(), 4) != ProtocolVersion)
        return failure(socketPath, u"it speaks another version of the control protocol"_s);

    QByteArray body;
    putUint32(body, MuxNewSession);
    putUint32(body, RequestId);
    putString(body, {}); // reserved
    for (int flag = 0; flag < 4; ++flag)
        putUint32(body, 0); // no tty, X11 or agent forwarding; not a subsystem (uint32 each, as OpenSSH reads them)
    putUint32(body, NoEscapeChar);
    putString(body, {}); // terminal type
    putString(body, command);
    for (const QByteArray& variable : sentEnvironment())
        putString(body, variable);
    QByteArray request;
    putUint32(request, quint32(body.size()));
    request += body;
    if (!writeAll(session.m_socket, request))
        return failure(socketPath, systemError());
    for (const int fd : { in, out, err }) {
        if (!sendDescriptor(session.m_socket, fd))
            return failure(socketPath, u"cannot hand it the command's stdio: "_s + systemError());
    }
    for (;;) {
        const auto reply = readPacket(session.m_socket, session.m_pending, deadline);
        if (!reply)
            return failure(socketPath, reply.error().message);
        if (reply->size() < 8)
            return failure(socketPath, u"it sent a malformed packet"_s);
        const quint32 type = uint32At(reply.value(), 0);
        if (type == MuxOk)
            continue; // the descriptors were taken
        if (type == MuxPermissionDenied || type == MuxFailure)
            return failure(socketPath, u"it refused the session: "_s + reasonIn(reply.value()));
        if (type != MuxSessionOpened || reply->size() < 12 || uint32At(reply.value(), 4) != RequestId)
            return failure(socketPath, u"unexpected answer %1"_s.arg(type, 0, 16));
        session.m_sessionId = uint32At(reply.value(), 8);
        ::fcntl(session.m_socket, F_SETFL, ::fcntl(session.m_socket, F_GETFL) | O_NONBLOCK);
        return session;
    }
}

bool SshMuxSession::readMaster()
{
    if (m_socket < 0)
        return false;
    for (;;) {
        char buffer[1024];
        const ssize_t n = ::recv(m_socket, buffer, sizeof(buffer), 0);
        if (n > 0) {
            m_pending.append(buffer, n);
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            break;
        close(); // closed (or failed): no more is coming
        break;
    }
    bool malformed = false;
    while (auto packet = takePacket(m_pending, &malformed)) {
        if (packet->size() >= 12 && uint32At(*packet, 0) == MuxExitMessage && uint32At(*packet, 4) == m_sessionId) {
            m_exit = int(uint32At(*packet, 8));
            close();
            return false;
        }
        // MUX_S_TTY_ALLOC_FAIL and anything newer: nothing to do here (no tty was asked for).
        Q_UNUSED(MuxTtyAllocFail);
    }
    if (malformed)
        close();
    return m_socket >= 0;
}
