// SPDX-License-Identifier: GPL-3.0-or-later
// The opcode set is CPython's Lib/pickletools.py (protocols 0–5); see docs/FORMATS.md.
#include "decode/pickle.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QStringDecoder>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>

using namespace Qt::Literals::StringLiterals;

namespace {

constexpr int kMaxObjects = 1000000; // objects created while reading, whatever the input size
constexpr int kMaxBigIntBytes = 1024; // longer ints are shown by their size only

struct Node;
using NodeP = std::shared_ptr<Node>;

// One Python object as read: shared (the memo and containers hold references) so that
// APPENDS/SETITEMS after MEMOIZE change what every reference sees, as in Python.
struct Node {
    enum class Kind { None, Bool, Int, BigInt, Float, Str, Bytes, List, Tuple, Dict, Set, Global, Object };
    Kind kind = Kind::None;
    bool boolean = false;
    qint64 integer = 0;
    double real = 0;
    QString text; // Str, BigInt (decimal), Global/Object (module.Name)
    QByteArray bytes;
    QList<NodeP> items; // List/Tuple/Set items; Dict: key, value, key, value…; Object: args
    NodeP state; // Object: BUILD state
    NodeP extra; // Object: items added by APPENDS/SETITEMS (a List or Dict)
};

Error bad(const QString& why)
{
    return Error { Error::Kind::Invalid, u"not decodable as a pickle: "_s + why };
}

QString bigIntDecimal(const QByteArray& littleEndian)
{
    // Two's complement little-endian → sign and magnitude, then base 10^9 by long division.
    QByteArray magnitude = littleEndian;
    const bool negative = !magnitude.isEmpty() && (quint8(magnitude.back()) & 0x80);
    if (negative) {
        int carry = 1;
        for (char& c : magnitude) {
            const int v = (quint8(~quint8(c))) + carry;
            c = char(v & 0xff);
            carry = v >> 8;
        }
    }
    QList<quint32> chunks; // base 1e9, least significant first
    QList<quint8> digits(magnitude.begin(), magnitude.end()); // base 256, little-endian
    while (!digits.isEmpty() && digits.back() == 0)
        digits.removeLast();
    while (!digits.isEmpty()) {
        quint64 remainder = 0;
        for (qsizetype i = digits.size() - 1; i >= 0; --i) {
            const quint64 current = (remainder << 8) | digits[i];
            digits[i] = quint8(current / 1000000000u);
            remainder = current % 1000000000u;
        }
        chunks << quint32(remainder);
        while (!digits.isEmpty() && digits.back() == 0)
            digits.removeLast();
    }
    if (chunks.isEmpty())
        return u"0"_s;
    QString text = negative ? u"-"_s : QString();
    text += QString::number(chunks.back());
    for (qsizetype i = chunks.size() - 2; i >= 0; --i)
        text += QString::number(chunks[i]).rightJustified(9, u'0');
    return text;
}

// Reads one pickle. All reads go through need(), which checks the bytes left first.
class Reader {
public:
    explicit Reader(const QByteArray& bytes)
        : m_data(bytes)
    {
    }

    Result<NodeP> run()
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

private:
    const QByteArray& m_data;
    qsizetype m_pos = 0;
    QList<NodeP> m_stack;
    QList<qsizetype> m_marks;
    QHash<quint64, NodeP> m_memo;
    int m_created = 0;

    Result<NodeP> make(Node::Kind kind)
    {
        if (++m_created > kMaxObjects)
            return bad(u"more than %1 objects"_s.arg(kMaxObjects));
        auto node = std::make_shared<Node>();
        node->kind = kind;
        return node;
    }

    bool need(qint64 count) const { return count >= 0 && count <= m_data.size() - m_pos; }

    Result<QByteArray> take(qint64 count, const char* what)
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

    Result<quint64> unsignedLE(int size, const char* what)
    {
        auto bytes = take(size, what);
        if (!bytes)
            return bytes.error();
        quint64 value = 0;
        for (int i = size - 1; i >= 0; --i)
            value = (value << 8) | quint8(bytes.value()[i]);
        return value;
    }

    Result<QByteArray> line(const char* what)
    {
        const qsizetype end = m_data.indexOf('\n', m_pos);
        if (end < 0)
            return bad(u"%1 at byte %2 has no end of line"_s.arg(QLatin1StringView(what)).arg(m_pos));
        QByteArray out = m_data.mid(m_pos, end - m_pos);
        m_pos = end + 1;
        return out;
    }

