// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "entrycells.h"
#include "openedwindow.h"
#include "pages/entriespage.h"

#include <QTableView>

// Opens file in window (read-only, unless it is already the open cache), shows the Entries page
// (and `table`, when given), selects the first row whose `column` shows `text` and waits for its
// detail: the detail's text, or what went wrong ("not opened", "no column …", "no row shows …").
inline QString detailOf(MainWindow& window, const QString& file, const QString& column, const QString& text,
    const QString& table = QString())
{
    if (!window.database() || window.database()->path() != file) {
        if (!openAndWait(window, file, Database::Mode::ReadOnly, MainWindow::Remember::No))
            return QStringLiteral("not opened");
    }
    window.pages()->setCurrentWidget(window.entriesPage());
    EntriesPage* page = window.entriesPage();
    if (!table.isEmpty())
        page->selectTable(table);
    EntryModel* model = page->entryModel();
    const int c = int(model->view().columnNames().indexOf(column));
    if (c < 0)
        return QStringLiteral("no column ") + column;
    for (int row = 0; row < model->rowCount(); ++row) {
        if (cell(model, row, c).toString() == text) {
            page->findChild<QTableView*>(QStringLiteral("rowsView"))->selectRow(row);
            return shownDetail(page);
        }
    }
    return QStringLiteral("no row shows ") + text;
}
