// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/entrytablemodel.h"

#include "models/entrypagecache.h"

int EntryTableModel::findKey(const QVariantList& key, int nearRow) const
{
    const int last = std::min(rowCount(), nearRow + EntryPageCache::PageRows + 1);
    for (int row = std::max(0, nearRow - EntryPageCache::PageRows); row < last; ++row) {
        const auto entry = rowAt(row);
        if (entry && entry->key == key)
            return row;
    }
    return -1;
}