    Status push(Result<NodeP> node)
    {
        if (!node)
            return node.error();
        m_stack << node.value();
        return {};
    }

    Result<NodeP> pop(const char* what)
    {
        const qsizetype floor = m_marks.isEmpty() ? 0 : m_marks.back();
        if (m_stack.size() <= floor)
            return bad(u"%1 at byte %2 on an empty stack"_s.arg(QLatin1StringView(what)).arg(m_pos - 1));
        return m_stack.takeLast();
    }

    Result<NodeP> top(const char* what)
    {
        const qsizetype floor = m_marks.isEmpty() ? 0 : m_marks.back();
        if (m_stack.size() <= floor)
            return bad(u"%1 at byte %2 on an empty stack"_s.arg(QLatin1StringView(what)).arg(m_pos - 1));
        return m_stack.back();
    }

    Result<QList<NodeP>> popMark(const char* what)
    {
        if (m_marks.isEmpty())
            return bad(u"%1 at byte %2 without a MARK"_s.arg(QLatin1StringView(what)).arg(m_pos - 1));
        const qsizetype mark = m_marks.takeLast();
        QList<NodeP> items = m_stack.mid(mark);
        m_stack.resize(mark);
        return items;
    }

    Result<NodeP> scalar(Node::Kind kind) { return make(kind); }

    Result<NodeP> integer(qint64 value)
    {
        auto node = make(Node::Kind::Int);
        if (node)
            node.value()->integer = value;
        return node;
    }

    Result<NodeP> string(const QString& text, Node::Kind kind = Node::Kind::Str)
    {
        auto node = make(kind);
        if (node)
            node.value()->text = text;
        return node;
    }

    Result<NodeP> bytesNode(const QByteArray& bytes)
    {
        auto node = make(Node::Kind::Bytes);
        if (node)
            node.value()->bytes = bytes;
        return node;
    }

    Result<NodeP> longBytes(const QByteArray& littleEndian)
    {
        if (littleEndian.size() <= 8) {
            qint64 value = 0;
            for (qsizetype i = littleEndian.size() - 1; i >= 0; --i)
                value = qint64((quint64(value) << 8) | quint8(littleEndian[i]));
            if (!littleEndian.isEmpty() && littleEndian.size() < 8 && (quint8(littleEndian.back()) & 0x80))
                value -= qint64(1) << (8 * littleEndian.size()); // sign-extend
            return integer(value);
        }
        if (littleEndian.size() > kMaxBigIntBytes)
            return string(u"int of %1 bytes"_s.arg(littleEndian.size()), Node::Kind::BigInt);
        return string(bigIntDecimal(littleEndian), Node::Kind::BigInt);
    }

