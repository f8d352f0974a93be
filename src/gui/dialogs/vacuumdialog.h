// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "dialogs/writerwarnings.h"
#include "maintenance/cachefolder.h"
#include "maintenance/foldervacuum.h"
#include "maintenance/vacuum.h"
#include "sqlite/database.h"
#include "tasks/canceltoken.h"

#include <QDialog>
#include <QPointer>
#include <QProcess>
#include <QStringList>

#include <optional>

class QPushButton;
namespace Ui {
class VacuumDialog;
}

// VacuumDialog: compacts the cache in place or writes a VACUUM INTO copy, on a worker thread
// with its own connection, with a progress bar and Cancel (SQLite rolls the VACUUM back). It
// warns first when writers are active: in place VACUUM holds the write lock for its whole run and
// (it ends with a TRUNCATE checkpoint) the Checkpoint dialog's WAL-reset advice applies; a copy
// only reads, and the warning says what that read does to them (Vacuum::Access, following the
// choice). The writers: the Activity tab's latest sample's (applySample) and the write lock's
// holders (WriterWarnings).
// Given a FanoutCache folder it vacuums every shard and then every named sub-cache (FolderVacuum),
// in place or into a new folder of the same layout, each result labelled.
// Lives on the GUI thread; its CancelToken is shared with the worker.
class VacuumDialog : public QDialog {
    Q_OBJECT
public:
    // dbPath: a database, or a cache folder (diskcache; FanoutCache: every shard and sub-cache).
    explicit VacuumDialog(const QString& dbPath, QWidget* parent = nullptr);
    ~VacuumDialog() override;
    // What there is to give back: the database's facts (a FanoutCache's added up) and its -wal's size.
    struct Reclaim {
        Database::Facts facts;
        qint64 walBytes = 0; // 0 when there is no -wal
    };
    // What a vacuum would give back: "<b>Nothing to reclaim:</b> …" (no free page and no -wal worth
    // a checkpoint) or "N of its M pages are free…"; a -wal's size with the checkpoint that gives it back.
    static QString reclaimText(const Reclaim& reclaim);
    // The outcome in sentences: "The vacuum is complete: the database and its -wal took 1.0 MiB
    // and now take 220 KiB (database 192 KiB → 220 KiB, -wal 833 KiB → 32 B); 0 pages were free."
    static QString inWords(const Vacuum::Outcome& outcome);
    QString introText() const; // the path, then reclaimText once the facts are read

    // For a cache on another host or in a container (dbPath its address): the vacuum runs there,
    // `vacuum ADDRESS [--into PATH]` through the local cachescope-cli (CliCall) with extraArgs
    // (--remote-cli …); the copy's path is a path there (no local file dialog); Cancel is Ctrl-C
    // there (the vacuum rolls back there); the result is the report the CLI prints there.
    void runThere(const QStringList& extraArgs);
    // The cache's journal mode ("wal", "delete", …) as read where it lives (RemoteWindow: the Overview's `info`): a
    // copy's read is worded for it. A local cache's is read on opening.
    void setJournalMode(const QString& journalMode);
    void setIntoPath(const QString& path); // empty: in place
    void start();
    void cancel();
    bool isRunning() const { return m_running; }
    bool hasCheckedBefore() const { return m_checksBefore == 0; } // what a vacuum would give back, and warnings, shown
    QString resultText() const;
    QPushButton* cancelButton() const { return m_cancelButton; }
    // The latest sample of the cache's watch (the Activity tab's): who wrote in its last 10 s.
    void applySample(const ActivitySample& sample);

Q_SIGNALS:
    void finished(bool ok);

private:
    void chooseTarget();
    void showProgress(const Vacuum::Progress& progress);
    void showOutcome(const Result<Vacuum::Outcome>& outcome);
    void showParts(const Result<QList<FolderVacuum::Part>>& parts);
    QString pathText() const;
    void setRunning(bool running);
    void showWarnings();
    // The run chosen (in place, or a copy of a WAL or rollback-journal cache), and its words: the
    // note under the choice and the warnings about writers.
    Vacuum::Access access() const;
    void showAccess();
    void reject() override;

    std::unique_ptr<Ui::VacuumDialog> m_ui;
    QString m_dbPath;
    std::optional<CacheFolder> m_fanout; // set when m_dbPath is a FanoutCache folder
    QPushButton* m_startButton = nullptr;
    QPushButton* m_cancelButton = nullptr;
    CancelToken m_cancel; // the running vacuum's
    bool m_running = false;
    int m_checksBefore = 2; // the reads on opening not yet shown
    std::optional<QStringList> m_there; // runThere's extra arguments
    QPointer<QProcess> m_thereCall; // the running vacuum there
    WriterWarnings m_warnings;
    QList<Vacuum::Before> m_before; // read on opening, a FanoutCache's per part
    QStringList m_labels; // a FanoutCache's parts, as m_before
    QString m_journalMode
        = QStringLiteral("wal"); // the facts' once read (setJournalMode: there): the window opens caches in WAL mode
    QList<std::pair<qint64, QString>> m_lastWriters; // the latest sample's writers, (pid, name)
    QList<std::pair<qint64, QString>> m_writersWhileRunning; // every sample's since Start
};
