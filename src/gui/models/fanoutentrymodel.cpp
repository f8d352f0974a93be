// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/fanoutentrymodel.h"

#include "common/format.h"

#include <limits>

using namespace Qt::Literals::StringLiterals;

FanoutEntryModel::FanoutEntryModel(const QList<Shard>& shards, const QString& table, QObject* parent, int firstColumn)
    : EntryTableModel(parent)
{
    constexpr int Unwindowed = std::numeric_limits<int>::max() / EntryModel::PageRows * EntryModel::PageRows;
    for (const Shard& shard : shards) {
        const int part = int(m_parts.size());
        auto* model = new EntryModel(shard.database, table, this, firstColumn);
        model->setWindowRows(Unwindowed);
        m_parts.push_back(Part { shard.label, shard.database->path(), model, model->totalCount(), 0, 0 });
        const auto placeAgain = [this, part] { follow(part); };
        connect(model, &QAbstractItemModel::rowsInserted, this, placeAgain);
        connect(model, &QAbstractItemModel::rowsRemoved, this, placeAgain);
        connect(model, &QAbstractItemModel::modelReset, this, placeAgain);
        connect(model, &QAbstractItemModel::dataChanged, this,
            [this, part](const QModelIndex& topLeft, const QModelIndex& bottomRight) {
                mapRows(part, topLeft.row(), bottomRight.row(), [this](int first, int last) {
                    Q_EMIT dataChanged(index(first, 0), index(last, columnCount() - 1));
                });
            });
        connect(model, &EntryTableModel::pageLoaded, this, [this, part](int first, int last) {
            mapRows(part, first, last, [this](int from, int to) { Q_EMIT pageLoaded(from, to); });
        });
        connect(model, &EntryTableModel::countProgress, this, [this, part](qint64 seen, qint64 estimate) {
            m_parts[size_t(part)].seen = seen;
            m_parts[size_t(part)].estimate = estimate;
            qint64 allSeen = 0;
            qint64 allEstimated = 0;
            for (const Part& each : m_parts) {
                allSeen += each.model->isCountExact() ? each.count : each.seen;
                allEstimated += each.model->isCountExact() ? each.count : std::max(each.estimate, each.count);
            }
            Q_EMIT countProgress(allSeen, allEstimated);
        });
        connect(model, &EntryTableModel::countFinished, this, [this] {
            if (isCountExact())
                Q_EMIT countFinished(totalCount());
            else
                Q_EMIT rowsAppended(0); // the count shown moved: said again
        });
        connect(model, &EntryTableModel::countCancelled, this, &EntryTableModel::countCancelled);
        connect(model, &EntryTableModel::rowsAppended, this, &EntryTableModel::rowsAppended);
    }
}

FanoutEntryModel::~FanoutEntryModel()
{
    for (Part& part : m_parts) {
        delete part.model; // disconnects it; its counter's build is waited for
        part.model = nullptr;
    }
}

const EntryView& FanoutEntryModel::view() const
{
    static const EntryView empty;
    return m_parts.empty() ? empty : m_parts.front().model->view();
}

qint64 FanoutEntryModel::totalCount() const
{
    qint64 total = 0;
    for (const Part& part : m_parts)
        total += part.count;
    return total;
}

qint64 FanoutEntryModel::startOf(int part) const
{
    qint64 start = 0;
    for (int i = 0; i < part; ++i)
        start += m_parts[size_t(i)].count;
    return start;
}

int FanoutEntryModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : visibleRows(totalCount());
}

int FanoutEntryModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() || m_parts.empty() ? 0 : m_parts.front().model->columnCount() + 1;
}

FanoutEntryModel::Place FanoutEntryModel::place(int row) const
{
    if (row < 0 || row >= rowCount())
        return {};
    qint64 position = m_windowStart + row;
    for (size_t part = 0; part < m_parts.size(); ++part) {
        if (position < m_parts[part].count)
            return Place { int(part), int(position) };
        position -= m_parts[part].count;
    }
    return {};
}

