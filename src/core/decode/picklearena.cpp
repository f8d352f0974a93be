// SPDX-License-Identifier: GPL-3.0-or-later
#include "decode/picklearena.h"

using namespace Qt::Literals::StringLiterals;

namespace PickleDetail {

Error bad(const QString& why)
{
    return Error { Error::Kind::Invalid, u"not decodable as a pickle: "_s + why };
}

Arena::~Arena()
{
    for (const NodeP& node : m_made) {
        node->items.clear();
        node->state.reset();
        node->extra.reset();
    }
}

Result<NodeP> Arena::make(Node::Kind kind)
{
    if (++m_created > kMaxObjects)
        return bad(u"more than %1 objects"_s.arg(kMaxObjects));
    auto node = std::make_shared<Node>();
    node->kind = kind;
    m_made.push_back(node);
    return node;
}

Result<NodeP> Arena::integer(qint64 value)
{
    auto node = make(Node::Kind::Int);
    if (node)
        node.value()->integer = value;
    return node;
}

Result<NodeP> Arena::string(const QString& text, Node::Kind kind)
{
    auto node = make(kind);
    if (node)
        node.value()->text = text;
    return node;
}

Result<NodeP> Arena::bytes(const QByteArray& bytes)
{
    auto node = make(Node::Kind::Bytes);
    if (node)
        node.value()->bytes = bytes;
    return node;
}

Result<NodeP> Arena::sequence(Node::Kind kind, QList<NodeP> items)
{
    auto node = make(kind);
    if (node)
        node.value()->items = std::move(items);
    return node;
}

Result<NodeP> Arena::global(const QString& module, const QString& name)
{
    return string(module + u'.' + name, Node::Kind::Global);
}

} // namespace PickleDetail
