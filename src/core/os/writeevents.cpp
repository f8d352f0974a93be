// SPDX-License-Identifier: GPL-3.0-or-later
#include "os/writeevents.h"

#include <QFile>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/fanotify.h>
#include <unistd.h>

using namespace Qt::Literals::StringLiterals;

WriteEvents::~WriteEvents()
{
    if (m_fd >= 0)
        ::close(m_fd);
    if (m_folderFd >= 0)
        ::close(m_folderFd);
}

Status WriteEvents::watch(const QString& folder)
{
    m_fd = ::fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK, O_RDONLY | O_CLOEXEC | O_LARGEFILE);
    if (m_fd < 0) {
        const int code = errno;
        return Error { code == EPERM ? Error::Kind::PermissionDenied : Error::Kind::Io,
            code == EPERM ? u"fanotify needs root or CAP_SYS_ADMIN"_s
                          : u"fanotify_init: %1"_s.arg(QString::fromLocal8Bit(std::strerror(code))) };
    }
    m_folderFd = ::open(QFile::encodeName(folder).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (m_folderFd < 0 || !setListening(true)) {
        const int code = errno;
        ::close(m_fd);
        m_fd = -1;
        if (m_folderFd >= 0)
            ::close(m_folderFd);
        m_folderFd = -1;
        return Error { Error::Kind::Io,
            u"fanotify_mark on %1: %2"_s.arg(folder, QString::fromLocal8Bit(std::strerror(code))) };
    }
    return {};
}

bool WriteEvents::setListening(bool on)
{
    return m_fd >= 0
        && ::fanotify_mark(
               m_fd, on ? FAN_MARK_ADD : FAN_MARK_REMOVE, FAN_MODIFY | FAN_EVENT_ON_CHILD, m_folderFd, nullptr)
        == 0;
}

QList<WriteEvents::Event> WriteEvents::drain(bool* overflow)
{
    QList<Event> events;
    alignas(fanotify_event_metadata) char buffer[8192];
    for (;;) {
        const ssize_t n = ::read(m_fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return events;
        ssize_t left = n;
        for (auto* m = reinterpret_cast<fanotify_event_metadata*>(buffer); FAN_EVENT_OK(m, left);
             m = FAN_EVENT_NEXT(m, left)) {
            if (m->vers != FANOTIFY_METADATA_VERSION)
                continue;
            if (m->mask & FAN_Q_OVERFLOW) {
                if (overflow)
                    *overflow = true;
            }
            if (m->fd >= 0)
                events.append({ qint64(m->pid), m->fd });
        }
    }
}
