// SPDX-License-Identifier: GPL-3.0-or-later
#include "query/queryresult.h"

#include "common/format.h"
#include "entries/entryexport.h"
#include "entries/valuetext.h"

#include <QJsonArray>

using namespace Qt::Literals::StringLiterals;

namespace {

// Columns named like diskcache's store_time/expire_time or created_at hold epoch times.
bool looksLikeTimeColumn(const QString& name)
{
    const QString lower = name.toLower();
    return lower.endsWith(u"_time"_s) || lower.endsWith(u"_at"_s) || lower == u"expires"_s || lower.endsWith(u"_on"_s);
}

} // namespace

QJsonObject QueryResult::toJson() const
{
    QJsonArray names;
    for (const QString& name : columns)
        names.append(name);
    QJsonArray rowArray;
    for (const EntryRow& row : rows) {
        QJsonArray cells;
        for (int c = 0; c < columns.size(); ++c)
            cells.append(row.json(c));
        rowArray.append(cells);
    }
    return QJsonObject { { u"columns"_s, names }, { u"rows"_s, rowArray }, { u"truncated"_s, truncated },
        { u"truncated_reason"_s, truncated ? QJsonValue(truncatedReason) : QJsonValue(QJsonValue::Null) },
        { u"row_count"_s, rows.size() }, { u"max_rows"_s, maxRows }, { u"elapsed_ms"_s, elapsedMs } };
}

QString QueryResult::toText() const
{
    QStringList header;
    for (const QString& name : columns)
        header << Format::escapeControl(name);
    QString text = header.join(u" | "_s) + u'\n';
    for (const EntryRow& row : rows) {
        QStringList cells;
        for (int c = 0; c < columns.size(); ++c) {
            const QJsonValue value = row.json(c);
            if (value.isNull())
                cells << u"NULL"_s;
            else if (row.values.value(c).typeId() == QMetaType::QByteArray) // as the SQL page shows it
                cells << ValueText::bytesLine(row.values.value(c).toByteArray(), row.lengths.value(c));
            else
                cells << Format::escapeControl(EntryExport::csvText(value));
        }
        text += cells.join(u" | "_s) + u'\n';
    }
    text += u"(%1 row%2"_s.arg(rows.size()).arg(rows.size() == 1 ? u""_s : u"s"_s);
    if (truncated)
        text += truncatedReason == u"max_bytes"_s ? u", truncated: the results reached the memory cap"_s
                                                  : u", truncated at the %1-row cap"_s.arg(maxRows);
    return text + u")\n"_s;
}

QByteArray QueryResult::toCsv() const
{
    QByteArrayList fields;
    for (const QString& name : columns)
        fields << EntryExport::csvField(name);
    QByteArray out = fields.join(',') + "\r\n";
    for (const EntryRow& row : rows) {
        fields.clear();
        for (int c = 0; c < columns.size(); ++c)
            fields << EntryExport::csvField(EntryExport::csvText(row.json(c)));
        out += fields.join(',') + "\r\n";
    }
    return out;
}

QString QueryResult::displayText(int rowIndex, int column) const
{
    if (rowIndex < 0 || rowIndex >= rows.size() || column < 0 || column >= columns.size())
        return QString();
    const EntryRow& row = rows.at(rowIndex);
    const QVariant& value = row.values.value(column);
    if (!value.isValid() || value.isNull())
        return u"NULL"_s;
    if (value.typeId() == QMetaType::QByteArray) // as the Entries table shows bytes
        return ValueText::bytesLine(value.toByteArray(), row.lengths.value(column));
    if ((value.typeId() == QMetaType::Double || value.typeId() == QMetaType::LongLong)
        && looksLikeTimeColumn(columns.at(column))) {
        const QString date = Format::epochText(value.toDouble());
        if (!date.isEmpty())
            return date;
    }
    if (value.typeId() == QMetaType::QString) {
        const QString text = Format::escapeControl(value.toString().left(200));
        return row.isTruncated(column) || value.toString().size() > 200 ? text + u"…"_s : text;
    }
    if (value.typeId() == QMetaType::LongLong) // "16,721" as every other panel says it; toCsv/toJson keep 16721
        return Format::count(value.toLongLong());
    return value.toString();
}
