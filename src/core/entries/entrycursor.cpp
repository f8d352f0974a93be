// SPDX-License-Identifier: GPL-3.0-or-later
#include "entries/entrycursor.h"
#include "sqlite/rawtext.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

using namespace Qt::Literals::StringLiterals;

namespace {

QJsonValue keyJson(const QVariant& value)
{
    switch (value.typeId()) {
    case QMetaType::QByteArray:
        return QJsonObject { { u"b"_s, QString::fromLatin1(value.toByteArray().toBase64()) } };
    case QMetaType::LongLong:
    case QMetaType::Int:
        return QJsonObject { { u"i"_s, QString::number(value.toLongLong()) } };
    case QMetaType::Double:
        return QJsonObject { { u"r"_s, QString::number(value.toDouble(), 'g', 17) } };
    default:
        if (value.typeId() == qMetaTypeId<RawText>()) // text that is not UTF-8: its bytes
            return QJsonObject { { u"tx"_s, QString::fromLatin1(value.value<RawText>().bytes.toBase64()) } };
        return QJsonObject { { u"t"_s, value.toString() } };
    }
}

std::optional<QVariant> keyValue(const QJsonValue& json)
{
    const QJsonObject object = json.toObject();
    if (!json.isObject() || object.size() != 1 || !object.begin().value().isString())
        return std::nullopt;
    const QString type = object.begin().key();
    const QString text = object.begin().value().toString();
    bool ok = false;
    if (type == u"i"_s) {
        const qint64 v = text.toLongLong(&ok);
        return ok ? std::optional<QVariant>(QVariant(v)) : std::nullopt;
    }
    if (type == u"r"_s) {
        const double v = text.toDouble(&ok);
        return ok && !std::isnan(v) ? std::optional<QVariant>(QVariant(v)) : std::nullopt;
    }
    if (type == u"t"_s)
        return QVariant(text);
    if (type == u"tx"_s) {
        auto bytes = QByteArray::fromBase64Encoding(text.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
        return bytes ? std::optional<QVariant>(QVariant::fromValue(RawText { *bytes })) : std::nullopt;
    }
    if (type == u"b"_s) {
        auto bytes = QByteArray::fromBase64Encoding(text.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
        return bytes ? std::optional<QVariant>(QVariant(*bytes)) : std::nullopt;
    }
    return std::nullopt;
}

} // namespace

QString EntryCursor::encode(const QVariantList& key)
{
    QJsonArray array;
    for (const QVariant& value : key)
        array.append(keyJson(value));
    return QString::fromLatin1(QJsonDocument(array)
                                   .toJson(QJsonDocument::Compact)
                                   .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

std::optional<QVariantList> EntryCursor::decode(const QString& cursor, int keySize)
{
    const auto decoded = QByteArray::fromBase64Encoding(
        cursor.toLatin1(), QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return std::nullopt;
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(*decoded, &error);
    if (error.error != QJsonParseError::NoError || !doc.isArray() || doc.array().size() != keySize)
        return std::nullopt;
    QVariantList key;
    for (const QJsonValue& value : doc.array()) {
        const auto typed = keyValue(value);
        if (!typed)
            return std::nullopt;
        key << *typed;
    }
    return key;
}
