// SPDX-License-Identifier: GPL-3.0-or-later
#include "os/folderevents.h"

#include <QFile>

#include <cerrno>
#include <cstring>
#include <sys/inotify.h>
#include <unistd.h>

using namespace Qt::Literals::StringLiterals;

namespace {
uint32_t mask(bool modify)
{
    return IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR
        | (modify ? IN_MODIFY : 0);
}
} // namespace

FolderEvents::~FolderEvents()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

Status FolderEvents::watch(const QString& folder)
{
    m_fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (m_fd < 0)
        return Error { Error::Kind::Io, u"inotify_init1: %1"_s.arg(QString::fromLocal8Bit(std::strerror(errno))) };
    m_folder = QFile::encodeName(folder);
    m_wd = ::inotify_add_watch(m_fd, m_folder.constData(), mask(true));
    if (m_wd < 0) {
        const int code = errno;
        return Error { code == EACCES ? Error::Kind::PermissionDenied : Error::Kind::Io,
            u"cannot watch %1 for changes (inotify): %2"_s.arg(folder, QString::fromLocal8Bit(std::strerror(code))) };
    }
    return {};
}

bool FolderEvents::setModifyEvents(bool on)
{
    // Adding a watch for a path already watched replaces its mask (the same watch). Another watch
    // means the path names another folder now (ours was renamed): that one is not ours to follow.
    if (m_fd < 0)
        return false;
    const int wd = ::inotify_add_watch(m_fd, m_folder.constData(), mask(on));
    if (wd >= 0 && wd != m_wd)
        ::inotify_rm_watch(m_fd, wd);
    return wd == m_wd;
}

QList<FolderEvents::Event> FolderEvents::drain()
{
    QList<Event> events;
    alignas(inotify_event) char buffer[16384];
    for (;;) {
        const ssize_t n = ::read(m_fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return events; // EAGAIN: drained
        for (ssize_t at = 0; at + ssize_t(sizeof(inotify_event)) <= n;) {
            const auto* raw = reinterpret_cast<const inotify_event*>(buffer + at);
            Event event;
            if (raw->mask & IN_Q_OVERFLOW)
                event.type = Event::Type::Overflow;
            else if (raw->mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED))
                event.type = Event::Type::FolderGone;
            else if (raw->mask & (IN_CREATE | IN_MOVED_TO))
                event.type = Event::Type::Created;
            else if (raw->mask & (IN_DELETE | IN_MOVED_FROM))
                event.type = Event::Type::Deleted;
            if (raw->len > 0)
                event.name = QByteArray(raw->name, int(::strnlen(raw->name, raw->len)));
            events.append(event);
            at += ssize_t(sizeof(inotify_event)) + ssize_t(raw->len);
        }
    }
}
