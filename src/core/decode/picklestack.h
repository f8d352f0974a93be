// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "decode/pickleinput.h"

namespace PickleDetail {

// The pickle machine's stack of values and its marks. A pop never reaches below the last
// mark; errors say which opcode asked and where.
class Stack {
public:
    explicit Stack(const Input& input)
        : m_input(input)
    {
    }
    Status push(Result<NodeP> node);
    void pushNode(const NodeP& node) { m_values << node; }
    Result<NodeP> pop(const char* what);
    Result<NodeP> top(const char* what);
    void mark() { m_marks << m_values.size(); }
    // The values above the last mark, and the mark, taken off.
    Result<QList<NodeP>> popMark(const char* what);
    // POP: the top value, or the last mark when nothing is above it.
    Status popOne();
    // STOP's check: exactly one value and no mark left.
    bool holdsOneValue() const { return m_values.size() == 1 && m_marks.isEmpty(); }
    qsizetype size() const { return m_values.size(); }
    NodeP first() const { return m_values.first(); }

private:
    // The byte just read: the opcode's own for opcodes without arguments.
    qsizetype lastByte() const { return m_input.pos() - 1; }
    bool emptyAboveMark() const;

    const Input& m_input;
    QList<NodeP> m_values;
    QList<qsizetype> m_marks;
};

} // namespace PickleDetail
