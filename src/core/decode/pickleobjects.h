// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "decode/pickleopcodes.h"

namespace PickleDetail {

// The class-bearing opcodes (GLOBAL, STACK_GLOBAL, INST, OBJ, REDUCE, NEWOBJ(_EX), BUILD,
// PERSID, BINPERSID, EXT1-4): a call is described, never made; a few builtins whose pickled
// form is a call are read as the plain data they stand for.
class ObjectOps : public OpcodeGroup {
public:
    using OpcodeGroup::OpcodeGroup;
    std::optional<Status> step(quint8 op);

private:
    // An object built by calling `callable` with `args`: never called, only described.
    Result<NodeP> call(const NodeP& callable, const NodeP& args);
};

} // namespace PickleDetail
