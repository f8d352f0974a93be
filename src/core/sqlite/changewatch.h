// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

// ChangeWatch: whether any process wrote, created, removed or renamed a database file or one
// of its sidecars (-wal, -shm, -journal) since the watch began (inotify on its directory).
// A snapshot read (immutable, or a private copy) of a cache nobody held when it
// was planned races a writer that opens the cache a moment later and checkpoints into the db
// file: the read may be torn and SQLite then calls the file malformed. Timestamps miss such a
// write when it falls in the same clock tick as the one before; inotify does not. Takes no
// lock and opens no fd on the cache files. available() is false where inotify cannot watch
// the directory (then callers rely on sizes and timestamps alone). One thread at a time.
class ChangeWatch {
public:
    explicit ChangeWatch(const QString& dbPath);
    ~ChangeWatch();
    ChangeWatch(const ChangeWatch&) = delete;
    ChangeWatch& operator=(const ChangeWatch&) = delete;

    bool available() const { return m_fd >= 0; }
    // True once any of the files changed since construction (stays true).
    bool changed();

private:
    int m_fd = -1;
    QByteArray m_name;
    bool m_changed = false;
};
