// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/entrydetail.h"

#include "common/format.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTreeWidget>

using namespace Qt::Literals::StringLiterals;

namespace {

std::optional<QJsonDocument> parseJson(const QString& text)
{
    const QString trimmed = text.trimmed();
    if (!trimmed.startsWith(u'{') && !trimmed.startsWith(u'['))
        return std::nullopt;
    QJsonParseError error;
    QJsonDocument doc = QJsonDocument::fromJson(trimmed.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError)
        return std::nullopt;
    return doc;
}

// LangChain's llm column: JSON, then "---", then the sorted params.
std::optional<QJsonDocument> jsonPart(const QString& text)
{
    if (auto doc = parseJson(text))
        return doc;
    const qsizetype split = text.indexOf(u"---"_s);
    return split > 0 ? parseJson(text.left(split)) : std::nullopt;
}

bool looksLikeTime(const QString& column)
{
    const QString name = column.toLower();
    return name.contains(u"time"_s) || name.contains(u"date"_s) || name.endsWith(u"_at"_s) || name.contains(u"create"_s)
        || name.contains(u"access"_s) || name.contains(u"expire"_s) || name == u"ts"_s;
}

void addJson(QTreeWidgetItem* parent, const QString& name, const QJsonValue& value)
{
    auto* item = new QTreeWidgetItem(parent, { name });
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        item->setText(1, u"{%1}"_s.arg(object.size()));
        for (auto it = object.begin(); it != object.end(); ++it)
            addJson(item, it.key(), it.value());
    } else if (value.isArray()) {
        const QJsonArray array = value.toArray();
        item->setText(1, u"[%1]"_s.arg(array.size()));
        for (int i = 0; i < array.size(); ++i)
            addJson(item, QString::number(i), array[i]);
    } else {
        item->setText(1,
            value.isString() ? value.toString()
                             : QString::fromUtf8(
                                 QJsonDocument(QJsonArray { value }).toJson(QJsonDocument::Compact).chopped(1).mid(1)));
    }
}

} // namespace

QString EntryDetail::dateOf(const QString& column, const QVariant& value)
{
    if (value.typeId() == QMetaType::LongLong || value.typeId() == QMetaType::Double) {
        if (!looksLikeTime(column))
            return QString();
        double seconds = value.toDouble();
        if (seconds > 1e11 && seconds < 1e14)
            seconds /= 1000.0;
        if (seconds < 1e8 || seconds > 1e11)
            return QString();
        return QDateTime::fromMSecsSinceEpoch(qint64(seconds * 1000.0), Qt::UTC)
            .toString(u"yyyy-MM-dd HH:mm:ss.zzz 'UTC'"_s);
    }
    if (value.typeId() == QMetaType::QString && value.toString().size() <= 40) {
        QDateTime date = QDateTime::fromString(value.toString().trimmed(), Qt::ISODateWithMs);
        if (!date.isValid())
            date = QDateTime::fromString(value.toString().trimmed(), u"yyyy-MM-dd HH:mm:ss"_s);
        if (date.isValid())
            return date.toString(u"yyyy-MM-dd HH:mm:ss"_s) + (date.timeSpec() == Qt::UTC ? u" UTC"_s : QString());
    }
    return QString();
}

QString EntryDetail::hexDump(const QByteArray& bytes, int maxBytes)
{
    QStringList lines;
    const int shown = int(std::min<qsizetype>(bytes.size(), maxBytes));
    for (int offset = 0; offset < shown; offset += 16) {
        const QByteArray chunk = bytes.mid(offset, std::min(16, shown - offset));
        QString printable;
        for (char c : chunk)
            printable += (c >= 0x20 && c < 0x7f) ? QChar::fromLatin1(c) : u'.';
        lines << u"%1  %2  %3"_s.arg(offset, 6, 16, QChar(u'0'))
                     .arg(QString::fromLatin1(chunk.toHex(' ')).leftJustified(47), printable);
    }
    if (bytes.size() > shown)
        lines << u"… %1 more bytes"_s.arg(bytes.size() - shown);
    return lines.join(u'\n');
}

QString EntryDetail::valueText(const QString& column, const QVariant& value)
{
    if (!value.isValid() || value.isNull())
        return u"NULL"_s;
    if (value.typeId() == QMetaType::QByteArray) {
        const QByteArray bytes = value.toByteArray();
        const bool pickle = bytes.startsWith("\x80");
        return u"BLOB, %1%2\n%3"_s.arg(
            Format::bytes(bytes.size()), pickle ? u" (pickle: not unpickled)"_s : QString(), hexDump(bytes));
    }
    const QString date = dateOf(column, value);
    if (value.typeId() != QMetaType::QString)
        return value.toString() + (date.isEmpty() ? QString() : u"   = "_s + date);
    const QString text = value.toString();
    QString header = u"TEXT, %1 characters"_s.arg(text.size());
    if (!date.isEmpty())
        header += u"   = "_s + date;
    if (auto doc = jsonPart(text))
        return header + u", JSON\n"_s + QString::fromUtf8(doc->toJson(QJsonDocument::Indented)).trimmed();
    return header + u'\n' + text;
}

QString EntryDetail::text(const QStringList& columns, const QVariantMap& entry)
{
    QStringList parts;
    for (const QString& column : columns) {
        if (entry.contains(column))
            parts << u"── %1 ──\n%2"_s.arg(column, valueText(column, entry.value(column)));
    }
    return parts.join(u"\n\n"_s);
}

void EntryDetail::fillJsonTree(QTreeWidget* tree, const QStringList& columns, const QVariantMap& entry)
{
    tree->clear();
    for (const QString& column : columns) {
        const QVariant value = entry.value(column);
        if (value.typeId() != QMetaType::QString)
            continue;
        if (auto doc = jsonPart(value.toString())) {
            auto* root = new QTreeWidgetItem(tree, { column });
            addJson(root, doc->isObject() ? u"{}"_s : u"[]"_s,
                doc->isObject() ? QJsonValue(doc->object()) : QJsonValue(doc->array()));
            root->setExpanded(true);
            root->child(0)->setExpanded(true);
        }
    }
    tree->resizeColumnToContents(0);
}

QJsonObject EntryDetail::json(const QVariantMap& entry)
{
    QJsonObject object;
    for (auto it = entry.begin(); it != entry.end(); ++it) {
        const QVariant& value = it.value();
        if (value.typeId() == QMetaType::QByteArray)
            object.insert(it.key(),
                QJsonObject { { u"blob_bytes"_s, value.toByteArray().size() },
                    { u"base64"_s, QString::fromLatin1(value.toByteArray().toBase64()) } });
        else
            object.insert(it.key(), QJsonValue::fromVariant(value));
    }
    return object;
}

QString EntryDetail::diskcacheFileNote(const QString& databasePath, const QVariantMap& entry)
{
    const QString name = entry.value(u"filename"_s).toString();
    if (name.isEmpty() || QDir::isAbsolutePath(name) || name.contains(u".."_s))
        return QString();
    const QFileInfo file(QFileInfo(databasePath).dir().filePath(name));
    if (!file.exists() || file.isSymLink())
        return u"── value file ──\n%1 (missing)"_s.arg(file.filePath());
    return u"── value file ──\n%1, %2 on disk (size column: %3)"_s.arg(
        file.filePath(), Format::bytes(file.size()), Format::bytes(entry.value(u"size"_s).toLongLong()));
}
