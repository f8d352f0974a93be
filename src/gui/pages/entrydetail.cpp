// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/entrydetail.h"

#include "entries/storedvalue.h"

#include "common/format.h"
#include "decode/pickle.h"
#include "entries/cacheformats.h"
#include "entries/valuetext.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTreeWidget>

#include <cmath>
#include <limits>

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

QString scalarText(const QJsonValue& value)
{
    if (value.isString())
        return value.toString().left(4096);
    // A fraction as a person writes it (0.00003, not JSON's "3e-05"); whole numbers as JSON keeps them
    // (a 64-bit integer exact).
    if (value.isDouble() && value.toDouble() != std::trunc(value.toDouble()))
        return Format::real(value.toDouble());
    return QString::fromUtf8(QJsonDocument(QJsonArray { value }).toJson(QJsonDocument::Compact).chopped(1).mid(1));
}

void addJson(QTreeWidgetItem* parent, const QString& name, const QJsonValue& value, int& budget);

// Children [from, …) of a node, while the budget lasts and at most TreeChildren of them; the
// rest behind one "… N more items — Show all" item holding the node's value.
void addChildren(QTreeWidgetItem* item, const QJsonValue& value, int from, int& budget)
{
    const bool isObject = value.isObject();
    const QJsonObject object = value.toObject();
    const QJsonArray array = value.toArray();
    const int count = int(isObject ? object.size() : array.size());
    int i = from;
    auto it = object.begin() + (isObject ? from : 0);
    for (; i < count && i - from < EntryDetail::TreeChildren && budget > 0; ++i) {
        if (isObject) {
            addJson(item, it.key(), it.value(), budget);
            ++it;
        } else {
            addJson(item, QString::number(i), array[i], budget);
        }
    }
    if (i < count) {
        auto* more = new QTreeWidgetItem(
            item, { QObject::tr("… %1 more items").arg(Format::count(count - i)), QObject::tr("Show all") });
        more->setData(0, EntryDetail::MoreRole, QVariant::fromValue(value));
        more->setData(1, EntryDetail::MoreRole, i);
        more->setToolTip(0, QObject::tr("Double-click or press Enter to show the remaining items"));
    }
}

void addJson(QTreeWidgetItem* parent, const QString& name, const QJsonValue& value, int& budget)
{
    --budget;
    auto* item = new QTreeWidgetItem(parent, { name });
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        item->setText(1,
            object.contains(u"__class__"_s) ? object[u"__class__"_s].toString() + u"(…)"_s
                                            : u"{%1}"_s.arg(Format::count(object.size())));
        addChildren(item, value, 0, budget);
    } else if (value.isArray()) {
        item->setText(1, u"[%1]"_s.arg(Format::count(value.toArray().size())));
        addChildren(item, value, 0, budget);
    } else {
        item->setText(1, scalarText(value));
    }
}

void addNode(QTreeWidgetItem* parent, const QString& name, const QJsonValue& node, int& budget);

// A pickle's tree (PickleTree): children [from, …) of a node, as pairs [name, node, …], like
// addChildren.
void addNodeChildren(QTreeWidgetItem* item, const QJsonArray& children, int from, int& budget)
{
    const int count = int(children.size() / 2);
    int i = from;
    for (; i < count && i - from < EntryDetail::TreeChildren && budget > 0; ++i)
        addNode(item, children[2 * i].toString(), children[2 * i + 1], budget);
    if (i < count) {
        auto* more = new QTreeWidgetItem(
            item, { QObject::tr("… %1 more items").arg(Format::count(count - i)), QObject::tr("Show all") });
        more->setData(0, EntryDetail::MoreRole, QVariant::fromValue(QJsonValue(children)));
        more->setData(1, EntryDetail::MoreRole, i);
        more->setData(1, EntryDetail::PickleTreeRole, true);
        more->setToolTip(0, QObject::tr("Double-click or press Enter to show the remaining items"));
    }
}

