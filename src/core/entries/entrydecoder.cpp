// SPDX-License-Identifier: GPL-3.0-or-later
#include "entries/entrydecoder.h"

#include "decode/pickle.h"
#include "entries/storedtime.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

using namespace Qt::Literals::StringLiterals;

using Decode = EntryColumn::Decode;

namespace {

Pickle::Limits limitsFor(const EntryColumn& column, bool full)
{
    Pickle::Limits limits;
    if (!full) {
        limits.previewChars = column.previewChars > 0 ? column.previewChars : 300;
        limits.maxItems = 64;
        limits.maxNodes = 2000;
    } else {
        limits.maxNodes = EntryDecoder::FullDecodeNodes;
        limits.maxChars = EntryDecoder::FullDecodeChars;
        limits.hexBytes = EntryDecoder::FullHexBytes;
    }
    return limits;
}

std::optional<QJsonValue> pickleOf(const QVariant& value, const Pickle::Limits& limits, bool* truncated = nullptr,
    QString* repr = nullptr, QJsonValue* tree = nullptr)
{
    if (value.typeId() != QMetaType::QByteArray)
        return std::nullopt;
    const QByteArray bytes = value.toByteArray();
    if (!Pickle::looksLikePickle(bytes))
        return std::nullopt;
    auto decoded = Pickle::decode(bytes, limits, truncated, repr, tree);
    if (!decoded)
        return std::nullopt;
    return decoded.value();
}

// With the forms EntryDecoder::Shown asks for.
template <typename Shown>
std::optional<QJsonValue> pickleOf(const QVariant& value, const Pickle::Limits& limits, bool* truncated, Shown* shown)
{
    return pickleOf(value, limits, truncated, &shown->repr, shown->wantTree ? &shown->tree : nullptr);
}

QVariant jsonVariant(const QJsonValue& value)
{
    return QVariant::fromValue(value);
}

// A diskcache value file: only plain names below the cache directory (docs/FORMATS.md).
Result<QByteArray> readValueFile(const QString& directory, const QString& name, qint64 maxBytes, qint64& size)
{
    if (name.isEmpty() || QDir::isAbsolutePath(name) || name.contains(u".."_s) || name.contains(u'\\'))
        return Error { Error::Kind::Invalid, u"value file name \"%1\" is not below the cache directory"_s.arg(name) };
    QFile file(QDir(directory).filePath(name));
    if (!file.open(QIODevice::ReadOnly))
        return Error { Error::Kind::Io, u"cannot read value file %1: %2"_s.arg(name, file.errorString()) };
    size = file.size();
    return file.read(maxBytes);
}

QJsonValue fieldOf(const QJsonValue& root, const QString& path)
{
    QJsonValue at = root;
    for (const QString& part : path.split(u'.')) {
        if (!at.isObject())
            return QJsonValue::Undefined;
        at = at.toObject().value(part);
    }
    return at;
}

QVariant pickleField(const QJsonValue& root, const QString& field)
{
    if (field.startsWith(u"@header:"_s)) {
        const QString name = field.mid(8);
        const QJsonObject headers = root[u"headers"_s].toObject();
        for (auto it = headers.begin(); it != headers.end(); ++it) {
            if (it.key().compare(name, Qt::CaseInsensitive) == 0)
                return it.value().toVariant();
        }
        return {};
    }
    if (field.startsWith(u"@bytes:"_s)) {
        const QJsonValue bytes = fieldOf(root, field.mid(7));
        if (bytes.isObject() && bytes.toObject().contains(u"blob_bytes"_s))
            return bytes[u"blob_bytes"_s].toInteger();
        if (bytes.isString())
            return qint64(bytes.toString().toUtf8().size());
        return {};
    }
    for (const QString& path : field.split(u'|')) { // first present of alternatives
        const QJsonValue value = fieldOf(root, path);
        if (!value.isUndefined() && !value.isNull())
            return value.toVariant();
    }
    return {};
}

} // namespace

QString EntryDecoder::isoUtc(const QDateTime& time)
{
    return time.toUTC().toString(u"yyyy-MM-ddTHH:mm:ss'Z'"_s);
}

QDateTime EntryDecoder::fromEpoch(const QVariant& seconds)
{
    if (seconds.typeId() != QMetaType::Double && seconds.typeId() != QMetaType::LongLong
        && seconds.typeId() != QMetaType::Int)
        return {};
    const double s = seconds.toDouble();
    if (!std::isfinite(s) || s < -62135596800.0 || s > 253402300799.0) // years 1…9999
        return {};
    return QDateTime::fromMSecsSinceEpoch(qint64(std::floor(s * 1000.0)), Qt::UTC);
}

EntryDecoder::Decoded EntryDecoder::decode(const EntryColumn& column, const QVariant& value, const QVariant& aux,
    const QString& directory, bool full, RowCache& cache, bool tree)
{
    bool cut = false;
    Shown shown;
    shown.wantTree = tree;
    Decoded decoded = decodeValue(column, value, aux, directory, full, cache, cut, shown);
    decoded.truncated = cut;
    if (decoded.value.typeId() == QMetaType::QJsonValue) {
        decoded.repr = shown.repr;
        decoded.tree = shown.tree;
    }
    return decoded;
}

