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
constexpr qint64 LiveAppendCap = 1000000;

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
    m_pages.clear();
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
    } else if (!m_pager->filter().isEmpty()) {
        m_count = 0;
        readFirstPageInBackground();
    } else {
        auto first = m_pager->first(PageRows);
        if (!first) {
            m_error = first.error().message;
            m_count = 0;
            return;
        }
        m_count = first->rows.size();
        m_countExact = first->atEnd;
        m_chainMode = !first->atEnd;
        if (!first->rows.isEmpty())
            (first->atEnd ? m_endKey : m_chainKey) = first->rows.last().key;
        m_pages.insert(0, CachedPage { first.value(), ++m_useClock, false });
    }
    startIndex();
}

int EntryModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(std::min<qint64>(m_count, std::numeric_limits<int>::max()));
}

int EntryModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(view().columns.size());
}

QVariant EntryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Vertical) {
        return role == Qt::DisplayRole ? QVariant(section + 1) : QVariant();
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
    return value;
}

std::optional<EntryRow> EntryModel::rowAt(int row) const
{
    if (!m_pager || row < 0 || row >= m_count)
        return std::nullopt;
    const CachedPage& cached = page(row / PageRows);
    const int offset = row % PageRows;
    if (cached.pending || offset >= cached.page.rows.size())
        return std::nullopt;
    return cached.page.rows.at(offset);
}

Result<QVariantMap> EntryModel::entryAt(int row, qint64 maxLength, QMap<QString, qint64>* cutLengths)
{
    const auto entry = rowAt(row);
    if (!entry)
        return Error { Error::Kind::NotFound, u"row %1 is not loaded"_s.arg(row + 1) };
    return m_pager->entry(entry->key, maxLength, cutLengths);
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

const EntryModel::CachedPage& EntryModel::page(int number) const
{
    auto it = m_pages.find(number);
    if (it != m_pages.end()) {
        it->lastUse = ++m_useClock;
        return *it;
    }
    CachedPage cached;
    auto loaded = loadPage(number);
    cached.lastUse = ++m_useClock;
    if (loaded)
        cached.page = loaded.value();
    else
        cached.pending = true;
    while (m_pages.size() >= MaxCachedPages) {
        auto oldest = std::min_element(m_pages.begin(), m_pages.end(),
            [](const CachedPage& a, const CachedPage& b) { return a.lastUse < b.lastUse; });
        m_pages.erase(oldest);
    }
    return *m_pages.insert(number, cached);
}

Result<EntryPage> EntryModel::loadPage(int number) const
{
    if (m_index && number < m_index->keys.size())
        return m_pager->from(m_index->keys[number], PageRows);
    if (number == 0)
        return m_pager->first(PageRows);
    auto previous = m_pages.constFind(number - 1);
    if (previous != m_pages.cend() && !previous->pending && previous->page.rows.size() == PageRows)
        return m_pager->after(previous->page.rows.last().key, PageRows);
    if (m_minRowid && !m_index)
        return m_pager->from({ *m_minRowid + qint64(number) * PageRows }, PageRows);
    const qint64 start = qint64(number) * PageRows;
    if (m_count - start <= PageRows)
        return m_pager->last(int(m_count - start)); // the tail, read backwards from the end
    return Error { Error::Kind::Other, u"pending: the index has not reached this position yet"_s };
}

bool EntryModel::canFetchMore(const QModelIndex& parent) const
{
    return !parent.isValid() && m_chainMode && !m_chainKey.isEmpty() && !m_fetching;
}

void EntryModel::fetchMore(const QModelIndex& parent)
{
    if (!canFetchMore(parent) || m_count % PageRows != 0)
        return;
    auto next = m_pager->after(m_chainKey, PageRows);
    if (!next) {
        m_error = next.error().message;
        m_chainMode = false;
        return;
    }
    m_chainKey = next->rows.isEmpty() ? QVariantList() : next->rows.last().key;
    m_chainMode = !next->atEnd;
    if (next->rows.isEmpty())
        return;
    const int number = int(m_count / PageRows);
    // Views and testers may ask canFetchMore while rows are being inserted: never nest.
    m_fetching = true;
    beginInsertRows({}, int(m_count), int(m_count + next->rows.size() - 1));
    m_count += next->rows.size();
    m_pages.insert(number, CachedPage { next.value(), ++m_useClock, false });
    endInsertRows();
    m_fetching = false;
}

void EntryModel::startIndex()
{
    if (m_indexing) {
        m_reindexPending = true;
        return;
    }
    m_reindexPending = false;
    m_reindexDelay.stop();
    m_indexClock.start();
    m_indexBuild.waitForFinished(); // a cancelled build still reading (stopIndex waited already)
    const quint64 generation = ++m_generation;
    m_cancel = std::make_shared<std::atomic_bool>(false);
    const QString path = m_database->path();
    const QString table = view().table;
    const EntryFilter filter = m_pager->filter();
    const qint64 estimate = m_count;
    auto cancel = m_cancel;
    m_indexing = true;
    // The worker opens its own read-only connection: connections are never shared across threads.
    // It reports progress to `this`, which waits for it in stopIndex() before going away.
    m_indexBuild = BackgroundTask::run<Result<EntryIndex>>(
        this,
        [this, path, table, filter, estimate, cancel] {
            qint64 reported = 0;
            auto progress = [&](qint64 seen) {
                if (seen - reported < 50 * PageRows)
                    return;
                reported = seen;
                QMetaObject::invokeMethod(
                    this, [this, seen, estimate] { Q_EMIT countProgress(seen, estimate); }, Qt::QueuedConnection);
            };
            return EntryIndex::build(path, table, filter, PageRows, *cancel, progress);
        },
        [this, generation](Result<EntryIndex> index) { applyIndex(generation, index); });
}

void EntryModel::stopIndex()
{
    if (m_cancel)
        m_cancel->store(true);
    m_indexBuild.waitForFinished();
    if (m_indexing)
        ++m_generation; // its result, if not yet delivered, is now stale
    m_indexing = false;
}

void EntryModel::applyIndex(quint64 generation, const Result<EntryIndex>& built)
{
    if (generation != m_generation)
        return; // a superseded build (filter changed, model restarted)
    m_indexing = false;
    if (!built) {
        m_error = built.error().message;
    } else if (built->cancelled) {
        Q_EMIT countCancelled();
    } else {
        m_index = built.value();
        m_chainMode = false;
        m_countExact = true;
        // Rows appended while the index was built follow its last key.
        qint64 count = m_index->count;
        m_endKey = m_index->lastKey;
        if (!m_endKey.isEmpty()) {
            auto more = m_pager->countAfter(m_endKey, LiveAppendCap);
            auto last = m_pager->lastKey();
            if (more && last && last.value()) {
                count += more.value();
                m_endKey = *last.value();
            }
        }
        m_pages.clear();
        resizeTo(count);
        if (m_count > 0)
            Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1));
        Q_EMIT countFinished(m_count);
    }
    m_lastIndexMs = m_indexClock.elapsed();
    if (m_reindexPending)
        scheduleReindex();
}