int FanoutEntryModel::shardOfRow(int row) const
{
    return place(row).part;
}

QString FanoutEntryModel::databasePathOfRow(int row) const
{
    const Place at = place(row);
    return at.part < 0 ? QString() : m_parts[size_t(at.part)].path;
}

QVariant FanoutEntryModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Place at = place(index.row());
    if (at.part < 0)
        return {};
    const Part& part = m_parts[size_t(at.part)];
    if (role == KeyRole) {
        const QVariant key = part.model->data(part.model->index(at.row, 0), KeyRole);
        return key.isValid() ? QVariant(key.toList() << at.part) : QVariant();
    }
    if (index.column() == shardColumn()) {
        if (role == Qt::DisplayRole)
            return part.label;
        if (role == Qt::ToolTipRole)
            return tr("Shard %1 of the FanoutCache: %2").arg(part.label, part.path);
        return {};
    }
    return part.model->data(part.model->index(at.row, index.column()), role);
}

QVariant FanoutEntryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Vertical)
        return rowNumber(section, role);
    if (section == shardColumn()) {
        if (role == Qt::DisplayRole)
            return tr("shard");
        if (role == Qt::ToolTipRole)
            return tr("The shard of the FanoutCache (its folder %1 of %2) that holds the entry")
                .arg(m_parts.front().label + u"…"_s)
                .arg(Format::count(m_parts.size()));
        return {};
    }
    return m_parts.empty() ? QVariant() : m_parts.front().model->headerData(section, orientation, role);
}

bool FanoutEntryModel::canFetchMore(const QModelIndex& parent) const
{
    if (parent.isValid() || totalCount() >= m_windowStart + m_windowRows)
        return false;
    return std::any_of(
        m_parts.begin(), m_parts.end(), [&parent](const Part& part) { return part.model->canFetchMore(parent); });
}

void FanoutEntryModel::fetchMore(const QModelIndex& parent)
{
    // The first shard still paging through a filter's matches: its rows come before the next shard's.
    for (const Part& part : m_parts) {
        if (part.model->canFetchMore(parent)) {
            part.model->fetchMore(parent);
            return;
        }
    }
}

QString FanoutEntryModel::errorText() const
{
    for (const Part& part : m_parts) {
        if (!part.model->errorText().isEmpty())
            return tr("Shard %1: %2").arg(part.label, part.model->errorText());
    }
    return QString();
}

std::optional<EntryTableModel::TableCount> FanoutEntryModel::unfilteredCount() const
{
    TableCount total { 0, true };
    for (const Part& part : m_parts) {
        const auto count = part.model->unfilteredCount();
        if (!count)
            return std::nullopt;
        total.count += count->count;
        total.exact = total.exact && count->exact;
    }
    return total;
}

bool FanoutEntryModel::isCountExact() const
{
    return std::all_of(m_parts.begin(), m_parts.end(), [](const Part& part) { return part.model->isCountExact(); });
}

bool FanoutEntryModel::isFiltering() const
{
    return std::any_of(m_parts.begin(), m_parts.end(), [](const Part& part) { return part.model->isFiltering(); });
}

std::optional<EntryRow> FanoutEntryModel::rowAt(int row) const
{
    const Place at = place(row);
    if (at.part < 0)
        return std::nullopt;
    auto entry = m_parts[size_t(at.part)].model->rowAt(at.row);
    if (entry)
        entry->key << at.part;
    return entry;
}

void FanoutEntryModel::readEntry(int row, qint64 maxLength, QObject* context,
    std::function<void(Result<WholeEntry>)> done, std::function<QString(const WholeEntry&)> render) const
{
    const Place at = place(row);
    if (at.part < 0) {
        done(Error { Error::Kind::NotFound, tr("row %1 is not read yet").arg(row + 1) });
        return;
    }
    m_parts[size_t(at.part)].model->readEntry(at.row, maxLength, context, std::move(done), std::move(render));
}

