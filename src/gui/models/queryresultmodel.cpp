// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/queryresultmodel.h"
#include "common/format.h"
#include "models/entrycells.h"
#include "models/nullcell.h"

#include <QColor>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::Literals::StringLiterals;

void QueryResultModel::setResult(QueryResult result)
{
    beginResetModel();
    m_result = std::move(result);
    endResetModel();
}

void QueryResultModel::clear()
{
    setResult(QueryResult());
}

int QueryResultModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_result.rows.size());
}

int QueryResultModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_result.columns.size());
}

QVariant QueryResultModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    switch (role) {
    case Qt::DisplayRole:
        return m_result.displayText(index.row(), index.column());
    case CopyRole: {
        const QVariant& stored = m_result.rows.at(index.row()).values.value(index.column());
        return stored.typeId() == QMetaType::LongLong ? stored.toString()
                                                      : m_result.displayText(index.row(), index.column());
    }
    case Qt::ToolTipRole: {
        const EntryRow& row = m_result.rows.at(index.row());
        const QVariant& stored = row.values.value(index.column());
        if (stored.typeId() == QMetaType::QByteArray) // as the Entries table's: the hex dump of what was read
            return EntryCells::bytesToolTip(stored.toByteArray(), row.lengths.value(index.column()));
        if (stored.typeId() == QMetaType::LongLong) // the cell groups its digits: the number as stored
            return stored.toString();
        const QJsonValue value = row.json(index.column());
        if (value.isString())
            return Format::escapeControl(value.toString().left(2000));
        return {};
    }
    case Qt::FontRole: // NULL drawn apart from the text "NULL"
        return NullCell::isNull(m_result.rows.at(index.row()).values.value(index.column())) ? QVariant(NullCell::font())
                                                                                            : QVariant();
    case Qt::ForegroundRole:
        return NullCell::isNull(m_result.rows.at(index.row()).values.value(index.column()))
            ? QVariant::fromValue(QColor(Qt::gray))
            : QVariant();
    case Qt::TextAlignmentRole: {
        const QVariant value = m_result.rows.at(index.row()).values.value(index.column());
        if (value.typeId() == QMetaType::LongLong || value.typeId() == QMetaType::Double)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    }
    default:
        return {};
    }
}

QVariant QueryResultModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole)
        return {};
    if (orientation == Qt::Vertical)
        return section + 1;
    if (section < 0 || section >= m_result.columns.size())
        return {};
    return Format::shortName(m_result.columns.at(section));
}
