// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tasks/latesttask.h"

#include <QWidget>

#include <functional>
#include <memory>

namespace Ui {
class SqlPage;
}
class QueryResultModel;

// SqlPage: the SQL console. Runs one read-only statement at a time on a worker thread with
// its own Qt Sql connection (ReadOnlyQuery: writes refused, rows capped at 10,000 — said on
// screen —, statement finalised before the result comes back, time limit and Cancel), shows
// the rows like Entries, copies them as JSON or CSV, keeps a history in QSettings and offers
// ready queries for the formats found. Results carry their LatestTask token; stale ones are
// dropped. GUI thread. The cache comes from `currentPath` (empty: no cache open).
class SqlPage : public QWidget {
    Q_OBJECT
public:
    explicit SqlPage(std::function<QString()> currentPath, QWidget* parent = nullptr);
    ~SqlPage() override;

    void setSql(const QString& sql);
    void run();
    void cancel();
    bool isRunning() const { return m_running; }
    QString statusText() const;
    QueryResultModel* model() const { return m_model; }
    QString resultJson() const;
    QByteArray resultCsv() const;
    void refreshReadyQueries();
    QStringList readyQueryTitles() const;

    static QStringList history(); // newest first, from QSettings
    static constexpr int HistorySize = 50;

Q_SIGNALS:
    void queryFinished();
    void readyQueriesChanged();

protected:
    void showEvent(QShowEvent* event) override;

private:
    void setRunning(bool running);
    void remember(const QString& sql);
    void rebuildHistory();

    std::unique_ptr<Ui::SqlPage> m_ui;
    std::function<QString()> m_currentPath;
    QueryResultModel* m_model;
    LatestTask m_query;
    bool m_running = false;
    QString m_readyFor; // the path the ready queries were made for
};
