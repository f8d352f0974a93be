// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "os/cachefiles.h"
#include "sqlite/database.h"

#include <QTimer>
#include <QWidget>

#include <memory>
#include <optional>

namespace Ui {
class OverviewPage;
}

// OverviewPage: the facts of the open cache (path, journal mode, SQLite version, pages) and
// the sizes of db, -wal, -shm and -journal, refreshed every second with stat() only — it never
// opens those files (WAL_REFERENCE.md §4.1). GUI thread.
class OverviewPage : public QWidget {
    Q_OBJECT
public:
    explicit OverviewPage(QWidget* parent = nullptr);
    ~OverviewPage() override;

    void showDatabase(Database* database);
    void clear();
    // The -wal size shown now, in bytes (-1 when absent); for tests and the status bar.
    qint64 shownBytes(CacheFiles::Kind kind) const;

private:
    void refreshFacts();
    void refreshSizes();

    std::unique_ptr<Ui::OverviewPage> m_ui;
    Database* m_database = nullptr;
    std::optional<CacheFiles> m_files;
    qint64 m_shown[CacheFiles::KindCount] = { -1, -1, -1, -1 };
    QTimer m_refreshTimer;
};
