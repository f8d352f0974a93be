// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/entrymodel.h"

#include "common/format.h"
#include "decode/pickle.h"
#include "tasks/backgroundtask.h"

#include <QColor>
#include <QDateTime>
#include <QJsonObject>

using namespace Qt::Literals::StringLiterals;

namespace {
bool isTimeRole(EntryColumn::Role role)
{
    return role == EntryColumn::Role::Created || role == EntryColumn::Role::Accessed
        || role == EntryColumn::Role::Expires;
}

} // namespace

EntryModel::EntryModel(Database* database, const QString& table, QObject* parent, int firstColumn)
    : QAbstractTableModel(parent)
    , m_database(database)
{
    auto view = Profiles::view(database, table, firstColumn);
    auto pager = view ? EntryPager::open(database, std::move(view.value())) : Result<EntryPager>(view.error());
    if (!pager) {
        m_error = pager.error().message;
        return;
    }
    m_pager = std::make_unique<EntryPager>(std::move(pager.value()));
    connect(&m_liveTimer, &QTimer::timeout, this, &EntryModel::checkForChanges);
    m_reindexDelay.setSingleShot(true);
    connect(&m_reindexDelay, &QTimer::timeout, this, &EntryModel::startIndex);
    m_pageReadTimer.setSingleShot(true);
    m_pageReadTimer.setInterval(0);
    connect(&m_pageReadTimer, &QTimer::timeout, this, &EntryModel::readNextPage);
    if (auto version = m_database->queryValue(u"PRAGMA data_version"_s))
        m_dataVersion = version.value();
    initialize();
}

EntryModel::~EntryModel()
{
    stopIndex();
}

const EntryView& EntryModel::view() const
{
    static const EntryView empty;
    return m_pager ? m_pager->view() : empty;
}

void EntryModel::initialize()
{
    m_windowStart = 0;
    m_locate.reset();
    dropPages();
    m_reader = std::make_unique<EntryReader>(m_database->path(), m_pager->view(), m_pager->filter());
    m_fetching = false;
    m_tailReading = false;
    m_tailAgain = false;
    m_index.reset();
    m_chainMode = false;
    m_countExact = false;
    m_endKey.clear();
    m_minRowid.reset();
    auto approximate = m_pager->approximateCount();
    if (approximate && approximate.value() >= 0) {
        m_count = approximate.value();
        auto first = m_pager->firstKey();
        auto last = m_pager->lastKey();
        if (first && first.value() && !m_pager->view().schema.withoutRowid)
            m_minRowid = first.value()->first().toLongLong();
        if (last && last.value())
            m_endKey = *last.value();
    } else {
        // A filter, or no cheap estimate (WITHOUT ROWID, views): rows come page after page,
        // the first one read off the GUI thread (a filter that matches nothing scans it all).
        m_count = 0;
        readFirstPageInBackground();
    }
    m_indexAfterFirstPage = true;
    m_reindexDelay.start(IndexStartDelayMs);
}

int EntryModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : visibleRows(m_count);
}

int EntryModel::visibleRows(qint64 count) const
{
    return int(std::clamp<qint64>(count - m_windowStart, 0, m_windowRows));
}

int EntryModel::windowCount() const
{
    return int(std::max<qint64>(1, (m_count + m_windowRows - 1) / m_windowRows));
}

void EntryModel::showWindow(int window)
{
    const qint64 start = qint64(window) * m_windowRows;
    if (window < 0 || start == m_windowStart || (start >= m_count && start > 0))
        return;
    beginResetModel();
    m_windowStart = start; // the page cache is by table position: pages read stay valid
    endResetModel();
}

void EntryModel::setWindowRows(int rows)
{
    beginResetModel();
    m_windowRows = std::max(PageRows, rows / PageRows * PageRows);
    m_windowStart = 0;
    endResetModel();
}

int EntryModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(view().columns.size());
}

QVariant EntryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Vertical) {
        return role == Qt::DisplayRole ? QVariant(m_windowStart + section + 1) : QVariant();
    }
    if (section < 0 || section >= view().columns.size())
        return {};
    const EntryColumn& column = view().columns[section];
    if (role == Qt::DisplayRole) // a name from the file: bidi overrides and controls shown
        return Format::escapeControl(column.name);
    if (role == Qt::ToolTipRole) {
        const QString roleName = EntryColumn::roleName(column.role);
        const QString sql = Format::escapeControl(column.sql);
        return roleName.isEmpty() ? sql : u"%1 (%2)"_s.arg(sql, roleName);
    }
    return {};
}

