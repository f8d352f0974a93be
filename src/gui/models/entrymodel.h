// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "entries/entryindex.h"
#include "models/entrycounter.h"
#include "models/entryfollower.h"
#include "models/entrypagecache.h"
#include "models/entrytablemodel.h"
#include "tasks/entryreader.h"

#include <QMap>

#include <functional>
#include <memory>
#include <optional>

// EntryModel: the entries of one table as a table model over EntryPager, sized by the
// approximate count at once and by the exact count when the background EntryIndex arrives.
// It composes three parts: EntryPageCache (the pages read, by table position, in a bounded LRU
// cache, read off the GUI thread through the EntryReader: a page not yet read shows "…" and
// arrives with dataChanged, so a 100 MiB cell or a slow disk never blocks the window),
// EntryCounter (the exact count and sparse index, built in the background once the first page
// is shown) and EntryFollower (commits by other processes: rows appended are counted on the
// reader and inserted precisely with beginInsertRows, so scroll position and selection stay;
// pages on screen are read again, still showing their old rows meanwhile; deletions are
// reconciled when the next index arrives). The model itself places rows: which page a row is
// in and how that page is read (from the index's key, after the previous page, from an
// interpolated rowid, or the tail backwards) and the window of rows given to the view; how a
// cell reads is EntryCells'. GUI thread; the Database must outlive the model.
class EntryModel : public EntryTableModel {
    Q_OBJECT
public:
    static constexpr int MaxCachedPages = EntryPageCache::MaxCachedPages;

    // firstColumn: the first of the EntryView::MaxColumns columns shown of a wider table.
    EntryModel(Database* database, const QString& table, QObject* parent = nullptr, int firstColumn = 0);
    ~EntryModel() override;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;

    const EntryView& view() const override;
    qint64 totalCount() const override { return m_count; }
    QString errorText() const override { return m_error; }
    bool waitsForLock() const override { return m_waitsForLock; }
    bool isCountExact() const override { return m_countExact; }
    std::optional<TableCount> unfilteredCount() const override;
    // A filter's first page is being read on a worker (a filter that matches nothing scans the
    // whole table; that scan must not block the window).
    bool isFiltering() const override { return m_firstPagePending; }
    bool isIndexReady() const { return m_index.has_value(); }
    int cachedPages() const { return m_pages.size(); }
    std::optional<EntryRow> rowAt(int row) const override;
    void readEntry(int row, qint64 maxLength, QObject* context, std::function<void(Result<WholeEntry>)> done,
        std::function<QString(const WholeEntry&)> render = {}) const override;
    void readColumn(int row, const QString& column, QObject* context, std::function<void(Result<StoredColumn>)> done,
        std::function<QString(StoredColumn&)> render = {}) const override;
    // Filters in SQL; resets the model and rebuilds the count and index for the filter.
    void setFilter(const EntryFilter& filter) override;
    EntryFilter filter() const override { return m_pager ? m_pager->filter() : EntryFilter(); }
    void setLiveInterval(int intervalMs) override;
    // One live check now (the timer calls this).
    void checkForChanges();
    void cancelCount() override;
    // Rowid tables: once the index is there, moves the window to the page of that rowid (shard
    // is ignored: one table). A later call replaces an earlier one still looking.
    void locateRowid(qint64 rowid, int shard, std::function<void(int row)> found) override;
    void locateRowid(qint64 rowid, std::function<void(int row)> found) { locateRowid(rowid, 0, std::move(found)); }

private:
    void initialize();
    void applyIndex(const Result<EntryIndex>& built);
    void resizeTo(qint64 count);
    void readFirstPageInBackground();
    void applyFirstPage(const CancelToken& read, const Result<EntryPage>& first);
    const EntryPageCache::Page& page(int number) const { return m_pages.want(number); }
    std::optional<EntryPageCache::Request> requestFor(int number) const;
    void applyPage(int number, bool ok);
    void readTail();
    void continueLocate();
    void applyTail(const QVariantList& from, const EntryFollower::Tail& tail);

    Database* m_database;
    std::unique_ptr<EntryPager> m_pager;
    std::unique_ptr<EntryReader> m_reader; // for the current filter
    QString m_error;
    bool m_waitsForLock = false;
    qint64 m_count = 0;
    bool m_countExact = false;
    std::optional<TableCount> m_unfiltered; // the table without the filter: as the filter was set, then recounted
    bool m_chainMode = false; // no count yet: rows grow by fetchMore, page after page
    QVariantList m_chainKey;
    bool m_fetching = false;
    QVariantList m_endKey; // key of the last row counted
    std::optional<qint64> m_minRowid; // interpolation before the index exists
    std::optional<EntryIndex> m_index;
    mutable EntryPageCache m_pages; // data() reads pages: reading one is not a change of the model
    struct Locate {
        qint64 rowid = 0;
        std::function<void(int)> found;
        qint64 pageStart = -1; // table position of the page that holds it, once known
    };
    std::optional<Locate> m_locate;
    EntryFollower m_follower;
    EntryCounter m_counter;
    qint64 m_indexEstimate = 0; // the count when the running build started, for countProgress
    bool m_firstPagePending = false;
    LatestTask m_firstPage; // results of superseded first-page reads are dropped
};
