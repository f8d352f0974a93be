// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

class QTableView;

// EntryColumnFit: the Entries table's columns sized to their first rows, once per table (and the SQL page's, once
// per result). Each
// column as wide as its header and the rows read need, between MinWidth and MaxWidth; a column
// of hashes (EntryCells::looksLikeHash: a requests-cache key, an LLM cache's prompt hash) only
// HashWidth wide, elided, its tooltip the whole hash; a column cut at MaxWidth (a prompt, a URL)
// wider, up to what it needs, while the columns up to it fit in the view. GUI thread.
class EntryColumnFit {
public:
    static constexpr int MinWidth = 60;
    static constexpr int MaxWidth = 360;
    static constexpr int HashWidth = 110; // about 12 hex digits and "…": enough to tell rows apart
    static constexpr int MaxColumns = 60; // a 400-column table: its first ones

    // view's model an EntryTableModel whose first rows are read, or the SQL page's QueryResultModel.
    static void fit(QTableView* view);
};