QVariant EntryModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const std::optional<EntryRow> row = rowAt(index.row());
    if (!row) {
        if (role == Qt::ToolTipRole) {
            const QString error = page(int((m_windowStart + index.row()) / PageRows)).error;
            return error.isEmpty() ? tr("Reading these rows…") : tr("These rows could not be read: %1").arg(error);
        }
        return role == Qt::DisplayRole ? QVariant(u"…"_s) : QVariant();
    }
    switch (role) {
    case Qt::DisplayRole:
        return display(*row, index.column());
    case Qt::ToolTipRole: {
        const QVariant raw = row->raw.value(index.column());
        if (raw.isValid() && row->values.value(index.column()).typeId() == QMetaType::QDateTime)
            return u"%1 (stored: %2)"_s.arg(row->json(index.column()).toString(), raw.toString());
        if (row->values.value(index.column()).typeId() == QMetaType::QJsonValue)
            return Pickle::text(row->values.value(index.column()).toJsonValue(), 2000);
        const QJsonValue json = row->json(index.column());
        return json.isString() ? json.toString().left(2000) : display(*row, index.column());
    }
    case RawValueRole:
        return row->values.value(index.column());
    case LengthRole:
        return row->lengths.value(index.column());
    case KeyRole:
        return row->key;
    case Qt::ForegroundRole: { // expired entries dimmed
        const int expired = view().columnIndex(EntryColumn::Role::Expired);
        if (expired >= 0 && row->values.value(expired).toBool())
            return QVariant::fromValue(QColor(Qt::gray));
        return {};
    }
    case Qt::TextAlignmentRole: {
        const QVariant& value = row->values.value(index.column());
        const bool number = value.typeId() == QMetaType::LongLong || value.typeId() == QMetaType::Double;
        return QVariant::fromValue(number ? Qt::AlignRight | Qt::AlignVCenter : Qt::AlignLeft | Qt::AlignVCenter);
    }
    default:
        return {};
    }
}

QVariant EntryModel::display(const EntryRow& row, int column) const
{
    const QVariant& value = row.values.value(column);
    if (!value.isValid() || value.isNull())
        return u"NULL"_s;
    if (value.typeId() == QMetaType::QJsonValue) // decoded pickle/JSON: Python-like text
        return Format::escapeControl(Pickle::text(value.toJsonValue(), 200).simplified());
    if (value.typeId() == QMetaType::QDateTime) // local time; the raw value is the tooltip
        return value.toDateTime().toLocalTime().toString(u"yyyy-MM-dd HH:mm:ss"_s);
    if (value.typeId() == QMetaType::Bool)
        return value.toBool() ? u"yes"_s : u"no"_s;
    if (value.typeId() == QMetaType::QByteArray)
        return u"<%1> %2"_s.arg(
            Format::bytes(row.lengths.value(column)), row.json(column)[u"preview"_s].toString().left(48));
    if (isTimeRole(view().columns[column].role) && value.typeId() == QMetaType::Double) {
        const QString date = Format::epochText(value.toDouble());
        if (!date.isEmpty())
            return date;
    }
    if (value.typeId() == QMetaType::QString) {
        const QString text = Format::escapeControl(value.toString().left(200).simplified());
        return row.isTruncated(column) || value.toString().size() > 200 ? text + u"…"_s : text;
    }
    if (value.typeId() == QMetaType::Double) // the view would print 1700000000.5 as 1.7e+09
        return Format::real(value.toDouble());
    return value;
}

int EntryModel::findKey(const QVariantList& key, int nearRow) const
{
    const int last = std::min(rowCount(), nearRow + PageRows + 1);
    for (int row = std::max(0, nearRow - PageRows); row < last; ++row) {
        const auto entry = rowAt(row);
        if (entry && entry->key == key)
            return row;
    }
    return -1;
}

bool EntryModel::canFetchMore(const QModelIndex& parent) const
{
    return !parent.isValid() && m_chainMode && !m_chainKey.isEmpty() && !m_fetching
        && m_count < m_windowStart + m_windowRows;
}

void EntryModel::fetchMore(const QModelIndex& parent)
{
    if (!canFetchMore(parent) || m_count % PageRows != 0)
        return;
    // Views and testers may ask canFetchMore while rows are read or inserted: never nest.
    m_fetching = true;
    const QVariantList key = m_chainKey;
    const quint64 reset = m_resetGeneration;
    m_reader->read<EntryPage>(
        this, [key](EntryPager& pager) { return pager.after(key, PageRows); },
        [this, reset](Result<EntryPage> next) {
            if (reset != m_resetGeneration)
                return; // the filter changed meanwhile
            if (!m_chainMode) {
                m_fetching = false;
                return; // the index arrived meanwhile and placed every row
            }
            if (!next) {
                m_error = next.error().message;
                m_chainMode = false;
                m_fetching = false;
                return;
            }
            m_chainKey = next->rows.isEmpty() ? QVariantList() : next->rows.last().key;
            m_chainMode = !next->atEnd;
            if (!next->rows.isEmpty()) {
                m_pages.insert(int(m_count / PageRows), CachedPage { next.value(), ++m_useClock, false, false, {} });
                resizeTo(m_count + next->rows.size());
            }
            m_fetching = false;
        });
}

