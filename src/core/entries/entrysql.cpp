// SPDX-License-Identifier: GPL-3.0-or-later
#include "entries/entrysql.h"
#include "entries/valuetext.h"

#include "common/format.h"
#include "decode/pickle.h"

#include <QDateTime>
#include <QUrl>

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
