// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QJsonValue>
#include <QList>
#include <QVariantList>

// EntryRow: one entry as shown in a page: its paging key (rowid or PRIMARY KEY values) and,
// for every EntryView column, the value (text/BLOB cut to the column's preview) and its full
// length (characters for text, bytes for BLOBs).
struct EntryRow {
    QVariantList key;
    QVariantList values;
    QList<qint64> lengths;
    QVariantList raw; // the SQL value of decoded columns (invalid for the others): for tooltips
    QList<int> cutColumns; // decoded values cut at a limit (Pickle::cutMarker says where); usually empty
    QHash<int, QString> repr; // decoded pickles as Python's repr() writes them, by column (the JSON sorts dict keys)
    // Decoded pickles of a whole entry (EntryPager::decodedEntry) as a tree view shows them, by
    // column: stored order and Python's words (PickleTree, Pickle::decode).
    QHash<int, QJsonValue> trees;

    // A JSON scalar for column i: BLOBs as {"blob_bytes", "preview"}, cut text ending in "…".
    QJsonValue json(int column) const;
    // The value shown is not all of it: text/BLOB cut to a preview, or a decoded value cut.
    bool isTruncated(int column) const;
};
