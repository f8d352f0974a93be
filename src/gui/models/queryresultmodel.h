// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "query/queryresult.h"

#include <QAbstractTableModel>

// QueryResultModel: the rows of one SQL console query for a table view. Holds an immutable
// QueryResult swapped in whole (beginResetModel/endResetModel); cells are rendered like Entries
// (sizes, dates, previews) with control characters escaped. GUI thread.
class QueryResultModel : public QAbstractTableModel {
    Q_OBJECT
public:
    using QAbstractTableModel::QAbstractTableModel;
    // A cell's value as Ctrl+C copies it: the number as stored (the cell groups its digits: "16,721"), else the text.
    static constexpr int CopyRole = Qt::UserRole + 1;

    void setResult(QueryResult result);
    void clear();
    const QueryResult& result() const { return m_result; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QueryResult m_result;
};
