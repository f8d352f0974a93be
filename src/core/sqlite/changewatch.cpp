// SPDX-License-Identifier: GPL-3.0-or-later
#include "sqlite/changewatch.h"

#include "sqlite/lateclose.h"

#include <QFile>
#include <QFileInfo>

#include <sys/inotify.h>
#include <unistd.h>

ChangeWatch::ChangeWatch(const QString& dbPath)
    : m_name(QFile::encodeName(QFileInfo(dbPath).fileName()))
{
    m_fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (m_fd < 0)
        return;
    const QByteArray dir = QFile::encodeName(QFileInfo(dbPath).absolutePath());
    const uint32_t mask = IN_MODIFY | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_CLOSE_WRITE;
    if (::inotify_add_watch(m_fd, dir.constData(), mask | IN_ONLYDIR) < 0) {
        ::close(m_fd);
        m_fd = -1;
    }
}

ChangeWatch::~ChangeWatch()
{
    // An inotify fd's close waits for the kernel (up to ~30 ms): never on the caller's thread, which releases a
    // cache on the GUI thread (#23.9).
    LateClose::close(m_fd);
}

bool ChangeWatch::changed()
{
    if (m_fd < 0 || m_changed)
        return m_changed;
    alignas(struct inotify_event) char buffer[8192];
    for (;;) {
        const ssize_t got = ::read(m_fd, buffer, sizeof buffer);
        if (got <= 0)
            break;
        for (ssize_t at = 0; at + ssize_t(sizeof(struct inotify_event)) <= got;) {
            const auto* event = reinterpret_cast<const struct inotify_event*>(buffer + at);
            at += ssize_t(sizeof(struct inotify_event)) + event->len;
            if (event->mask & IN_Q_OVERFLOW) {
                m_changed = true; // events were lost: assume the worst
                continue;
            }
            if (event->len == 0)
                continue;
            const QByteArray name(event->name);
            if (name == m_name || name == m_name + "-wal" || name == m_name + "-shm" || name == m_name + "-journal")
                m_changed = true;
        }
    }
    return m_changed;
}
