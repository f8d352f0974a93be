// SPDX-License-Identifier: GPL-3.0-or-later
#include "decode/picklereader.h"

using namespace Qt::Literals::StringLiterals;

namespace PickleDetail {

Reader::Reader(const QByteArray& bytes)
    : m_input(bytes)
    , m_stack(m_input)
    , m_containers(m_input, m_arena, m_stack)
    , m_objects(m_input, m_arena, m_stack)
    , m_literals(m_input, m_arena, m_stack)
{
}

Result<NodeP> Reader::run()
{
    while (true) {
        if (m_input.atEnd())
            return bad(u"ends before STOP at byte %1"_s.arg(m_input.pos()));
        const quint8 op = m_input.next();
        if (op == '.') {
            if (!m_stack.holdsOneValue())
                return bad(u"STOP with %1 values on the stack"_s.arg(m_stack.size()));
            return m_stack.first();
        }
        if (Status status = step(op); !status)
            return status.error();
    }
}

Status Reader::step(quint8 op)
{
    if (auto done = framing(op))
        return *done;
    if (auto done = memo(op))
        return *done;
    if (auto done = m_containers.step(op))
        return *done;
    if (auto done = m_objects.step(op))
        return *done;
    if (auto done = m_literals.step(op))
        return *done;
    return bad(u"unknown opcode 0x%1 at byte %2"_s.arg(int(op), 2, 16, QLatin1Char('0')).arg(m_input.pos() - 1));
}

std::optional<Status> Reader::framing(quint8 op)
{
    switch (op) {
    case '(': // MARK
        m_stack.mark();
        return Status();
    case 0x80: { // PROTO
        auto version = m_input.unsignedLE(1, "PROTO");
        if (!version)
            return version.error();
        if (version.value() > 5)
            return bad(u"protocol %1 is newer than 5"_s.arg(version.value()));
        return Status();
    }
    case 0x95: { // FRAME: a length hint only
        auto size = m_input.unsignedLE(8, "FRAME");
        if (!size)
            return size.error();
        if (size.value() > quint64(m_input.left()))
            return bad(u"FRAME of %1 bytes runs past the end"_s.arg(size.value()));
        return Status();
    }
    case '0':
        return m_stack.popOne();
    case '1': {
        auto items = m_stack.popMark("POP_MARK");
        return items ? Status() : Status(items.error());
    }
    case '2': {
        auto value = m_stack.top("DUP");
        if (!value)
            return value.error();
        m_stack.pushNode(value.value());
        return Status();
    }
    case 0x97:
        return bad(u"NEXT_BUFFER at byte %1: the value is in an out-of-band buffer"_s.arg(m_input.pos() - 1));
    case 0x98: // READONLY_BUFFER: no effect on the value
        return m_stack.top("READONLY_BUFFER") ? Status() : Status(bad(u"READONLY_BUFFER on an empty stack"_s));
    default:
        return std::nullopt;
    }
}

std::optional<Status> Reader::memo(quint8 op)
{
    switch (op) {
    case 'p': {
        auto text = m_input.line("PUT");
        if (!text)
            return text.error();
        bool ok = false;
        const quint64 index = text.value().trimmed().toULongLong(&ok);
        return ok ? memoPut(index) : Status(bad(u"PUT index is not a number"_s));
    }
    case 'q':
    case 'r': {
        auto index = m_input.unsignedLE(op == 'q' ? 1 : 4, "BINPUT");
        return index ? memoPut(index.value()) : Status(index.error());
    }
    case 0x94:
        return memoPut(quint64(m_memo.size()));
    case 'g': {
        auto text = m_input.line("GET");
        if (!text)
            return text.error();
        bool ok = false;
        const quint64 index = text.value().trimmed().toULongLong(&ok);
        return ok ? memoGet(index) : Status(bad(u"GET index is not a number"_s));
    }
    case 'h':
    case 'j': {
        auto index = m_input.unsignedLE(op == 'h' ? 1 : 4, "BINGET");
        return index ? memoGet(index.value()) : Status(index.error());
    }
    default:
        return std::nullopt;
    }
}

Status Reader::memoPut(quint64 index)
{
    auto value = m_stack.top("PUT");
    if (!value)
        return value.error();
    m_memo.insert(index, value.value());
    return {};
}

Status Reader::memoGet(quint64 index)
{
    const auto it = m_memo.constFind(index);
    if (it == m_memo.constEnd())
        return bad(u"GET of memo %1 at byte %2, which was never stored"_s.arg(index).arg(m_input.pos()));
    m_stack.pushNode(it.value());
    return {};
}

} // namespace PickleDetail
