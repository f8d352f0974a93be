// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "entries/entryrow.h"
#include "entries/profiles.h"
#include "entries/storedvalue.h"

#include <QList>
#include <QVariantList>
#include <QVariantMap>

#include <optional>

struct EntryPage {
    QList<EntryRow> rows;
    bool atEnd = false; // no row after the last one (at the time of the read)
};

// A filter run in SQL: free text over the view's key/prompt expression (or every column when
// the view has no key) and per-column substrings; always bound parameters, never spliced.
struct EntryFilter {
    enum class Expiry { Any, ExpiredOnly, LiveOnly }; // for views with an "expired" column
    QString text;
    QMap<int, QString> columns; // EntryView column index → substring
    Expiry expiry = Expiry::Any;
    bool isEmpty() const { return text.isEmpty() && columns.isEmpty() && expiry == Expiry::Any; }
};

// EntryPager: keyset paging over one table of a Database through its EntryView: on the rowid,
// or on the PRIMARY KEY (composite, text) of WITHOUT ROWID tables. Never OFFSET over the
// table and never a full COUNT(*) up front: every read is one short statement, stepped to the
// end and finalized before returning, so no read transaction outlives a call. Used on the
// thread that owns its Database (the GUI thread for pages, a worker's own connection for
// counts and the sparse index).
class EntryPager {
public:
    static Result<EntryPager> open(Database* database, const QString& table);
    static Result<EntryPager> open(Database* database, EntryView view);
    EntryPager(Database* database, EntryView view);

    const EntryView& view() const { return m_view; }
    Database* database() const { return m_database; }
    int keySize() const { return int(m_keySql.size()); }
    void setFilter(const EntryFilter& filter) { m_filter = filter; }
    const EntryFilter& filter() const { return m_filter; }
    // Whole values instead of previews (one entry, --full); decoders read up to 64 MiB.
    void setFullValues(bool full) { m_fullValues = full; }
    // Only the entry whose key column (as text) equals key (`entries --key`); null: all.
    void setKeyEquals(const QString& key) { m_keyEquals = key; }
    // Only the entry whose key decodes to this JSON (KeyJson::canonical form; `--key-json`).
    void setKeyJson(const QString& json) { m_keyJson = json; }
    // The filter (and key) as one SQL condition with its parameters appended to params, for
    // readers that select the same entries another way (Prune); empty when nothing filters.
    QString filterCondition(QVariantList& params) const;

    Result<EntryPage> first(int limit);
    Result<EntryPage> after(const QVariantList& key, int limit); // rows with key > key
    Result<EntryPage> from(const QVariantList& key, int limit); // rows with key >= key
    Result<EntryPage> last(int limit); // the last `limit` rows, in ascending order
    // Every raw column of the entry with that key. maxLength > 0 cuts TEXT and BLOB values
    // longer than that to their first maxLength characters/bytes inside SQLite (a 100 MiB cell
    // would otherwise be copied whole into the detail pane) and records each cut column's full
    // length in *cutLengths. 0: whole values (copying an entry).
    Result<QVariantMap> entry(
        const QVariantList& key, qint64 maxLength = 0, QMap<QString, qint64>* cutLengths = nullptr);
    // The entry with that key in the view's columns, decoded as `entries --key` decodes it
    // (whole values: pickles, value files, times); columns that are not decoded are cut to
    // maxLength (> 0) as entry() cuts them, with their full length in the row's lengths.
    // Its pickles also as the detail's tree shows them (EntryRow::trees). nullopt when no entry
    // has that key (any more).
    Result<std::optional<EntryRow>> decodedEntry(const QVariantList& key, qint64 maxLength = 0);
    // Only the stored column `column` (a column of the table) of the entry with that key, whole
    // and raw: no other column is read, nothing decoded. nullopt when no entry has that key (any more).
    Result<std::optional<StoredValue>> storedValue(const QVariantList& key, const QString& column);

    // Cheap estimate without a scan: max(rowid)-min(rowid)+1, else sqlite_stat1; -1 unknown.
    Result<qint64> approximateCount();
    // The rowid at `fraction` of the rowid range (rowid tables only): a position estimate.
    Result<std::optional<QVariantList>> keyAtFraction(double fraction);
    Result<std::optional<QVariantList>> firstKey();
    Result<std::optional<QVariantList>> lastKey();
    // Rows after key (all rows when key is empty), counting at most `cap` of them.
    Result<qint64> countAfter(const QVariantList& key, qint64 cap);
    // The key `stride` rows after `key` (the first key when key is empty and stride is 1):
    // one bounded statement; nullopt when fewer rows remain.
    Result<std::optional<QVariantList>> keyAfter(const QVariantList& key, int stride);

private:
    struct Sql {
        QString text;
        QVariantList params;
    };
    QString selectList() const;
    // Text previews are cut by bytes (length() and substr() stop at a NUL character).
    bool cutsTextByBytes(const EntryColumn& column) const;
    static qint64 textPreviewBytes(const EntryColumn& column);
    QString orderBy(bool descending) const;
    // WHERE clause (with leading " WHERE ") for an optional key bound and the filter.
    QString where(const QString& keyOp, const QVariantList& key, QVariantList& params) const;
    Result<EntryPage> readPage(const Sql& sql, int limit, bool reversed);
    Result<std::optional<QVariantList>> readKey(const Sql& sql);

    Database* m_database;
    EntryView m_view;
    QStringList m_keySql;
    EntryFilter m_filter;
    bool m_fullValues = false;
    bool m_trees = false; // decodedEntry: pickles also as the detail's tree shows them (EntryRow::trees)
    qint64 m_plainCut = 0; // with m_fullValues: columns without a decoder cut to this length (decodedEntry)
    QString m_keyEquals;
    QString m_keyJson;
};
