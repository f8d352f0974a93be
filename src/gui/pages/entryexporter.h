// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/error.h"
#include "entries/entryexport.h"

#include <QModelIndexList>
#include <QObject>

#include <memory>

class Database;
class EntryTableModel;
class FilteredExport;
class QTableView;
class QPushButton;
class QWidget;

// EntryExporter: what leaves the Entries page as a file — the selection, the filtered view or
// every entry, as JSON Lines or CSV, exported in the background with whole values
// (FilteredExport: progress, cancel, QSaveFile); a FanoutCache's selection from the rows' pages
// at once. GUI thread.
class EntryExporter : public QObject {
    Q_OBJECT
public:
    // What an export writes: the selected rows, every entry the filter shows, or every entry.
    enum class Scope { Selection, Filtered, All };

    // rows: the page's table, whose model is the EntryTableModel the page shows (or none);
    // button: the Export… button, given the menu of scopes; page: the file dialogs' parent.
    EntryExporter(QTableView* rows, QPushButton* button, QWidget* page);
    ~EntryExporter() override;

    // The database the rows are read from (null: none is shown).
    void setDatabase(Database* database) { m_database = database; }
    // Where the file dialog starts instead of the cache's own folder (empty: that folder) — the
    // demo's, a temporary folder removed with its cache, is no place for an export.
    void setFolder(const QString& folder) { m_folder = folder; }
    // What the file dialog suggests for scope: "<cache>-<table>[-filtered|-selection].jsonl" in
    // the cache's folder (setFolder's, or home when the cache's folder is not writable).
    QString suggestedPath(Scope scope) const;
    // Writes the entries of scope (Selection with nothing selected: the filtered view) to path,
    // whole values read again on a worker, with progress and cancel; ".csv" writes CSV, anything
    // else JSON Lines; BLOBs as their preview or whole in base64. The outcome arrives as
    // finished().
    void exportTo(const QString& path, Scope scope, EntryExport::Binary binary = EntryExport::Binary::Preview);
    bool isExporting() const;

Q_SIGNALS:
    // An export ended: rows written, or error (non-empty) when it failed or was cancelled.
    void finished(const QString& path, qint64 written, const QString& error);
    void status(const QString& text); // for the page's status line

private:
    EntryTableModel* model() const;
    void choose(Scope scope); // the file, its format and how BLOBs are written
    // A FanoutCache's selection (rows of several shards), written from the rows' pages at once.
    Result<qint64> exportSelection(const QString& path, const QModelIndexList& selected);

    QTableView* m_rows;
    QWidget* m_page;
    Database* m_database = nullptr;
    QString m_folder;
    std::unique_ptr<FilteredExport> m_export;
};
