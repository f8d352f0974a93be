// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "maintenance/prune.h"
#include "tasks/latesttask.h"

#include <QDialog>
#include <QPointer>

#include <functional>

struct CacheSummary;
class QCheckBox;
class QComboBox;
class PruneSelectors;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QProcess;
class QProgressBar;
class QPushButton;
class QWidget;

// PruneDialog: Maintenance ▸ Prune Entries… and the Entries page's "Delete … entries…": the
// selectors of `cachescope-cli prune` (or a selection fixed by the Entries page: its selected
// rows, its filter), a preview of what would go (a dry run on a worker: entries, bytes, value
// files, a few keys), an optional backup file, then the prune itself on a worker (Prune: short
// write batches, its own connection) with progress and Cancel, and the result — with "Vacuum
// now…" when pages were freed. The table is chosen from the cache's own (PruneTables, read on a
// worker: a known format's entries table, or each table of a database of no known format), and
// only the selectors that table answers are offered; the others say why not. Prune stays
// disabled until a preview of the current choice showed entries that would go. Cancel is the
// default button; closing while it runs cancels between batches first. Lives on the GUI thread;
// its CancelToken is shared with the worker.
class PruneDialog : public QDialog {
    Q_OBJECT
public:
    explicit PruneDialog(const QString& dbPath, QWidget* parent = nullptr);
    ~PruneDialog() override;

    // A selection chosen elsewhere (the Entries page), described in words; the selector fields
    // are hidden. The preview starts at once.
    void setSelection(const PruneSelection& selection, const QString& description);
    // A cache on another host (RemoteWindow; the dialog was made with its address): the preview
    // and the prune are `cachescope-cli prune ADDRESS SELECTORS [--dry-run] --json` run there
    // (CliCall, extraArgs such as --remote-cli), read back by PruneOutcome::fromJson. Cancel stops
    // it as Ctrl-C does: between batches there, reporting what was done. The backup file is a
    // path on that host.
    void runThere(const QStringList& extraArgs);
    // The tables of the cache there, as the Overview's `info` read them (RemoteWindow): offered to choose from
    // (PruneSelectors::showTablesThere); a preview asked for before waits for them. Only the first call counts.
    void setTablesThere(const CacheSummary& summary);
    // A remote cache's `info` failed before its tables were known: the dialog says why (Preview and Prune wait for
    // the next answer, setTablesThere), instead of "Reading the tables…".
    void setTablesUnreadThere(const QString& reason);
    // The selection from the fields (or the one set); its problem in *problem when it has one.
    PruneSelection selection(QString* problem = nullptr) const;

    void preview();
    void start();
    void cancel();
    bool isRunning() const { return m_running; }
    QString previewText() const;
    QString resultText() const;
    QPushButton* pruneButton() const { return m_pruneButton; }
    QPushButton* previewButton() const { return m_previewButton; }
    QPushButton* vacuumButton() const { return m_vacuumButton; }
    QPushButton* cancelButton() const { return m_cancelButton; }
    QCheckBox* expiredBox() const;
    QLineEdit* matchEdit() const;
    QLineEdit* groupEdit() const;
    QLineEdit* backupEdit() const { return m_backup; }
    QComboBox* tableBox() const;
    // What the chosen table can be pruned by and why not more, in words (PruneSelectors).
    QString tableText() const;

Q_SIGNALS:
    void previewFinished(bool ok);
    void finished(bool ok); // the prune ended (removed, cancelled or failed)
    void vacuumRequested(); // "Vacuum now…" after pages were freed

private:
    QWidget* createBackupRow();
    void showPreview(const Result<PruneOutcome>& outcome);
    void showProgress(const PruneProgress& progress);
    void fitSamples(); // the list of keys as tall as its keys (2 to 8 rows)
    void showResult(const QString& text); // in the result box, shown from then on
    void showOutcome(const Result<PruneOutcome>& outcome);
    void setRunning(bool running);
    // A local cache: its tables listed by the selectors, then a preview asked for meanwhile (a cache there:
    // setTablesThere).
    void readTables();
    void tablesRead();
    void dropPlan(); // the choices changed: the preview shown is no longer what Prune would remove
    // Runs the selection there (runThere); done gets the outcome or the reason. The child, or
    // nullptr when nothing was started (done was called).
    QProcess* runCli(const PruneSelection& chosen, const QStringList& options,
        std::function<void(const Result<PruneOutcome>&)> done);
    void chooseBackup();
    void reject() override;
    QString m_dbPath;
    std::optional<PruneSelection> m_fixed;
    bool m_fitted = false; // a fixed selection's dialog was sized to its first preview
    PruneSelectors* m_selectors = nullptr;
    QLabel* m_fixedLabel = nullptr;
    QLabel* m_previewLabel = nullptr;
    QListWidget* m_samples = nullptr;
    QCheckBox* m_backupCheck = nullptr;
    QLineEdit* m_backup = nullptr;
    QProgressBar* m_progress = nullptr;
    QPlainTextEdit* m_result = nullptr;
    QPushButton* m_previewButton = nullptr;
    QPushButton* m_pruneButton = nullptr;
    QPushButton* m_vacuumButton = nullptr;
    QPushButton* m_cancelButton = nullptr;
    QPushButton* m_browse = nullptr;
    std::optional<QStringList> m_remoteArgs; // set: run there through the CLI (runThere)
    QPointer<QProcess> m_remoteRun; // the remote prune running (not its preview)
    CancelToken m_cancel; // the running prune's
    LatestTask m_preview;
    bool m_running = false;
    bool m_tablesPending = true; // readTables has not answered yet: a preview waits for it
    QString m_tablesUnread; // why a remote cache's tables are not known yet, when its `info` failed
    bool m_previewWanted = false; // Preview was asked for while the tables were read
    bool m_previewed = false; // a preview's count is shown
    bool m_planShown = false; // the preview shown is of the current choices and found entries to remove
};
