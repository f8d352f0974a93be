// SPDX-License-Identifier: GPL-3.0-or-later
#include "entries/entrypager.h"

#include "entries/entrydecoder.h"
#include "entries/expirysql.h"
#include "entries/formatcolumns.h"
#include "entries/keyjson.h"
#include "sqlite/statement.h"

#include <QFileInfo>

#include <sqlite3.h>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace {

QString likePattern(const QString& text)
{
    QString escaped = text;
    escaped.replace(u'\\', u"\\\\"_s).replace(u'%', u"\\%"_s).replace(u'_', u"\\_"_s);
    return u'%' + escaped + u'%';
}

// Cursor values are typed so every SQLite value round-trips exactly: {"i": "<int64 decimal>"},
// {"r": "<double, 17 significant digits>"}, {"t": text}, {"b": base64 BLOB} (docs/CLI.md).
// The text as Python's json.dumps writes it: non-ASCII UTF-16 units as \uXXXX (lowercase).
QByteArray jsonEscaped(const QString& text)
{
    QByteArray out;
    for (QChar c : text) {
        if (c.unicode() < 0x80)
            out += char(c.unicode());
        else
            out += "\\u" + QByteArray::number(c.unicode(), 16).rightJustified(4, '0');
    }
    return out;
}

} // namespace

Result<EntryPager> EntryPager::open(Database* database, const QString& table)
{
    auto view = Profiles::view(database, table);
    if (!view)
        return view.error();
    return open(database, std::move(view.value()));
}

Result<EntryPager> EntryPager::open(Database* database, EntryView view)
{
    if (view.schema.pagingKeySql().isEmpty())
        return Error { Error::Kind::Invalid,
            u"table \"%1\" has neither a usable rowid nor a PRIMARY KEY to page on"_s.arg(view.table) };
    return EntryPager(database, std::move(view));
}

EntryPager::EntryPager(Database* database, EntryView view)
    : m_database(database)
    , m_view(std::move(view))
    , m_keySql(m_view.schema.pagingKeySql())
{
    if (m_database && m_database->handle()) {
        ExpirySql::install(m_database->handle()); // for the expired/live filter
        KeyJson::install(m_database->handle()); // for --key-json
    }
}

bool EntryPager::cutsTextByBytes(const EntryColumn& column) const
{
    return column.decode == EntryColumn::Decode::None && column.previewChars > 0 && !m_fullValues;
}

qint64 EntryPager::textPreviewBytes(const EntryColumn& column)
{
    return qint64(column.previewChars) * 4; // enough bytes for previewChars characters of UTF-8
}

QString EntryPager::selectList() const
{
    QStringList items = m_keySql;
    for (const EntryColumn& column : m_view.columns) {
        if (cutsTextByBytes(column)) {
            // SQLite's length() and substr() stop text at its first NUL; bytes do not.
            items << FormatColumns::byteLength(column.sql);
            // substr() of an empty blob is NULL: coalesce keeps '' and x'' what they are.
            items << u"CASE typeof(%1) WHEN 'text' THEN coalesce(CAST(substr(CAST(%1 AS BLOB), 1, %2) AS TEXT), '') "
                     "WHEN 'blob' THEN coalesce(substr(%1, 1, %3), x'') ELSE %1 END"_s.arg(column.sql)
                         .arg(textPreviewBytes(column))
                         .arg(column.previewChars);
            continue;
        }
        items << u"length("_s + column.sql + u')';
        if (column.decode != EntryColumn::Decode::None) {
            // Decoders need the whole value (a pickle cut short does not decode), up to a bound.
            const qint64 cap = m_fullValues ? EntryDecoder::FullDecodeBytes : EntryDecoder::PreviewDecodeBytes;
            items
                << u"CASE WHEN typeof(%1) IN ('text', 'blob') AND length(%1) > %2 THEN substr(%1, 1, %3) ELSE %1 END"_s
                       .arg(column.sql)
                       .arg(cap)
                       .arg(std::max(column.previewChars, 64));
            items << (column.auxSql.isEmpty() ? u"NULL"_s : column.auxSql);
        } else if (m_fullValues && m_plainCut > 0)
            items
                << u"CASE WHEN typeof(%1) IN ('text', 'blob') AND length(%1) > %2 THEN substr(%1, 1, %2) ELSE %1 END"_s
                       .arg(column.sql)
                       .arg(m_plainCut);
        else if (column.previewChars > 0 && !m_fullValues)
            items
                << u"CASE WHEN typeof(%1) IN ('text', 'blob') AND length(%1) > %2 THEN substr(%1, 1, %2) ELSE %1 END"_s
                       .arg(column.sql)
                       .arg(column.previewChars);
        else
            items << column.sql;
    }
    return items.join(u", "_s);
}

