// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/entrycolumnfit.h"

#include "models/entrycells.h"

#include <QHeaderView>
#include <QTableView>

#include <algorithm>

namespace {
// Whether every non-empty value of column in the rows the header measures is a hash.
bool holdsHashes(const QAbstractItemModel* model, int column, int rows)
{
    bool any = false;
    for (int row = 0; row < std::min(rows, model->rowCount()); ++row) {
        const QString text = model->index(row, column).data(Qt::DisplayRole).toString();
        if (text.isEmpty() || text == u"…")
            continue;
        if (!EntryCells::looksLikeHash(text))
            return false;
        any = true;
    }
    return any;
}
} // namespace

void EntryColumnFit::fit(QTableView* view)
{
    QHeaderView* header = view->horizontalHeader();
    const QAbstractItemModel* model = view->model();
    const int columns = std::min(model->columnCount(), MaxColumns);
    const int rows = std::max(header->resizeContentsPrecision(), 1);
    QList<int> wanted(columns);
    for (int column = 0; column < columns; ++column) {
        view->resizeColumnToContents(column);
        wanted[column] = header->sectionSize(column);
        const int width = holdsHashes(model, column, rows) ? std::min(wanted[column], HashWidth)
                                                           : std::clamp(wanted[column], MinWidth, MaxWidth);
        wanted[column] = std::max(wanted[column], width);
        header->resizeSection(column, width);
    }
    // A column cut at MaxWidth (a prompt, a URL) grows, left to right, up to what it needs while the columns up to it
    // fit in the view: the ones after it, cut anyway, move right.
    int before = 0;
    for (int column = 0; column < columns; ++column) {
        const int width = header->sectionSize(column);
        const int room = view->viewport()->width() - before - width;
        if (width >= MaxWidth && wanted[column] > width && room > 0)
            header->resizeSection(column, width + std::min(wanted[column] - width, room));
        before += header->sectionSize(column);
    }
}