void addNode(QTreeWidgetItem* parent, const QString& name, const QJsonValue& node, int& budget)
{
    --budget;
    auto* item = new QTreeWidgetItem(parent, { name });
    if (node.isArray()) {
        const QJsonArray pair = node.toArray();
        item->setText(1, pair[0].toString());
        addNodeChildren(item, pair[1].toArray(), 0, budget);
    } else {
        item->setText(1, node.toString());
    }
}

} // namespace

QString EntryDetail::dateOf(const QString& column, const QVariant& value)
{
    if (value.typeId() == QMetaType::LongLong || value.typeId() == QMetaType::Double) {
        if (!looksLikeTime(column))
            return QString();
        return Format::epochText(value.toDouble()); // seconds or milliseconds; empty if not a plausible time
    }
    if (value.typeId() == QMetaType::QString && value.toString().size() <= 40) {
        QDateTime date = QDateTime::fromString(value.toString().trimmed(), Qt::ISODateWithMs);
        if (!date.isValid())
            date = QDateTime::fromString(value.toString().trimmed(), u"yyyy-MM-dd HH:mm:ss"_s);
        if (date.isValid() && date.timeSpec() != Qt::LocalTime) // its zone stored ("Z", "+01:00"): UTC, as every panel
            return Format::utcText(date);
        if (date.isValid()) // naive: as stored, no zone claimed
            return date.toString(u"yyyy-MM-dd HH:mm:ss"_s);
    }
    return QString();
}

QString EntryDetail::valueText(const QString& column, const QVariant& value, qint64 storedLength)
{
    // A value cut on reading: its stored length, and how much of it is here.
    const auto shown = [storedLength](qint64 length) {
        return storedLength > length
            ? u" "_s + QCoreApplication::translate("EntryDetail", "(the first %1 shown)").arg(Format::count(length))
            : QString();
    };
    if (!value.isValid() || value.isNull())
        return u"NULL"_s;
    if (value.typeId() == QMetaType::QByteArray) {
        const QByteArray bytes = value.toByteArray();
        QString pickle;
        if (Pickle::looksLikePickle(bytes)) { // read as data, never run (docs/FORMATS.md)
            auto decoded = Pickle::decode(bytes);
            pickle = decoded ? u", a pickle:\n"_s + ValueText::of(decoded.value(), 1 << 16, StringChars).text + u'\n'
                             : u" (%1)\n"_s.arg(decoded.error().message);
        }
        return u"%1%2\n%3"_s.arg( // the size as the table's cell says it
            Format::byteCountScaled(std::max<qint64>(storedLength, bytes.size())) + shown(bytes.size()),
            pickle.isEmpty() ? QString() : pickle,
            ValueText::hexDump(bytes, 512, std::max<qint64>(storedLength, bytes.size())));
    }
    const QString date = dateOf(column, value);
    if (value.typeId() != QMetaType::QString) {
        // A REAL as the table's cell shows it: 1700000000.5, not QVariant's 1.7e+09 (#28).
        const QString number = value.typeId() == QMetaType::Double ? Format::real(value.toDouble()) : value.toString();
        return number + (date.isEmpty() ? QString() : u"   = "_s + date);
    }
    const QString text = value.toString();
    const qint64 length = StoredValue::codePoints(text); // as SQLite's length() counts
    QString header = u"TEXT, "_s + Format::counted(std::max(storedLength, length), u"character"_s, u"characters"_s)
        + shown(length);
    if (!date.isEmpty())
        header += u"   = "_s + date;
    if (auto doc = jsonPart(text))
        return header + u", JSON\n"_s + QString::fromUtf8(doc->toJson(QJsonDocument::Indented)).trimmed();
    return header + u'\n' + text;
}

