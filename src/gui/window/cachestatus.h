// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "maintenance/cachefolder.h"
#include "models/activitysample.h"
#include "sqlite/database.h"

#include <QElapsedTimer>
#include <QLabel>
#include <QTimer>

#include <optional>

// CacheStatus: the status bar's permanent line about the open cache, so its state is always in
// sight: how it is open (read-write or read-only; live, or a snapshot of a cache nobody else had
// open), where (remote: a network filesystem), its journal mode and the size of the database
// and -wal — "Read-only · live · WAL · 1.2 MiB + -wal 4.0 MiB". The sizes are those of the Activity
// tab's latest sample of the database (applySample), so the status bar, the Activity tab and the
// Overview show the same -wal size at the same moment; when no sample came lately they are stat()ed
// every RefreshMs (no fd is opened on the cache files). A FanoutCache is named as one, its sizes summed over every
// shard and named sub-cache: "Read-write · live · WAL · FanoutCache: 4 shards, 2 sub-caches · 1.2 MiB + -wal 4.0 MiB".
// title() is the same in short, for the window title. GUI thread.
class CacheStatus : public QLabel {
    Q_OBJECT
public:
    static constexpr int RefreshMs = 2000;

    explicit CacheStatus(QWidget* parent = nullptr);

    // The cache shown, or nullptr; the Database must outlive the next setDatabase().
    // wholeCache: a FanoutCache folder the database is the first shard of, else empty.
    void setDatabase(const Database* database, const QString& wholeCache = {});
    // A sample of the database at path (Activity's watch): its sizes are shown when it is the
    // cache's one database (a FanoutCache's line sums every part's files, which no one sample has).
    void applySample(const QString& path, const ActivitySample& sample);
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
    std::optional<ActivitySample> m_sample; // the latest of this database, while m_sampleAge is recent
    QElapsedTimer m_sampleAge;
};
