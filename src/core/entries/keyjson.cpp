// SPDX-License-Identifier: GPL-3.0-or-later
#include "entries/keyjson.h"

#include "decode/pickle.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QVariant>

#include <sqlite3.h>

using namespace Qt::Literals::StringLiterals;

namespace {

QByteArray compact(const QJsonValue& value)
{
    const QByteArray array = QJsonDocument(QJsonArray { value }).toJson(QJsonDocument::Compact);
    return array.mid(1, array.size() - 2);
}

void keyJson(sqlite3_context* context, int, sqlite3_value** argv)
{
    QJsonValue value;
    switch (sqlite3_value_type(argv[0])) {
    case SQLITE_INTEGER:
        value = QJsonValue(qint64(sqlite3_value_int64(argv[0])));
        break;
    case SQLITE_FLOAT:
        value = QJsonValue(sqlite3_value_double(argv[0]));
        break;
    case SQLITE_TEXT:
        value = QJsonValue(QString::fromUtf8(
            reinterpret_cast<const char*>(sqlite3_value_text(argv[0])), sqlite3_value_bytes(argv[0])));
        break;
    case SQLITE_BLOB: {
        const QByteArray blob = QByteArray::fromRawData(
            static_cast<const char*>(sqlite3_value_blob(argv[0])), sqlite3_value_bytes(argv[0]));
        if (!Pickle::looksLikePickle(blob)) {
            sqlite3_result_null(context);
            return;
        }
        auto decoded = Pickle::decode(blob);
        if (!decoded) {
            sqlite3_result_null(context);
            return;
        }
        value = decoded.value();
        break;
    }
    default:
        value = QJsonValue(QJsonValue::Null);
    }
    const QByteArray json = compact(value);
    sqlite3_result_text(context, json.constData(), int(json.size()), SQLITE_TRANSIENT);
}

} // namespace

namespace KeyJson {

void install(sqlite3* db)
{
    sqlite3_create_function_v2(db, "cachescope_key_json", 1, SQLITE_UTF8 | SQLITE_DIRECTONLY | SQLITE_DETERMINISTIC,
        nullptr, keyJson, nullptr, nullptr, nullptr);
}

Result<QString> canonical(const QString& json)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson("[" + json.toUtf8() + "]", &error);
    if (error.error != QJsonParseError::NoError || doc.array().size() != 1)
        return Error { Error::Kind::Invalid,
            u"not one JSON value: %1 (a tuple key is a list: '[\"user\", 3]', a number 3, a text \"k\")"_s.arg(
                error.error != QJsonParseError::NoError ? error.errorString() : u"more than one value"_s) };
    return QString::fromUtf8(compact(doc.array().first()));
}

QString of(const QVariant& decodedKey)
{
    if (decodedKey.typeId() == QMetaType::QByteArray)
        return QString::fromUtf8(
            compact(QJsonObject { { u"base64"_s, QString::fromLatin1(decodedKey.toByteArray().toBase64()) } }));
    if (decodedKey.typeId() == QMetaType::QJsonValue)
        return QString::fromUtf8(compact(decodedKey.toJsonValue()));
    return QString::fromUtf8(compact(QJsonValue::fromVariant(decodedKey)));
}

std::optional<QByteArray> bytesOf(const QString& canonicalJson)
{
    const QJsonObject object = QJsonDocument::fromJson(canonicalJson.toUtf8()).object();
    if (object.size() != 1 || !object.value(u"base64"_s).isString())
        return std::nullopt;
    const auto decoded = QByteArray::fromBase64Encoding(
        object.value(u"base64"_s).toString().toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return std::nullopt;
    return *decoded;
}

} // namespace KeyJson
