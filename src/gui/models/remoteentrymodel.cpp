// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/remoteentrymodel.h"

#include "common/format.h"
#include "models/clicall.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::Literals::StringLiterals;

namespace {
QString cellText(const QJsonValue& value)
{
    QString text;
    if (value.isNull() || value.isUndefined())
        return u"NULL"_s;
    if (value.isString())
        text = value.toString();
    else if (value.isDouble())
        text = Format::real(value.toDouble());
    else if (value.isBool())
        text = value.toBool() ? u"true"_s : u"false"_s;
    else
        text = QString::fromUtf8(value.isArray() ? QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact)
                                                 : QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    text = Format::escapeControl(text.simplified());
    return text.size() > RemoteEntryModel::CellChars ? text.left(RemoteEntryModel::CellChars) + u'…' : text;
}
} // namespace

RemoteEntryModel::RemoteEntryModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

void RemoteEntryModel::setSource(const QString& address, const QStringList& extraArgs, const QString& search)
{
    beginResetModel();
    m_address = address;
    m_extraArgs = extraArgs;
    m_search = search;
    m_table.clear();
    m_columns.clear();
    m_rows = {};
    m_nextCursor.clear();
    m_reading = false;
    m_source.start();
    endResetModel();
    read({});
}

void RemoteEntryModel::read(const QString& cursor)
{
    QStringList args { u"entries"_s, m_address, u"--json"_s, u"--limit"_s, QString::number(PageRows) };
    if (!cursor.isEmpty())
        args << u"--after"_s << cursor;
    if (!m_search.isEmpty())
        args << u"--search"_s << m_search;
    m_reading = true;
    const CancelToken source = m_source.current();
    CliCall::run(this, args + m_extraArgs, [this, source](const CliCall::Outcome& outcome) {
        if (!m_source.isCurrent(source))
            return;
        m_reading = false;
        if (!outcome.ok()) {
            Q_EMIT failed(
                outcome.error.isEmpty() ? tr("entries ended with exit code %1").arg(outcome.exitCode) : outcome.error);
            return;
        }
        const QJsonObject page = QJsonDocument::fromJson(outcome.out).object();
        const QJsonArray rows = page[u"rows"_s].toArray();
        if (m_columns.isEmpty()) {
            beginResetModel();
            m_table = page[u"table"_s].toString();
            for (const QJsonValue& column : page[u"columns"_s].toArray())
                m_columns.append(column.toString());
            endResetModel();
        }
        if (!rows.isEmpty()) {
            beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + rows.size() - 1));
            for (const QJsonValue& row : rows)
                m_rows.append(row);
            endInsertRows();
        }
        m_nextCursor = page[u"next_cursor"_s].toString();
        Q_EMIT pageRead(int(rows.size()), outcome.elapsedMs);
    });
}

int RemoteEntryModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int RemoteEntryModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_columns.size());
}

QVariant RemoteEntryModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size() || index.column() >= m_columns.size())
        return {};
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    return cellText(m_rows.at(index.row()).toObject().value(m_columns.at(index.column())));
}

QVariant RemoteEntryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole || section < 0)
        return {};
    if (orientation == Qt::Vertical)
        return section + 1;
    return section < m_columns.size() ? QVariant(m_columns.at(section)) : QVariant();
}

bool RemoteEntryModel::canFetchMore(const QModelIndex& parent) const
{
    return !parent.isValid() && !m_reading && !m_nextCursor.isEmpty();
}

void RemoteEntryModel::fetchMore(const QModelIndex& parent)
{
    if (canFetchMore(parent))
        read(m_nextCursor);
}
