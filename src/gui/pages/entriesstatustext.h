// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QCoreApplication>
#include <QString>

class Database;
class EntryTableModel;

// EntriesStatusText: the Entries page's footer sentence for the table shown — its name and
// format, how many entries (exact or "≈", expired or not under the expiry filter), which window
// of rows and of columns is shown, the FanoutCache shards or sub-cache it is of, and whether new
// rows appear as they are written or it is a snapshot; or what the model is doing (reading,
// filtering) or why it failed. Pure wording, from the model and the database shown. GUI thread.
class EntriesStatusText {
    Q_DECLARE_TR_FUNCTIONS(EntriesStatusText)

public:
    // subCache: the label of the FanoutCache sub-cache the table is of, "" when none.
    static QString of(const EntryTableModel* model, const Database* database, const QString& subCache);
    // What the table's empty view says: why no row shows ("No entry matches “abc”.", "This table has no entries."),
    // "" while rows are being read.
    static QString emptyText(const EntryTableModel* model);
};
