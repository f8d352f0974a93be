// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "maintenance/prune.h"
#include "tasks/latesttask.h"

#include <QDialog>

class QCheckBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
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

Q_SIGNALS:
    void previewFinished(bool ok);
    void finished(bool ok); // the prune ended (removed, cancelled or failed)
    void vacuumRequested(); // "Vacuum now…" after pages were freed

private:
    QWidget* createSelectors();
    QWidget* createBackupRow();
    void showPreview(const Result<PruneOutcome>& outcome);
    void showProgress(const PruneProgress& progress);
    void showOutcome(const Result<PruneOutcome>& outcome);
    void setRunning(bool running);
    void chooseBackup();
    void reject() override;

    QString m_dbPath;
    std::optional<PruneSelection> m_fixed;
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
    CancelToken m_cancel; // the running prune's
    LatestTask m_preview;
    bool m_running = false;
};
