// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/error.h"

#include <QList>

// WriteEvents: fanotify FAN_MODIFY on the files of one folder (one mark, FAN_EVENT_ON_CHILD):
// every write() to a file there reports the pid that wrote and an O_RDONLY fd on the file written
// — the very file, even when it has been unlinked since (docs/WAL.md §10).
// It needs CAP_SYS_ADMIN (root); watch() says why not otherwise. Writes through mmap (the -shm)
// raise no event. Events of one pid on one file that are not read yet arrive as one.
// Not thread-safe; one thread.
class WriteEvents {
public:
    struct Event {
        qint64 pid = 0;
        int fd = -1; // owned by the caller, who must close it
    };

    WriteEvents() = default;
    ~WriteEvents();
    WriteEvents(const WriteEvents&) = delete;
    WriteEvents& operator=(const WriteEvents&) = delete;

    Status watch(const QString& folder);
    int fd() const { return m_fd; }
    // Reads every queued event; *overflow set when the kernel dropped some (queue full).
    QList<Event> drain(bool* overflow);
    // Whether writes are reported (on after watch()): off removes the mark, so writes queue no
    // event (and cost the writers nothing); on adds it again. false when that failed.
    bool setListening(bool on);

private:
    int m_fd = -1;
    int m_folderFd = -1; // the folder marked (a directory: no lock anyone holds is on it)
};
