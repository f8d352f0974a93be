// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "entries/entryexport.h"
#include "maintenance/pruneselection.h"
#include "models/entrymodel.h"
#include "models/fanoutentrymodel.h"
#include "sqlite/database.h"
#include "tasks/latesttask.h"

#include <QModelIndexList>
#include <QTimer>
#include <QWidget>

#include <memory>

namespace Ui {
class EntriesPage;
}
class FilteredExport;

// EntriesPage: the tables of the open cache (with their cache format) and the entries of the
// selected one through an EntryModel (keyset pages, live) — of a FanoutCache's main table, every
// shard's through a FanoutEntryModel — a detail pane for the current
// entry, a filter that runs in SQLite, copy as JSON and export as JSON Lines / CSV (the
// filtered view on a worker thread with progress and cancel). GUI thread.
class EntriesPage : public QWidget {
    Q_OBJECT
public:
    static constexpr int LiveIntervalMs = 500;
    static constexpr int MinTableListWidth = 90; // the table list: as wide as its names, within a quarter of the page
    // Longest value the detail pane shows (characters of TEXT, bytes of BLOB): laying out text
    // costs the GUI thread time in its length, so a huge cell is shown cut while a long LLM
    // answer still fits whole (docs/BENCHMARKS.md, "Numbers behind constants").
    static constexpr qint64 DetailMaxLength = 1 << 17;

    explicit EntriesPage(QWidget* parent = nullptr);
    ~EntriesPage() override;

    // shards: a FanoutCache's databases (the first is database) and their labels; its main table
    // is then shown across every shard, with a shard column.
    void showDatabase(Database* database, const QList<Database*>& shards = {}, const QStringList& shardLabels = {});
    void clear();
    QStringList tableNames() const;
    void selectTable(const QString& table);
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
    // What an export writes: the selected rows, every entry the filter shows, or every entry.
    enum class ExportScope { Selection, Filtered, All };
    // Writes the entries of scope (Selection with nothing selected: the filtered view) to path,
    // whole values read again on a worker, with progress and cancel; ".csv" writes CSV, anything
    // else JSON Lines; BLOBs as their preview or whole in base64. The outcome arrives as
    // exportFinished().
    void exportTo(const QString& path, ExportScope scope, EntryExport::Binary binary = EntryExport::Binary::Preview);
    void exportTo(const QString& path, bool filteredView)
    {
        exportTo(path, filteredView ? ExportScope::Filtered : ExportScope::Selection);
    }
    bool isExporting() const;
    // "cell" or "row" of the current row, from its page; "cli-key": the --key/--key-json option
    // for its key, empty when the row shows a cut preview of it (copyKey reads it whole).
    QString copyText(const QString& what) const;
    // "Copy key as a cachescope-cli option": the whole key, read on the entry reader when the row
    // shows a preview of it; keyCopied says what went on the clipboard (empty: nothing).
    void copyKey();
    // "Copy entry as JSON": the current row's whole entry, read and turned into JSON on the
    // entry reader (100 MiB values take a while), then put on the clipboard; entryCopied says
    // when (empty text and the reason in the status line when it could not be read).
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
    void fitTableList();
    void showDetail(int row);
    void showEntry(const Result<EntryModel::WholeEntry>& entry, const CancelToken& token);
    QString databasePathOf(int row) const;
    QString shardOption(int row) const; // " --shard 003" for a FanoutCache's row, else empty // the database file
                                        // holding the row (a FanoutCache's shard)
    void updateRowButtons();
    void showRowWindow(int window); // which window of EntryModel::windowRows() rows to show
    void goToEdge(bool end); // Ctrl+End / Ctrl+Home: the table's last / first entry
    void applyFilter();
    void createActions();
    void addDeleteActions(); // entriespageprune.cpp
    void chooseExport(ExportScope scope); // the file, its format and how BLOBs are written
    // A FanoutCache's selection (rows of several shards), written from the rows' pages at once.
    Result<qint64> exportSelection(const QString& path, const QModelIndexList& selected);

    QString statusText() const;
    // After rows moved (a replaced row deleted above the selection), select the same entry again.
    void followCurrentEntry();

    std::unique_ptr<Ui::EntriesPage> m_ui;
    Database* m_database = nullptr;
    QList<FanoutEntryModel::Shard> m_shards; // a FanoutCache's, else empty
    EntryTableModel* m_model = nullptr;
    QTimer m_filterDelay;
    QVariantList m_currentKey;
    LatestTask m_detailRead; // detail reads for a row since left are dropped
    bool m_detailWaitsForRow = false; // the current row's page is still being read
    bool m_columnsFitted = false; // the columns were sized to the first rows of this table
    // Once per table, when its first rows are shown: each column as wide as its header and the
    // rows on screen need (a URL, "Settings"), between MinFitWidth and MaxFitWidth; the user's
    // own widths are never changed afterwards.
    void fitColumnsOnce();
    static constexpr int MinFitWidth = 60;
    static constexpr int MaxFitWidth = 360;
    static constexpr int FitRows = 40; // rows measured to fit a column: about a screen of them
    std::unique_ptr<FilteredExport> m_export;
};