void EntryDetail::fillJsonTree(QTreeWidget* tree, const EntryView& view, const std::optional<EntryRow>& decoded,
    const QStringList& columns, const QVariantMap& entry)
{
    tree->clear();
    int budget = TreeItems;
    QTreeWidgetItem* first = nullptr;
    if (decoded) {
        for (int c = 0; c < view.columns.size(); ++c) {
            const QVariant& value = decoded->values.value(c);
            if (value.typeId() != QMetaType::QJsonValue)
                continue;
            const QJsonValue json = value.toJsonValue();
            const QJsonValue node = decoded->trees.value(c, QJsonValue(QJsonValue::Undefined));
            if (node.isArray()) { // a pickle: its items in their stored order, in Python's words
                auto* root = new QTreeWidgetItem(tree, { view.columns[c].name });
                const QString text = node.toArray().first().toString();
                addNode(root,
                    text.startsWith(u'(')       ? u"()"_s
                        : text.startsWith(u'[') ? u"[]"_s
                                                : u"{}"_s,
                    node, budget);
                root->setExpanded(true);
                root->child(0)->setExpanded(true);
                first = first ? first : root;
                continue;
            }
            if (!json.isObject() && !json.isArray())
                continue;
            auto* root = new QTreeWidgetItem(tree, { view.columns[c].name });
            addJson(root, json.isObject() ? u"{}"_s : u"[]"_s, json, budget);
            root->setExpanded(true);
            root->child(0)->setExpanded(true);
            first = first ? first : root;
        }
    }
    for (const QString& column : columns) {
        const QVariant value = entry.value(column);
        if (value.typeId() != QMetaType::QString)
            continue;
        if (auto doc = jsonPart(value.toString())) {
            auto* root = new QTreeWidgetItem(tree, { column });
            addJson(root, doc->isObject() ? u"{}"_s : u"[]"_s,
                doc->isObject() ? QJsonValue(doc->object()) : QJsonValue(doc->array()), budget);
            root->setExpanded(true);
            root->child(0)->setExpanded(true);
        }
    }
    tree->resizeColumnToContents(0);
}

void EntryDetail::showAll(QTreeWidgetItem* more)
{
    QTreeWidgetItem* node = more ? more->parent() : nullptr;
    if (!node || !more->data(0, MoreRole).isValid())
        return;
    const QJsonValue value = more->data(0, MoreRole).toJsonValue();
    const int from = more->data(1, MoreRole).toInt();
    const bool pickleTree = more->data(1, PickleTreeRole).toBool();
    delete more;
    int budget = std::numeric_limits<int>::max(); // asked for: every remaining item
    if (pickleTree) {
        const QJsonArray children = value.toArray();
        for (int i = from; i < children.size() / 2; ++i)
            addNode(node, children[2 * i].toString(), children[2 * i + 1], budget);
        return;
    }
    const QJsonObject object = value.toObject();
    const QJsonArray array = value.toArray();
    const int count = int(value.isObject() ? object.size() : array.size());
    auto it = object.begin() + (value.isObject() ? from : 0);
    for (int i = from; i < count; ++i) {
        if (value.isObject()) {
            addJson(node, it.key(), it.value(), budget);
            ++it;
        } else {
            addJson(node, QString::number(i), array[i], budget);
        }
    }
}

QJsonObject EntryDetail::json(const EntryView& view, const std::optional<EntryRow>& decoded, const QVariantMap& entry)
{
    if (!decoded || CacheFormats::isGeneric(view.profile))
        return storedJson(entry);
    QJsonObject object;
    for (int c = 0; c < view.columns.size(); ++c) {
        QJsonValue value = decoded->json(c);
        if (decoded->values.value(c).typeId() == QMetaType::QByteArray) {
            QJsonObject bytes = value.toObject();
            bytes.insert(u"base64"_s, QString::fromLatin1(decoded->values.value(c).toByteArray().toBase64()));
            value = bytes;
        }
        object.insert(view.columns[c].name, value);
    }
    return object;
}

QJsonObject EntryDetail::storedJson(const QVariantMap& entry)
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
