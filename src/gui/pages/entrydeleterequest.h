// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "maintenance/pruneselection.h"

#include <QObject>

class EntryTableModel;
class QTableView;

// EntryDeleteRequest: what the Entries page asks to remove from the cache — its selected
// entries, or every entry its filter shows — as a PruneSelection for the window, which deletes
// them through Maintenance ▸ Prune's code (a PruneDialog asks first). GUI thread.
class EntryDeleteRequest : public QObject {
    Q_OBJECT
public:
    // rows: the page's table, whose model is the EntryTableModel the page shows (or none).
    EntryDeleteRequest(QTableView* rows, QObject* parent);

    // Adds "Delete Selected Entries…" and "Delete All Entries Matching This Filter…" to the
    // table's context menu, after a separator.
    void addActions();
    // Asks for the selected entries (wholeFilter: every entry the filter shows) to go.
    void request(bool wholeFilter);
    // The model shows a FanoutCache's named sub-cache (its name and database file), else empty:
    // its entries are asked for in that database (PruneSelection::database), not the shards'.
    void setSubCache(const QString& name, const QString& path)
    {
        m_subCache = name;
        m_subCachePath = path;
    }

Q_SIGNALS:
    // The selected entries, or every entry the filter shows, should go (a PruneDialog asks first).
    void pruneRequested(const PruneSelection& selection, const QString& description);
    void status(const QString& text); // for the page's status line

private:
    QTableView* m_rows;
    QString m_subCache;
    QString m_subCachePath;
};