void FanoutEntryModel::readColumn(int row, const QString& column, QObject* context,
    std::function<void(Result<StoredColumn>)> done, std::function<QString(StoredColumn&)> render) const
{
    const Place at = place(row);
    if (at.part < 0) {
        done(Error { Error::Kind::NotFound, tr("row %1 is not read yet").arg(row + 1) });
        return;
    }
    m_parts[size_t(at.part)].model->readColumn(at.row, column, context, std::move(done), std::move(render));
}

void FanoutEntryModel::setFilter(const EntryFilter& filter)
{
    beginResetModel();
    m_resetting = true;
    m_filter = filter;
    for (Part& part : m_parts) {
        part.model->setFilter(filter);
        part.count = part.model->totalCount();
        part.seen = part.estimate = 0;
    }
    m_windowStart = 0;
    m_resetting = false;
    endResetModel();
}

void FanoutEntryModel::setLiveInterval(int intervalMs)
{
    for (const Part& part : m_parts)
        part.model->setLiveInterval(intervalMs);
}

void FanoutEntryModel::cancelCount()
{
    for (const Part& part : m_parts)
        part.model->cancelCount();
}

void FanoutEntryModel::locateRowid(qint64 rowid, int shard, std::function<void(int row)> found)
{
    if (shard < 0 || shard >= shardCount()) {
        found(-1);
        return;
    }
    m_parts[size_t(shard)].model->locateRowid(rowid, [this, shard, found = std::move(found)](int shardRow) {
        if (shardRow < 0)
            return found(-1);
        const qint64 position = startOf(shard) + shardRow;
        showWindow(int(position / m_windowRows));
        found(int(position - m_windowStart));
    });
}

void FanoutEntryModel::mapRows(int part, int first, int last, const std::function<void(int, int)>& emitFor)
{
    const qint64 start = startOf(part) - m_windowStart;
    const int rows = rowCount();
    const qint64 from = std::max<qint64>(0, start + first);
    const qint64 to = std::min<qint64>(rows - 1, start + std::min<qint64>(last, m_parts[size_t(part)].count - 1));
    if (from <= to)
        emitFor(int(from), int(to));
}

void FanoutEntryModel::follow(int part)
{
    if (m_resetting)
        return;
    Part& changed = m_parts[size_t(part)];
    const qint64 from = changed.count;
    const qint64 to = changed.model->totalCount();
    if (from == to)
        return;
    const qint64 total = totalCount();
    const qint64 newTotal = total + (to - from);
    if (m_windowStart > 0 && newTotal <= m_windowStart) {
        // Entries went and the window is now past the end: show the last window.
        beginResetModel();
        changed.count = to;
        m_windowStart = (newTotal > 0 ? (newTotal - 1) / m_windowRows : 0) * qint64(m_windowRows);
        endResetModel();
        return;
    }
    const qint64 at = startOf(part) + std::min(from, to) - m_windowStart; // where rows come or go, in the window
    const int before = visibleRows(total);
    const int after = visibleRows(newTotal);
    if (at >= m_windowRows) {
        changed.count = to; // after the window: nothing shown moves
        return;
    }
    if (at >= 0 && to > from && after == before + (to - from)) {
        beginInsertRows({}, int(at), int(at + (to - from) - 1)); // room in the window: rows after it keep theirs
        changed.count = to;
        endInsertRows();
        return;
    }
    if (at >= 0 && to < from && after == before - (from - to)) {
        beginRemoveRows({}, int(at), int(at + (from - to) - 1));
        changed.count = to;
        endRemoveRows();
        return;
    }
    // The rows from the change on shift: the window's end grows or shrinks, the rest is read anew.
    if (after > before) {
        beginInsertRows({}, before, after - 1);
        changed.count = to;
        endInsertRows();
    } else if (after < before) {
        beginRemoveRows({}, after, before - 1);
        changed.count = to;
        endRemoveRows();
    } else {
        changed.count = to;
    }
    const int first = int(std::max<qint64>(0, at));
    if (first < after)
        Q_EMIT dataChanged(index(first, 0), index(after - 1, columnCount() - 1));
}
