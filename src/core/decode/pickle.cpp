// SPDX-License-Identifier: GPL-3.0-or-later
// Pickle: what the stack machine (picklereader.h) read, written out as JSON and as text.
#include "decode/pickle.h"
#include "decode/picklereader.h"
#include "decode/picklerepr.h"
#include "decode/pickletree.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringDecoder>

#include <cmath>

using namespace Qt::Literals::StringLiterals;

using namespace PickleDetail;

namespace {

QString bytesPreview(const QByteArray& bytes, bool* isText = nullptr)
{
    if (isText)
        *isText = true;
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString text = decoder.decode(bytes);
    if (!decoder.hasError()) {
        bool printable = true;
        for (QChar c : text) {
            if (c.unicode() < 0x20 && c != u'\n' && c != u'\t' && c != u'\r') {
                printable = false;
                break;
            }
        }
        if (printable)
            return text;
    }
    if (isText)
        *isText = false;
    QString out;
    out.reserve(bytes.size());
    for (char c : bytes)
        out += (c >= 0x20 && c < 0x7f) ? QChar::fromLatin1(c) : u'.';
    return out;
}

class Writer {
public:
    explicit Writer(const Pickle::Limits& limits)
        : m_limits(limits)
    {
    }

    bool truncated = false;

    QJsonValue json(const NodeP& node, int depth)
    {
        if (++m_nodes > m_limits.maxNodes || spentChars() || depth > m_limits.maxDepth) {
            truncated = true;
            return u"…"_s;
        }
        switch (node->kind) {
        case Node::Kind::None:
            return QJsonValue::Null;
        case Node::Kind::Bool:
            return node->boolean;
        case Node::Kind::Int:
            return node->integer;
        case Node::Kind::BigInt:
            m_chars += node->text.size();
            return node->text;
        case Node::Kind::Float:
            if (std::isnan(node->real))
                return u"nan"_s;
            if (std::isinf(node->real))
                return node->real > 0 ? u"inf"_s : u"-inf"_s;
            return node->real;
        case Node::Kind::Str:
            m_chars += node->text.size();
            return cut(node->text);
        case Node::Kind::Bytes: {
            m_chars += node->bytes.size();
            const QByteArray head
                = m_limits.previewChars > 0 ? node->bytes.left(4 * m_limits.previewChars + 4) : node->bytes;
            bool isText = true;
            QJsonObject bytes { { u"blob_bytes"_s, node->bytes.size() },
                { u"preview"_s, cut(bytesPreview(head, &isText)) } };
            if (!isText && m_limits.hexBytes > 0)
                bytes.insert(u"hex"_s, QString::fromLatin1(node->bytes.left(m_limits.hexBytes).toHex()));
            return bytes;
        }
        case Node::Kind::List:
        case Node::Kind::Tuple:
        case Node::Kind::Set:
            return array(node->items, depth);
        case Node::Kind::Dict:
            return object(node->items, depth);
        case Node::Kind::Global:
            return QJsonObject { { u"__global__"_s, node->text } };
        case Node::Kind::Object: {
            QJsonObject object { { u"__class__"_s, node->text } };
            if (!node->items.isEmpty())
                object.insert(u"args"_s, array(node->items, depth));
            if (node->state)
                object.insert(u"state"_s, json(node->state, depth + 1));
            if (node->extra)
                object.insert(u"items"_s, json(node->extra, depth + 1));
            return object;
        }
        }
        return QJsonValue::Null;
    }

private:
    const Pickle::Limits& m_limits;
    int m_nodes = 0;
    qint64 m_chars = 0; // of text written, for Limits::maxChars

    bool spentChars() const { return m_limits.maxChars > 0 && m_chars > m_limits.maxChars; }

    QString cut(const QString& text)
    {
        if (m_limits.previewChars > 0 && text.size() > m_limits.previewChars) {
            truncated = true;
            return text.left(m_limits.previewChars) + u"…"_s;
        }
        return text;
    }

    QJsonArray array(const QList<NodeP>& items, int depth)
    {
        QJsonArray out;
        for (const NodeP& item : items) {
            if (m_nodes >= m_limits.maxNodes || spentChars()
                || (m_limits.maxItems > 0 && out.size() >= m_limits.maxItems)) {
                out.append(Pickle::cutMarker(items.size()));
                truncated = true;
                break;
            }
            out.append(json(item, depth + 1));
        }
        return out;
    }

