// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "sqlite/database.h"

#include <QList>
#include <QVariantList>

// TableReader: reads one table of a Database in batches, by rowid (keyset: no OFFSET scan),
// one short finalized statement per batch. Tables without a rowid fall back to LIMIT/OFFSET.
// The entries issue (EntryPager) grows this into full keyset paging. Same thread as its Database.
class TableReader {
public:
    struct Batch {
        QStringList columns;
        QList<QVariantList> rows;
        bool atEnd = false;
    };

    TableReader(Database* database, const QString& table);
    Result<Batch> next(int limit);
    QString table() const { return m_table; }

private:
    Database* m_database;
    QString m_table;
    bool m_hasRowid = true;
    qint64 m_lastRowid = 0;
    qint64 m_offset = 0;
    bool m_started = false;
};