EntryDecoder::Decoded EntryDecoder::decodeValue(const EntryColumn& column, const QVariant& value, const QVariant& aux,
    const QString& directory, bool full, RowCache& cache, bool& cut, Shown& repr)
{
    switch (column.decode) {
    case Decode::None:
        return { value };
    case Decode::Pickle:
        if (auto json = pickleOf(value, limitsFor(column, full), &cut, &repr))
            return { jsonVariant(*json) };
        return { value };
    case Decode::PickleOrJson: {
        if (auto json = pickleOf(value, limitsFor(column, full), &cut, &repr))
            return { jsonVariant(*json) };
        if (value.typeId() == QMetaType::QString || value.typeId() == QMetaType::QByteArray) {
            const QByteArray text
                = value.typeId() == QMetaType::QString ? value.toString().toUtf8() : value.toByteArray();
            QJsonParseError error;
            const QJsonDocument doc = QJsonDocument::fromJson("[" + text + "]", &error);
            if (error.error == QJsonParseError::NoError && doc.isArray() && doc.array().size() == 1)
                return { jsonVariant(doc.array().first()) };
        }
        return { value };
    }
    case Decode::DiskcacheKey:
        if (aux.toLongLong() == 0) {
            if (auto json = pickleOf(value, limitsFor(column, full), &cut, &repr))
                return { jsonVariant(*json) };
        }
        return { value };
    case Decode::DiskcacheValue: {
        const qint64 mode = aux.toLongLong() / 2;
        const bool inFile = aux.toLongLong() % 2 == 1;
        if (!inFile) {
            if (mode == 4) {
                if (auto json = pickleOf(value, limitsFor(column, full), &cut, &repr))
                    return { jsonVariant(*json) };
            }
            return { value };
        }
        const QString name = value.toString();
        const qint64 previewBytes = full ? FullDecodeBytes : qint64(std::max(column.previewChars, 64)) * 4;
        const qint64 maxBytes = mode == 4 ? (full ? FullDecodeBytes : PreviewDecodeBytes) : previewBytes;
        qint64 size = 0;
        auto bytes = readValueFile(directory, name, maxBytes, size);
        if (!bytes)
            return { bytes.error().message };
        if (mode == 3) { // text
            QString text = QString::fromUtf8(bytes.value());
            if (bytes->size() < size) {
                while (text.endsWith(QChar::ReplacementCharacter))
                    text.chop(1);
                if (!full && text.size() > column.previewChars)
                    text.truncate(column.previewChars);
            }
            if (bytes->size() == size)
                return { text, text.size() };
            return { text, std::max<qint64>(size, text.size() + 1) };
        }
        if (mode == 4) {
            if (bytes->size() == size) {
                if (auto json = pickleOf(bytes.value(), limitsFor(column, full), &cut, &repr))
                    return { jsonVariant(*json) };
            }
            return { u"pickle of %1 B in %2 (not decoded)"_s.arg(size).arg(name) };
        }
        return { bytes.value(), size }; // binary
    }
    case Decode::EpochTime: {
        const QDateTime time = fromEpoch(value);
        return { time.isValid() ? QVariant(time) : value };
    }
    case Decode::IsoTime: {
        if (value.typeId() != QMetaType::QString)
            return { value };
        // Naive text in the zone the format writes (docs/FORMATS.md).
        const QDateTime time = StoredTime::fromText(
            value.toString(), column.naiveLocalTime ? StoredTime::Naive::Local : StoredTime::Naive::Utc);
        if (!time.isValid())
            return { value };
        return { time };
    }
    case Decode::Bool:
        if (value.isNull())
            return { value };
        return { QVariant(value.toLongLong() != 0) };
    case Decode::PickleField: {
        auto it = cache.pickles.find(column.sql);
        if (it == cache.pickles.end()) {
            Pickle::Limits limits;
            limits.maxNodes = 20000;
            limits.previewChars = full ? 0 : 4096;
            const auto json = pickleOf(value, limits);
            it = cache.pickles.insert(column.sql, json ? *json : QJsonValue(QJsonValue::Undefined));
        }
        if (it->isUndefined())
            return { QVariant() };
        QVariant field = pickleField(*it, column.field);
        // requests-cache writes naive UTC (datetime.utcnow()).
        if (column.role == EntryColumn::Role::Created || column.role == EntryColumn::Role::Expires) {
            const QDateTime time = StoredTime::fromText(field.toString(), StoredTime::Naive::Utc);
            if (time.isValid()) {
                Decoded decoded { time };
                decoded.stored = field;
                return decoded;
            }
        }
        if (column.role == EntryColumn::Role::Expired) {
            const QDateTime time = StoredTime::fromText(field.toString(), StoredTime::Naive::Utc);
            if (!time.isValid())
                return { QVariant(false) };
            return { QVariant(time < QDateTime::currentDateTimeUtc()) };
        }
        return { field };
    }
    }
    return { value };
}
