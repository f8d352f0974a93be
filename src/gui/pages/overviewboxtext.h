// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "os/cachefiles.h"
#include "report/cachesummary.h"
#include "sqlite/database.h"

#include <QCoreApplication>
#include <QString>

// OverviewBoxText: the words of the Overview's Cache, Database and Files boxes — the tables
// with their formats and counts, the journal mode, the pages, the settings, the filesystem and
// a file's size — from the facts a CacheSummary or a Database gives. Pure functions (no
// widgets); any thread.
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
    // The Cache box's rows: each table with its format and count (counts false: without), and
    // a FanoutCache's named sub-caches; shards: a FanoutCache's (0: one database).
    static QString cacheRows(const CacheSummary& summary, bool counts, qsizetype shards);
};
