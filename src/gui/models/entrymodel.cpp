// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/entrymodel.h"

#include "common/format.h"
#include "models/entrycells.h"

using namespace Qt::Literals::StringLiterals;

EntryModel::EntryModel(Database* database, const QString& table, QObject* parent, int firstColumn)
    : EntryTableModel(parent)
    , m_database(database)
    , m_pages([this](int number) { return requestFor(number); })
    , m_follower(database)
    , m_counter(
          [this] {
              // The worker opens its own read-only connection: connections are never shared across threads.
              m_indexEstimate = m_count;
              return [path = m_database->path(), table = view().table, filter = m_pager->filter()](
                         const std::atomic_bool& cancel, const EntryIndex::Progress& progress) {
                  return EntryIndex::build(path, table, filter, PageRows, cancel, progress);
              };
          },
          [this]() -> EntryCounter::Count {
              if (filter().isEmpty())
                  return {};
              // Under a filter, the table's whole count too, once the filtered index is shown: "M of N
              // entries match" follows the writes.
              return [path = m_database->path(), table = view().table](
                         const std::atomic_bool& cancel) { return EntryCounter::countWholeTable(path, table, cancel); };
          })
{
    // The GUI thread never waits for another process's lock (#23.9): a rollback-journal cache
    // whose writer holds it EXCLUSIVE cannot be read; the page shows the table once it can.
    auto pager = [&] {
        const NoLockWait noWait(database);
        auto view = Profiles::view(database, table, firstColumn);
        return view ? EntryPager::open(database, std::move(view.value())) : Result<EntryPager>(view.error());
    }();
    if (!pager) {
        m_waitsForLock = pager.error().kind == Error::Kind::Locked;
        m_error = m_waitsForLock ? tr("Waiting for the cache: another process holds its lock (a write in "
                                      "progress); the table is shown once it lets go…")
                                 : pager.error().message;
        return;
    }
    m_pager = std::make_unique<EntryPager>(std::move(pager.value()));
    connect(&m_pages, &EntryPageCache::pageRead, this, &EntryModel::applyPage);
    connect(&m_counter, &EntryCounter::progress, this,
        [this](qint64 seen) { Q_EMIT countProgress(seen, m_indexEstimate); });
    connect(&m_counter, &EntryCounter::finished, this, &EntryModel::applyIndex);
    connect(&m_counter, &EntryCounter::counted, this, [this](qint64 rows) {
        if (filter().isEmpty())
            return;
        m_unfiltered = TableCount { rows, true }; // counted again after this filter's index
        Q_EMIT rowsAppended(0); // the count shown moved: said again
    });
    connect(&m_follower, &EntryFollower::pollDue, this, &EntryModel::checkForChanges);
    connect(&m_follower, &EntryFollower::appended, this, &EntryModel::applyTail);
    connect(&m_follower, &EntryFollower::countAgain, this, &EntryModel::readTail);
    m_follower.rememberVersion();
    initialize();
}

EntryModel::~EntryModel()
{
    m_counter.stop();
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
    m_reader = std::make_unique<EntryReader>(m_database->path(), m_pager->view(), m_pager->filter());
    m_pages.reset(m_reader.get());
    m_follower.restart();
    m_fetching = false;
    m_index.reset();
    m_chainMode = false;
    m_countExact = false;
    m_endKey.clear();
    m_minRowid.reset();
    // Without waiting for a lock: a cache held by a writer is read from the worker instead.
    const NoLockWait noWait(m_database);
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
    m_counter.startAfterFirstPage();
}

int EntryModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : visibleRows(m_count);
}

int EntryModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(view().columns.size());
}

