// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Private to decode/: one Python object as the pickle reader builds it. The reader is
// PickleDetail::Reader (picklereader.h); Pickle (pickle.h) turns what it reads into JSON. The
// opcode set is CPython's Lib/pickletools.py (protocols 0–5); see docs/FORMATS.md.

#include "common/error.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <memory>

namespace PickleDetail {

constexpr int kMaxObjects = 1000000; // objects created while reading, whatever the input size
constexpr int kMaxBigIntBytes = 1024; // longer ints are shown by their size only

struct Node;
using NodeP = std::shared_ptr<Node>;

// One Python object as read: shared (the memo and containers hold references) so that
// APPENDS/SETITEMS after MEMOIZE change what every reference sees, as in Python.
struct Node {
    enum class Kind { None, Bool, Int, BigInt, Float, Str, Bytes, List, Tuple, Dict, Set, Global, Object };
    Kind kind = Kind::None;
    bool boolean = false;
    qint64 integer = 0;
    double real = 0;
    QString text; // Str, BigInt (decimal), Global/Object (module.Name)
    QByteArray bytes;
    QList<NodeP> items; // List/Tuple/Set items; Dict: key, value, key, value…; Object: args
    NodeP state; // Object: BUILD state
    NodeP extra; // Object: items added by APPENDS/SETITEMS (a List or Dict)
};

Error bad(const QString& why);

} // namespace PickleDetail
