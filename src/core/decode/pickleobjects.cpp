// SPDX-License-Identifier: GPL-3.0-or-later
#include "decode/pickleobjects.h"

using namespace Qt::Literals::StringLiterals;

namespace PickleDetail {

namespace {

    // The packed bytes of a pickled datetime/date (CPython's _datetimemodule.c layout).
    QString dateText(const QByteArray& b)
    {
        auto u = [&](int i) { return int(quint8(b[i])); };
        if (b.size() == 4)
            return u"%1-%2-%3"_s.arg(u(0) * 256 + u(1), 4, 10, QLatin1Char('0'))
                .arg(u(2), 2, 10, QLatin1Char('0'))
                .arg(u(3), 2, 10, QLatin1Char('0'));
        if (b.size() != 10)
            return QString::fromLatin1(b.toHex());
        return u"%1-%2-%3T%4:%5:%6.%7"_s.arg(u(0) * 256 + u(1), 4, 10, QLatin1Char('0'))
            .arg(u(2), 2, 10, QLatin1Char('0'))
            .arg(u(3), 2, 10, QLatin1Char('0'))
            .arg(u(4), 2, 10, QLatin1Char('0'))
            .arg(u(5), 2, 10, QLatin1Char('0'))
            .arg(u(6), 2, 10, QLatin1Char('0'))
            .arg((u(7) << 16) | (u(8) << 8) | u(9), 6, 10, QLatin1Char('0'));
    }

} // namespace

Result<NodeP> ObjectOps::call(const NodeP& callable, const NodeP& args)
{
    const QString name = callable->kind == Node::Kind::Global ? callable->text
        : callable->kind == Node::Kind::Object                ? callable->text
                                                              : u"<callable>"_s;
    const QList<NodeP> argList
        = (args->kind == Node::Kind::Tuple || args->kind == Node::Kind::List) ? args->items : QList<NodeP> { args };
    if ((name == u"builtins.set"_s || name == u"__builtin__.set"_s || name == u"builtins.frozenset"_s
            || name == u"__builtin__.frozenset"_s)
        && argList.size() <= 1) {
        return m_arena.sequence(Node::Kind::Set, argList.isEmpty() ? QList<NodeP>() : argList.first()->items);
    }
    if ((name == u"collections.OrderedDict"_s || name == u"builtins.dict"_s) && argList.isEmpty())
        return m_arena.make(Node::Kind::Dict);
    if ((name == u"_codecs.encode"_s || name == u"builtins.bytearray"_s || name == u"__builtin__.bytearray"_s)
        && !argList.isEmpty() && argList.size() <= 2) {
        const NodeP& first = argList.first();
        if (first->kind == Node::Kind::Bytes)
            return m_arena.bytes(first->bytes);
        if (first->kind == Node::Kind::Str)
            return m_arena.bytes(first->text.toLatin1());
    }
    if (name == u"builtins.bytearray"_s && argList.isEmpty())
        return m_arena.bytes({});
    auto node = m_arena.make(Node::Kind::Object);
    if (!node)
        return node;
    node.value()->text = name;
    node.value()->items = argList;
    if (name == u"datetime.datetime"_s || name == u"datetime.date"_s) {
        if (!argList.isEmpty() && argList.first()->kind == Node::Kind::Bytes) {
            auto date = m_arena.string(dateText(argList.first()->bytes));
            if (!date)
                return date.error();
            node.value()->items.first() = date.value();
        }
    }
    return node;
}

std::optional<Status> ObjectOps::step(quint8 op)
{
    switch (op) {
    case 'c':
    case 'i': {
        auto module = m_input.line("GLOBAL module");
        if (!module)
            return module.error();
        auto name = m_input.line("GLOBAL name");
        if (!name)
            return name.error();
        auto cls = m_arena.global(QString::fromUtf8(module.value()), QString::fromUtf8(name.value()));
        if (!cls)
            return cls.error();
        if (op == 'c')
            return m_stack.push(cls);
        auto args = m_stack.popMark("INST");
        if (!args)
            return args.error();
        auto tuple = m_arena.sequence(Node::Kind::Tuple, args.value());
        if (!tuple)
            return tuple.error();
        return m_stack.push(call(cls.value(), tuple.value()));
    }
    case 0x93: {
        auto name = m_stack.pop("STACK_GLOBAL");
        if (!name)
            return name.error();
        auto module = m_stack.pop("STACK_GLOBAL");
        if (!module)
            return module.error();
        if (name.value()->kind != Node::Kind::Str || module.value()->kind != Node::Kind::Str)
            return bad(u"STACK_GLOBAL at byte %1 with a name that is not a str"_s.arg(lastByte()));
        return m_stack.push(m_arena.global(module.value()->text, name.value()->text));
    }
    case 'o': {
        auto items = m_stack.popMark("OBJ");
        if (!items)
            return items.error();
        if (items->isEmpty())
            return bad(u"OBJ at byte %1 without a class"_s.arg(lastByte()));
        const NodeP cls = items->takeFirst();
        auto tuple = m_arena.sequence(Node::Kind::Tuple, items.value());
        if (!tuple)
            return tuple.error();
        return m_stack.push(call(cls, tuple.value()));
    }
    case 'R':
    case 0x81: {
        auto args = m_stack.pop("REDUCE/NEWOBJ");
        if (!args)
            return args.error();
        auto callable = m_stack.pop("REDUCE/NEWOBJ");
        if (!callable)
            return callable.error();
        if ((callable.value()->text == u"copyreg._reconstructor"_s
                || callable.value()->text == u"copy_reg._reconstructor"_s)
            && args.value()->items.size() >= 1 && args.value()->items.first()->kind == Node::Kind::Global) {
            auto rest = m_arena.sequence(Node::Kind::Tuple, args.value()->items.mid(2));
            if (!rest)
                return rest.error();
            return m_stack.push(call(args.value()->items.first(), rest.value()));
        }
        return m_stack.push(call(callable.value(), args.value()));
    }
    case 0x92: {
        auto kwargs = m_stack.pop("NEWOBJ_EX");
        if (!kwargs)
            return kwargs.error();
        auto args = m_stack.pop("NEWOBJ_EX");
        if (!args)
            return args.error();
        auto cls = m_stack.pop("NEWOBJ_EX");
        if (!cls)
            return cls.error();
        auto object = call(cls.value(), args.value());
        if (object && object.value()->kind == Node::Kind::Object && !kwargs.value()->items.isEmpty())
            object.value()->state = kwargs.value();
        return m_stack.push(object);
    }
    case 'b': {
        auto state = m_stack.pop("BUILD");
        if (!state)
            return state.error();
        auto object = m_stack.top("BUILD");
        if (!object)
            return object.error();
        if (object.value()->kind == Node::Kind::Object)
            object.value()->state = state.value();
        return Status();
    }
    case 'P': {
        auto id = m_input.line("PERSID");
        if (!id)
            return id.error();
        auto pid = m_arena.string(QString::fromUtf8(id.value()));
        auto cls = m_arena.global(u"pickle"_s, u"persistent_id"_s);
        if (!pid || !cls)
            return bad(u"too many objects"_s);
        return m_stack.push(call(cls.value(), pid.value()));
    }
    case 'Q': {
        auto pid = m_stack.pop("BINPERSID");
        if (!pid)
            return pid.error();
        auto cls = m_arena.global(u"pickle"_s, u"persistent_id"_s);
        if (!cls)
            return cls.error();
        return m_stack.push(call(cls.value(), pid.value()));
    }
    case 0x82:
    case 0x83:
    case 0x84: {
        auto code = m_input.unsignedLE(op == 0x82 ? 1 : op == 0x83 ? 2 : 4, "EXT");
        if (!code)
            return code.error();
        return m_stack.push(m_arena.global(u"copyreg.extension"_s, QString::number(code.value())));
    }
    default:
        return std::nullopt;
    }
}

} // namespace PickleDetail