void EntryModel::scheduleReindex()
{
    // A cache written continuously would otherwise be re-indexed back to back: rebuilding waits
    // four times as long as the last build took (at least a second), keeping the walk light.
    if (m_indexing) {
        m_reindexPending = true;
        return;
    }
    if (!m_reindexDelay.isActive())
        m_reindexDelay.start(int(std::max<qint64>(1000, 4 * m_lastIndexMs)));
}

void EntryModel::cancelCount()
{
    if (!m_indexing)
        return;
    m_reindexPending = false;
    m_cancel->store(true); // the worker stops between two short statements; its result is dropped
}

void EntryModel::resizeTo(qint64 count)
{
    if (count > m_count) {
        beginInsertRows({}, int(m_count), int(count - 1));
        m_count = count;
        endInsertRows();
    } else if (count < m_count) {
        beginRemoveRows({}, int(count), int(m_count - 1));
        m_count = count;
        endRemoveRows();
    }
}

void EntryModel::readFirstPageInBackground()
{
    m_firstPagePending = true;
    const quint64 token = ++m_firstPageToken;
    const QString path = m_database->path();
    const EntryView view = m_pager->view();
    const EntryFilter filter = m_pager->filter();
    // Its own read-only connection: connections are never shared across threads.
    BackgroundTask::run<Result<EntryPage>>(
        this,
        [path, view, filter]() -> Result<EntryPage> {
            auto database = Database::open(path, Database::Mode::ReadOnly);
            if (!database)
                return database.error();
            EntryPager pager(database.value().get(), view);
            pager.setFilter(filter);
            return pager.first(PageRows);
        },
        [this, token](Result<EntryPage> first) { applyFirstPage(token, first); });
}

void EntryModel::applyFirstPage(quint64 token, const Result<EntryPage>& first)
{
    if (token != m_firstPageToken)
        return; // the filter changed meanwhile
    m_firstPagePending = false;
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
    m_pages.insert(0, CachedPage { first.value(), ++m_useClock, false });
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

void EntryModel::setLiveInterval(int intervalMs)
{
    if (intervalMs <= 0)
        m_liveTimer.stop();
    else
        m_liveTimer.start(intervalMs);
}

void EntryModel::checkForChanges()
{
    if (!m_pager)
        return;
    // data_version changes when another connection commits; reading it is one short statement.
    auto version = m_database->queryValue(u"PRAGMA data_version"_s);
    if (!version || version.value() == m_dataVersion)
        return;
    m_dataVersion = version.value();
    if (!m_endKey.isEmpty() && !m_chainMode) {
        auto added = m_pager->countAfter(m_endKey, LiveAppendCap);
        if (added && added.value() > 0) {
            auto newEnd = m_pager->keyAfter(m_endKey, int(added.value()));
            if (newEnd && newEnd.value()) {
                m_endKey = *newEnd.value();
                // The tail page is partial; it is read again with the new rows.
                m_pages.remove(int(m_count / PageRows));
                resizeTo(m_count + added.value());
                Q_EMIT rowsAppended(int(added.value()));
            }
        }
    }
    // Values may have changed anywhere (updates, replaces): re-read what is shown, and rebuild
    // the index so deletions are reconciled.
    m_pages.clear();
    if (m_count > 0)
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1));
    scheduleReindex();
}