QString EntryPager::orderBy(bool descending) const
{
    QStringList items;
    for (const QString& key : m_keySql)
        items << key + (descending ? u" DESC"_s : QString());
    return u" ORDER BY "_s + items.join(u", "_s);
}

QString EntryPager::where(const QString& keyOp, const QVariantList& key, QVariantList& params) const
{
    QStringList conditions;
    if (!key.isEmpty()) {
        QStringList marks;
        for (const QVariant& value : key) {
            params << value;
            marks << u"?"_s;
        }
        if (m_keySql.size() == 1)
            conditions << m_keySql.first() + u' ' + keyOp + u' ' + marks.first();
        else
            conditions << u"("_s + m_keySql.join(u", "_s) + u") "_s + keyOp + u" ("_s + marks.join(u", "_s) + u')';
    }
    if (!m_filter.text.isEmpty()) {
        // Stays in SQLite: LIKE over the text, plus byte searches that also find the text inside
        // pickled BLOBs (pickles hold str as UTF-8) and in its \uXXXX form in JSON (docs/FORMATS.md).
        QStringList over;
        if (!m_view.searchSql.isEmpty())
            over << m_view.searchSql;
        for (const EntryColumn& column : m_view.columns) {
            const bool decoded = column.decode != EntryColumn::Decode::None
                && column.decode != EntryColumn::Decode::Bool && column.decode != EntryColumn::Decode::EpochTime;
            if ((m_view.searchSql.isEmpty() || decoded || column.searched || column.role == EntryColumn::Role::Value)
                && !over.contains(column.sql))
                over << column.sql;
        }
        const QByteArray utf8 = m_filter.text.toUtf8();
        const QByteArray escaped = jsonEscaped(m_filter.text);
        QStringList any;
        for (const QString& sql : over) {
            any << u"CAST(("_s + sql + u") AS TEXT) LIKE ? ESCAPE '\\'"_s;
            params << likePattern(m_filter.text);
            any << u"instr(CAST(("_s + sql + u") AS BLOB), ?) > 0"_s;
            params << utf8;
            if (escaped != utf8) {
                any << u"instr(CAST(("_s + sql + u") AS BLOB), ?) > 0"_s;
                params << escaped;
            }
        }
        conditions << u"("_s + any.join(u" OR "_s) + u')';
    }
    const int keyColumn = m_view.columnIndex(EntryColumn::Role::Key);
    const QString keySql = u"("_s + (keyColumn >= 0 ? m_view.columns[keyColumn].sql : m_keySql.first()) + u')';
    if (!m_keyJson.isNull()) {
        if (const auto bytes = KeyJson::bytesOf(m_keyJson)) { // a key stored as these very bytes
            conditions << u"typeof"_s + keySql + u" = 'blob' AND "_s + keySql + u" = ?"_s;
            params << *bytes;
        } else {
            conditions << u"cachescope_key_json"_s + keySql + u" = ?"_s;
            params << m_keyJson;
        }
    }
    if (!m_keyEquals.isNull()) {
        // Equal as text; a key stored as bytes only when no other key is equal (diskcache keeps
        // b'abc' and 'abc' apart: --key-json '{"base64": "YWJj"}' finds the bytes one).
        const QString asText = u"CAST("_s + keySql + u" AS TEXT) = ?"_s;
        conditions << u"("_s + asText + u" AND (typeof"_s + keySql + u" <> 'blob' OR NOT EXISTS (SELECT 1 FROM "_s
                + Database::quoteIdentifier(m_view.table) + u" WHERE "_s + asText + u" AND typeof"_s + keySql
                + u" <> 'blob')))"_s;
        params << m_keyEquals << m_keyEquals;
    }
    for (auto it = m_filter.columns.cbegin(); it != m_filter.columns.cend(); ++it) {
        if (it.key() < 0 || it.key() >= m_view.columns.size() || it.value().isEmpty())
            continue;
        conditions << u"CAST(("_s + m_view.columns[it.key()].sql + u") AS TEXT) LIKE ? ESCAPE '\\'"_s;
        params << likePattern(it.value());
    }
    if (m_filter.expiry != EntryFilter::Expiry::Any) {
        // A view without expiry has no expired entries (the GUI and CLI offer it only with one).
        const QString expired = ExpirySql::expiredCondition(m_view);
        conditions << (expired.isEmpty()                              ? u"0"_s
                : m_filter.expiry == EntryFilter::Expiry::ExpiredOnly ? expired
                                                                      : u"NOT "_s + expired);
    }
    return conditions.isEmpty() ? QString() : u" WHERE "_s + conditions.join(u" AND "_s);
}

