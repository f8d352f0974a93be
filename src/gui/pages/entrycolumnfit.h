// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QObject>
#include <QPointer>

class QAbstractItemModel;
class QTableView;

// EntryColumnFit: the Entries table's columns sized to their first rows and to the view, once per table (and the SQL
// page's, once per result). Each column as wide as its header and the rows read need, between MinWidth and MaxWidth;
// a column of hashes (EntryCells::looksLikeHash: a requests-cache key, an LLM cache's prompt hash) only HashWidth
// wide, elided, its tooltip the whole hash. Then the columns are fitted to the view's width: when they need more, the
// widest give way first (down to ShrinkFloor) so that more columns show — but a column cut at MaxWidth (a prompt, a
// URL) grows into the room up to it instead, the columns after it moving right; the stretch column (the value, the
// response) takes whatever room is left, down to StretchFloor, so no blank band stays right of the last column, and
// follows the view's width as the window is resized — until the user resizes a column: from then on the widths are
// theirs, until the next table. Owned by the view (of()). GUI thread.
class EntryColumnFit : public QObject {
    Q_OBJECT
public:
    static constexpr int MinWidth = 60;
    static constexpr int MaxWidth = 360;
    static constexpr int HashWidth = 110; // about 12 hex digits and "…": enough to tell rows apart
    static constexpr int MaxColumns = 60; // a 400-column table: its first ones
    static constexpr int ShrinkFloor = 140; // a key or URL cut to make room for the other columns (a time is never cut)
    static constexpr int StretchFloor = 160; // the value column never narrower than this when fitted
    static constexpr int NoStretch = -2; // fit()'s stretch for the SQL page's results: no column takes the room left

    // The view's (made on first use). Its model an EntryTableModel whose first rows are read, or the SQL page's
    // QueryResultModel.
    static EntryColumnFit* of(QTableView* view);
    // Sizes the columns (the model's logical column stretch takes the room left; -1: the last one shown). kept: the
    // column the rows are searched by (a requests-cache's url), never made to give way; -1: none.
    void fit(int stretch = -1, int kept = -1);
    bool userSized() const { return m_userSized; }
    int stretchColumn() const { return m_stretch; }

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    explicit EntryColumnFit(QTableView* view);
    void measure();
    void fitToView(); // m_wanted laid out in the viewport's width

    QTableView* m_view;
    QList<int> m_wanted; // each column's width by its contents (clamped), from the last fit()
    QList<int> m_needed; // the same, not clamped at MaxWidth
    QList<bool> m_times; // a column of times (utcText: "2026-12-05 10:33:13.250 UTC"): never cut to make room
    QPointer<const QAbstractItemModel> m_model; // the one m_wanted was measured for
    int m_stretch = -1;
    int m_kept = -1;
    bool m_fitting = false; // the widths being set are ours, not the user's
    bool m_userSized = false;
};
