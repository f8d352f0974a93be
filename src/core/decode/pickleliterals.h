// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "decode/pickleopcodes.h"

namespace PickleDetail {

// The opcodes that push one value read from the bytes: None, bools, ints of any size, floats,
// strings and bytes, with protocol 0's text forms.
class LiteralOps : public OpcodeGroup {
public:
    using OpcodeGroup::OpcodeGroup;
    std::optional<Status> step(quint8 op);

private:
    Result<NodeP> longBytes(const QByteArray& littleEndian);
    Result<NodeP> decimal(QByteArray text, const char* what);
    // Protocol 0 STRING: a Python repr ('…' or "…") with backslash escapes, as bytes.
    Result<NodeP> quotedString(const QByteArray& line);
    // Protocol 0 UNICODE: raw-unicode-escape (\uXXXX, \UXXXXXXXX; other bytes are Latin-1).
    Result<NodeP> rawUnicode(const QByteArray& line);
};

} // namespace PickleDetail
