// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "live/healthwarning.h"
#include "live/snapshot.h"
#include "maintenance/valuefiles.h"
#include "os/cachefiles.h"
#include "report/cachecontents.h"
#include "sqlite/database.h"

#include <QJsonObject>
#include <QList>

// CacheReport: what `cachescope-cli info` says about one cache, gathered once through a
// read-only connection (no file changed, no sidecar left behind) plus stat() of the sidecars.
// Then one Snapshot (Sampler) of the live activity, leaving this process out of the holders.
// An immutable value; build it on any thread.
struct CacheReport {
    struct Table {
        QString name;
        qint64 rows = -1;
        QString profile; // "generic" until a cache format is recognized
        QString internal; // what a search index or its shadow table is (InternalTables); else empty
    };

    QString path;
    Database::Facts facts;
    CacheFiles::FileInfo files[CacheFiles::KindCount];
    CacheFiles::Filesystem filesystem;
    QList<Table> tables;
    HealthWarnings warnings;
    // Live activity (WAL content, locks, writer, processes) sampled after the connection closed;
    // absent when this process holds its own connection to the file (probing would risk its locks).
    std::optional<Snapshot> activity;
    // What the main table holds, in its format's terms (CacheContents); absent without tables.
    std::optional<CacheContents> contents;
    // A diskcache's value files (referenced, missing, orphans); absent for other formats.
    std::optional<ValueFiles> values;
    QString layout = QStringLiteral("file"); // "diskcache" when given its folder

    // db + -wal + -shm + -journal + value files
    qint64 totalBytes() const;

    // path: a database file or a diskcache folder (its cache.db).
    static Result<CacheReport> collect(const QString& path, int busyTimeoutMs = 30000);
    QJsonObject toJson() const;
    QString toText() const;

private:
    void sampleActivity();
    QJsonObject activityJson() const;
    void appendActivityText(QStringList& lines) const;
};