QString EntryPager::filterCondition(QVariantList& params) const
{
    return where(QString(), {}, params).mid(7); // without " WHERE "
}

Result<EntryPage> EntryPager::readPage(const Sql& sql, int limit, bool reversed)
{
    auto statement = Statement::prepare(m_database->handle(), sql.text);
    if (!statement)
        return Error { statement.error().kind, u"reading %1: %2"_s.arg(m_view.table, statement.error().message) };
    for (int i = 0; i < sql.params.size(); ++i)
        statement->bind(i + 1, sql.params[i]);
    statement->bind(int(sql.params.size()) + 1, limit);
    EntryPage page;
    const int keys = keySize();
    const QString directory = QFileInfo(m_database->path()).absolutePath();
    int rc;
    while ((rc = statement->step()) == SQLITE_ROW) {
        EntryRow row;
        for (int k = 0; k < keys; ++k)
            row.key << statement->keyColumn(k);
        EntryDecoder::RowCache cache;
        int at = keys;
        for (const EntryColumn& column : m_view.columns) {
            qint64 length = statement->column(at++).toLongLong();
            QVariant value = statement->column(at++);
            if (cutsTextByBytes(column) && value.typeId() == QMetaType::QString) {
                // length is in bytes here: the text is whole when it fit in the bytes read.
                QString text = value.toString();
                if (length <= textPreviewBytes(column))
                    length = text.size();
                if (text.size() > column.previewChars) {
                    text.truncate(column.previewChars);
                    length = std::max<qint64>(length, column.previewChars + 1);
                }
                value = text;
            }
            if (column.decode != EntryColumn::Decode::None) {
                const QVariant aux = statement->column(at++);
                auto decoded = EntryDecoder::decode(column, value, aux, directory, m_fullValues, cache, m_trees);
                if (decoded.truncated)
                    row.cutColumns << int(row.values.size());
                if (!decoded.repr.isEmpty())
                    row.repr.insert(int(row.values.size()), decoded.repr);
                if (!decoded.tree.isUndefined())
                    row.trees.insert(int(row.values.size()), decoded.tree);
                if (decoded.length >= 0)
                    length = decoded.length;
                else if (decoded.value.typeId() == QMetaType::QString
                    && (column.decode == EntryColumn::Decode::PickleField || value.typeId() != QMetaType::QString))
                    length = decoded.value.toString().size();
                row.raw << (decoded.stored.isValid() ? decoded.stored : value);
                value = decoded.value;
            } else {
                row.raw << QVariant();
            }
            row.lengths << length;
            row.values << value;
        }
        page.rows << row;
    }
    if (rc != SQLITE_DONE)
        return m_database->lastError(u"reading "_s + m_view.table);
    statement->finalize();
    page.atEnd = page.rows.size() < limit;
    if (reversed)
        std::reverse(page.rows.begin(), page.rows.end());
    return page;
}

Result<EntryPage> EntryPager::first(int limit)
{
    return after({}, limit);
}

Result<EntryPage> EntryPager::after(const QVariantList& key, int limit)
{
    Sql sql;
    sql.text = u"SELECT "_s + selectList() + u" FROM "_s + Database::quoteIdentifier(m_view.table)
        + where(u">"_s, key, sql.params) + orderBy(false) + u" LIMIT ?"_s;
    return readPage(sql, limit, false);
}

Result<EntryPage> EntryPager::from(const QVariantList& key, int limit)
{
    Sql sql;
    sql.text = u"SELECT "_s + selectList() + u" FROM "_s + Database::quoteIdentifier(m_view.table)
        + where(u">="_s, key, sql.params) + orderBy(false) + u" LIMIT ?"_s;
    return readPage(sql, limit, false);
}

Result<EntryPage> EntryPager::last(int limit)
{
    Sql sql;
    sql.text = u"SELECT "_s + selectList() + u" FROM "_s + Database::quoteIdentifier(m_view.table)
        + where(QString(), {}, sql.params) + orderBy(true) + u" LIMIT ?"_s;
    auto page = readPage(sql, limit, true);
    if (page)
        page->atEnd = true;
    return page;
}

