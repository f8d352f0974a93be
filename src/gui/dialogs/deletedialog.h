// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "maintenance/safedelete.h"

#include <QDialog>
#include <QTimer>

#include <memory>

class QPushButton;
namespace Ui {
class DeleteDialog;
}

// DeleteDialog: the confirmation for a safe delete. It lists exactly the files that would be
// removed, with their sizes, and every process that blocks it; the Delete button stays
// disabled while anything blocks, re-checked every second (a dry run on a worker thread,
// stale results dropped by a generation token). The caller must have closed this process's
// own connection to the cache first (MainWindow::closeDatabase). GUI thread.
class DeleteDialog : public QDialog {
    Q_OBJECT
public:
    explicit DeleteDialog(const QString& dbPath, QWidget* parent = nullptr);
    ~DeleteDialog() override;

    QPushButton* deleteButton() const { return m_deleteButton; }
    int holderCount() const;
    int fileCount() const;
    int checksDone() const { return m_checksDone; }
    QString statusText() const;
    QString totalsText() const; // "Will remove 12 value (470 KiB), 1 db (…) — … in all."
    QStringList deleted() const { return m_deleted; }

public Q_SLOTS:
    void recheck();

private:
    void showPlan(const Result<SafeDelete::Outcome>& plan);
    void deleteNow();
    void showDeleted(const Result<SafeDelete::Outcome>& outcome);

    std::unique_ptr<Ui::DeleteDialog> m_ui;
    QString m_dbPath;
    QPushButton* m_deleteButton = nullptr;
    QTimer m_recheckTimer;
    quint64 m_generation = 0;
    int m_checksDone = 0;
    bool m_deleting = false;
    QStringList m_deleted;
    QString m_totalsText;
};
