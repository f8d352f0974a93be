// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tasks/latesttask.h"

#include <QPair>
#include <QStringList>
#include <QWidget>

#include <functional>
#include <memory>

namespace Ui {
class SqlPage;
}
class QueryResultModel;
class EmptyViewHint;
class QComboBox;
struct FanoutDatabases;

// SqlPage: the SQL console. Runs one read-only statement at a time on a worker thread with
// its own Qt Sql connection (ReadOnlyQuery: writes refused, rows capped at 10,000 — said on
// screen —, statement finalised before the result comes back, time limit and Cancel), shows
// the rows like Entries (NULL in grey italics), copies them as JSON or CSV, keeps a history of
// the statements that ran in QSettings (refused ones are not kept) and offers ready queries for
// the formats found. SQL is coloured as typed (SqlHighlighter); the cache's tables and columns
// are listed beside the editor (double-click inserts a quoted name); errors are styled as such. Results carry their
// LatestTask token; stale ones are dropped. GUI thread. The cache comes from `currentPath` (empty: no cache open);
// a FanoutCache is several files (its shards and named sub-caches, setParts): a statement runs on the one chosen in
// "Runs on", which its result names — never on shard 000 alone without saying so (#23.2).
class SqlPage : public QWidget {
    Q_OBJECT
public:
    explicit SqlPage(std::function<QString()> currentPath, QWidget* parent = nullptr);
    ~SqlPage() override;

    void setSql(const QString& sql);
    // The files of a FanoutCache, chosen from in "Runs on" (empty: a cache of one file, no choice shown).
    void setParts(const FanoutDatabases& fanout);
    QStringList partLabels() const; // the choices "Runs on" offers, in order
    void choosePart(int index);
    QString queryPath() const; // the file the next statement runs on
    void run();
    void cancel();
    bool isRunning() const { return m_running; }
    QString statusText() const;
    QueryResultModel* model() const { return m_model; }
    QString resultJson() const;
    QByteArray resultCsv() const;
    void refreshReadyQueries();
    QStringList readyQueryTitles() const;
    QStringList schemaTables() const; // the tables the schema list shows
    QString schemaHintText() const; // what the schema list says while it lists no table
    bool showsError() const; // the status line shows an error, styled as one

    static QStringList history(); // newest first, from QSettings
    static constexpr int HistorySize = 50;
    static constexpr int FitRows = 40; // rows measured to fit a result's column, as the Entries table's

Q_SIGNALS:
    void queryFinished();
    void readyQueriesChanged();

protected:
    void showEvent(QShowEvent* event) override;

private:
    void setRunning(bool running);
    void remember(const QString& sql);
    void rebuildHistory();
    void showStatus(const QString& text, bool isError = false);
    void showSchema(const QList<QPair<QString, QStringList>>& schema);
    QString partText() const; // "shard 001 (…/001/cache.db)" of the chosen part; empty for a cache of one file

    std::unique_ptr<Ui::SqlPage> m_ui;
    std::function<QString()> m_currentPath;
    QueryResultModel* m_model;
    EmptyViewHint* m_resultHint; // what the results say while they hold no row
    EmptyViewHint* m_schemaHint; // what the schema list says while it lists no table: why
    LatestTask m_query;
    bool m_running = false;
    QString m_readyFor; // the path the ready queries were made for
    QComboBox* m_partCombo; // "Runs on": a FanoutCache's files (hidden for a cache of one file)
    static constexpr int PartRole = Qt::UserRole + 1; // an item's part in words: "shard 001", "sub-cache index/x"
};