    QJsonObject object(const QList<NodeP>& items, int depth)
    {
        QJsonObject out;
        for (qsizetype i = 0; i + 1 < items.size(); i += 2) {
            if (m_nodes >= m_limits.maxNodes || spentChars()
                || (m_limits.maxItems > 0 && out.size() >= m_limits.maxItems)) {
                out.insert(u"…"_s, Pickle::cutMarker(items.size() / 2).mid(2));
                truncated = true;
                break;
            }
            const NodeP& key = items[i];
            QString name;
            if (key->kind == Node::Kind::Str) {
                name = key->text;
            } else {
                const QJsonValue k = json(key, depth + 1);
                name = k.isString() ? k.toString()
                    : k.isDouble()  ? QString::number(k.toInteger(), 10)
                                    : QString::fromUtf8(QJsonDocument(QJsonArray { k }).toJson(QJsonDocument::Compact))
                                         .mid(1)
                                         .chopped(1);
                if (k.isDouble() && double(k.toInteger()) != k.toDouble())
                    name = QString::number(k.toDouble(), 'g', 17);
            }
            out.insert(name, json(items[i + 1], depth + 1));
        }
        return out;
    }
};

void appendText(QString& out, const QJsonValue& value, bool top, int maxChars, int depth)
{
    if (maxChars > 0 && out.size() > maxChars)
        return;
    if (depth > 64) {
        out += u"…"_s;
        return;
    }
    switch (value.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        out += u"None"_s;
        return;
    case QJsonValue::Bool:
        out += value.toBool() ? u"True"_s : u"False"_s;
        return;
    case QJsonValue::Double:
        if (double(value.toInteger()) == value.toDouble())
            out += QString::number(value.toInteger());
        else
            out += QString::number(value.toDouble(), 'g', 17);
        return;
    case QJsonValue::String:
        out += top ? value.toString() : u'\'' + value.toString() + u'\'';
        return;
    case QJsonValue::Array: {
        out += u'[';
        bool first = true;
        for (const QJsonValue& item : value.toArray()) {
            if (!first)
                out += u", "_s;
            first = false;
            appendText(out, item, false, maxChars, depth + 1);
            if (maxChars > 0 && out.size() > maxChars)
                return;
        }
        out += u']';
        return;
    }
    case QJsonValue::Object: {
        const QJsonObject object = value.toObject();
        if (object.contains(u"blob_bytes"_s) && object.contains(u"preview"_s) && !object.contains(u"__class__"_s)) {
            out += u"b'"_s + object[u"preview"_s].toString() + u'\'';
            return;
        }
        if (object.contains(u"__global__"_s) && object.size() == 1) {
            out += object[u"__global__"_s].toString();
            return;
        }
        if (object.contains(u"__class__"_s)) {
            out += object[u"__class__"_s].toString() + u'(';
            bool first = true;
            for (const QJsonValue& arg : object[u"args"_s].toArray()) {
                if (!first)
                    out += u", "_s;
                first = false;
                appendText(out, arg, false, maxChars, depth + 1);
            }
            for (const QString& part : { u"state"_s, u"items"_s }) {
                if (!object.contains(part))
                    continue;
                if (!first)
                    out += u", "_s;
                first = false;
                appendText(out, object[part], false, maxChars, depth + 1);
            }
            out += u')';
            return;
        }
        out += u'{';
        bool first = true;
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (!first)
                out += u", "_s;
            first = false;
            out += u'\'' + it.key() + u"': "_s;
            appendText(out, it.value(), false, maxChars, depth + 1);
            if (maxChars > 0 && out.size() > maxChars)
                return;
        }
        out += u'}';
        return;
    }
    }
}

} // namespace

bool Pickle::looksLikePickle(const QByteArray& bytes)
{
    return bytes.size() >= 3 && quint8(bytes[0]) == 0x80 && quint8(bytes[1]) >= 2 && quint8(bytes[1]) <= 5;
}

Result<QJsonValue> Pickle::decode(const QByteArray& bytes)
{
    return decode(bytes, Limits {});
}

QString Pickle::cutMarker(qsizetype items)
{
    return PythonRepr::cutMarker(items);
}

Result<QJsonValue> Pickle::decode(
    const QByteArray& bytes, const Limits& limits, bool* truncated, QString* repr, QJsonValue* tree)
{
    if (bytes.isEmpty())
        return bad(u"no bytes"_s);
    Reader reader(bytes);
    auto root = reader.run();
    if (!root)
        return root.error();
    Writer writer(limits);
    QJsonValue value = writer.json(root.value(), 0);
    if (truncated)
        *truncated = writer.truncated;
    if (repr)
        *repr = PythonRepr({ limits.maxDepth, limits.maxNodes, limits.previewChars, limits.maxItems, limits.maxChars })
                    .of(root.value());
    if (tree)
        *tree = PickleTree(
            { limits.maxDepth, std::min(limits.maxNodes, TreeNodes), limits.maxItems, TreeLeafChars, limits.maxChars })
                    .of(root.value());
    return value;
}

QString Pickle::text(const QJsonValue& value, int maxChars)
{
    QString out;
    appendText(out, value, true, maxChars, 0);
    if (maxChars > 0 && out.size() > maxChars)
        out = out.left(maxChars) + u"…"_s;
    return out;
}