    Result<NodeP> decimal(QByteArray text, const char* what)
    {
        text = text.trimmed();
        if (text.endsWith('L'))
            text.chop(1);
        bool ok = false;
        const qint64 value = text.toLongLong(&ok);
        if (ok)
            return integer(value);
        QByteArray digits = text.startsWith('-') || text.startsWith('+') ? text.mid(1) : text;
        if (digits.isEmpty() || digits.size() > 4 * kMaxBigIntBytes
            || !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
            return bad(u"%1 at byte %2 is not a number"_s.arg(QLatin1StringView(what)).arg(m_pos));
        return string(QString::fromLatin1(text.startsWith('+') ? digits : text), Node::Kind::BigInt);
    }

    // Protocol 0 STRING: a Python repr ('…' or "…") with backslash escapes, as bytes.
    Result<NodeP> quotedString(const QByteArray& line)
    {
        const QByteArray text = line.trimmed();
        if (text.size() < 2 || text.front() != text.back() || (text.front() != '\'' && text.front() != '"'))
            return bad(u"STRING at byte %1 is not quoted"_s.arg(m_pos));
        QByteArray out;
        for (qsizetype i = 1; i < text.size() - 1; ++i) {
            char c = text[i];
            if (c != '\\' || i + 1 >= text.size() - 1) {
                out += c;
                continue;
            }
            c = text[++i];
            switch (c) {
            case 'n':
                out += '\n';
                break;
            case 't':
                out += '\t';
                break;
            case 'r':
                out += '\r';
                break;
            case 'x':
                if (i + 2 < text.size() - 1 + 1) {
                    bool ok = false;
                    const int v = text.mid(i + 1, 2).toInt(&ok, 16);
                    if (ok) {
                        out += char(v);
                        i += 2;
                        break;
                    }
                }
                out += "\\x";
                break;
            default:
                out += c;
            }
        }
        return string(QString::fromUtf8(out));
    }

    // Protocol 0 UNICODE: raw-unicode-escape (\uXXXX, \UXXXXXXXX; other bytes are Latin-1).
    Result<NodeP> rawUnicode(const QByteArray& line)
    {
        QString out;
        for (qsizetype i = 0; i < line.size(); ++i) {
            const char c = line[i];
            const int width = (c == '\\' && i + 1 < line.size()) ? (line[i + 1] == 'u' ? 4
                                      : line[i + 1] == 'U'                             ? 8
                                                                                       : 0)
                                                                 : 0;
            bool ok = false;
            const uint code = width ? line.mid(i + 2, width).toUInt(&ok, 16) : 0;
            if (width && ok && i + 2 + width <= line.size() && code <= 0x10FFFF) {
                out += QString::fromUcs4(reinterpret_cast<const char32_t*>(&code), 1);
                i += 1 + width;
            } else {
                out += QChar(char16_t(quint8(c)));
            }
        }
        return string(out);
    }

    Result<NodeP> global(const QString& module, const QString& name)
    {
        return string(module + u'.' + name, Node::Kind::Global);
    }

    Result<NodeP> sequence(Node::Kind kind, QList<NodeP> items)
    {
        auto node = make(kind);
        if (node)
            node.value()->items = std::move(items);
        return node;
    }

    // An object built by calling `callable` with `args`: never called, only described. A few
    // builtins whose pickled form is a call are read as the plain data they stand for.
    Result<NodeP> call(const NodeP& callable, const NodeP& args)
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

    // The packed bytes of a pickled datetime/date (CPython's _datetimemodule.c layout).
    static QString dateText(const QByteArray& b)
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

    Status setItems(const NodeP& target, const QList<NodeP>& pairs, const char* what)
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

    Status appendItems(const NodeP& target, const QList<NodeP>& items, const char* what)
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

    Status memoPut(quint64 index)
    {
        auto value = top("PUT");
        if (!value)
            return value.error();
        m_memo.insert(index, value.value());
        return {};
    }

    Status memoGet(quint64 index)
    {
        const auto it = m_memo.constFind(index);
        if (it == m_memo.constEnd())
            return bad(u"GET of memo %1 at byte %2, which was never stored"_s.arg(index).arg(m_pos));
        m_stack << it.value();
        return {};
    }

    Status step(quint8 op)
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
        case 'N':
            return push(scalar(Node::Kind::None));
        case 0x88:
        case 0x89: {
            auto node = make(Node::Kind::Bool);
            if (node)
                node.value()->boolean = op == 0x88;
            return push(node);
        }
        case 'I': {
            auto text = line("INT");
            if (!text)
                return text.error();
            if (text.value() == "00" || text.value() == "01") {
                auto node = make(Node::Kind::Bool);
                if (node)
                    node.value()->boolean = text.value() == "01";
                return push(node);
            }
            return push(decimal(text.value(), "INT"));
        }
        case 'L': {
            auto text = line("LONG");
            if (!text)
                return text.error();
            return push(decimal(text.value(), "LONG"));
        }
        case 'J': {
            auto v = unsignedLE(4, "BININT");
            return v ? push(integer(qint32(quint32(v.value())))) : Status(v.error());
        }
        case 'K': {
            auto v = unsignedLE(1, "BININT1");
            return v ? push(integer(qint64(v.value()))) : Status(v.error());
        }
        case 'M': {
            auto v = unsignedLE(2, "BININT2");
            return v ? push(integer(qint64(v.value()))) : Status(v.error());
        }
        case 0x8a:
        case 0x8b: {
            auto size = unsignedLE(op == 0x8a ? 1 : 4, "LONG1/LONG4 size");
            if (!size)
                return size.error();
            if (op == 0x8b && qint32(quint32(size.value())) < 0)
                return bad(u"LONG4 with a negative size"_s);
            auto bytes = take(qint64(size.value()), "LONG1/LONG4");
            return bytes ? push(longBytes(bytes.value())) : Status(bytes.error());
        }
        case 'F': {
            auto text = line("FLOAT");
            if (!text)
                return text.error();
            bool ok = false;
            const double value = text.value().trimmed().toDouble(&ok);
            if (!ok)
                return bad(u"FLOAT at byte %1 is not a number"_s.arg(m_pos));
            auto node = make(Node::Kind::Float);
            if (node)
                node.value()->real = value;
            return push(node);
        }
        case 'G': {
            auto bytes = take(8, "BINFLOAT");
            if (!bytes)
                return bytes.error();
            quint64 bits = 0;
            for (char c : bytes.value())
                bits = (bits << 8) | quint8(c);
            double value;
            std::memcpy(&value, &bits, sizeof value);
            auto node = make(Node::Kind::Float);
            if (node)
                node.value()->real = value;
            return push(node);
        }
        case 'S': {
            auto text = line("STRING");
            return text ? push(quotedString(text.value())) : Status(text.error());
        }
        case 'V': {
            auto text = line("UNICODE");
            return text ? push(rawUnicode(text.value())) : Status(text.error());
        }
        case 'T':
        case 'U':
        case 'X':
        case 0x8c:
        case 0x8d:
        case 'B':
        case 'C':
        case 0x8e:
        case 0x96: {
            const int width = (op == 'U' || op == 'C' || op == 0x8c) ? 1
                : (op == 0x8d || op == 0x8e || op == 0x96)           ? 8
                                                                     : 4;
            auto size = unsignedLE(width, "a string length");
            if (!size)
                return size.error();
            if (op == 'T' && qint32(quint32(size.value())) < 0)
                return bad(u"BINSTRING with a negative size"_s);
            if (size.value() > quint64(m_data.size()))
                return bad(u"a string of %1 bytes at byte %2 runs past the end (%3 bytes left)"_s.arg(size.value())
                               .arg(m_pos)
                               .arg(m_data.size() - m_pos));
            auto bytes = take(qint64(size.value()), "a string");
            if (!bytes)
                return bytes.error();
            if (op == 'X' || op == 0x8c || op == 0x8d)
                return push(string(QString::fromUtf8(bytes.value())));
            if (op == 'T' || op == 'U') // Python 2 str: text when it is valid UTF-8
                return push(string(QString::fromUtf8(bytes.value())));
            return push(bytesNode(bytes.value()));
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
            return bad(u"unknown opcode 0x%1 at byte %2"_s.arg(int(op), 2, 16, QLatin1Char('0')).arg(m_pos - 1));
        }
    }
};

QString bytesPreview(const QByteArray& bytes)
{
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

    QJsonValue json(const NodeP& node, int depth)
    {
        if (++m_nodes > m_limits.maxNodes || depth > m_limits.maxDepth)
            return u"…"_s;
        switch (node->kind) {
        case Node::Kind::None:
            return QJsonValue::Null;
        case Node::Kind::Bool:
            return node->boolean;
        case Node::Kind::Int:
            return node->integer;
        case Node::Kind::BigInt:
            return node->text;
        case Node::Kind::Float:
            if (std::isnan(node->real))
                return u"nan"_s;
            if (std::isinf(node->real))
                return node->real > 0 ? u"inf"_s : u"-inf"_s;
            return node->real;
        case Node::Kind::Str:
            return cut(node->text);
        case Node::Kind::Bytes: {
            const QByteArray head
                = m_limits.previewChars > 0 ? node->bytes.left(4 * m_limits.previewChars + 4) : node->bytes;
            return QJsonObject { { u"blob_bytes"_s, node->bytes.size() }, { u"preview"_s, cut(bytesPreview(head)) } };
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

    QString cut(const QString& text) const
    {
        if (m_limits.previewChars > 0 && text.size() > m_limits.previewChars)
            return text.left(m_limits.previewChars) + u"…"_s;
        return text;
    }

    QJsonArray array(const QList<NodeP>& items, int depth)
    {
        QJsonArray out;
        for (const NodeP& item : items) {
            if (m_nodes >= m_limits.maxNodes || (m_limits.maxItems > 0 && out.size() >= m_limits.maxItems)) {
                out.append(u"…"_s);
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
            if (m_nodes >= m_limits.maxNodes || (m_limits.maxItems > 0 && out.size() >= m_limits.maxItems)) {
                out.insert(u"…"_s, u"…"_s);
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
        if (object.contains(u"blob_bytes"_s) && object.size() == 2) {
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

Result<QJsonValue> Pickle::decode(const QByteArray& bytes, const Limits& limits)
{
    if (bytes.isEmpty())
        return bad(u"no bytes"_s);
    Reader reader(bytes);
    auto root = reader.run();
    if (!root)
        return root.error();
    Writer writer(limits);
    return writer.json(root.value(), 0);
}

QString Pickle::text(const QJsonValue& value, int maxChars)
{
    QString out;
    appendText(out, value, true, maxChars, 0);
    if (maxChars > 0 && out.size() > maxChars)
        out = out.left(maxChars) + u"…"_s;
    return out;
}
