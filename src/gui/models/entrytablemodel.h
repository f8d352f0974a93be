// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "entries/entrypager.h"
#include "models/entrypagecache.h"

#include <QAbstractTableModel>
#include <QMap>

#include <functional>
#include <optional>

// EntryTableModel: what the Entries page asks of the entries it shows — a window of rows of one
// table (or of the same table in every shard of a FanoutCache), its count, its filter, the whole
// entry of a row read off the GUI thread. EntryModel holds one database's table; FanoutEntryModel
// the shards of a FanoutCache, one after the other. The window (which rows of the table the view
// is given) is kept here, the same for both. GUI thread.
class EntryTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Roles { RawValueRole = Qt::UserRole + 1, LengthRole, KeyRole };
    struct WholeEntry {
        QVariantMap values; // every column as stored (cut to maxLength)
        QMap<QString, qint64> cutLengths; // column → full length, for values cut to maxLength
        // The view's columns decoded as `entries --key` decodes them (whole pickles, value
        // files, times); values of columns without a decoder cut to maxLength as above.
        std::optional<EntryRow> decoded;
        QString rendered; // what readEntry's `render` made of it, on the worker
    };
    // One stored column of an entry, whole and raw (EntryPager::storedValue).
    struct StoredColumn {
        std::optional<StoredValue> value; // nullopt: the entry is gone
        QString rendered; // what readColumn's `render` made of it, on the worker
    };

    static constexpr int PageRows = EntryPageCache::PageRows;
    // The view is given at most this many rows at a time (a window; more are paged with
    // showWindow): QTableView keeps memory and work per row in its vertical header, which for
    // millions of rows delays the first paint and every showing of a table (measured in
    // docs/BENCHMARKS.md, "Numbers behind constants"). A multiple of PageRows.
    static constexpr int WindowRows = 1 << 17;

    using QAbstractTableModel::QAbstractTableModel;

    // The table's columns (of one shard: every shard has the same); a FanoutEntryModel shows one
    // column more after them, the shard.
    virtual const EntryView& view() const = 0;
    // Entries in the table (or matching the filter); rowCount() is the part in the window.
    virtual qint64 totalCount() const = 0;
    qint64 windowStart() const { return m_windowStart; } // table position of row 0
    int windowRows() const { return m_windowRows; }
    int windowCount() const { return int(std::max<qint64>(1, (totalCount() + windowRows() - 1) / windowRows())); }
    int currentWindow() const { return int(windowStart() / windowRows()); }
    // Shows the rows of window `window` (0-based); out of range: nothing changes.
    void showWindow(int window);
    // Windows of `rows` rows (rounded down to whole pages, at least one) from the first: smaller
    // windows for tests; FanoutEntryModel gives its shards one window as large as an int allows
    // (their rows are then their table positions). Resets the model.
    void setWindowRows(int rows);
    virtual QString errorText() const = 0;
    // The table could not be shown because another process holds the cache's lock (the GUI
    // thread does not wait for it): shown again by the page once it may have let go.
    virtual bool waitsForLock() const { return false; }
    virtual bool isCountExact() const = 0;
    // The entries in the table whatever the filter: under a filter, as last counted without one
    // (the footer's "3 of 10 entries match"); nullopt when never counted without one here.
    struct TableCount {
        qint64 count = 0;
        bool exact = false; // false: an estimate, said with "≈"
    };
    virtual std::optional<TableCount> unfilteredCount() const { return std::nullopt; }
    // A filter's first page is being read on a worker.
    virtual bool isFiltering() const = 0;
    // The row (loading its page if needed); nullopt past the end or while its page is pending.
    virtual std::optional<EntryRow> rowAt(int row) const = 0;
    // The whole entry of a row, read and decoded off the GUI thread; done runs on the GUI
    // thread unless context is gone first. maxLength > 0 cuts long values (see
    // EntryPager::entry). render, if given, runs on the worker too.
    virtual void readEntry(int row, qint64 maxLength, QObject* context, std::function<void(Result<WholeEntry>)> done,
        std::function<QString(const WholeEntry&)> render = {}) const = 0;
    // Only the stored column `column` of a row, whole and raw (no other column, nothing decoded),
    // read off the GUI thread: what "Show all" and "Save … to a file…" read. render, if given, runs
    // on the worker and may take the value (moved from: it is in memory once).
    virtual void readColumn(int row, const QString& column, QObject* context,
        std::function<void(Result<StoredColumn>)> done, std::function<QString(StoredColumn&)> render = {}) const = 0;
    // The row holding key, searched within a page either side of nearRow; -1 if not there.
    int findKey(const QVariantList& key, int nearRow) const;
    virtual void setFilter(const EntryFilter& filter) = 0;
    virtual EntryFilter filter() const = 0;
    // Live updates: polls PRAGMA data_version every intervalMs (0 stops).
    virtual void setLiveInterval(int intervalMs) = 0;
    // Stops the background count and index; the count stays approximate.
    virtual void cancelCount() = 0;
    // Finds the entry with that rowid (in shard `shard` of a FanoutCache, else 0): moves the
    // window to it and calls found(row) once its page is read; found(-1) when it is not there.
    virtual void locateRowid(qint64 rowid, int shard, std::function<void(int row)> found) = 0;

Q_SIGNALS:
    void countProgress(qint64 rowsSeen, qint64 estimate);
    void countFinished(qint64 count);
    void rowsAppended(int count);
    void countCancelled();
    void pageLoaded(int firstRow, int lastRow); // rows read off the GUI thread are now shown

protected:
    // The rows of the window that `count` entries fill: what rowCount() is.
    int visibleRows(qint64 count) const;
    // The vertical header's text: a row's position in the table, from 1.
    QVariant rowNumber(int section, int role) const;

    qint64 m_windowStart = 0;
    int m_windowRows = WindowRows;
};
