// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/error.h"
#include "os/cachefiles.h"
#include "report/cachecontents.h"
#include "sqlite/database.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <atomic>

// CacheSummary: what the Overview says about a cache at a glance — the database facts
// (pages, free pages, settings), the file system, and every table with its cache format and
// its exact number of entries. Gathered through its own short-lived read-only connection with
// a short busy timeout, so a process holding the database exclusively makes it fail fast
// ("busy") instead of waiting. Entries are counted in chunks of ChunkRows rowids, one short
// statement each, so no read transaction lasts long enough to pin the WAL (docs/WAL.md §4.3),
// and the count can be cancelled between chunks. Run it on a worker thread; an immutable
// value.
struct CacheSummary {
    static constexpr int ChunkRows = 50000;
    static constexpr int BusyTimeoutMs = 100;

    struct Table {
        QString name;
        QString profile;
        qint64 rows = -1; // -1: not counted (WITHOUT ROWID table, or cancelled)
    };

    // A FanoutCache's named sub-cache ("index/sessions"; gatherSubCaches): its main table's
    // format and entries, or why it could not be read.
    struct SubCache {
        QString name;
        QString profile;
        qint64 entries = -1; // -1: not counted
        QString error;
        Database::Facts facts; // its database's, when it could be read
    };

    Database::Facts facts;
    CacheFiles::Filesystem filesystem;
    QList<Table> tables;
    QString mainTable; // the cache format's main table (Profiles::mainTable), empty: none or not known
    QList<SubCache> subCaches; // a FanoutCache's, when gathered
    // A FanoutCache's (gatherShards): each shard's facts, in shard order (facts: the first shard's).
    QList<Database::Facts> shardFacts;
    // What the main table holds (CacheContents); only when asked for (a full pass in chunks).
    std::optional<CacheContents> contents;
    qint64 longestStatementMs = 0; // the longest single read, for tests and curiosity
    // A FanoutCache's databases, from a report (fromReportJson) only: each shard's, then each sub-cache's, with the
    // words every page names them by ("shard 000", "sub-cache index/sessions") and its path where it lives.
    struct Part {
        QString label;
        QString path;
    };
    QList<Part> parts;
    // From a report (fromReportJson) only: each kind of file's bytes there (CacheFiles::Kind order), a FanoutCache's
    // shards and sub-caches added up; -1 where no such file exists. gather() leaves them -1 (the page stats them).
    qint64 reportFileBytes[CacheFiles::KindCount] = { -1, -1, -1, -1 };

    static Result<CacheSummary> gather(const QString& path, const std::atomic_bool& cancel, bool withContents = false);
    // The same from `info --json` (CacheReport::toJson(), e.g. run where a remote cache lives), a FanoutCache's
    // folder's too (its shards folded as gatherShards folds them, its sub-caches read); Invalid when json is not such
    // a report.
    static Result<CacheSummary> fromReportJson(const QJsonObject& json);
    // A FanoutCache's shards (paths and labels in shard order) as one cache: the first shard's
    // facts (every shard's in shardFacts), each table's entries summed over the shards, the contents of them all
    // (CacheContents::ofShards). A shard that cannot be read fails it, naming the shard.
    static Result<CacheSummary> gatherShards(
        const QStringList& paths, const QStringList& labels, const std::atomic_bool& cancel, bool withContents = false);
    // Shards' summaries (in shard order) folded into one, as gatherShards describes; NotFound when there are none.
    static Result<CacheSummary> ofShards(QList<CacheSummary> parts);
    // The sub-caches at paths (their names in the same order), each gathered as one database
    // (counts only): one that cannot be read says why and the others are still counted.
    static QList<SubCache> gatherSubCaches(
        const QStringList& paths, const QStringList& names, const std::atomic_bool& cancel);
    // Exact row count of a rowid table in short chunks; -1 for WITHOUT ROWID tables.
    static Result<qint64> countRows(
        Database* database, const QString& table, const std::atomic_bool& cancel, qint64* longestMs = nullptr);

private:
    static Result<CacheSummary> fromFanoutReportJson(const QJsonObject& json);
};
