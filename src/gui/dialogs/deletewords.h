// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "maintenance/safedelete.h"

#include <QList>
#include <QString>

// DeleteWords: what the Delete dialog says about a safe delete's files, in words: where they go
// (the totals line below the list and the label above it), the order it lists them in, and what
// each process that blocks it has open and does. Pure functions of the plan; GUI thread
// (translated words).
struct DeleteWords {
    // Words as a label shows them: a hyphen that begins a word ("-wal") cannot break (U+2011).
    static QString unbrokenSuffixes(QString text);
    // Where every listed file goes, with its size: "Will move the database (1.2 MiB) and 93 value files (7.7 MiB) to
    // the trash: 8.9 MiB in all." or "Will delete … for good"; the -wal and -shm SQLite removes itself said apart.
    static QString totalsInWords(const QList<SafeDelete::KindTotal>& totals, bool trash, bool foldedOnClose);
    // What happens to the listed files, said above them as the totals line says it below.
    static QString filesLabelInWords(const QList<SafeDelete::KindTotal>& totals, bool trash, bool foldedOnClose);
    // The database first, then its -wal, -shm and -journal; a FanoutCache's databases one after another. No value file.
    static QList<SafeDelete::File> inListOrder(QList<SafeDelete::File> files);

    // What its locks say it does with the cache, in words: "writing", "reading", "checkpointing" (each once, in that
    // order), else "connected, idle" (a connection that holds only its connection's locks), else "files open, no
    // lock".
    static QString holderDoing(const CacheHolders::Process& holder);
    // The locks by SQLite's names for the tooltip: "SQLite's locks: dms, db_shared"; "" without locks.
    static QString holderLocksTip(const CacheHolders::Process& holder);
};
