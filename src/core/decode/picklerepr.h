// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Private to decode/: what Pickle (pickle.h) read, written as Python's repr() writes it.

#include "decode/picklenode.h"

namespace PickleDetail {

// PythonRepr: one pickle's nodes as repr() in Python 3 shows the object — dicts in the order
// they were stored, tuples as (a, b) and (a,), floats as repr writes them (0.0, 1e+20, 1.5e-05),
// strings and bytes quoted and escaped as Python does, sets as {a} (an empty one as set()).
// Objects, which repr would show as <module.Name object at 0x…>, are module.Name(args, state).
// The limits cut it as Pickle::Limits cut the JSON, with the same marks ("… cut at N items", "…").
class PythonRepr {
public:
    struct Limits { // as Pickle::Limits (pickle.h)
        int maxDepth = 64;
        int maxNodes = 200000;
        int previewChars = 0;
        int maxItems = 0;
        qint64 maxChars = 0; // > 0: about this many characters written in all (Pickle::Limits::maxChars)
    };
    explicit PythonRepr(const Limits& limits);
    // Where a list or dict was cut: "… cut at N items" (N: all its items); Pickle::cutMarker.
    static QString cutMarker(qsizetype items);
    QString of(const NodeP& root);
    bool truncated() const { return m_truncated; }

    static QString real(double value); // repr(float)
    static QString string(const QString& text); // repr(str)
    static QString bytes(const QByteArray& bytes); // repr(bytes)

private:
    void append(const NodeP& node, int depth);
    bool spentChars() const { return m_limits.maxChars > 0 && m_out.size() > m_limits.maxChars; }
    void appendItems(const QList<NodeP>& items, int depth, bool pairs);

    const Limits m_limits;
    QString m_out;
    int m_nodes = 0;
    bool m_truncated = false;
};

} // namespace PickleDetail
