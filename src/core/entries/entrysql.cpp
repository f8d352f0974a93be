// SPDX-License-Identifier: GPL-3.0-or-later
#include "entries/entrysql.h"
#include "entries/valuetext.h"

#include "common/format.h"
#include "decode/pickle.h"

#include <QDateTime>
#include <QUrl>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace {
using Decode = EntryColumn::Decode;

// Seconds since 1970 of a created value: epoch seconds or milliseconds, or ISO text (UTC).
std::optional<double> secondsOf(const QVariant& value, Decode decode)
{
    if (value.isNull())
        return std::nullopt;
    if (value.typeId() == QMetaType::QDateTime)
        return value.toDateTime().isValid()
            ? std::optional<double>(double(value.toDateTime().toMSecsSinceEpoch()) / 1000.0)
            : std::nullopt;
    if (decode == Decode::IsoTime || value.typeId() == QMetaType::QString) {
        QDateTime time = QDateTime::fromString(value.toString().trimmed(), Qt::ISODateWithMs);
        if (!time.isValid())
            return std::nullopt;
        if (time.timeSpec() == Qt::LocalTime)
            time.setTimeSpec(Qt::UTC); // naive ISO text in these caches is UTC
        return double(time.toMSecsSinceEpoch()) / 1000.0;
    }
    bool ok = false;
    double secs = value.toDouble(&ok);
    if (!ok)
        return std::nullopt;
    if (secs > 1e11)
        secs /= 1000.0; // milliseconds
    return secs;
}
} // namespace

namespace EntrySql {

const EntryColumn* columnWith(const EntryView& view, EntryColumn::Role role)
{
    const int i = view.columnIndex(role);
    return i < 0 ? nullptr : &view.columns[i];
}

QString bytes(const EntryView& view)
{
    if (const EntryColumn* size = columnWith(view, EntryColumn::Role::Size); size && size->decode == Decode::None)
        return size->sql;
    const EntryColumn* value = columnWith(view, EntryColumn::Role::Value);
    if (value
        && (value->decode == Decode::None || value->decode == Decode::Pickle || value->decode == Decode::PickleOrJson))
        return u"CASE typeof(%1) WHEN 'blob' THEN length(%1) WHEN 'null' THEN 0 ELSE length(CAST(%1 AS BLOB)) END"_s
            .arg(value->sql);
    return QString();
}

Grouping grouping(const EntryView& view)
{
    if (const EntryColumn* model = columnWith(view, EntryColumn::Role::Model); model && model->decode == Decode::None)
        return { model->sql, u"model"_s, nullptr };
    for (const EntryColumn& column : view.columns) {
        if (column.name == u"tag"_s && column.decode == Decode::None)
            return { column.sql, u"tag"_s, nullptr };
    }
    for (const EntryColumn& column : view.columns) {
        if (column.name == u"url"_s && column.decode == Decode::PickleField)
            return { column.sql, u"host"_s, &column };
    }
    return {};
}

QString Grouping::nameOf(const QVariant& value, EntryDecoder::RowCache& pickles) const
{
    if (!decoded)
        return readable(value, 80);
    const QString url = EntryDecoder::decode(*decoded, value, {}, QString(), false, pickles).value.toString();
    return QUrl(url).host().isEmpty() ? u"(none)"_s : QUrl(url).host();
}

const EntryColumn* createdColumn(const EntryView& view)
{
    const EntryColumn* created = columnWith(view, EntryColumn::Role::Created);
    if (created && created->decode != Decode::None && created->decode != Decode::EpochTime
        && created->decode != Decode::IsoTime && created->decode != Decode::PickleField)
        return nullptr;
    return created;
}

std::optional<double> createdSecs(const EntryColumn& created, const QVariant& value, EntryDecoder::RowCache& pickles)
{
    if (created.decode == Decode::PickleField) // inside the pickled response
        return secondsOf(EntryDecoder::decode(created, value, {}, QString(), false, pickles).value, created.decode);
    return secondsOf(value, created.decode);
}

namespace {

    QString cut(const QString& text, int maxChars)
    {
        return Format::escapeControl(text.size() > maxChars ? text.left(maxChars) + u"…"_s : text);
    }

    // A decoded pickle: a str as it is (a key "abc" reads abc), anything else as repr() writes it.
    QString pickleText(const QJsonValue& json, const QString& repr, int maxChars)
    {
        if (json.isString() || repr.isEmpty())
            return Format::escapeControl(Pickle::text(json, maxChars));
        return cut(repr, maxChars);
    }

} // namespace

namespace {

    bool textTyped(const TableSchema::Column& column)
    {
        return column.type.contains(u"CHAR"_s) || column.type.contains(u"TEXT"_s) || column.type.contains(u"CLOB"_s);
    }

    bool namedLikeALabel(const QString& column)
    {
        static const QStringList words { u"title"_s, u"name"_s, u"key"_s, u"url"_s, u"uri"_s, u"prompt"_s, u"slug"_s,
            u"label"_s, u"id"_s, u"uuid"_s };
        const QString name = column.toLower();
        return std::any_of(words.cbegin(), words.cend(), [&name](const QString& word) {
            return name == word || name.endsWith(u'_' + word) || name.startsWith(word + u'_');
        });
    }

} // namespace

const EntryColumn* namingColumn(const EntryView& view)
{
    if (const EntryColumn* key = columnWith(view, EntryColumn::Role::Key))
        return key;
    const auto shown = [&view](const TableSchema::Column& column) -> const EntryColumn* {
        for (const EntryColumn& entryColumn : view.columns) {
            if (entryColumn.name == column.name && entryColumn.decode == Decode::None)
                return &entryColumn;
        }
        return nullptr;
    };
    for (const TableSchema::Column& column : view.schema.columns) {
        if (!column.hidden && textTyped(column) && namedLikeALabel(column.name) && shown(column))
            return shown(column);
    }
    for (const TableSchema::Column& column : view.schema.columns) {
        if (!view.schema.withoutRowid && column.type == u"INTEGER"_s && column.primaryKeyIndex == 1
            && view.schema.primaryKey().size() == 1 && shown(column))
            return shown(column);
    }
    return nullptr;
}

QString readable(const QVariant& value, int maxChars)
{
    if (value.isNull())
        return u"(none)"_s;
    if (value.typeId() == QMetaType::QByteArray) {
        const QByteArray bytes = value.toByteArray();
        if (Pickle::looksLikePickle(bytes)) {
            Pickle::Limits limits; // a label's worth: the repr is cut to maxChars anyway
            limits.previewChars = maxChars;
            limits.maxItems = maxChars;
            QString repr;
            if (auto decoded = Pickle::decode(bytes, limits, nullptr, &repr))
                return pickleText(decoded.value(), repr, maxChars);
        }
        return ValueText::bytesLine(bytes); // as every bytes value reads
    }
    return cut(value.toString(), maxChars);
}

QString readable(const EntryDecoder::Decoded& decoded, int maxChars)
{
    if (decoded.value.typeId() == QMetaType::QJsonValue)
        return pickleText(decoded.value.toJsonValue(), decoded.repr, maxChars);
    return readable(decoded.value, maxChars);
}

} // namespace EntrySql
