// SPDX-License-Identifier: GPL-3.0-or-later
#include "tablerowsmodel.h"

#include "format.h"

using namespace Qt::Literals::StringLiterals;

TableRowsModel::TableRowsModel(Database* database, const QString& table, QObject* parent)
    : QAbstractTableModel(parent)
    , m_reader(database, table)
{
    auto batch = m_reader.next(BatchSize);
    if (!batch) {
        m_error = batch.error().message;
        m_atEnd = true;
        return;
    }
    m_columns = batch->columns;
    m_rows = batch->rows;
    m_atEnd = batch->atEnd;
}

int TableRowsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int TableRowsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_columns.size());
}

QVariant TableRowsModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const QVariant& value = m_rows.at(index.row()).at(index.column());
    if (role == Qt::DisplayRole) {
        if (value.isNull())
            return u"NULL"_s;
        if (value.typeId() == QMetaType::QByteArray)
            return tr("BLOB, %1").arg(Format::bytes(value.toByteArray().size()));
        QString text = value.toString();
        if (text.size() > 200)
            text = text.left(200) + u'…';
        return text.replace(u'\n', u' ');
    }
    if (role == Qt::ToolTipRole && value.typeId() == QMetaType::QString)
        return value.toString().left(2000);
    if (role == Qt::ForegroundRole && value.isNull())
        return QVariant::fromValue(Qt::gray);
    return {};
}

QVariant TableRowsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole)
        return {};
    if (orientation == Qt::Horizontal)
        return section >= 0 && section < m_columns.size() ? m_columns.at(section) : QVariant();
    return section + 1;
}

bool TableRowsModel::canFetchMore(const QModelIndex& parent) const
{
    return !parent.isValid() && !m_atEnd;
}

void TableRowsModel::fetchMore(const QModelIndex& parent)
{
    if (parent.isValid() || m_atEnd)
        return;
    auto batch = m_reader.next(BatchSize);
    if (!batch) {
        m_error = batch.error().message;
        m_atEnd = true;
        return;
    }
    m_atEnd = batch->atEnd;
    if (batch->rows.isEmpty())
        return;
    beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + batch->rows.size() - 1));
    m_rows += batch->rows;
    endInsertRows();
}
