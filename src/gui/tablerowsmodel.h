// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tablereader.h"

#include <QAbstractTableModel>

#include <optional>

// TableRowsModel: the rows of one table, fetched in batches as the view scrolls
// (canFetchMore/fetchMore over a TableReader). Values are shown as text; BLOBs as their size.
// GUI thread; the Database must outlive the model.
class TableRowsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    static constexpr int BatchSize = 256;

    TableRowsModel(Database* database, const QString& table, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;

    // The last read error, empty if none.
    QString errorText() const { return m_error; }

private:
    TableReader m_reader;
    QStringList m_columns;
    QList<QVariantList> m_rows;
    bool m_atEnd = false;
    QString m_error;
};
