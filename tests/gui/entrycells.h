// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/entrymodel.h"

#include <QSignalSpy>
#include <QTest>

// Rows are read off the GUI thread (EntryReader): a cell first shows "…", and its value
// arrives with dataChanged. cell() asks, waits (up to 10 s) until the row is read, and returns
// the role asked for; a row never read returns what the model shows for it ("…").
inline QVariant cell(const QAbstractItemModel* model, int row, int column, int role = Qt::DisplayRole)
{
    const QModelIndex index = model->index(row, column);
    (void)QTest::qWaitFor([&] { return model->data(index, EntryModel::KeyRole).isValid(); }, 10000);
    return model->data(index, role);
}

// The detail pane is filled off the GUI thread too: waits (10 s unless told) until it shows an
// entry, or why it could not be read, instead of "Reading entry N…" (timeoutMs for huge cells).
template <typename Page> QString shownDetail(Page* page, int timeoutMs = 10000)
{
    (void)QTest::qWaitFor([&] { return !page->detailText().startsWith(QStringLiteral("Reading entry")); }, timeoutMs);
    return page->detailText();
}

// "Copy entry as JSON" reads and renders on the entry reader: starts it and waits (up to 30 s)
// for the text it put on the clipboard (empty when the entry could not be read).
template <typename Page> QString copiedEntry(Page* page)
{
    QSignalSpy copied(page, &Page::entryCopied);
    page->copyEntry();
    if (!copied.wait(30000))
        return QString();
    return copied.first().first().toString();
}
