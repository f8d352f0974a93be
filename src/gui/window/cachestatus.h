// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "maintenance/cachefolder.h"
#include "sqlite/database.h"

#include <QLabel>
#include <QTimer>

#include <optional>

// CacheStatus: the status bar's permanent line about the open cache, so its state is always in
// sight: how it is open (read-write or read-only; live, or a snapshot of a cache nobody else had
// open), where (remote: a network filesystem), its journal mode and the size of the database
// and -wal — "Read-only · live · WAL · 1.2 MiB + -wal 4.0 MiB". Sizes are stat()ed every RefreshMs (no fd
// is opened on the cache files). A FanoutCache is named as one, its sizes summed over every shard
// and named sub-cache: "Read-write · live · WAL · FanoutCache: 4 shards, 2 sub-caches · 1.2 MiB + -wal
// 4.0 MiB". title() is the same in short, for the window title. GUI thread.
class CacheStatus : public QLabel {
    Q_OBJECT
public:
    static constexpr int RefreshMs = 2000;

    explicit CacheStatus(QWidget* parent = nullptr);

    // The cache shown, or nullptr; the Database must outlive the next setDatabase().
    // wholeCache: a FanoutCache folder the database is the first shard of, else empty.
    void setDatabase(const Database* database, const QString& wholeCache = {});
    // "/path/cache.db — read-only, WAL — CacheScope"; "CacheScope" with no cache.
    QString title() const;

private:
    void update();
    bool isSnapshot() const; // read as it was at open (immutable or a private copy), not live

    const Database* m_database = nullptr;
    std::optional<CacheFolder> m_fanout; // the FanoutCache shown, its parts found at setDatabase()
    bool m_remote = false;
    QString m_filesystem;
    QTimer m_refresh;
};
