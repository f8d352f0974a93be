// SPDX-License-Identifier: GPL-3.0-or-later
// Class-bearing pickle opcodes (REDUCE, NEWOBJ, OBJ, INST): the call is described, never made;
// a few builtins whose pickled form is a call are read as the plain data they stand for.
#include "decode/picklereader.h"

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

// An object built by calling `callable` with `args`: never called, only described. A few
// builtins whose pickled form is a call are read as the plain data they stand for.
Result<NodeP> Reader::call(const NodeP& callable, const NodeP& args)
{
    const QString name = callable->kind == Node::Kind::Global ? callable->text
        : callable->kind == Node::Kind::Object                ? callable->text
                                                              : u"<callable>"_s;
    const QList<NodeP> argList
        = (args->kind == Node::Kind::Tuple || args->kind == Node::Kind::List) ? args->items : QList<NodeP> { args };
    if ((name == u"builtins.set"_s || name == u"__builtin__.set"_s || name == u"builtins.frozenset"_s
            || name == u"__builtin__.frozenset"_s)
        && argList.size() <= 1) {
        return sequence(Node::Kind::Set, argList.isEmpty() ? QList<NodeP>() : argList.first()->items);
    }
    if ((name == u"collections.OrderedDict"_s || name == u"builtins.dict"_s) && argList.isEmpty())
        return make(Node::Kind::Dict);
    if ((name == u"_codecs.encode"_s || name == u"builtins.bytearray"_s || name == u"__builtin__.bytearray"_s)
        && !argList.isEmpty() && argList.size() <= 2) {
        const NodeP& first = argList.first();
        if (first->kind == Node::Kind::Bytes)
            return bytesNode(first->bytes);
        if (first->kind == Node::Kind::Str)
            return bytesNode(first->text.toLatin1());
    }
    if (name == u"builtins.bytearray"_s && argList.isEmpty())
        return bytesNode({});
    auto node = make(Node::Kind::Object);
    if (!node)
        return node;
    node.value()->text = name;
    node.value()->items = argList;
    if (name == u"datetime.datetime"_s || name == u"datetime.date"_s) {
        if (!argList.isEmpty() && argList.first()->kind == Node::Kind::Bytes) {
            auto date = string(dateText(argList.first()->bytes));
            if (!date)
                return date.error();
            node.value()->items.first() = date.value();
        }
    }
    return node;
}

} // namespace PickleDetail
