// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Private to decode/: the pickle stack machine. Pickle (pickle.h) turns what it reads into
// JSON. The opcode set is CPython's Lib/pickletools.py (protocols 0–5); see docs/FORMATS.md.

#include "decode/picklearena.h"
#include "decode/picklecontainers.h"
#include "decode/pickleinput.h"
#include "decode/pickleliterals.h"
#include "decode/pickleobjects.h"
#include "decode/picklestack.h"

#include <QHash>

namespace PickleDetail {

// Reads one pickle: the input, the stack and the memo, with the opcodes grouped by what they
// do — framing, stack and memo here; containers (ContainerOps), class-bearing calls
// (ObjectOps) and single values (LiteralOps) each in a class of their own. The nodes it
// returns live as long as the Reader (its Arena unlinks them when it goes).
class Reader {
public:
    explicit Reader(const QByteArray& bytes);
    Reader(const Reader&) = delete;
    Reader& operator=(const Reader&) = delete;
    Result<NodeP> run();

private:
    Status step(quint8 op);
    // PROTO, FRAME, MARK, POP, POP_MARK, DUP and the out-of-band buffer opcodes.
    std::optional<Status> framing(quint8 op);
    // PUT, BINPUT, LONG_BINPUT, MEMOIZE, GET, BINGET, LONG_BINGET.
    std::optional<Status> memo(quint8 op);
    Status memoPut(quint64 index);
    Status memoGet(quint64 index);

    Input m_input;
    Arena m_arena;
    Stack m_stack;
    QHash<quint64, NodeP> m_memo;
    ContainerOps m_containers;
    ObjectOps m_objects;
    LiteralOps m_literals;
};

} // namespace PickleDetail
