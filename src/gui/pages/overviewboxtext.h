// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/fanoutdatabases.h"
#include "os/cachefiles.h"
#include "report/cachesummary.h"
#include "sqlite/database.h"

#include <QCoreApplication>
#include <QString>

// OverviewBoxText: the words of the Overview's Cache, Database and Files boxes — the tables
// with their formats and counts, the journal mode, the pages, the settings, the filesystem and
// a file's size — from the facts a CacheSummary or a Database gives; for a FanoutCache, of
// every shard and named sub-cache together (as the Cache box, Entries, the status bar and
// `info` take it: one cache). Pure functions (no widgets); any thread.
class OverviewBoxText {
    Q_DECLARE_TR_FUNCTIONS(OverviewBoxText)
public:
    // "WAL (converted from DELETE when opened) — opened read-only".
    static QString journalText(const Database& database);
    // "1,024 pages of 4 KiB (3 free, 12 KiB)".
    static QString pagesText(const Database::Facts& facts);
    // auto_vacuum, and a new connection's wal_autocheckpoint and journal_size_limit.
    static QString settingsText(const Database::Facts& facts);
    static QString filesystemText(const CacheFiles::Filesystem& filesystem);
    // A file's size: "4.0 KiB  (4,096 bytes)", or "absent" (bytes < 0).
    static QString sizeText(qint64 bytes);
    // A FanoutCache, for the Database and Files boxes' titles: "4 shards and 1 sub-cache".
    static QString fanoutParts(qsizetype shards, qsizetype subCaches);
    // A FanoutCache's journal modes: "WAL in every shard and sub-cache", else each mode with the
    // parts in it ("WAL in shards 000, 001, 003 · DELETE in shard 002"); the conversions on open and
    // read-only said as journalText says them, naming the parts when not all.
    static QString journalText(const FanoutDatabases& fanout);
    // The summary's pages; a FanoutCache's of every shard and sub-cache that could be read, added
    // up: "5,600 pages, 22 MiB, in its 5 databases (12 free, 48 KiB)".
    static QString pagesText(const CacheSummary& summary);
    // The summary's settings; a FanoutCache's in one line when each database has the same ("… —
    // the same in each of its 5 databases"), else a line for each with the databases it holds for
    // (names: every shard's, then every sub-cache's).
    static QString settingsText(const CacheSummary& summary, const QStringList& names);
    // A kind of file of several databases, summed: "5.5 MiB  (5,767,168 bytes) in 5 files", "in 2
    // of 5 databases" when not every one has it, "absent in all 5" when none does.
    static QString sizeText(qint64 bytes, int present, int databases);
    // The Cache box's rows: each table with its format and count (counts false: without), and
    // a FanoutCache's named sub-caches; shards: a FanoutCache's (0: one database).
    static QString cacheRows(const CacheSummary& summary, bool counts, qsizetype shards);
};
