// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "maintenance/prune.h"
#include "tasks/latesttask.h"

#include <QDialog>
#include <QPointer>

#include <functional>

class QCheckBox;
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
// now…" when pages were freed. Cancel is the default button; closing while it runs cancels
// between batches first. Lives on the GUI thread; its CancelToken is shared with the worker.
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
    QCheckBox* expiredBox() const { return m_expired; }
    QLineEdit* matchEdit() const { return m_match; }
    QLineEdit* groupEdit() const { return m_group; }
    QLineEdit* backupEdit() const { return m_backup; }
    QLineEdit* tableEdit() const { return m_table; }

Q_SIGNALS:
    void previewFinished(bool ok);
    void finished(bool ok); // the prune ended (removed, cancelled or failed)
    void vacuumRequested(); // "Vacuum now…" after pages were freed

private:
    QWidget* createSelectors();
    QWidget* createBackupRow();
    void showPreview(const Result<PruneOutcome>& outcome);
    void showProgress(const PruneProgress& progress);
    void fitSamples(); // the list of keys as tall as its keys (2 to 8 rows)
    void showResult(const QString& text); // in the result box, shown from then on
    void showOutcome(const Result<PruneOutcome>& outcome);
    void setRunning(bool running);
    // Runs the selection there (runThere); done gets the outcome or the reason. The child, or
    // nullptr when nothing was started (done was called).
    QProcess* runCli(const PruneSelection& chosen, const QStringList& options,
        std::function<void(const Result<PruneOutcome>&)> done);
    void chooseBackup();
    void reject() override;
    // The line edit with, beside it, what its short form means in words ("30d" -> "30 days ago",
    // "1G" -> "1.0 GiB"), kept up to date as it is typed.
    QWidget* withMeaning(QLineEdit* edit, const QString& name, const std::function<QString(const QString&)>& meaning);

    QString m_dbPath;
    std::optional<PruneSelection> m_fixed;
    bool m_fitted = false; // a fixed selection's dialog was sized to its first preview
    QWidget* m_selectors = nullptr;
    QLabel* m_fixedLabel = nullptr;
    QCheckBox* m_expired = nullptr;
    QCheckBox* m_olderCheck = nullptr;
    QLineEdit* m_older = nullptr;
    QCheckBox* m_matchCheck = nullptr;
    QLineEdit* m_match = nullptr;
    QCheckBox* m_groupCheck = nullptr;
    QLineEdit* m_group = nullptr;
    QCheckBox* m_budgetCheck = nullptr;
    QLineEdit* m_budget = nullptr;
    QLineEdit* m_table = nullptr;
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
};
