// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/entrytablemodel.h"

#include "models/entrypagecache.h"

#include <algorithm>

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

void EntryTableModel::showWindow(int window)
{
    const qint64 start = qint64(window) * m_windowRows;
    if (window < 0 || start == m_windowStart || (start >= totalCount() && start > 0))
        return;
    beginResetModel();
    m_windowStart = start; // EntryModel's page cache is by table position: pages read stay valid
    endResetModel();
}

void EntryTableModel::setWindowRows(int rows)
{
    beginResetModel();
    m_windowRows = std::max(PageRows, rows / PageRows * PageRows);
    m_windowStart = 0;
    endResetModel();
}

int EntryTableModel::visibleRows(qint64 count) const
{
    return int(std::clamp<qint64>(count - m_windowStart, 0, m_windowRows));
}

QVariant EntryTableModel::rowNumber(int section, int role) const
{
    return role == Qt::DisplayRole ? QVariant(m_windowStart + section + 1) : QVariant();
}
