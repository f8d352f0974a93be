// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QPlainTextEdit;
class QPushButton;
class QTableWidget;

// RemoteCommandsPage: SQL and maintenance on a remote cache, each a cachescope-cli command run
// there (`query ADDRESS SQL --json`: read-only, refused statements refused as locally;
// runMaintenance: `checkpoint`, `vacuum`, `delete` after asking) with its answer shown as the
// CLI prints it — a refusal (a process there holding the cache) names the holders as they are
// there. Checkpoint…, Vacuum…, Delete… and Prune… ask its window for the local window's
// dialogs, run there; Scan
// Folder… (scanRequested) for the ScanDialog on `scan` there.
class RemoteCommandsPage : public QWidget {
    Q_OBJECT
public:
    explicit RemoteCommandsPage(QWidget* parent = nullptr);
    void showCache(const QString& address, const QStringList& extraArgs);
    void runQuery(const QString& sql);
    // command: checkpoint, vacuum or delete; ask: confirm first (the buttons do).
    void runMaintenance(const QString& command, bool ask);
    // A line in the log below (what a maintenance dialog of the window did there).
    void append(const QString& text);

    QTableWidget* resultTable() const { return m_result; }
    QPlainTextEdit* log() const { return m_log; }

Q_SIGNALS:
    void finished(const QString& command, int exitCode);
    void roundTrip(qint64 ms);
    void pruneRequested();
    void checkpointRequested();
    void vacuumRequested();
    void deleteRequested();
    void scanRequested();

private:
    QString m_address;
    QStringList m_extraArgs;
    QPlainTextEdit* m_sql = nullptr;
    QTableWidget* m_result = nullptr;
    QPlainTextEdit* m_log = nullptr;
    QList<QPushButton*> m_buttons;
};
