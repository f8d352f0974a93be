// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/entrymodel.h"
#include "models/fanoutdatabases.h"

#include <QList>

#include <vector>

// FanoutEntryModel: one table of every shard of a diskcache FanoutCache as one list of entries,
// shard after shard in the order FanoutCache iterates them (000, 001, …), with a last column
// naming the shard of each row. Each shard is an EntryModel of its own (its pages, count, index
// and live follower, read off the GUI thread) given one window as large as an int allows, so
// its rows are its table positions; this model places them one after another (a shard's rows
// start where the shards before it end) and gives the view its own window of
// EntryModel::WindowRows rows. A shard's count changes only at its end (rows appended, a filter's
// next page, the exact count arriving): rows are inserted or removed there, precisely when the
// window has room, else the window's end grows or shrinks and the rows after the change are
// said changed. Filters, expiry and the exact count apply to every shard. Row keys are the
// shard's key followed by the shard's index (rowids repeat across shards). GUI thread; the
// shards' Databases must outlive the model.
class FanoutEntryModel : public EntryTableModel {
    Q_OBJECT
public:
    using Shard = FanoutDatabases::Part; // "000", "001", … and its connection
    FanoutEntryModel(const QList<Shard>& shards, const QString& table, QObject* parent = nullptr, int firstColumn = 0);
    ~FanoutEntryModel() override; // the shards' models go first: their signals reach m_parts

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;

    const EntryView& view() const override;
    qint64 totalCount() const override;
    QString errorText() const override;
    bool isCountExact() const override;
    std::optional<TableCount> unfilteredCount() const override; // every shard's together
    bool isFiltering() const override;
    std::optional<EntryRow> rowAt(int row) const override;
    void readEntry(int row, qint64 maxLength, QObject* context, std::function<void(Result<WholeEntry>)> done,
        std::function<QString(const WholeEntry&)> render = {}) const override;
    void readColumn(int row, const QString& column, QObject* context, std::function<void(Result<StoredColumn>)> done,
        std::function<QString(StoredColumn&)> render = {}) const override;
    void setFilter(const EntryFilter& filter) override;
    EntryFilter filter() const override { return m_filter; }
    void setLiveInterval(int intervalMs) override;
    void cancelCount() override;
    void locateRowid(qint64 rowid, int shard, std::function<void(int row)> found) override;

    int shardColumn() const { return columnCount() - 1; } // the column naming each row's shard
    int shardCount() const { return int(m_parts.size()); }
    QString shardLabel(int shard) const { return m_parts.at(size_t(shard)).label; }
    int shardOfRow(int row) const; // -1 outside the window
    QString databasePathOfRow(int row) const; // the shard's database file; empty outside the window
    EntryModel* shardModel(int shard) const { return m_parts.at(size_t(shard)).model; }

private:
    struct Part {
        QString label;
        QString path;
        EntryModel* model = nullptr; // a child of this model
        qint64 count = 0; // the rows of this shard this model has placed
        qint64 seen = 0; // rows its running count has seen, and its estimate
        qint64 estimate = 0;
    };
    struct Place {
        int part = -1;
        int row = -1; // the row in the shard's model
    };
    Place place(int row) const; // row of this model's window → shard and row there
    qint64 startOf(int part) const; // the table position of the shard's first row
    void follow(int part); // a shard's count changed: place its rows again
    void mapRows(int part, int first, int last, const std::function<void(int, int)>& emitFor);

    std::vector<Part> m_parts;
    EntryFilter m_filter;
    bool m_resetting = false; // every shard is being reset together: placed once, after
};
