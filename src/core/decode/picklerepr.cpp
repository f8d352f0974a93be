// SPDX-License-Identifier: GPL-3.0-or-later
// PythonRepr: the rules are CPython's (Objects/floatobject.c float_repr, unicodeobject.c
// unicode_repr, bytesobject.c PyBytes_Repr).
#include "decode/picklerepr.h"

#include "common/format.h"

#include <QLocale>

#include <cmath>

using namespace Qt::Literals::StringLiterals;

namespace PickleDetail {

PythonRepr::PythonRepr(const Limits& limits)
    : m_limits(limits)
{
}

QString PythonRepr::cutMarker(qsizetype items)
{
    return u"… cut at %1 items"_s.arg(items);
}

QString PythonRepr::of(const NodeP& root)
{
    m_out.clear();
    append(root, 0);
    return m_out;
}

QString PythonRepr::real(double value)
{
    if (std::isnan(value))
        return u"nan"_s;
    if (std::isinf(value))
        return value > 0 ? u"inf"_s : u"-inf"_s;
    // The shortest digits that read back as the same double, as "d.ddde±X"; then Python's layout:
    // fixed notation for exponents -4…15, else d.ddde±XX.
    const QString e = QString::number(value, 'e', QLocale::FloatingPointShortest);
    const qsizetype at = e.indexOf(u'e');
    QString mantissa = e.left(at);
    const int exponent = e.mid(at + 1).toInt();
    const bool negative = std::signbit(value); // -0.0 too, which QString::number writes unsigned
    if (mantissa.startsWith(u'-'))
        mantissa.remove(0, 1);
    const QString digits = QString(mantissa).remove(u'.');
    QString out;
    if (exponent >= -4 && exponent < 16) {
        if (exponent < 0) {
            out = u"0."_s + QString(-exponent - 1, u'0') + digits;
        } else if (digits.size() <= exponent + 1) {
            out = digits + QString(exponent + 1 - digits.size(), u'0') + u".0"_s;
        } else {
            out = digits.left(exponent + 1) + u'.' + digits.mid(exponent + 1);
        }
    } else {
        out = digits.left(1) + (digits.size() > 1 ? u'.' + digits.mid(1) : QString()) + u'e'
            + (exponent < 0 ? u'-' : u'+') + QString::number(std::abs(exponent)).rightJustified(2, u'0');
    }
    return negative ? u'-' + out : out;
}

namespace {

    // Python's quote choice: ' unless the text holds ' and no ".
    QChar quoteFor(bool single, bool dbl)
    {
        return single && !dbl ? u'"' : u'\'';
    }

    QString hex2(uint c)
    {
        return u"\\x"_s + QString::number(c, 16).rightJustified(2, u'0');
    }

    // str.isprintable(): not a control, format, surrogate, private, unassigned or separator character.
    bool printable(char32_t c)
    {
        switch (QChar::category(c)) {
        case QChar::Other_Control:
        case QChar::Other_Format:
        case QChar::Other_Surrogate:
        case QChar::Other_PrivateUse:
        case QChar::Other_NotAssigned:
        case QChar::Separator_Line:
        case QChar::Separator_Paragraph:
        case QChar::Separator_Space:
            return false;
        default:
            return true;
        }
    }

