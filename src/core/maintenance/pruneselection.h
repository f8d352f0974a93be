// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "entries/entrypager.h"

#include <QList>
#include <QMap>
#include <QString>

#include <optional>

// PruneSelection: which entries a prune removes, as the user said it. Every selector given
// must hold (AND): the filter of the Entries page (free text as `entries --search` matches it,
// per-column substrings, expired only), created more than olderThanSecs ago, in one group (the
// model, diskcache tag or requests-cache host the Overview groups by), explicit rows (the
// Entries page's selection), and then — among what those leave — the entries beyond a byte
// budget, first in the order the library evicts (diskcache's eviction_policy, else oldest
// first). A plain value; any thread.
struct PruneSelection {
    QString table; // empty: the format's main table
    EntryFilter filter; // text (--match), columns, expiry (--expired)
    QMap<QString, QString> columnsByName; // --column NAME=TEXT: substrings of view columns by name
    qint64 olderThanSecs = -1; // -1: any age
    QString group; // null: any group
    qint64 maxBytes = -1; // -1: no budget
    std::optional<QList<qint64>> rowids; // set: only these rows (by rowid)
    // A FanoutCache: only these rows of each shard ("000" → rowids; every shard numbers its own
    // rows). Shards not named lose nothing.
    std::optional<QMap<QString, QList<qint64>>> rowidsByShard;
    // The database the Entries page showed them in when it is not the cache open (a FanoutCache's
    // named sub-cache, index/NAME/cache.db); empty: the cache open. Where the GUI prunes.
    QString database;

    // True when nothing selects: a prune of everything is refused (use delete or vacuum).
    bool isEmpty() const;
    // "expired, older than 30 d, matching "foo"" — for progress text and errors.
    QString describe() const;

    // The selectors as `cachescope-cli prune` options (--table=T, --expired, --match=TEXT, …, each
    // value after '=' so one starting with '-' stays a value), for a prune run by the CLI (a
    // remote cache); nullopt for what no option says (rows by rowid, columns by index, live only).
    std::optional<QStringList> toArguments() const;

    // "30d", "12h", "90m", "45s", "2w", "1.5d" or plain seconds; nullopt when not a duration.
    static std::optional<qint64> parseDuration(const QString& text);
    // A duration in words, in its largest whole unit: 2592000 -> "30 days", 1209600 -> "2 weeks",
    // 90 -> "90 seconds" (what "30d", "2w", "90s" mean, said beside them and in describe()).
    static QString durationWords(qint64 seconds);
    // "500M", "1G", "1.5GiB", "64k", "1024" (bytes; K/M/G/T are powers of 1024); nullopt when not a size.
    static std::optional<qint64> parseSize(const QString& text);
};