QVariant EntryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Vertical)
        return rowNumber(section, role);
    if (section < 0 || section >= view().columns.size())
        return {};
    const EntryColumn& column = view().columns[section];
    if (role == Qt::DisplayRole) // a name from the file: bidi overrides and controls shown
        return Format::shortName(column.name);
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
    case RawValueRole:
        return row->values.value(index.column());
    case LengthRole:
        return row->lengths.value(index.column());
    case KeyRole:
        return row->key;
    default:
        return EntryCells::data(view(), *row, index.column(), role);
    }
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
    const CancelToken reads = m_pages.reads();
    m_reader->read<EntryPage>(
        this, [key](EntryPager& pager) { return pager.after(key, PageRows); },
        [this, reads](Result<EntryPage> next) {
            if (!m_pages.isCurrent(reads))
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
                m_pages.insert(int(m_count / PageRows), next.value());
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
    const CancelToken read = m_firstPage.start();
    m_reader->read<EntryPage>(
        this, [](EntryPager& pager) { return pager.first(PageRows); },
        [this, read](Result<EntryPage> first) { applyFirstPage(read, first); });
}

void EntryModel::applyFirstPage(const CancelToken& read, const Result<EntryPage>& first)
{
    if (!m_firstPage.isCurrent(read))
        return; // the filter changed meanwhile
    m_firstPagePending = false;
    m_counter.firstPageShown(); // the first rows (or the news that there are none) are in: count the rest
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
    m_pages.insert(0, first.value());
    resizeTo(first->rows.size());
    Q_EMIT rowsAppended(int(first->rows.size()));
}

void EntryModel::setFilter(const EntryFilter& filter)
{
    if (!m_pager)
        return;
    m_counter.stop();
    if (m_pager->filter().isEmpty())
        m_unfiltered = TableCount { m_count, m_countExact }; // what the table held, unfiltered
    beginResetModel();
    m_pager->setFilter(filter);
    m_error.clear();
    initialize();
    endResetModel();
}

std::optional<EntryTableModel::TableCount> EntryModel::unfilteredCount() const
{
    if (filter().isEmpty())
        return TableCount { m_count, m_countExact };
    return m_unfiltered;
}

void EntryModel::locateRowid(qint64 rowid, int /*shard*/, std::function<void(int row)> found)
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
    const EntryPageCache::Page* cached = m_pages.find(int(m_locate->pageStart / PageRows));
    if (!cached || cached->pending)
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

std::optional<EntryRow> EntryModel::rowAt(int row) const
{
    if (!m_pager || row < 0 || row >= rowCount())
        return std::nullopt;
    const qint64 at = m_windowStart + row; // position in the table
    const EntryPageCache::Page& cached = page(int(at / PageRows));
    const int offset = int(at % PageRows);
    if (cached.pending || offset >= cached.page.rows.size())
        return std::nullopt;
    return cached.page.rows.at(offset);
}

void EntryModel::readEntry(int row, qint64 maxLength, QObject* context, std::function<void(Result<WholeEntry>)> done,
    std::function<QString(const WholeEntry&)> render) const
{
    const auto entry = rowAt(row);
    if (!entry || !m_reader) {
        done(Error { Error::Kind::NotFound, tr("row %1 is not read yet").arg(row + 1) });
        return;
    }
    const QVariantList key = entry->key;
    m_reader->read<WholeEntry>(
        context,
        [key, maxLength, render = std::move(render)](EntryPager& pager) -> Result<WholeEntry> {
            WholeEntry whole;
            auto values = pager.entry(key, maxLength, &whole.cutLengths);
            if (!values)
                return values.error();
            whole.values = values.value();
            auto decoded = pager.decodedEntry(key, maxLength);
            if (!decoded)
                return decoded.error();
            whole.decoded = decoded.value();
            if (render)
                whole.rendered = render(whole);
            return whole;
        },
        std::move(done));
}

void EntryModel::readColumn(int row, const QString& column, QObject* context,
    std::function<void(Result<StoredColumn>)> done, std::function<QString(StoredColumn&)> render) const
{
    const auto entry = rowAt(row);
    if (!entry || !m_reader) {
        done(Error { Error::Kind::NotFound, tr("row %1 is not read yet").arg(row + 1) });
        return;
    }
    m_reader->read<StoredColumn>(
        context,
        [key = entry->key, column, render = std::move(render)](EntryPager& pager) -> Result<StoredColumn> {
            auto value = pager.storedValue(key, column);
            if (!value)
                return value.error();
            StoredColumn stored { std::move(value.value()), QString() };
            if (render)
                stored.rendered = render(stored);
            return stored;
        },
        std::move(done));
}

std::optional<EntryPageCache::Request> EntryModel::requestFor(int number) const
{
    using Kind = EntryPageCache::Request::Kind;
    if (m_index && number < m_index->keys.size())
        return EntryPageCache::Request { Kind::From, m_index->keys[number], PageRows };
    if (number == 0)
        return EntryPageCache::Request { Kind::First, {}, PageRows };
    const EntryPageCache::Page* previous = m_pages.find(number - 1);
    if (previous && !previous->pending && !previous->stale && previous->page.rows.size() == PageRows)
        return EntryPageCache::Request { Kind::After, previous->page.rows.last().key, PageRows };
    if (m_minRowid && !m_index)
        return EntryPageCache::Request { Kind::From, { *m_minRowid + qint64(number) * PageRows }, PageRows };
    const qint64 start = qint64(number) * PageRows;
    if (m_count - start <= PageRows)
        return EntryPageCache::Request { Kind::Last, {},
            int(m_count - start) }; // the tail, read backwards from the end
    return std::nullopt; // the index has not reached this position yet: asked again when it has
}

void EntryModel::applyPage(int number, bool ok)
{
    const EntryPageCache::Page* whole
        = number == 0 && ok && !m_countExact && !m_index && !m_chainMode ? m_pages.find(0) : nullptr;
    if (whole && !whole->pending && !whole->stale && whole->page.atEnd) {
        // The first page holds the whole table (a small one): its count is exact now, not "≈N" until the walk.
        m_countExact = true;
        if (!whole->page.rows.isEmpty())
            m_endKey = whole->page.rows.last().key;
        resizeTo(whole->page.rows.size());
        Q_EMIT countFinished(m_count);
    }
    if (m_pages.find(number)) {
        // Its rows in the window, if any.
        const qint64 first = std::max<qint64>(0, qint64(number) * PageRows - m_windowStart);
        const qint64 last = std::min<qint64>(rowCount(), qint64(number + 1) * PageRows - m_windowStart) - 1;
        if (last >= first) {
            Q_EMIT dataChanged(index(int(first), 0), index(int(last), columnCount() - 1));
            Q_EMIT pageLoaded(int(first), int(last));
        }
        continueLocate();
    }
    if (ok)
        m_counter.firstPageShown(); // the first rows are shown: now the walk over the table may begin
}

void EntryModel::applyIndex(const Result<EntryIndex>& built)
{
    if (!built) {
        m_error = built.error().message;
    } else if (built->cancelled) {
        Q_EMIT countCancelled();
    } else {
        m_index = built.value();
        m_chainMode = false;
        m_countExact = true;
        m_endKey = m_index->lastKey;
        // Pages read before were placed by interpolation: shown until read again by the index.
        m_pages.markAllStale();
        resizeTo(m_index->count);
        if (rowCount() > 0)
            Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1));
        Q_EMIT countFinished(m_count);
        readTail(); // rows appended while the index was built follow its last key
        continueLocate();
    }
}

void EntryModel::cancelCount()
{
    m_counter.cancel();
}

void EntryModel::setLiveInterval(int intervalMs)
{
    m_follower.setInterval(intervalMs);
}

void EntryModel::checkForChanges()
{
    if (!m_pager || !m_follower.poll())
        return;
    readTail();
    // Values may have changed anywhere (updates, replaces): the pages on screen are read again
    // (still showing their rows meanwhile), and the index is rebuilt so deletions are reconciled.
    m_pages.markAllStale();
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1));
    m_counter.schedule();
}

void EntryModel::readTail()
{
    if (m_endKey.isEmpty() || m_chainMode || !m_reader)
        return;
    m_follower.countAfter(*m_reader, m_endKey);
}

void EntryModel::applyTail(const QVariantList& from, const EntryFollower::Tail& tail)
{
    if (from != m_endKey)
        return;
    m_endKey = tail.newEnd;
    m_pages.markStale(int(m_count / PageRows)); // the tail page was partial: it is read again with the new rows
    resizeTo(m_count + tail.added);
    Q_EMIT rowsAppended(int(tail.added));
}
