// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "entries/entryexport.h"
#include "entries/entrypager.h"
#include "tasks/canceltoken.h"

#include <QFuture>
#include <QObject>
#include <QPointer>

class QProgressDialog;
class QWidget;

// FilteredExport: one export of a whole filtered view (or of chosen entries) to a file, run as a BackgroundTask that
// pages through the table with its own read-only connection and writes through a QSaveFile (the
// target is replaced only when every row was written). A window-modal progress dialog shows the
// rows written and cancels; nothing waits on the GUI thread. The result arrives as finished();
// a cancelled export leaves the target as it was. Lives on the GUI thread; while it runs, its
// destructor cancels the export and waits for the worker to stop.
class FilteredExport : public QObject {
    Q_OBJECT
public:
    FilteredExport(const QString& database, const QString& table, const EntryFilter& filter, QWidget* dialogParent);
    ~FilteredExport() override;

    // estimatedRows sizes the progress bar; the format follows the file name (".csv": CSV); keys:
    // only those entries (a selection, read whole). Starts once.
    void start(const QString& path, qint64 estimatedRows, EntryExport::Binary binary = EntryExport::Binary::Preview,
        const QList<QVariantList>& keys = {});
    bool isRunning() const { return m_running; }

Q_SIGNALS:
    // written rows, or error (non-empty) when it failed or was cancelled.
    void finished(const QString& path, qint64 written, const QString& error);

private:
    struct Outcome {
        qint64 written = 0;
        QString error;
    };
    void finish(const Outcome& outcome);

    QString m_database;
    QString m_table;
    EntryFilter m_filter;
    QString m_path;
    QPointer<QWidget> m_dialogParent;
    QProgressDialog* m_dialog = nullptr;
    CancelToken m_cancel;
    QFuture<Outcome> m_future;
    bool m_running = false;
};
