// SPDX-License-Identifier: GPL-3.0-or-later
#include "entries/entryview.h"

QStringList EntryView::columnNames() const
{
    QStringList names;
    for (const EntryColumn& column : columns)
        names << column.name;
    return names;
}

int EntryView::columnIndex(EntryColumn::Role role) const
{
    for (int i = 0; i < columns.size(); ++i) {
        if (columns[i].role == role)
            return i;
    }
    return -1;
}
