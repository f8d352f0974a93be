// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/error.h"
#include "sqlite/database.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <atomic>
#include <optional>

// CacheContents: what the cache's main table holds, in its format's terms (Profiles): how many
// entries, the bytes their values take (diskcache values kept in files counted by their size
// column), how many have expired and the bytes those hold, the ten biggest groups (by model,
// else by tag, else by the host of a requests-cache URL), how old the entries are (by the created column), and the ten
// largest entries. One pass over the table in rowid order, in chunks sized so each statement lasts ~10–50 ms (the read
// transaction ends between chunks: no WAL pinned, docs/WAL.md §4.3); cancellable between chunks. Read-only; nothing
// from the file executed (expiry inside a pickle is read by our own SQLITE_DIRECTONLY function, ExpirySql). Run it on a
// worker; an immutable value.
struct CacheContents {
    static constexpr int TopCount = 10;
    static constexpr int MaxChunkMs = 50;

    struct Group {
        QString name;
        qint64 entries = 0;
        qint64 bytes = 0;
    };
    struct Entry {
        qint64 rowid = 0;
        QString key; // the key as users of the format read it, cut to 120 characters
        // What names the entry to a reader when the key does not (a requests-cache key is a
        // hash: the URL; LangChain: the question asked): the view's first column decoded, cut
        // to 120 characters; the key itself when that column is the key.
        QString label;
        qint64 bytes = 0;
        int shard = -1; // ofShards: the index of the FanoutCache shard holding it
    };
    // Age buckets, youngest first: under 1 hour, 1 day, 1 week, 30 days, 1 year, older.
    static QStringList ageBucketNames();

    QString table;
    QString profile;
    qint64 entries = 0;
    qint64 bytes = -1; // -1: the format has no size or value column
    qint64 expiredEntries = -1; // -1: the format keeps no expiry
    qint64 expiredBytes = -1;
    QString groupedBy; // "model", "tag", "host" (requests-cache) or empty (no grouping column)
    QList<Group> topGroups; // at most TopCount, most entries first
    qint64 otherGroups = 0; // distinct groups beyond the top ones
    QList<qint64> ageBuckets; // entries per ageBucketNames(); empty without a created column
    QList<Entry> largest; // at most TopCount, largest first
    bool complete = true; // false when cancelled before the end
    qint64 chunks = 0;
    qint64 longestStatementMs = 0;

    // The contents of table (its format from Profiles); a table without rowid is counted only.
    static Result<CacheContents> gather(
        Database* database, const QString& table, const std::atomic_bool& cancel, qint64 nowSecs = -1);
    // A FanoutCache's whole contents from its shards' (the same table in each, in shard order):
    // counts, bytes and ages summed, groups merged (otherGroups: at most that many more), the
    // largest entries of all with their shard. Empty list: nullopt.
    static std::optional<CacheContents> ofShards(const QList<CacheContents>& shards);
    QJsonObject toJson() const;
    // Back from toJson() (a remote `info --json`'s "contents"); what is missing stays at its default.
    static CacheContents fromJson(const QJsonObject& json);
    QStringList toText() const;
};

// The main table's row count made the contents' own (complete: every row walked) in a report or summary that took
// both. Each is read in chunks, each chunk its own short read (never a long read transaction), one after the other:
// on a table writers append to, the two passes counted different rows and one box said "32,538 entries" above
// "Contents: 32,542 entries" under one "counted at" (#28, one truth). The contents' count is the later one.
template <typename Tables> void agreeWithContents(Tables& tables, const CacheContents& contents)
{
    if (!contents.complete)
        return;
    for (auto& table : tables) {
        if (table.name == contents.table && table.rows >= 0)
            table.rows = contents.entries;
    }
}
