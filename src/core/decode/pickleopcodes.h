// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "decode/picklearena.h"
#include "decode/picklestack.h"

#include <optional>

namespace PickleDetail {

// What a group of opcodes works on: the input, the nodes and the stack of one Reader. A group's
// step(op) returns nullopt for an opcode that is not one of its own.
class OpcodeGroup {
public:
    OpcodeGroup(Input& input, Arena& arena, Stack& stack)
        : m_input(input)
        , m_arena(arena)
        , m_stack(stack)
    {
    }

protected:
    qsizetype lastByte() const { return m_input.pos() - 1; } // the opcode's, for opcodes without arguments

    Input& m_input;
    Arena& m_arena;
    Stack& m_stack;
};

} // namespace PickleDetail