Result<QVariantMap> EntryPager::entry(const QVariantList& key, qint64 maxLength, QMap<QString, qint64>* cutLengths)
{
    QVariantList params;
    QString columns = u"*"_s;
    const QStringList names = m_view.schema.columnNames();
    if (maxLength > 0 && !names.isEmpty() && names.size() <= 900) { // 2 values per column, ≤ 2,000
        QStringList parts;
        for (const QString& name : names) {
            const QString q = Database::quoteIdentifier(name);
            parts << u"CASE WHEN length(%1) > %2 THEN substr(%1, 1, %2) ELSE %1 END AS %1, length(%1)"_s.arg(
                q, QString::number(maxLength));
        }
        columns = parts.join(u", "_s);
    }
    const QString sql = u"SELECT "_s + columns + u" FROM "_s + Database::quoteIdentifier(m_view.table)
        + where(u"="_s, key, params) + u" LIMIT 1"_s;
    auto statement = Statement::prepare(m_database->handle(), sql);
    if (!statement)
        return statement.error();
    for (int i = 0; i < params.size(); ++i)
        statement->bind(i + 1, params[i]);
    QVariantMap entry;
    const int rc = statement->step();
    if (rc == SQLITE_ROW && columns != u"*"_s) {
        for (int c = 0; c + 1 < statement->columnCount(); c += 2) {
            const QString name = names.value(c / 2);
            entry.insert(name, statement->column(c));
            const qint64 length = statement->column(c + 1).toLongLong();
            if (cutLengths && length > maxLength)
                cutLengths->insert(name, length);
        }
    } else if (rc == SQLITE_ROW) {
        for (int c = 0; c < statement->columnCount(); ++c)
            entry.insert(statement->columnName(c), statement->column(c));
    } else if (rc != SQLITE_DONE) {
        return m_database->lastError(u"reading an entry of "_s + m_view.table);
    }
    return entry;
}

Result<std::optional<StoredValue>> EntryPager::storedValue(const QVariantList& key, const QString& column)
{
    if (!m_view.schema.columnNames().contains(column))
        return Error { Error::Kind::NotFound, u"the table %1 has no column %2"_s.arg(m_view.table, column) };
    QVariantList params;
    auto statement = Statement::prepare(m_database->handle(),
        u"SELECT "_s + Database::quoteIdentifier(column) + u" FROM "_s + Database::quoteIdentifier(m_view.table)
            + where(u"="_s, key, params) + u" LIMIT 1"_s);
    if (!statement)
        return statement.error();
    for (int i = 0; i < params.size(); ++i)
        statement->bind(i + 1, params[i]);
    const int rc = statement->step();
    if (rc == SQLITE_ROW)
        return std::optional(StoredValue::fromColumn(statement->handle(), 0));
    if (rc != SQLITE_DONE)
        return m_database->lastError(u"reading an entry of "_s + m_view.table);
    return std::optional<StoredValue>();
}

Result<std::optional<EntryRow>> EntryPager::decodedEntry(const QVariantList& key, qint64 maxLength)
{
    struct Restore { // the pager reads pages again after this one entry
        EntryPager& pager;
        bool full;
        qint64 cut;
        bool trees;
        ~Restore()
        {
            pager.m_fullValues = full;
            pager.m_plainCut = cut;
            pager.m_trees = trees;
        }
    } restore { *this, m_fullValues, m_plainCut, m_trees };
    m_fullValues = true;
    m_trees = true;
    m_plainCut = std::max<qint64>(0, maxLength);
    Sql sql;
    sql.text = u"SELECT "_s + selectList() + u" FROM "_s + Database::quoteIdentifier(m_view.table)
        + where(u"="_s, key, sql.params) + u" LIMIT ?"_s;
    auto page = readPage(sql, 1, false);
    if (!page)
        return page.error();
    if (page->rows.isEmpty())
        return std::optional<EntryRow>();
    return std::optional<EntryRow>(page->rows.first());
}

Result<std::optional<QVariantList>> EntryPager::readKey(const Sql& sql)
{
    auto statement = Statement::prepare(m_database->handle(), sql.text);
    if (!statement)
        return statement.error();
    for (int i = 0; i < sql.params.size(); ++i)
        statement->bind(i + 1, sql.params[i]);
    const int rc = statement->step();
    if (rc == SQLITE_DONE)
        return std::optional<QVariantList>();
    if (rc != SQLITE_ROW)
        return m_database->lastError(u"reading keys of "_s + m_view.table);
    QVariantList key;
    for (int k = 0; k < statement->columnCount(); ++k)
        key << statement->keyColumn(k);
    if (key.first().isNull()) // min()/max() of an empty table
        return std::optional<QVariantList>();
    return std::optional<QVariantList>(key);
}

