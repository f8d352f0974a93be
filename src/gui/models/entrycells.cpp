// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/entrycells.h"
#include "models/nullcell.h"

#include "common/format.h"
#include "decode/pickle.h"
#include "entries/cacheformats.h"
#include "entries/valuetext.h"

#include <QColor>
#include <QDateTime>
#include <QJsonObject>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace {
bool isTimeRole(EntryColumn::Role role)
{
    return role == EntryColumn::Role::Created || role == EntryColumn::Role::Accessed
        || role == EntryColumn::Role::Expires;
}
} // namespace

QVariant EntryCells::data(const EntryView& view, const EntryRow& row, int column, int role)
{
    switch (role) {
    case Qt::DisplayRole:
        return display(view, row, column);
    case Qt::ToolTipRole: {
        if (NullCell::isNull(row.values.value(column))) { // "never expires" where the cell says "never"
            const QString words = CacheFormats::byId(view.profile).shownValueWords(view.columns[column].name, {});
            return words.isEmpty() ? display(view, row, column) : QVariant(words);
        }
        const QVariant raw = row.raw.value(column);
        if (raw.isValid() && row.values.value(column).typeId() == QMetaType::QDateTime)
            return u"%1 (stored: %2)"_s.arg(row.json(column).toString(), raw.toString());
        if (row.repr.contains(column)) // a pickle as Python's repr() writes it
            return EntryCells::cut(row.repr.value(column), 2000);
        if (row.values.value(column).typeId() == QMetaType::QJsonValue)
            return Pickle::text(row.values.value(column).toJsonValue(), 2000);
        if (row.values.value(column).typeId() == QMetaType::QByteArray) // the bytes read, as a hex dump shows them
            return bytesToolTip(row.values.value(column).toByteArray(), row.lengths.value(column));
        if (row.values.value(column).typeId() == QMetaType::LongLong && holdsBytes(view.columns[column]))
            return Format::byteCount(row.values.value(column).toLongLong()); // the exact count the cell rounds
        const QJsonValue json = row.json(column);
        return json.isString() ? json.toString().left(2000) : display(view, row, column);
    }
    case Qt::FontRole: // NULL drawn apart from the text "NULL"
        return NullCell::isNull(row.values.value(column)) ? QVariant(NullCell::font()) : QVariant();
    case Qt::ForegroundRole: { // NULL and expired entries dimmed
        if (NullCell::isNull(row.values.value(column)))
            return QVariant::fromValue(QColor(Qt::gray));
        const int expired = view.columnIndex(EntryColumn::Role::Expired);
        if (expired >= 0 && row.values.value(expired).toBool())
            return QVariant::fromValue(QColor(Qt::gray));
        return {};
    }
    case Qt::TextAlignmentRole: {
        const QVariant& value = row.values.value(column);
        const bool number = value.typeId() == QMetaType::LongLong || value.typeId() == QMetaType::Double;
        return QVariant::fromValue(number ? Qt::AlignRight | Qt::AlignVCenter : Qt::AlignLeft | Qt::AlignVCenter);
    }
    default:
        return {};
    }
}

QVariant EntryCells::display(const EntryView& view, const EntryRow& row, int column)
{
    const QVariant& value = row.values.value(column);
    if (!value.isValid() || value.isNull()) { // a word where NULL has a meaning ("never"), grey as NULL is
        const QString word = CacheFormats::byId(view.profile).nullCellWord(view.columns[column].name);
        return word.isEmpty() ? u"NULL"_s : word;
    }
    if (row.repr.contains(column)) // a pickle as Python's repr() writes it (dict order, tuples, 0.0)
        return cut(row.repr.value(column), 200);
    if (value.typeId() == QMetaType::QJsonValue) // decoded JSON: Python-like text
        return Format::escapeControl(Pickle::text(value.toJsonValue(), 200).simplified());
    if (value.typeId() == QMetaType::QDateTime) // UTC as the detail and the CLI say it; the raw value is the tooltip
        return Format::utcText(value.toDateTime());
    if (value.typeId() == QMetaType::Bool)
        return value.toBool() ? u"yes"_s : u"no"_s;
    if (value.typeId() == QMetaType::QByteArray)
        return ValueText::bytesLine(value.toByteArray(), row.lengths.value(column));
    if (isTimeRole(view.columns[column].role) && value.typeId() == QMetaType::Double) {
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
    if (value.typeId() == QMetaType::LongLong && holdsBytes(view.columns[column]))
        return sizeText(value.toLongLong());
    if (value.typeId() == QMetaType::LongLong
        && (view.columns[column].role == EntryColumn::Role::Hits
            || view.columns[column].role == EntryColumn::Role::Tokens))
        return Format::count(value.toLongLong());
    return value;
}

QString EntryCells::cut(const QString& text, qsizetype maxChars)
{
    return text.size() > maxChars ? text.left(maxChars) + u"…"_s : text;
}

QString EntryCells::sizeText(qint64 bytes)
{
    return bytes < 1024 ? Format::byteCount(bytes) : Format::bytesNoBreak(bytes);
}

bool EntryCells::holdsBytes(const EntryColumn& column)
{
    return column.role == EntryColumn::Role::Size || column.name.compare(u"size"_s, Qt::CaseInsensitive) == 0;
}

QString EntryCells::bytesToolTip(const QByteArray& bytes, qint64 totalBytes)
{
    return u"<pre>%1</pre>"_s.arg(ValueText::hexDump(bytes, 256, totalBytes).toHtmlEscaped());
}

bool EntryCells::looksLikeHash(const QString& text)
{
    if (text.size() < 32)
        return false;
    return std::all_of(text.cbegin(), text.cend(),
        [](QChar c) { return (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f') || (c >= u'A' && c <= u'F'); });
}
