// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "maintenance/scanner.h"
#include "remote/cacheaddress.h"

#include <QDialog>

#include <memory>
#include <optional>

class QTreeWidgetItem;
namespace Ui {
class ScanDialog;
}

// ScanDialog: scans a folder on a worker thread (Scanner: databases by header, sidecar sizes,
// processes using them, orphaned sidecars) and lists the result; an orphaned sidecar can be
// removed through the safe-delete confirmation; a database found opens in the window on a
// double-click (or Enter). Files this process has connections to are never opened by the scan.
// GUI thread.
class ScanDialog : public QDialog {
    Q_OBJECT
public:
    explicit ScanDialog(QWidget* parent = nullptr);
    ~ScanDialog() override;

    // A folder on another host (RemoteWindow): the scan is `scan ADDRESS --json` run there
    // (CliCall; extraArgs such as --remote-cli), read back by Scanner::Report::fromJson; the folder
    // is a path there; a database found is opened at that address (openRequested gives the path
    // there). An orphaned sidecar is not removed from here: the button says to run `delete` there.
    void runThere(const CacheAddress& host, const QStringList& extraArgs);
    void setDirectory(const QString& directory);
    // The folder of the open cache: cache is a FanoutCache (or diskcache) folder or a database file.
    void setDirectoryOf(const QString& cache);
    void startScan();
    bool isScanning() const { return m_scanning; }
    int databaseCount() const;
    int orphanCount() const;
    QString statusText() const;

    // Opens the database of that result row (emits openRequested and closes); false for other rows.
    bool openResult(QTreeWidgetItem* item);
    QTreeWidgetItem* databaseItem(int index) const;

Q_SIGNALS:
    void scanned();
    void openRequested(const QString& path);

private:
    void chooseDirectory();
    void showReport(const Result<Scanner::Report>& report);
    void removeSelectedOrphan();

    std::unique_ptr<Ui::ScanDialog> m_ui;
    QTreeWidgetItem* m_databasesItem = nullptr;
    QTreeWidgetItem* m_fanoutsItem = nullptr; // FanoutCache folders, each one cache (absent without one)
    QTreeWidgetItem* m_orphansItem = nullptr;
    bool m_scanning = false;
    std::optional<CacheAddress> m_remote; // set: scan there (runThere)
    QStringList m_remoteArgs;
};
