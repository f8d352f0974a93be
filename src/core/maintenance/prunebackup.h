// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/error.h"

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QVariant>

// PruneBackup: the file a prune writes every entry it removes to, as JSON Lines (one object
// per entry: table, rowid, key decoded, value raw, the row's columns raw; BLOBs as
// {"base64": …}). It is a new file (never an existing one, never through a symbolic link,
// created 0600), and each batch's lines are written and synced to disk before that batch is
// deleted (sync()). Not a cache file: opening and closing it drops no SQLite lock. Move-only;
// used by one thread.
class PruneBackup {
public:
    // Refuses a path that exists in any form, whose folder is missing or not writable, with the reason.
    static Status check(const QString& path);
    static Result<PruneBackup> create(const QString& path);
    PruneBackup(PruneBackup&& other) noexcept;
    PruneBackup& operator=(PruneBackup&& other) = delete;
    PruneBackup(const PruneBackup&) = delete;
    ~PruneBackup();

    QString path() const { return m_path; }
    qint64 lines() const { return m_lines; }
    // Buffers one line; written by sync().
    void add(const QJsonObject& entry);
    // Writes the buffered lines and waits until they are on disk (fdatasync).
    Status sync();

    // An SQL value as JSON: numbers and text as they are, NULL as null, BLOBs as {"base64": …}.
    static QJsonValue rawJson(const QVariant& value);

private:
    PruneBackup(int fd, QString path);
    int m_fd = -1;
    QString m_path;
    QByteArray m_pending;
    qint64 m_lines = 0;
};
