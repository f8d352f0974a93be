// SPDX-License-Identifier: GPL-3.0-or-later
#include "decode/pickletree.h"

#include "common/format.h"
#include "decode/picklerepr.h"

#include <QJsonArray>

#include <cmath>

using namespace Qt::Literals::StringLiterals;

namespace PickleDetail {

PickleTree::PickleTree(const Limits& limits)
    : m_limits(limits)
{
}

QJsonValue PickleTree::of(const NodeP& root)
{
    m_nodes = 0;
    return node(root, 0);
}

QString PickleTree::leaf(const NodeP& node) const
{
    // A str as the tree has always shown text (unquoted, its controls visible); a fraction as a
    // person writes it (0.00003, #28), a whole float as Python does (0.0, 1e+20).
    if (node->kind == Node::Kind::Str)
        return Format::escapeControl(
            node->text.size() > m_limits.leafChars ? node->text.left(m_limits.leafChars) + u"…"_s : node->text);
    if (node->kind == Node::Kind::Float && std::isfinite(node->real) && node->real != std::trunc(node->real))
        return Format::real(node->real);
    return PythonRepr({ 1, 1, m_limits.leafChars, 0 }).of(node);
}

QJsonValue PickleTree::node(const NodeP& node, int depth)
{
    if (++m_nodes > m_limits.maxNodes || spentChars() || depth > m_limits.maxDepth) {
        m_truncated = true;
        return u"…"_s;
    }
    QJsonArray children;
    QString text;
    switch (node->kind) {
    case Node::Kind::List:
        text = u"[%1]"_s.arg(Format::count(node->items.size()));
        appendItems(children, node->items, depth, false);
        break;
    case Node::Kind::Tuple:
        text = u"(%1)"_s.arg(Format::count(node->items.size()));
        appendItems(children, node->items, depth, false);
        break;
    case Node::Kind::Set:
        text = u"{%1}"_s.arg(Format::count(node->items.size()));
        appendItems(children, node->items, depth, false);
        break;
    case Node::Kind::Dict:
        text = u"{%1}"_s.arg(Format::count(node->items.size() / 2));
        appendItems(children, node->items, depth, true);
        break;
    case Node::Kind::Object: {
        auto name = std::make_shared<Node>();
        name->kind = Node::Kind::Global;
        name->text = node->text;
        text = leaf(name) + u"(…)"_s;
        if (!node->items.isEmpty()) {
            auto args = std::make_shared<Node>();
            args->kind = Node::Kind::Tuple;
            args->items = node->items;
            children << u"args"_s << this->node(args, depth + 1);
        }
        if (node->state)
            children << u"state"_s << this->node(node->state, depth + 1);
        if (node->extra)
            children << u"items"_s << this->node(node->extra, depth + 1);
        break;
    }
    default: {
        const QString text = leaf(node);
        m_chars += text.size();
        return text;
    }
    }
    return QJsonArray { text, children };
}

void PickleTree::appendItems(QJsonArray& children, const QList<NodeP>& items, int depth, bool pairs)
{
    const int step = pairs ? 2 : 1;
    const qsizetype count = items.size() / step;
    for (qsizetype i = 0; i < count; ++i) {
        if (m_nodes >= m_limits.maxNodes || spentChars() || (m_limits.maxItems > 0 && i >= m_limits.maxItems)) {
            children << u"…"_s << PythonRepr::cutMarker(count).mid(2); // "cut at N items"
            m_truncated = true;
            return;
        }
        if (pairs) {
            const NodeP& key = items[i * step];
            children << (key->kind == Node::Kind::Str ? Format::escapeControl(key->text) : leaf(key));
            children << node(items[i * step + 1], depth + 1);
        } else {
            children << QString::number(i);
            children << node(items[i], depth + 1);
        }
    }
}

} // namespace PickleDetail
