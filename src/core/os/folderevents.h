// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/error.h"

#include <QByteArray>
#include <QList>

// FolderEvents: inotify on one folder — files created, modified, deleted or renamed in it, by
// name, in the order they happened (docs/WAL.md §8: the -wal and the db raise an event per
// write; the -shm is written through mmap and raises none). The fd is non-blocking: poll() it,
// then drain(). Consecutive identical events may arrive as one; a full queue says Overflow.
// Not thread-safe; one thread.
class FolderEvents {
public:
    struct Event {
        enum class Type { Created, Modified, Deleted, Overflow, FolderGone };
        Type type = Type::Modified;
        QByteArray name; // file name within the folder (empty for Overflow, FolderGone)
    };

    FolderEvents() = default;
    ~FolderEvents();
    FolderEvents(const FolderEvents&) = delete;
    FolderEvents& operator=(const FolderEvents&) = delete;

    Status watch(const QString& folder);
    int fd() const { return m_fd; }
    QList<Event> drain();
    // Whether writes raise Modified events (on after watch()). Off, only files created, deleted
    // or renamed are reported: the writers' write() calls no longer queue an event each (the
    // kernel's cost is theirs, docs/BENCHMARKS.md). false when the folder can no longer be
    // watched (gone: FolderGone follows).
    bool setModifyEvents(bool on);

private:
    int m_fd = -1;
    int m_wd = -1;
    QByteArray m_folder;
};