Result<std::optional<QVariantList>> EntryPager::firstKey()
{
    return keyAfter({}, 1);
}

Result<std::optional<QVariantList>> EntryPager::lastKey()
{
    Sql sql;
    sql.text = u"SELECT "_s + m_keySql.join(u", "_s) + u" FROM "_s + Database::quoteIdentifier(m_view.table)
        + where(QString(), {}, sql.params) + orderBy(true) + u" LIMIT 1"_s;
    return readKey(sql);
}

Result<std::optional<QVariantList>> EntryPager::keyAfter(const QVariantList& key, int stride)
{
    // The OFFSET here skips at most one stride of rows after a keyset bound, never a
    // position counted from the start of the table.
    Sql sql;
    sql.text = u"SELECT "_s + m_keySql.join(u", "_s) + u" FROM "_s + Database::quoteIdentifier(m_view.table)
        + where(u">"_s, key, sql.params) + orderBy(false) + u" LIMIT 1 OFFSET %1"_s.arg(std::max(0, stride - 1));
    return readKey(sql);
}

Result<std::optional<QVariantList>> EntryPager::keyAtFraction(double fraction)
{
    if (m_view.schema.withoutRowid || !m_filter.isEmpty())
        return std::optional<QVariantList>();
    const QString table = Database::quoteIdentifier(m_view.table);
    const QString rowid = m_keySql.first();
    Sql sql;
    sql.text = u"SELECT %1 FROM %2 WHERE %1 >= (SELECT min(%1) FROM %2) + CAST(((SELECT max(%1) FROM %2) - "
               "(SELECT min(%1) FROM %2)) * ? AS INTEGER) ORDER BY %1 LIMIT 1"_s.arg(rowid, table);
    sql.params << std::clamp(fraction, 0.0, 1.0);
    return readKey(sql);
}

Result<qint64> EntryPager::countAfter(const QVariantList& key, qint64 cap)
{
    QVariantList params;
    const QString sql = u"SELECT count(*) FROM (SELECT 1 FROM "_s + Database::quoteIdentifier(m_view.table)
        + where(u">"_s, key, params) + u" LIMIT %1)"_s.arg(cap);
    auto statement = Statement::prepare(m_database->handle(), sql);
    if (!statement)
        return statement.error();
    for (int i = 0; i < params.size(); ++i)
        statement->bind(i + 1, params[i]);
    if (statement->step() != SQLITE_ROW)
        return m_database->lastError(u"counting rows of "_s + m_view.table);
    return statement->column(0).toLongLong();
}

Result<qint64> EntryPager::approximateCount()
{
    if (!m_filter.isEmpty())
        return qint64(-1);
    const QString table = Database::quoteIdentifier(m_view.table);
    if (!m_view.schema.withoutRowid) {
        const QString rowid = m_keySql.first();
        // Two statements: SQLite answers a lone min() or max() from the b-tree's edge, but
        // scans the whole table for both in one SELECT.
        // The rowid range overstates tables whose rowids are far apart (FTS5 keeps segment
        // blocks at rowids near 2^37; anyone may insert rowid 2^62): no table holds more rows
        // than its database's bytes / 4 (a leaf cell takes at least a 2-byte pointer, a payload
        // length, a rowid and a record header), so the estimate is never above that.
        auto value = m_database->queryValue(u"SELECT min((SELECT max(%1) FROM %2) - (SELECT min(%1) FROM %2) + 1, "
                                            "(SELECT page_count FROM pragma_page_count()) * "
                                            "(SELECT page_size FROM pragma_page_size()) / 4)"_s.arg(rowid, table));
        if (!value)
            return value.error();
        return value->isNull() ? 0 : std::max<qint64>(0, value->toLongLong());
    }
    // sqlite_stat1 (written by ANALYZE) starts each index's stat with its row count.
    auto hasStat = m_database->queryValue(u"SELECT count(*) FROM sqlite_schema WHERE name = 'sqlite_stat1'"_s);
    if (!hasStat || hasStat->toLongLong() == 0)
        return qint64(-1);
    auto statement
        = Statement::prepare(m_database->handle(), u"SELECT stat FROM sqlite_stat1 WHERE tbl = ?1 LIMIT 1"_s);
    if (!statement)
        return qint64(-1);
    statement->bind(1, m_view.table);
    if (statement->step() != SQLITE_ROW)
        return qint64(-1);
    return statement->column(0).toString().section(u' ', 0, 0).toLongLong();
}