    // The text of a repr with "…" before its closing quote.
    QString cutRepr(const QString& repr)
    {
        return repr.chopped(1) + u"…"_s + repr.right(1);
    }

} // namespace

QString PythonRepr::string(const QString& text)
{
    const QChar quote = quoteFor(text.contains(u'\''), text.contains(u'"'));
    QString out(quote);
    for (auto it = text.cbegin(); it != text.cend(); ++it) {
        char32_t c = it->unicode();
        if (it->isHighSurrogate() && std::next(it) != text.cend() && std::next(it)->isLowSurrogate()) {
            c = QChar::surrogateToUcs4(*it, *std::next(it));
            ++it;
        }
        if (c == quote.unicode() || c == u'\\')
            out += u'\\' + QChar(c);
        else if (c == u'\n')
            out += u"\\n"_s;
        else if (c == u'\r')
            out += u"\\r"_s;
        else if (c == u'\t')
            out += u"\\t"_s;
        else if (c < 0x20 || c == 0x7f)
            out += hex2(c);
        else if (c < 0x7f)
            out += QChar(c);
        else if (!printable(c))
            out += c <= 0xff  ? hex2(c)
                : c <= 0xffff ? u"\\u"_s + QString::number(uint(c), 16).rightJustified(4, u'0')
                              : u"\\U"_s + QString::number(uint(c), 16).rightJustified(8, u'0');
        else
            out += QString::fromUcs4(&c, 1);
    }
    return out + quote;
}

QString PythonRepr::bytes(const QByteArray& bytes)
{
    const QChar quote = quoteFor(bytes.contains('\''), bytes.contains('"'));
    QString out = u"b"_s + quote;
    for (char ch : bytes) {
        const uint c = quint8(ch);
        if (c == quote.unicode() || c == '\\')
            out += u'\\' + QChar(c);
        else if (c == '\n')
            out += u"\\n"_s;
        else if (c == '\r')
            out += u"\\r"_s;
        else if (c == '\t')
            out += u"\\t"_s;
        else if (c < 0x20 || c >= 0x7f)
            out += hex2(c);
        else
            out += QChar(c);
    }
    return out + quote;
}

void PythonRepr::append(const NodeP& node, int depth)
{
    if (++m_nodes > m_limits.maxNodes || spentChars() || depth > m_limits.maxDepth) {
        m_truncated = true;
        m_out += u"…"_s;
        return;
    }
    switch (node->kind) {
    case Node::Kind::None:
        m_out += u"None"_s;
        return;
    case Node::Kind::Bool:
        m_out += node->boolean ? u"True"_s : u"False"_s;
        return;
    case Node::Kind::Int:
        m_out += QString::number(node->integer);
        return;
    case Node::Kind::BigInt:
        m_out += node->text;
        return;
    case Node::Kind::Float:
        m_out += real(node->real);
        return;
    case Node::Kind::Str:
        if (m_limits.previewChars > 0 && node->text.size() > m_limits.previewChars) {
            m_truncated = true;
            m_out += cutRepr(string(node->text.left(m_limits.previewChars)));
            return;
        }
        m_out += string(node->text);
        return;
    case Node::Kind::Bytes:
        if (m_limits.previewChars > 0 && node->bytes.size() > m_limits.previewChars) {
            m_truncated = true;
            m_out += cutRepr(bytes(node->bytes.left(m_limits.previewChars)));
            return;
        }
        m_out += bytes(node->bytes);
        return;
    case Node::Kind::List:
        m_out += u'[';
        appendItems(node->items, depth, false);
        m_out += u']';
        return;
    case Node::Kind::Tuple:
        m_out += u'(';
        appendItems(node->items, depth, false);
        m_out += node->items.size() == 1 ? u",)"_s : u")"_s;
        return;
    case Node::Kind::Set:
        if (node->items.isEmpty()) {
            m_out += u"set()"_s;
            return;
        }
        m_out += u'{';
        appendItems(node->items, depth, false);
        m_out += u'}';
        return;
    case Node::Kind::Dict:
        m_out += u'{';
        appendItems(node->items, depth, true);
        m_out += u'}';
        return;
    case Node::Kind::Global:
        m_out += Format::escapeControl(node->text);
        return;
    case Node::Kind::Object: {
        m_out += Format::escapeControl(node->text) + u'(';
        appendItems(node->items, depth, false);
        bool first = node->items.isEmpty();
        for (const NodeP& part : { node->state, node->extra }) {
            if (!part)
                continue;
            if (!first)
                m_out += u", "_s;
            first = false;
            append(part, depth + 1);
        }
        m_out += u')';
        return;
    }
    }
}

void PythonRepr::appendItems(const QList<NodeP>& items, int depth, bool pairs)
{
    const int step = pairs ? 2 : 1;
    const qsizetype count = items.size() / step;
    for (qsizetype i = 0; i < count; ++i) {
        if (i > 0)
            m_out += u", "_s;
        if (m_nodes >= m_limits.maxNodes || spentChars() || (m_limits.maxItems > 0 && i >= m_limits.maxItems)) {
            m_out += cutMarker(count);
            m_truncated = true;
            return;
        }
        append(items[i * step], depth + 1);
        if (pairs) {
            m_out += u": "_s;
            append(items[i * step + 1], depth + 1);
        }
    }
}

} // namespace PickleDetail
