// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "maintenance/pruneselection.h"
#include "models/entrymodel.h"
#include "models/fanoutentrymodel.h"
#include "pages/entrydetailpane.h"
#include "pages/entryexporter.h"
#include "sqlite/database.h"

#include <QTimer>
#include <QWidget>

#include <memory>

namespace Ui {
class EntriesPage;
}
class CacheTableList;
class EntryClipboard;
class EntryDeleteRequest;
class EmptyViewHint;

// EntriesPage: the tables of the open cache (a CacheTableList) and the entries of the selected
// one through an EntryModel (keyset pages, live) — of a FanoutCache's main table, every shard's
// through a FanoutEntryModel; of a table of its named sub-caches, that sub-cache's — with a filter that runs in SQLite,
// pages of rows and of columns; it composes the current entry's detail (EntryDetailPane), the copy actions
// (EntryClipboard), export (EntryExporter) and the delete actions (EntryDeleteRequest). GUI thread.
class EntriesPage : public QWidget {
    Q_OBJECT
public:
    static constexpr int LiveIntervalMs = 500;
    static constexpr qint64 DetailMaxLength = EntryDetailPane::MaxLength;

    explicit EntriesPage(QWidget* parent = nullptr);
    ~EntriesPage() override;

    // fanout: a FanoutCache's databases (the first shard is database); its main table is then
    // shown across every shard, with a shard column, and its sub-caches' tables below it.
    void showDatabase(Database* database, const FanoutDatabases& fanout = {});
    void clear();
    QStringList tableNames() const; // the open database's own
    // subCache: a FanoutCache's named sub-cache (its index in FanoutDatabases::subCaches), -1: none.
    void selectTable(const QString& table, int subCache = -1);
    int currentSubCache() const; // of the table shown, -1: none
    // A table wider than EntryView::MaxColumns: show the window of columns from `first` (0-based).
    void showColumnsFrom(int first);
    // Shows and selects the entry with that rowid in table (clearing a filter that could hide
    // it), once the index has placed it; the Overview's "largest entries" link here.
    // shard: of a FanoutCache, the shard's index (its rowids are its own).
    void showEntryWithRowid(const QString& table, qint64 rowid, int shard = 0);
    QString currentTable() const;
    void focusFilter(); // Ctrl+F: the filter, its text selected
    // The entries shown: of one database (entryModel(), else null) or of every shard of a FanoutCache.
    EntryTableModel* tableModel() const { return m_model; }
    EntryModel* entryModel() const { return qobject_cast<EntryModel*>(m_model); }
    FanoutEntryModel* fanoutModel() const { return qobject_cast<FanoutEntryModel*>(m_model); }
    QString detailText() const;
    void setFilterText(const QString& text, int column = -1);
    using ExportScope = EntryExporter::Scope;
    // EntryExporter::exportTo; the outcome arrives as exportFinished().
    void exportTo(const QString& path, ExportScope scope, EntryExport::Binary binary = EntryExport::Binary::Preview);
    void exportTo(const QString& path, bool filteredView)
    {
        exportTo(path, filteredView ? ExportScope::Filtered : ExportScope::Selection);
    }
    bool isExporting() const;
    // EntryExporter::setFolder: where Export's file dialog starts instead of the cache's folder.
    void setExportFolder(const QString& folder) { m_exporter->setFolder(folder); }
    QString suggestedExportPath(ExportScope scope) const { return m_exporter->suggestedPath(scope); }
    // The copy actions (EntryClipboard): entryCopied and keyCopied say what went on the clipboard.
    QString copyText(const QString& what) const;
    void copyKey();
    void copyEntry();
    // "Delete Selected Entries…" / "Delete All Entries Matching This Filter…": asks the window
    // (pruneRequested) to remove them through the same code as Maintenance ▸ Prune.
    void requestDelete(bool wholeFilter);

Q_SIGNALS:
    // An export ended: rows written, or error (non-empty) when it failed or was cancelled.
    void exportFinished(const QString& path, qint64 written, const QString& error);
    void detailShown(); // the current entry (or why it could not be read) is in the detail pane
    void entryCopied(const QString& json);
    void keyCopied(const QString& option);
    // The selected entries, or every entry the filter shows, should go (a PruneDialog asks first).
    void pruneRequested(const PruneSelection& selection, const QString& description);

private:
    void showTable(const QString& table, int firstColumn = 0);
    void setShownModel(EntryTableModel* model); // the page's and its parts' model (null: none)
    Database* shownDatabase() const; // the one the table shown is of: the open one or a sub-cache's
    void updateRowButtons();
    void showRowWindow(int window); // which window of EntryModel::windowRows() rows to show
    void goToEdge(bool end); // Ctrl+End / Ctrl+Home: the table's last / first entry
    // After Ctrl+End, rows appended (or counted) before the cursor is moved: to the new last entry.
    void followEnd();
    void applyFilter();
    void createActions();

    QString statusText() const;
    void showStatus(); // the footer's sentence, and what the table says while it shows no row
    // After rows moved (a replaced row deleted above the selection), select the same entry again.
    void followCurrentEntry();

    std::unique_ptr<Ui::EntriesPage> m_ui;
    Database* m_database = nullptr;
    QList<FanoutEntryModel::Shard> m_shards; // a FanoutCache's, else empty
    QList<FanoutDatabases::Part> m_subCaches; // a FanoutCache's named sub-caches, else empty
    int m_subCache = -1; // the sub-cache the table shown is of, -1: the open database's
    EntryTableModel* m_model = nullptr;
    QTimer m_filterDelay;
    QVariantList m_currentKey;
    // Ctrl+End keeps the cursor on the table's last entry while rows arrive, until the cursor is
    // moved (or the window, the filter, the table): the end is where the key was meant to go, and
    // on a cache being written it moves before the last page is even read.
    bool m_followEnd = false;
    bool m_rowsMoving = false; // rows are being removed: the cursor moves with them, not by the user
    CacheTableList* m_tables;
    EntryDetailPane* m_detail;
    EntryClipboard* m_clipboard;
    EntryExporter* m_exporter;
    EntryDeleteRequest* m_deleteRequest;
    EmptyViewHint* m_emptyHint;
    bool m_columnsFitted = false; // the columns were sized to the first rows of this table
    // Once per table, when its first rows are shown (EntryColumnFit); the user's own widths are
    // never changed afterwards.
    void fitColumnsOnce();
    static constexpr int FitRows = 40; // rows measured to fit a column: about a screen of them
};