void EntryModel::resizeTo(qint64 count)
{
    if (m_windowStart > 0 && count <= m_windowStart) {
        // Entries were deleted and the window is now past the end: show the last window.
        beginResetModel();
        m_count = count;
        m_windowStart = qint64(windowCount() - 1) * m_windowRows;
        endResetModel();
        return;
    }
    const int before = rowCount();
    const int after = visibleRows(count);
    if (after > before) {
        beginInsertRows({}, before, after - 1);
        m_count = count;
        endInsertRows();
    } else if (after < before) {
        beginRemoveRows({}, after, before - 1);
        m_count = count;
        endRemoveRows();
    } else {
        m_count = count; // the change is outside the window
    }
}

void EntryModel::readFirstPageInBackground()
{
    m_firstPagePending = true;
    const quint64 token = ++m_firstPageToken;
    m_reader->read<EntryPage>(
        this, [](EntryPager& pager) { return pager.first(PageRows); },
        [this, token](Result<EntryPage> first) { applyFirstPage(token, first); });
}

void EntryModel::applyFirstPage(quint64 token, const Result<EntryPage>& first)
{
    if (token != m_firstPageToken)
        return; // the filter changed meanwhile
    m_firstPagePending = false;
    if (m_indexAfterFirstPage && !m_indexing)
        startIndex(); // the first rows (or the news that there are none) are in: count the rest
    if (!first) {
        m_error = first.error().message;
        Q_EMIT countFinished(m_count);
        return;
    }
    if (m_countExact || m_count > 0) {
        // The index finished first and already shows every row; it announced its count while
        // this read was still pending (isFiltering()), so say it again now that it is not.
        if (m_countExact)
            Q_EMIT countFinished(m_count);
        else
            Q_EMIT rowsAppended(0);
        return;
    }
    m_countExact = first->atEnd;
    m_chainMode = !first->atEnd;
    if (!first->rows.isEmpty())
        (first->atEnd ? m_endKey : m_chainKey) = first->rows.last().key;
    m_pages.insert(0, CachedPage { first.value(), ++m_useClock, false, false, {} });
    resizeTo(first->rows.size());
    Q_EMIT rowsAppended(int(first->rows.size()));
}

void EntryModel::setFilter(const EntryFilter& filter)
{
    if (!m_pager)
        return;
    stopIndex();
    beginResetModel();
    m_pager->setFilter(filter);
    m_error.clear();
    initialize();
    endResetModel();
}

void EntryModel::locateRowid(qint64 rowid, std::function<void(int row)> found)
{
    if (!m_pager || view().schema.withoutRowid) {
        found(-1);
        return;
    }
    m_locate = Locate { rowid, std::move(found), -1 };
    continueLocate();
}

void EntryModel::continueLocate()
{
    if (!m_locate || !m_index)
        return; // applyIndex and applyPage call again
    if (m_locate->pageStart < 0) {
        // The index holds the first key of every page: the page is the last one starting at or
        // before the rowid.
        const auto& keys = m_index->keys;
        const qint64 rowid = m_locate->rowid;
        const auto after = std::upper_bound(keys.begin(), keys.end(), rowid,
            [](qint64 wanted, const QVariantList& key) { return wanted < key.value(0).toLongLong(); });
        const qint64 page = qint64(after - keys.begin()) - 1;
        if (page < 0) {
            auto done = std::move(m_locate->found);
            m_locate.reset();
            done(-1);
            return;
        }
        m_locate->pageStart = page * PageRows;
        showWindow(int(m_locate->pageStart / m_windowRows));
        if (!rowAt(int(m_locate->pageStart - m_windowStart)))
            return; // being read: applyPage calls again
    }
    const auto cached = m_pages.constFind(int(m_locate->pageStart / PageRows));
    if (cached == m_pages.cend() || cached->pending)
        return;
    int row = -1;
    for (int i = 0; i < cached->page.rows.size(); ++i) {
        if (cached->page.rows[i].key.value(0).toLongLong() == m_locate->rowid) {
            row = int(m_locate->pageStart + i - m_windowStart);
            break;
        }
    }
    auto done = std::move(m_locate->found);
    m_locate.reset();
    done(row);
}
