// SPDX-License-Identifier: GPL-3.0-or-later
#include "decode/pickleliterals.h"

#include <algorithm>
#include <cstring>

using namespace Qt::Literals::StringLiterals;

namespace PickleDetail {

namespace {

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

} // namespace

Result<NodeP> LiteralOps::longBytes(const QByteArray& littleEndian)
{
    if (littleEndian.size() <= 8) {
        qint64 value = 0;
        for (qsizetype i = littleEndian.size() - 1; i >= 0; --i)
            value = qint64((quint64(value) << 8) | quint8(littleEndian[i]));
        if (!littleEndian.isEmpty() && littleEndian.size() < 8 && (quint8(littleEndian.back()) & 0x80))
            value -= qint64(1) << (8 * littleEndian.size()); // sign-extend
        return m_arena.integer(value);
    }
    if (littleEndian.size() > kMaxBigIntBytes)
        return m_arena.string(u"int of %1 bytes"_s.arg(littleEndian.size()), Node::Kind::BigInt);
    return m_arena.string(bigIntDecimal(littleEndian), Node::Kind::BigInt);
}

Result<NodeP> LiteralOps::decimal(QByteArray text, const char* what)
{
    text = text.trimmed();
    if (text.endsWith('L'))
        text.chop(1);
    bool ok = false;
    const qint64 value = text.toLongLong(&ok);
    if (ok)
        return m_arena.integer(value);
    QByteArray digits = text.startsWith('-') || text.startsWith('+') ? text.mid(1) : text;
    if (digits.isEmpty() || digits.size() > 4 * kMaxBigIntBytes
        || !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return bad(u"%1 at byte %2 is not a number"_s.arg(QLatin1StringView(what)).arg(m_input.pos()));
    return m_arena.string(QString::fromLatin1(text.startsWith('+') ? digits : text), Node::Kind::BigInt);
}

Result<NodeP> LiteralOps::quotedString(const QByteArray& line)
{
    const QByteArray text = line.trimmed();
    if (text.size() < 2 || text.front() != text.back() || (text.front() != '\'' && text.front() != '"'))
        return bad(u"STRING at byte %1 is not quoted"_s.arg(m_input.pos()));
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
    return m_arena.string(QString::fromUtf8(out));
}

Result<NodeP> LiteralOps::rawUnicode(const QByteArray& line)
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
    return m_arena.string(out);
}

std::optional<Status> LiteralOps::step(quint8 op)
{
    switch (op) {
    case 'N':
        return m_stack.push(m_arena.make(Node::Kind::None));
    case 0x88:
    case 0x89: {
        auto node = m_arena.make(Node::Kind::Bool);
        if (node)
            node.value()->boolean = op == 0x88;
        return m_stack.push(node);
    }
    case 'I': {
        auto text = m_input.line("INT");
        if (!text)
            return text.error();
        if (text.value() == "00" || text.value() == "01") {
            auto node = m_arena.make(Node::Kind::Bool);
            if (node)
                node.value()->boolean = text.value() == "01";
            return m_stack.push(node);
        }
        return m_stack.push(decimal(text.value(), "INT"));
    }
    case 'L': {
        auto text = m_input.line("LONG");
        if (!text)
            return text.error();
        return m_stack.push(decimal(text.value(), "LONG"));
    }
    case 'J': {
        auto v = m_input.unsignedLE(4, "BININT");
        return v ? m_stack.push(m_arena.integer(qint32(quint32(v.value())))) : Status(v.error());
    }
    case 'K': {
        auto v = m_input.unsignedLE(1, "BININT1");
        return v ? m_stack.push(m_arena.integer(qint64(v.value()))) : Status(v.error());
    }
    case 'M': {
        auto v = m_input.unsignedLE(2, "BININT2");
        return v ? m_stack.push(m_arena.integer(qint64(v.value()))) : Status(v.error());
    }
    case 0x8a:
    case 0x8b: {
        auto size = m_input.unsignedLE(op == 0x8a ? 1 : 4, "LONG1/LONG4 size");
        if (!size)
            return size.error();
        if (op == 0x8b && qint32(quint32(size.value())) < 0)
            return bad(u"LONG4 with a negative size"_s);
        auto bytes = m_input.take(qint64(size.value()), "LONG1/LONG4");
        return bytes ? m_stack.push(longBytes(bytes.value())) : Status(bytes.error());
    }
    case 'F': {
        auto text = m_input.line("FLOAT");
        if (!text)
            return text.error();
        bool ok = false;
        const double value = text.value().trimmed().toDouble(&ok);
        if (!ok)
            return bad(u"FLOAT at byte %1 is not a number"_s.arg(m_input.pos()));
        auto node = m_arena.make(Node::Kind::Float);
        if (node)
            node.value()->real = value;
        return m_stack.push(node);
    }
    case 'G': {
        auto bytes = m_input.take(8, "BINFLOAT");
        if (!bytes)
            return bytes.error();
        quint64 bits = 0;
        for (char c : bytes.value())
            bits = (bits << 8) | quint8(c);
        double value;
        std::memcpy(&value, &bits, sizeof value);
        auto node = m_arena.make(Node::Kind::Float);
        if (node)
            node.value()->real = value;
        return m_stack.push(node);
    }
    case 'S': {
        auto text = m_input.line("STRING");
        return text ? m_stack.push(quotedString(text.value())) : Status(text.error());
    }
    case 'V': {
        auto text = m_input.line("UNICODE");
        return text ? m_stack.push(rawUnicode(text.value())) : Status(text.error());
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
        const int width = (op == 'U' || op == 'C' || op == 0x8c) ? 1 : (op == 0x8d || op == 0x8e || op == 0x96) ? 8 : 4;
        auto size = m_input.unsignedLE(width, "a string length");
        if (!size)
            return size.error();
        if (op == 'T' && qint32(quint32(size.value())) < 0)
            return bad(u"BINSTRING with a negative size"_s);
        if (size.value() > quint64(m_input.size()))
            return bad(u"a string of %1 bytes at byte %2 runs past the end (%3 bytes left)"_s.arg(size.value())
                           .arg(m_input.pos())
                           .arg(m_input.left()));
        auto bytes = m_input.take(qint64(size.value()), "a string");
        if (!bytes)
            return bytes.error();
        if (op == 'X' || op == 0x8c || op == 0x8d)
            return m_stack.push(m_arena.string(QString::fromUtf8(bytes.value())));
        if (op == 'T' || op == 'U') // Python 2 str: text when it is valid UTF-8
            return m_stack.push(m_arena.string(QString::fromUtf8(bytes.value())));
        return m_stack.push(m_arena.bytes(bytes.value()));
    }
    default:
        return std::nullopt;
    }
}

} // namespace PickleDetail
