// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Private to decode/: the pickle stack machine. picklereader.cpp: stack, memo, containers;
// pickleobjects.cpp: class-bearing calls, described and never made; pickleliterals.cpp: the
// opcodes that read one number, string or bytes value.
// Pickle (pickle.h) turns what it reads into JSON. The opcode set is CPython's
// Lib/pickletools.py (protocols 0–5); see docs/FORMATS.md.

#include "common/error.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>

#include <memory>
#include <vector>

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

// Reads one pickle. All reads go through need(), which checks the bytes left first. The
// nodes it returns live as long as the Reader: its destructor unlinks every node it made, so
// that deep nesting and cycles (a list appended to itself through the memo) are freed
// without recursion and without leaks.
class Reader {
public:
    explicit Reader(const QByteArray& bytes);
    ~Reader();
    Reader(const Reader&) = delete;
    Reader& operator=(const Reader&) = delete;
    Result<NodeP> run();

private:
    const QByteArray& m_data;
    qsizetype m_pos = 0;
    QList<NodeP> m_stack;
    QList<qsizetype> m_marks;
    QHash<quint64, NodeP> m_memo;
    int m_created = 0;
    std::vector<NodeP> m_made; // every node, for the teardown

    Result<NodeP> make(Node::Kind kind);
    bool need(qint64 count) const { return count >= 0 && count <= m_data.size() - m_pos; }
    Result<QByteArray> take(qint64 count, const char* what);
    Result<quint64> unsignedLE(int size, const char* what);
    Result<QByteArray> line(const char* what);
    Status push(Result<NodeP> node);
    Result<NodeP> pop(const char* what);
    Result<NodeP> top(const char* what);
    Result<QList<NodeP>> popMark(const char* what);
    Result<NodeP> scalar(Node::Kind kind) { return make(kind); }
    Result<NodeP> integer(qint64 value);
    Result<NodeP> string(const QString& text, Node::Kind kind = Node::Kind::Str);
    Result<NodeP> bytesNode(const QByteArray& bytes);
    Result<NodeP> longBytes(const QByteArray& littleEndian);
    Result<NodeP> decimal(QByteArray text, const char* what);
    // Protocol 0 STRING: a Python repr ('…' or "…") with backslash escapes, as bytes.
    Result<NodeP> quotedString(const QByteArray& line);
    // Protocol 0 UNICODE: raw-unicode-escape (\uXXXX, \UXXXXXXXX; other bytes are Latin-1).
    Result<NodeP> rawUnicode(const QByteArray& line);
    Result<NodeP> global(const QString& module, const QString& name);
    Result<NodeP> sequence(Node::Kind kind, QList<NodeP> items);
    // An object built by calling `callable` with `args`: never called, only described. A few
    // builtins whose pickled form is a call are read as the plain data they stand for.
    Result<NodeP> call(const NodeP& callable, const NodeP& args);
    Status setItems(const NodeP& target, const QList<NodeP>& pairs, const char* what);
    Status appendItems(const NodeP& target, const QList<NodeP>& items, const char* what);
    Status memoPut(quint64 index);
    Status memoGet(quint64 index);
    Status step(quint8 op);
    Status literal(quint8 op);
};

} // namespace PickleDetail
