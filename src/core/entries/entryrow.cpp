// SPDX-License-Identifier: GPL-3.0-or-later
#include "entries/entryrow.h"

#include "entries/storedtime.h"
#include "entries/valuetext.h"

#include <QDateTime>
#include <QJsonObject>

using namespace Qt::Literals::StringLiterals;

QJsonValue EntryRow::json(int column) const
{
    const QVariant& value = values.value(column);
    if (!value.isValid() || value.isNull())
        return QJsonValue::Null;
    if (value.typeId() == QMetaType::QJsonValue)
        return value.toJsonValue();
    if (value.typeId() == QMetaType::QDateTime) // sub-second digits as stored
        return StoredTime::isoUtc(raw.value(column), value.toDateTime());
    if (value.typeId() == QMetaType::QByteArray)
        return QJsonObject { { u"blob_bytes"_s, lengths.value(column) },
            { u"preview"_s, ValueText::ascii(value.toByteArray()) } };
    if (value.typeId() == QMetaType::QString && value.toString().size() < lengths.value(column))
        return QString(value.toString() + u"…"_s);
    if (value.typeId() == QMetaType::QString) // "" stays "", never null
        return QJsonValue(value.toString().isNull() ? QStringLiteral("") : value.toString());
    return QJsonValue::fromVariant(value);
}

bool EntryRow::isTruncated(int column) const
{
    if (cutColumns.contains(column))
        return true;
    const QVariant& value = values.value(column);
    if (value.typeId() == QMetaType::QString)
        return value.toString().size() < lengths.value(column);
    if (value.typeId() == QMetaType::QByteArray)
        return value.toByteArray().size() < lengths.value(column);
    return false;
}
