// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "decode/pickleopcodes.h"

namespace PickleDetail {

// The opcodes that build lists, tuples, dicts and sets and add to them (EMPTY_*, LIST, TUPLE,
// TUPLE1-3, DICT, FROZENSET, APPEND(S), SETITEM(S), ADDITEMS). Items added to an object go to
// its `extra` list or dict, as Python would hand them to the object's own methods.
class ContainerOps : public OpcodeGroup {
public:
    using OpcodeGroup::OpcodeGroup;
    std::optional<Status> step(quint8 op);

private:
    Status setItems(const NodeP& target, const QList<NodeP>& pairs, const char* what);
    Status appendItems(const NodeP& target, const QList<NodeP>& items, const char* what);
};

} // namespace PickleDetail
