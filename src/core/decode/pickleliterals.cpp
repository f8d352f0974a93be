// SPDX-License-Identifier: GPL-3.0-or-later
// The pickle opcodes that read one value from the bytes: ints of any size, floats, strings and
// bytes, with protocol 0's text forms (see picklereader.h).
#include "decode/picklereader.h"

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

Result<NodeP> Reader::integer(qint64 value)
{
    auto node = make(Node::Kind::Int);
    if (node)
        node.value()->integer = value;
    return node;
}

Result<NodeP> Reader::string(const QString& text, Node::Kind kind)
{
    auto node = make(kind);
    if (node)
        node.value()->text = text;
    return node;
}

Result<NodeP> Reader::bytesNode(const QByteArray& bytes)
{
    auto node = make(Node::Kind::Bytes);
    if (node)
        node.value()->bytes = bytes;
    return node;
}

Result<NodeP> Reader::longBytes(const QByteArray& littleEndian)
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

Result<NodeP> Reader::decimal(QByteArray text, const char* what)
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
Result<NodeP> Reader::quotedString(const QByteArray& line)
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
Result<NodeP> Reader::rawUnicode(const QByteArray& line)
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

// The opcodes that push one value read from the bytes: numbers, strings, bytes.
Status Reader::literal(quint8 op)
{
    switch (op) {
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
        const int width = (op == 'U' || op == 'C' || op == 0x8c) ? 1 : (op == 0x8d || op == 0x8e || op == 0x96) ? 8 : 4;
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
    default:
        return bad(u"unknown opcode 0x%1 at byte %2"_s.arg(int(op), 2, 16, QLatin1Char('0')).arg(m_pos - 1));
    }
}

} // namespace PickleDetail
