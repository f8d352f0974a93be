// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "maintenance/safedelete.h"
#include "tasks/latesttask.h"

#include <QDialog>
#include <QTimer>

#include <QStringList>

#include <memory>
#include <optional>

class QPushButton;
namespace Ui {
class DeleteDialog;
}

// DeleteDialog: the confirmation for a safe delete. It lists exactly the files that would be
// removed, with their sizes (value files counted and listed one by one), and every other
// process that blocks it; the Delete button stays disabled while anything blocks, re-checked
// every second (a dry run on a worker thread, which may run while this process still has the
// cache open: it opens no fd on the cache files). Safe by default: Cancel is the default button
// (Enter never deletes) and "Move to the trash" is on wherever a usable trash exists. Only once
// the user confirms does it emit releaseRequested() — the owner must close this process's own
// connections to the cache then, synchronously — and delete. Cancel leaves everything as it was.
// GUI thread.
class DeleteDialog : public QDialog {
    Q_OBJECT
public:
    static constexpr int MaxListedValueFiles = 2000; // value files listed one by one; the rest counted
    static constexpr int HolderCommandColumn = 1; // of the holders: PID, command line, files, what it does
    static constexpr int HolderFilesColumn = 2;
    static constexpr int HolderDoingColumn = 3;

    explicit DeleteDialog(const QString& dbPath, QWidget* parent = nullptr);
    ~DeleteDialog() override;

    QPushButton* deleteButton() const { return m_deleteButton; }
    QPushButton* cancelButton() const;
    int holderCount() const;
    int fileCount() const; // top-level rows: one per file, one for all value files
    int checksDone() const { return m_checksDone; }
    QString statusText() const;
    // Where the files go: "Will move the database (…), its -wal (…) and 12 value files (470 KiB) to the trash: … in
    // all." ("Will delete … for good" without the trash); the -wal and -shm SQLite removes itself said apart.
    QString totalsText() const;
    QStringList deleted() const { return m_deleted; }
    QStringList listed() const { return m_listed; } // the files the last check listed
    bool movesToTrash() const;
    bool released() const { return m_released; } // releaseRequested() was emitted
    // For a cache on another host or in a container (dbPath its address): every check is
    // `delete ADDRESS --dry-run --json` there and the delete `delete ADDRESS [--trash] --json`
    // there, through the local cachescope-cli (CliCall) with extraArgs (--remote-cli …), read back
    // by SafeDelete::Outcome::fromJson — files and holders as they are there. The trash is the
    // remote user's (said on the check box); nothing here is open, so nothing is released. Starts checking.
    void runThere(const QStringList& extraArgs);

    // The demo's simulator (its writers are it and its children): when they are what blocks, the
    // dialog points to File ▸ Stop the Demo's Writers. 0: no demo runs.
    void setDemoSimulator(qint64 pid) { m_demoSimulator = pid; }
    // This window has the cache open read-write in WAL mode, the connection releaseRequested() closes: SQLite folds
    // the -wal into the database and removes the -wal and -shm as it closes, before the delete; the dialog says so.
    void setFoldedOnClose(bool folded) { m_foldedOnClose = folded; }
    QString blockedText() const { return m_blockedText; } // why Delete is disabled, in words; "" when it is not

public Q_SLOTS:
    void recheck();

Q_SIGNALS:
    // The user confirmed: close this process's connections to the cache now (handled
    // synchronously, before anything is locked or removed).
    void releaseRequested();

private:
    struct Check {
        Result<SafeDelete::Outcome> plan;
        QString trashProblem; // why no usable trash exists ("" when it does); only on the first check
    };
    void showCheck(const CancelToken& token, bool first, const Check& check);
    void checkThere(const CancelToken& token, bool first);
    void showPlan(const Result<SafeDelete::Outcome>& plan);
    void showTotals();
    QString blockedBy(const SafeDelete::Outcome& plan) const;
    void listFiles(const SafeDelete::Outcome& plan);
    void deleteNow();
    void startDelete();
    void showDeleted(const Result<SafeDelete::Outcome>& outcome);

    std::unique_ptr<Ui::DeleteDialog> m_ui;
    QString m_dbPath;
    qint64 m_demoSimulator = 0;
    bool m_foldedOnClose = false;
    QString m_blockedText;
    QPushButton* m_deleteButton = nullptr;
    QTimer m_recheckTimer;
    LatestTask m_check;
    int m_checksDone = 0;
    bool m_checking = false; // a dry run is in flight (its connection may still be open)
    bool m_deleting = false;
    bool m_released = false;
    QStringList m_deleted;
    QStringList m_listed;
    QString m_totalsText;
    QList<SafeDelete::KindTotal> m_totals; // the latest plan's
    QString m_uninspectableText;
    QString m_statusHead; // ready, or blocked and why (HTML)
    std::optional<QStringList> m_there; // runThere's extra arguments
};
