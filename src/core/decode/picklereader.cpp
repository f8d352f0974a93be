// SPDX-License-Identifier: GPL-3.0-or-later
// The pickle stack machine: stack, marks, memo and containers (see picklereader.h).
#include "decode/picklereader.h"

#include <QStringDecoder>

using namespace Qt::Literals::StringLiterals;

namespace PickleDetail {

Error bad(const QString& why)
{
    return Error { Error::Kind::Invalid, u"not decodable as a pickle: "_s + why };
}

Reader::Reader(const QByteArray& bytes)
    : m_data(bytes)
{
}

Reader::~Reader()
{
    for (const NodeP& node : m_made) {
        node->items.clear();
        node->state.reset();
        node->extra.reset();
    }
}

Result<NodeP> Reader::run()
{
    while (true) {
        if (m_pos >= m_data.size())
            return bad(u"ends before STOP at byte %1"_s.arg(m_pos));
        const quint8 op = quint8(m_data[m_pos++]);
        if (op == '.') {
            if (m_stack.size() != 1 || !m_marks.isEmpty())
                return bad(u"STOP with %1 values on the stack"_s.arg(m_stack.size()));
            return m_stack.first();
        }
        if (Status status = step(op); !status)
            return status.error();
    }
}

Result<NodeP> Reader::make(Node::Kind kind)
{
    if (++m_created > kMaxObjects)
        return bad(u"more than %1 objects"_s.arg(kMaxObjects));
    auto node = std::make_shared<Node>();
    node->kind = kind;
    m_made.push_back(node);
    return node;
}

Result<QByteArray> Reader::take(qint64 count, const char* what)
{
    if (!need(count))
        return bad(u"%1 of %2 bytes at byte %3 runs past the end (%4 bytes left)"_s.arg(QLatin1StringView(what))
                       .arg(count)
                       .arg(m_pos)
                       .arg(m_data.size() - m_pos));
    QByteArray out = m_data.mid(m_pos, count);
    m_pos += count;
    return out;
}

Result<quint64> Reader::unsignedLE(int size, const char* what)
{
    auto bytes = take(size, what);
    if (!bytes)
        return bytes.error();
    quint64 value = 0;
    for (int i = size - 1; i >= 0; --i)
        value = (value << 8) | quint8(bytes.value()[i]);
    return value;
}

Result<QByteArray> Reader::line(const char* what)
{
    const qsizetype end = m_data.indexOf('\n', m_pos);
    if (end < 0)
        return bad(u"%1 at byte %2 has no end of line"_s.arg(QLatin1StringView(what)).arg(m_pos));
    QByteArray out = m_data.mid(m_pos, end - m_pos);
    m_pos = end + 1;
    return out;
}

Status Reader::push(Result<NodeP> node)
{
    if (!node)
        return node.error();
    m_stack << node.value();
    return {};
}

Result<NodeP> Reader::pop(const char* what)
{
    const qsizetype floor = m_marks.isEmpty() ? 0 : m_marks.back();
    if (m_stack.size() <= floor)
        return bad(u"%1 at byte %2 on an empty stack"_s.arg(QLatin1StringView(what)).arg(m_pos - 1));
    return m_stack.takeLast();
}

Result<NodeP> Reader::top(const char* what)
{
    const qsizetype floor = m_marks.isEmpty() ? 0 : m_marks.back();
    if (m_stack.size() <= floor)
        return bad(u"%1 at byte %2 on an empty stack"_s.arg(QLatin1StringView(what)).arg(m_pos - 1));
    return m_stack.back();
}

Result<QList<NodeP>> Reader::popMark(const char* what)
{
    if (m_marks.isEmpty())
        return bad(u"%1 at byte %2 without a MARK"_s.arg(QLatin1StringView(what)).arg(m_pos - 1));
    const qsizetype mark = m_marks.takeLast();
    QList<NodeP> items = m_stack.mid(mark);
    m_stack.resize(mark);
    return items;
}

Result<NodeP> Reader::global(const QString& module, const QString& name)
{
    return string(module + u'.' + name, Node::Kind::Global);
}

Result<NodeP> Reader::sequence(Node::Kind kind, QList<NodeP> items)
{
    auto node = make(kind);
    if (node)
        node.value()->items = std::move(items);
    return node;
}

Status Reader::setItems(const NodeP& target, const QList<NodeP>& pairs, const char* what)
{
    if (pairs.size() % 2)
        return bad(u"%1 at byte %2 with an odd number of items"_s.arg(QLatin1StringView(what)).arg(m_pos - 1));
    Node* dict = target.get();
    if (target->kind == Node::Kind::Object) {
        if (!target->extra) {
            auto made = make(Node::Kind::Dict);
            if (!made)
                return made.error();
            target->extra = made.value();
        }
        dict = target->extra.get();
    }
    if (dict->kind != Node::Kind::Dict)
        return bad(u"%1 at byte %2 on a value that is not a dict"_s.arg(QLatin1StringView(what)).arg(m_pos - 1));
    dict->items << pairs;
    return {};
}

Status Reader::appendItems(const NodeP& target, const QList<NodeP>& items, const char* what)
{
    Node* list = target.get();
    if (target->kind == Node::Kind::Object) {
        if (!target->extra) {
            auto made = make(Node::Kind::List);
            if (!made)
                return made.error();
            target->extra = made.value();
        }
        list = target->extra.get();
    }
    if (list->kind != Node::Kind::List && list->kind != Node::Kind::Set)
        return bad(u"%1 at byte %2 on a value that is not a list"_s.arg(QLatin1StringView(what)).arg(m_pos - 1));
    list->items << items;
    return {};
}

Status Reader::memoPut(quint64 index)
{
    auto value = top("PUT");
    if (!value)
        return value.error();
    m_memo.insert(index, value.value());
    return {};
}

Status Reader::memoGet(quint64 index)
{
    const auto it = m_memo.constFind(index);
    if (it == m_memo.constEnd())
        return bad(u"GET of memo %1 at byte %2, which was never stored"_s.arg(index).arg(m_pos));
    m_stack << it.value();
    return {};
}

Status Reader::step(quint8 op)
{
    switch (op) {
    case '(': // MARK
        m_marks << m_stack.size();
        return {};
    case 0x80: { // PROTO
        auto version = unsignedLE(1, "PROTO");
        if (!version)
            return version.error();
        if (version.value() > 5)
            return bad(u"protocol %1 is newer than 5"_s.arg(version.value()));
        return {};
    }
    case 0x95: { // FRAME: a length hint only
        auto size = unsignedLE(8, "FRAME");
        if (!size)
            return size.error();
        if (size.value() > quint64(m_data.size() - m_pos))
            return bad(u"FRAME of %1 bytes runs past the end"_s.arg(size.value()));
        return {};
    }
    case ']':
        return push(make(Node::Kind::List));
    case ')':
        return push(make(Node::Kind::Tuple));
    case '}':
        return push(make(Node::Kind::Dict));
    case 0x8f:
        return push(make(Node::Kind::Set));
    case 'l':
    case 't':
    case 0x91: {
        auto items = popMark("LIST/TUPLE/FROZENSET");
        if (!items)
            return items.error();
        return push(sequence(op == 'l' ? Node::Kind::List
                : op == 't'            ? Node::Kind::Tuple
                                       : Node::Kind::Set,
            items.value()));
    }
    case 'd': {
        auto items = popMark("DICT");
        if (!items)
            return items.error();
        auto dict = make(Node::Kind::Dict);
        if (!dict)
            return dict.error();
        if (Status s = setItems(dict.value(), items.value(), "DICT"); !s)
            return s;
        return push(dict);
    }
    case 0x85:
    case 0x86:
    case 0x87: {
        const int count = op - 0x84;
        QList<NodeP> items;
        for (int i = 0; i < count; ++i) {
            auto item = pop("TUPLEn");
            if (!item)
                return item.error();
            items.prepend(item.value());
        }
        return push(sequence(Node::Kind::Tuple, items));
    }
    case 'a': {
        auto item = pop("APPEND");
        if (!item)
            return item.error();
        auto list = top("APPEND");
        if (!list)
            return list.error();
        return appendItems(list.value(), { item.value() }, "APPEND");
    }
    case 'e':
    case 0x90: {
        auto items = popMark("APPENDS/ADDITEMS");
        if (!items)
            return items.error();
        auto list = top("APPENDS/ADDITEMS");
        if (!list)
            return list.error();
        return appendItems(list.value(), items.value(), "APPENDS/ADDITEMS");
    }
    case 's': {
        auto value = pop("SETITEM");
        if (!value)
            return value.error();
        auto key = pop("SETITEM");
        if (!key)
            return key.error();
        auto dict = top("SETITEM");
        if (!dict)
            return dict.error();
        return setItems(dict.value(), { key.value(), value.value() }, "SETITEM");
    }
    case 'u': {
        auto items = popMark("SETITEMS");
        if (!items)
            return items.error();
        auto dict = top("SETITEMS");
        if (!dict)
            return dict.error();
        return setItems(dict.value(), items.value(), "SETITEMS");
    }
    case '0': {
        if (!m_stack.isEmpty() && (m_marks.isEmpty() || m_stack.size() > m_marks.back())) {
            m_stack.removeLast();
            return {};
        }
        if (!m_marks.isEmpty()) { // POP of a mark
            m_marks.removeLast();
            return {};
        }
        return bad(u"POP at byte %1 on an empty stack"_s.arg(m_pos - 1));
    }
    case '1': {
        auto items = popMark("POP_MARK");
        return items ? Status() : Status(items.error());
    }
    case '2': {
        auto value = top("DUP");
        if (!value)
            return value.error();
        m_stack << value.value();
        return {};
    }
    case 'p': {
        auto text = line("PUT");
        if (!text)
            return text.error();
        bool ok = false;
        const quint64 index = text.value().trimmed().toULongLong(&ok);
        return ok ? memoPut(index) : Status(bad(u"PUT index is not a number"_s));
    }
    case 'q':
    case 'r': {
        auto index = unsignedLE(op == 'q' ? 1 : 4, "BINPUT");
        return index ? memoPut(index.value()) : Status(index.error());
    }
    case 0x94:
        return memoPut(quint64(m_memo.size()));
    case 'g': {
        auto text = line("GET");
        if (!text)
            return text.error();
        bool ok = false;
        const quint64 index = text.value().trimmed().toULongLong(&ok);
        return ok ? memoGet(index) : Status(bad(u"GET index is not a number"_s));
    }
    case 'h':
    case 'j': {
        auto index = unsignedLE(op == 'h' ? 1 : 4, "BINGET");
        return index ? memoGet(index.value()) : Status(index.error());
    }
    case 'c':
    case 'i': {
        auto module = line("GLOBAL module");
        if (!module)
            return module.error();
        auto name = line("GLOBAL name");
        if (!name)
            return name.error();
        auto cls = global(QString::fromUtf8(module.value()), QString::fromUtf8(name.value()));
        if (!cls)
            return cls.error();
        if (op == 'c')
            return push(cls);
        auto args = popMark("INST");
        if (!args)
            return args.error();
        auto tuple = sequence(Node::Kind::Tuple, args.value());
        if (!tuple)
            return tuple.error();
        return push(call(cls.value(), tuple.value()));
    }
    case 0x93: {
        auto name = pop("STACK_GLOBAL");
        if (!name)
            return name.error();
        auto module = pop("STACK_GLOBAL");
        if (!module)
            return module.error();
        if (name.value()->kind != Node::Kind::Str || module.value()->kind != Node::Kind::Str)
            return bad(u"STACK_GLOBAL at byte %1 with a name that is not a str"_s.arg(m_pos - 1));
        return push(global(module.value()->text, name.value()->text));
    }
    case 'o': {
        auto items = popMark("OBJ");
        if (!items)
            return items.error();
        if (items->isEmpty())
            return bad(u"OBJ at byte %1 without a class"_s.arg(m_pos - 1));
        const NodeP cls = items->takeFirst();
        auto tuple = sequence(Node::Kind::Tuple, items.value());
        if (!tuple)
            return tuple.error();
        return push(call(cls, tuple.value()));
    }
    case 'R':
    case 0x81: {
        auto args = pop("REDUCE/NEWOBJ");
        if (!args)
            return args.error();
        auto callable = pop("REDUCE/NEWOBJ");
        if (!callable)
            return callable.error();
        if ((callable.value()->text == u"copyreg._reconstructor"_s
                || callable.value()->text == u"copy_reg._reconstructor"_s)
            && args.value()->items.size() >= 1 && args.value()->items.first()->kind == Node::Kind::Global) {
            auto rest = sequence(Node::Kind::Tuple, args.value()->items.mid(2));
            if (!rest)
                return rest.error();
            return push(call(args.value()->items.first(), rest.value()));
        }
        return push(call(callable.value(), args.value()));
    }
    case 0x92: {
        auto kwargs = pop("NEWOBJ_EX");
        if (!kwargs)
            return kwargs.error();
        auto args = pop("NEWOBJ_EX");
        if (!args)
            return args.error();
        auto cls = pop("NEWOBJ_EX");
        if (!cls)
            return cls.error();
        auto object = call(cls.value(), args.value());
        if (object && object.value()->kind == Node::Kind::Object && !kwargs.value()->items.isEmpty())
            object.value()->state = kwargs.value();
        return push(object);
    }
    case 'b': {
        auto state = pop("BUILD");
        if (!state)
            return state.error();
        auto object = top("BUILD");
        if (!object)
            return object.error();
        if (object.value()->kind == Node::Kind::Object)
            object.value()->state = state.value();
        return {};
    }
    case 'P': {
        auto id = line("PERSID");
        if (!id)
            return id.error();
        auto pid = string(QString::fromUtf8(id.value()));
        auto cls = global(u"pickle"_s, u"persistent_id"_s);
        if (!pid || !cls)
            return bad(u"too many objects"_s);
        return push(call(cls.value(), pid.value()));
    }
    case 'Q': {
        auto pid = pop("BINPERSID");
        if (!pid)
            return pid.error();
        auto cls = global(u"pickle"_s, u"persistent_id"_s);
        if (!cls)
            return cls.error();
        return push(call(cls.value(), pid.value()));
    }
    case 0x82:
    case 0x83:
    case 0x84: {
        auto code = unsignedLE(op == 0x82 ? 1 : op == 0x83 ? 2 : 4, "EXT");
        if (!code)
            return code.error();
        return push(global(u"copyreg.extension"_s, QString::number(code.value())));
    }
    case 0x97:
        return bad(u"NEXT_BUFFER at byte %1: the value is in an out-of-band buffer"_s.arg(m_pos - 1));
    case 0x98: // READONLY_BUFFER: no effect on the value
        return top("READONLY_BUFFER") ? Status() : Status(bad(u"READONLY_BUFFER on an empty stack"_s));
    default:
        return literal(op);
    }
}

} // namespace PickleDetail
