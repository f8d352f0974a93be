// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "decode/picklenode.h"

#include <vector>

namespace PickleDetail {

// Makes the nodes of one pickle, at most kMaxObjects of them, and owns them: its destructor
// unlinks every node it made, so that deep nesting and cycles (a list appended to itself
// through the memo) are freed without recursion and without leaks.
class Arena {
public:
    Arena() = default;
    ~Arena();
    Arena(const Arena&) = delete;
    Arena& operator=(const Arena&) = delete;

    Result<NodeP> make(Node::Kind kind);
    Result<NodeP> integer(qint64 value);
    Result<NodeP> string(const QString& text, Node::Kind kind = Node::Kind::Str);
    Result<NodeP> bytes(const QByteArray& bytes);
    Result<NodeP> sequence(Node::Kind kind, QList<NodeP> items);
    Result<NodeP> global(const QString& module, const QString& name);

private:
    int m_created = 0;
    std::vector<NodeP> m_made; // every node, for the teardown
};

} // namespace PickleDetail
