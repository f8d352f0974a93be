// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Private to decode/: what Pickle (pickle.h) read, as the rows of a tree view show it.

#include "decode/picklenode.h"

#include <QJsonValue>

namespace PickleDetail {

// PickleTree: one pickle's nodes as a tree of display texts, in Python's terms and order (the
// JSON sorts dict keys and writes 0.0 as 0): a dict's items in their stored order, each value
// as Python's repr() writes it (PythonRepr: 0.0, 1e+20, b'\x00', None, True) but text as it is
// and a fraction as a person writes it (0.00003), a container as "{3}", "[10]", "(2)", an
// object as "module.Name(…)" with its args, state and items below it.
// A node is a JSON string (a leaf's text) or a JSON array [text, [name, node, name, node, …]];
// a dict's names are its keys (a str key as it is, any other as its repr), a list's its
// indices. The limits cut it as PythonRepr is cut, saying where ("…", "cut at N items"); a
// leaf's text is cut at leafChars characters.
class PickleTree {
public:
    struct Limits {
        int maxDepth = 64;
        int maxNodes = 200000;
        int maxItems = 0;
        int leafChars = 4096;
        qint64 maxChars = 0; // > 0: about this many characters of text in all (Pickle::Limits::maxChars)
    };
    explicit PickleTree(const Limits& limits);
    QJsonValue of(const NodeP& root);
    bool truncated() const { return m_truncated; }

private:
    QJsonValue node(const NodeP& node, int depth);
    QString leaf(const NodeP& node) const; // repr(node), cut at leafChars
    // items (pairs: key, value, key, value…) as [name, node, …], cut as the limits say.
    void appendItems(QJsonArray& children, const QList<NodeP>& items, int depth, bool pairs);

    const Limits m_limits;
    int m_nodes = 0;
    qint64 m_chars = 0; // of leaves' text, for Limits::maxChars
    bool spentChars() const { return m_limits.maxChars > 0 && m_chars > m_limits.maxChars; }
    bool m_truncated = false;
};

} // namespace PickleDetail
