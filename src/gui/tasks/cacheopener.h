// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/error.h"
#include "sqlite/database.h"
#include "tasks/latesttask.h"

#include <QFuture>
#include <QObject>

#include <functional>
#include <memory>
#include <vector>

// CacheOpener: opens a cache off the GUI thread. Database::open can take seconds — a read-only
// open of a cache whose -wal was left behind copies it (OpenPlan), a lock held by another
// process is waited for up to the busy timeout — and the window must keep drawing meanwhile.
// A diskcache folder opens its cache.db, a FanoutCache folder every shard and named sub-cache (the
// first shard as the window's database, the rest beside it, each read-only where the first is and
// otherwise with the same options; a note says so). One open at a time: a new open()
// or cancel() supersedes the one in flight, whose connection is closed when its open returns and never reaches the
// caller. The connection is handed over only once its open has returned (a Database may change threads while nobody
// uses it). The destructor waits for the current open; a superseded one still running touches nothing of ours and
// closes its own connection (the pool waits for it at exit). GUI thread.
class CacheOpener : public QObject {
    Q_OBJECT
public:
    struct Opened {
        std::unique_ptr<Database> database;
        QString path; // the database file opened (the first shard of a FanoutCache folder)
        // A FanoutCache folder opened whole: the folder (what Open Recent keeps and Delete removes
        // whole), else empty.
        QString folder;
        // A FanoutCache folder: every shard's label ("000", …) and the shards after the first.
        QStringList shardLabels;
        std::vector<std::unique_ptr<Database>> moreShards;
        // Its named sub-caches that opened ("index/sessions", …; one that did not is named in the note).
        struct SubCache {
            QString name;
            std::unique_ptr<Database> database;
        };
        std::vector<SubCache> subCaches;
        QString note; // what the user should know about the choice of file, or empty
        // Why a read-write open was made read-only instead, or empty: a cache on a network
        // filesystem (WAL's shared memory is unsafe there) or in a folder (or file) this user cannot
        // write is never converted to WAL nor changed.
        QString readOnlyBecause;
    };
    using Done = std::function<void(Result<Opened>)>;

    explicit CacheOpener(QObject* parent = nullptr);
    ~CacheOpener() override;
    CacheOpener(const CacheOpener&) = delete;
    CacheOpener& operator=(const CacheOpener&) = delete;

    // Starts opening `given`; `done` runs on the GUI thread unless this open is superseded.
    void open(const QString& given, const Database::Options& options, Done done);
    void cancel();
    bool isOpening() const { return m_opening; }

private:
    LatestTask m_task;
    bool m_opening = false;
    QFuture<void> m_inFlight;
};
