// SPDX-License-Identifier: GPL-3.0-or-later
#include "decode/picklecontainers.h"

using namespace Qt::Literals::StringLiterals;

namespace PickleDetail {

Status ContainerOps::setItems(const NodeP& target, const QList<NodeP>& pairs, const char* what)
{
    if (pairs.size() % 2)
        return bad(u"%1 at byte %2 with an odd number of items"_s.arg(QLatin1StringView(what)).arg(lastByte()));
    Node* dict = target.get();
    if (target->kind == Node::Kind::Object) {
        if (!target->extra) {
            auto made = m_arena.make(Node::Kind::Dict);
            if (!made)
                return made.error();
            target->extra = made.value();
        }
        dict = target->extra.get();
    }
    if (dict->kind != Node::Kind::Dict)
        return bad(u"%1 at byte %2 on a value that is not a dict"_s.arg(QLatin1StringView(what)).arg(lastByte()));
    dict->items << pairs;
    return {};
}

Status ContainerOps::appendItems(const NodeP& target, const QList<NodeP>& items, const char* what)
{
    Node* list = target.get();
    if (target->kind == Node::Kind::Object) {
        if (!target->extra) {
            auto made = m_arena.make(Node::Kind::List);
            if (!made)
                return made.error();
            target->extra = made.value();
        }
        list = target->extra.get();
    }
    if (list->kind != Node::Kind::List && list->kind != Node::Kind::Set)
        return bad(u"%1 at byte %2 on a value that is not a list"_s.arg(QLatin1StringView(what)).arg(lastByte()));
    list->items << items;
    return {};
}

std::optional<Status> ContainerOps::step(quint8 op)
{
    switch (op) {
    case ']':
        return m_stack.push(m_arena.make(Node::Kind::List));
    case ')':
        return m_stack.push(m_arena.make(Node::Kind::Tuple));
    case '}':
        return m_stack.push(m_arena.make(Node::Kind::Dict));
    case 0x8f:
        return m_stack.push(m_arena.make(Node::Kind::Set));
    case 'l':
    case 't':
    case 0x91: {
        auto items = m_stack.popMark("LIST/TUPLE/FROZENSET");
        if (!items)
            return items.error();
        return m_stack.push(m_arena.sequence(op == 'l' ? Node::Kind::List
                : op == 't'                            ? Node::Kind::Tuple
                                                       : Node::Kind::Set,
            items.value()));
    }
    case 'd': {
        auto items = m_stack.popMark("DICT");
        if (!items)
            return items.error();
        auto dict = m_arena.make(Node::Kind::Dict);
        if (!dict)
            return dict.error();
        if (Status s = setItems(dict.value(), items.value(), "DICT"); !s)
            return s;
        return m_stack.push(dict);
    }
    case 0x85:
    case 0x86:
    case 0x87: {
        const int count = op - 0x84;
        QList<NodeP> items;
        for (int i = 0; i < count; ++i) {
            auto item = m_stack.pop("TUPLEn");
            if (!item)
                return item.error();
            items.prepend(item.value());
        }
        return m_stack.push(m_arena.sequence(Node::Kind::Tuple, items));
    }
    case 'a': {
        auto item = m_stack.pop("APPEND");
        if (!item)
            return item.error();
        auto list = m_stack.top("APPEND");
        if (!list)
            return list.error();
        return appendItems(list.value(), { item.value() }, "APPEND");
    }
    case 'e':
    case 0x90: {
        auto items = m_stack.popMark("APPENDS/ADDITEMS");
        if (!items)
            return items.error();
        auto list = m_stack.top("APPENDS/ADDITEMS");
        if (!list)
            return list.error();
        return appendItems(list.value(), items.value(), "APPENDS/ADDITEMS");
    }
    case 's': {
        auto value = m_stack.pop("SETITEM");
        if (!value)
            return value.error();
        auto key = m_stack.pop("SETITEM");
        if (!key)
            return key.error();
        auto dict = m_stack.top("SETITEM");
        if (!dict)
            return dict.error();
        return setItems(dict.value(), { key.value(), value.value() }, "SETITEM");
    }
    case 'u': {
        auto items = m_stack.popMark("SETITEMS");
        if (!items)
            return items.error();
        auto dict = m_stack.top("SETITEMS");
        if (!dict)
            return dict.error();
        return setItems(dict.value(), items.value(), "SETITEMS");
    }
    default:
        return std::nullopt;
    }
}

} // namespace PickleDetail
