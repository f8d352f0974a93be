// SPDX-License-Identifier: GPL-3.0-or-later
// `entries DB [--table T] [--limit N] [--after CURSOR] [--search TEXT] [--key K | --key-json JSON] [--full]`: one
// keyset page of a table, in the cache format's own columns. Opens read-only; never modifies the file.
#include "command.h"
#include "common/format.h"
#include "decode/pickle.h"
#include "entries/entrycursor.h"
#include "entries/entrydecoder.h"
#include "entries/entrypager.h"
#include "entries/keyjson.h"
#include "entries/valuetext.h"
#include "maintenance/cachefolder.h"

#include <QJsonArray>

using namespace Qt::Literals::StringLiterals;

namespace {

QJsonObject pageJson(const EntryPager& pager, const EntryPage& page, int limit)
{
    QJsonArray rows;
    for (const EntryRow& row : page.rows) {
        QJsonObject object;
        for (int c = 0; c < pager.view().columns.size(); ++c)
            object.insert(pager.view().columns[c].name, row.json(c));
        // A decoded value cut at a limit says so (its "… cut at N items" marks where).
        if (!row.cutColumns.isEmpty() && !object.contains(u"truncated"_s))
            object.insert(u"truncated"_s, true);
        rows.append(object);
    }
    const bool more = !page.rows.isEmpty() && page.rows.size() == limit;
    return QJsonObject {
        { u"table"_s, pager.view().table },
        { u"profile"_s, pager.view().profile },
        { u"columns"_s, QJsonArray::fromStringList(pager.view().columnNames()) },
        { u"columns_omitted"_s, pager.view().omittedColumns },
        { u"first_column"_s, pager.view().firstColumn + 1 },
        { u"columns_total"_s, pager.view().totalColumns() },
        { u"rows"_s, rows },
        { u"next_cursor"_s, more ? QJsonValue(EntryCursor::encode(page.rows.last().key)) : QJsonValue() },
    };
}

// maxChars < 0: whole.
QString cellText(const QJsonValue& value, int maxChars = 40)
{
    if (value.isNull())
        return u"NULL"_s;
    if (value.isObject() || value.isArray()) { // decoded pickle/JSON: Python-like text
        const QString text = Pickle::text(value, maxChars < 0 ? 0 : 60).simplified();
        return maxChars >= 0 && text.size() > maxChars ? text.left(maxChars - 1) + u"…"_s : text;
    }
    if (value.isDouble())
        return QString::number(value.toDouble(), 'g', 15);
    if (value.isBool())
        return value.toBool() ? u"true"_s : u"false"_s;
    if (maxChars < 0)
        return value.toString();
    QString text = value.toString().simplified();
    return text.size() > maxChars ? text.left(maxChars - 1) + u"…"_s : text;
}

// A cell of the page: bytes as the GUI's Entries table shows them (ValueText::bytesLine), the rest as cellText.
QString pageCell(const EntryRow& row, int column, const QJsonValue& json)
{
    const QVariant& value = row.values.value(column);
    if (row.repr.contains(column)) // a pickle as Python's repr() writes it
        return row.repr.value(column).size() > 40 ? row.repr.value(column).left(39) + u"…"_s : row.repr.value(column);
    return value.typeId() == QMetaType::QByteArray
        ? ValueText::bytesLine(value.toByteArray(), row.lengths.value(column))
        : cellText(json);
}

QString pageText(const QJsonObject& page, const EntryPage& read)
{
    const QJsonArray columns = page[u"columns"_s].toArray();
    QList<QStringList> cells { {} };
    for (const QJsonValue& column : columns)
        cells[0] << column.toString();
    const QJsonArray rows = page[u"rows"_s].toArray();
    for (qsizetype r = 0; r < rows.size(); ++r) {
        QStringList line;
        for (int c = 0; c < columns.size(); ++c)
            line << pageCell(read.rows.at(r), c, rows.at(r)[columns.at(c).toString()]);
        cells << line;
    }
    QList<int> widths(columns.size(), 0);
    for (const QStringList& line : cells)
        for (int c = 0; c < line.size(); ++c)
            widths[c] = std::max(widths[c], int(line[c].size()));
    QString text = u"table %1 (%2)\n"_s.arg(page[u"table"_s].toString(), page[u"profile"_s].toString());
    for (const QStringList& line : cells) {
        QStringList padded;
        for (int c = 0; c < line.size(); ++c)
            padded << line[c].leftJustified(widths[c]);
        text += padded.join(u"  "_s).trimmed() + u'\n';
    }
    if (const int omitted = page[u"columns_omitted"_s].toInt(); omitted > 0) {
        const int first = page[u"first_column"_s].toInt();
        const int last = first + int(columns.size()) - 1;
        const int total = page[u"columns_total"_s].toInt();
        text += u"(columns %1–%2 of %3 shown, %4 at a time; "_s.arg(first).arg(last).arg(total).arg(
                    EntryView::MaxColumns)
            + (last < total ? u"--columns-from %1 shows the next)\n"_s.arg(last + 1)
                            : u"--columns-from 1 shows the first)\n"_s);
    }
    if (page[u"next_cursor"_s].isString())
        text += u"next page: --after "_s + page[u"next_cursor"_s].toString() + u'\n';
    return text;
}

// One entry (--key) in text: every column whole, decoded values as ValueText writes them.
QString entryText(const EntryView& view, const EntryRow& row)
{
    QString text = u"table %1 (%2)\n"_s.arg(view.table, view.profile);
    for (int c = 0; c < view.columns.size(); ++c) {
        const QVariant& value = row.values.value(c);
        const QJsonValue json = row.json(c);
        QString shown;
        if (value.typeId() == QMetaType::QJsonValue)
            shown = ValueText::of(value.toJsonValue(), 0, 0, row.repr.value(c)).text;
        else if (value.typeId() == QMetaType::QByteArray)
            shown
                = Format::byteCountScaled(row.lengths.value(c)) + u'\n' + ValueText::hexDump(value.toByteArray(), 4096);
        else if (value.typeId() == QMetaType::QDateTime && row.raw.value(c).isValid()
            && row.raw.value(c).typeId() != QMetaType::QByteArray)
            shown = json.toString() + u"   (stored: "_s + row.raw.value(c).toString() + u')';
        else
            shown = cellText(json, -1);
        if (row.cutColumns.contains(c))
            shown += u"\n(cut at a limit: %1 values or 64 levels deep; \"… cut at N items\" marks each place)"_s.arg(
                EntryDecoder::FullDecodeNodes);
        text += u"── %1 ──\n%2\n"_s.arg(view.columns[c].name, shown);
    }
    return text;
}

int runEntries(const QStringList& args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Print one page of entries of DB, keyset-paged (read-only)."_s);
    Cli::addCommonOptions(parser);
    Cli::addReadInPlaceOption(parser);
    parser.addOption({ u"table"_s, u"The table (default: the cache format's main table, else the first)."_s, u"T"_s });
    parser.addOption({ u"limit"_s, u"Rows per page (default 50)."_s, u"N"_s });
    parser.addOption({ u"after"_s, u"Continue after this next_cursor of a previous page."_s, u"CURSOR"_s });
    parser.addOption({ u"search"_s,
        u"Only entries containing TEXT (also inside pickled values and as JSON \\uXXXX escapes)."_s, u"TEXT"_s });
    parser.addOption({ u"expired"_s, u"Only entries that have expired (formats that keep an expiry time)."_s });
    parser.addOption({ u"live"_s, u"Only entries that have not expired."_s });
    parser.addOption({ u"key"_s, u"Only the entry with this key, with its full value."_s, u"K"_s });
    parser.addOption({ u"key-json"_s,
        u"Only the entry whose key decodes to this JSON (tuple and number keys: '[\"user\", 3]', 3), with its "
        "full value."_s,
        u"JSON"_s });
    parser.addOption({ u"full"_s, u"Full values instead of previews."_s });
    parser.addOption({ u"columns-from"_s,
        u"For a table wider than %1 columns: show %1 columns from column N (1-based, default 1)."_s.arg(
            EntryView::MaxColumns),
        u"N"_s });
    parser.addOption({ u"shard"_s,
        u"For a FanoutCache folder: the shard to read (000, 001, …) or a named sub-cache (index/NAME, cache/NAME)."_s,
        u"NNN"_s });
    parser.addPositionalArgument(
        u"DB"_s, u"The SQLite database file, or a diskcache folder (its cache.db), or a FanoutCache folder."_s);
    if (int code = Cli::parse(parser, u"entries"_s, args, 1); code >= 0)
        return code;
    if (parser.isSet(u"key"_s) && parser.isSet(u"key-json"_s))
        return Cli::usageError(u"--key and --key-json: choose one"_s);
    qint64 limit = 50;
    if (!Cli::intOption(parser, u"limit"_s, limit, 1))
        return Cli::Usage;
    auto folder = CacheFolder::resolve(parser.positionalArguments().first());
    if (!folder)
        return Cli::fail(folder.error());
    QString path = folder->databases.value(0, folder->root);
    if (folder->layout == CacheFolder::Layout::Fanout) {
        const int shard = int(folder->labels().indexOf(parser.value(u"shard"_s)));
        if (!parser.isSet(u"shard"_s) || shard < 0)
            return Cli::usageError(u"%1 is a FanoutCache of %2 shards (%3)%4: choose one with --shard %5"_s.arg(
                folder->root, QString::number(folder->shards.size()), folder->shards.join(u", "_s),
                folder->subCaches.isEmpty() ? QString() : u" and sub-caches "_s + folder->subCaches.join(u", "_s),
                folder->shards.value(0)));
        path = folder->everyDatabase().at(shard);
    } else if (parser.isSet(u"shard"_s)) {
        return Cli::usageError(u"--shard: %1 is not a FanoutCache folder"_s.arg(folder->root));
    }
    // A snapshot that a writer changed while it was read is read again.
    for (int attempt = 1;; ++attempt) {
        auto db = Database::open(path, Database::Mode::ReadOnly);
        if (!db)
            return Cli::fail(db.error());
        const auto again = [&db, attempt] {
            if (attempt >= Database::SnapshotAttempts || !db.value()->snapshotOutdated())
                return false;
            Database::pauseBeforeAttempt(attempt);
            return true;
        };
        // Without --table: the format's main table (Cache for diskcache, …), else the first.
        auto view = parser.isSet(u"table"_s) ? Profiles::view(db->get(), parser.value(u"table"_s))
                                             : Profiles::mainView(db->get());
        if (!view) {
            if (again())
                continue;
            return Cli::fail(view.error());
        }
        if (parser.isSet(u"columns-from"_s)) {
            qint64 from = 1;
            if (!Cli::intOption(parser, u"columns-from"_s, from, 1))
                return Cli::Usage;
            if (from > view->totalColumns())
                return Cli::usageError(
                    u"--columns-from: %1 has %2 columns"_s.arg(view->table).arg(view->totalColumns()));
            view = Profiles::view(db->get(), view->table, int(from - 1));
            if (!view) {
                if (again())
                    continue;
                return Cli::fail(view.error());
            }
        }
        auto pager = EntryPager::open(db->get(), std::move(view.value()));
        if (!pager) {
            if (again())
                continue;
            return Cli::fail(pager.error());
        }
        EntryFilter filter;
        filter.text = parser.value(u"search"_s);
        if (parser.isSet(u"expired"_s) || parser.isSet(u"live"_s)) {
            if (parser.isSet(u"expired"_s) && parser.isSet(u"live"_s))
                return Cli::usageError(u"--expired and --live: choose one"_s);
            if (pager->view().columnIndex(EntryColumn::Role::Expired) < 0)
                return Cli::usageError(u"--%1: table %2 (%3) keeps no expiry time"_s.arg(
                    parser.isSet(u"expired"_s) ? u"expired"_s : u"live"_s, pager->view().table, pager->view().profile));
            filter.expiry
                = parser.isSet(u"expired"_s) ? EntryFilter::Expiry::ExpiredOnly : EntryFilter::Expiry::LiveOnly;
        }
        pager->setFilter(filter);
        if (parser.isSet(u"key"_s))
            pager->setKeyEquals(parser.value(u"key"_s));
        if (parser.isSet(u"key-json"_s)) {
            auto json = KeyJson::canonical(parser.value(u"key-json"_s));
            if (!json)
                return Cli::usageError(u"--key-json: "_s + json.error().message);
            pager->setKeyJson(json.value());
        }
        const bool oneKey = parser.isSet(u"key"_s) || parser.isSet(u"key-json"_s);
        pager->setFullValues(parser.isSet(u"full"_s) || oneKey);
        QVariantList after;
        if (parser.isSet(u"after"_s)) {
            auto key = EntryCursor::decode(parser.value(u"after"_s), pager->keySize());
            if (!key)
                return Cli::usageError(u"--after: not a cursor of this table: \"%1\""_s.arg(parser.value(u"after"_s)));
            after = *key;
        }
        auto page = pager->after(after, int(std::min<qint64>(limit, 1000000)));
        if (again())
            continue;
        if (!page)
            return Cli::fail(page.error());
        const QJsonObject json = pageJson(pager.value(), page.value(), int(std::min<qint64>(limit, 1000000)));
        if (parser.isSet(u"json"_s)) {
            Cli::printJson(json);
        } else if (oneKey) {
            QString text;
            for (const EntryRow& row : page->rows)
                text += entryText(pager->view(), row);
            Cli::printText(text.isEmpty() ? u"no entry has that key\n"_s : text);
        } else {
            Cli::printText(pageText(json, page.value()));
        }
        return Cli::Ok;
    }
}

const Cli::RegisterCommand registration(
    { u"entries"_s, u"one page of a table's entries (keyset paging)"_s, runEntries });
} // namespace
