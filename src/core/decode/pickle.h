// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/error.h"

#include <QByteArray>
#include <QJsonValue>
#include <QString>

// Pickle: reads Python pickles (protocols 0–5) as data, never as code: nothing is imported,
// looked up or called. Plain data (None, bool, int of any size, float, str, bytes, bytearray,
// list, tuple, dict, set, frozenset) becomes a JSON value; class-bearing opcodes (GLOBAL,
// STACK_GLOBAL, INST, OBJ, REDUCE, NEWOBJ, NEWOBJ_EX, BUILD) become an object
// {"__class__": "module.Name", "args": [...], "state": ...} holding their plain-data parts.
// The input is untrusted (docs/FORMATS.md): every length is checked against the bytes left,
// nesting, output size and memo are bounded, and a bad pickle is an Error with its reason
// ("not decodable: …"), never a crash.
//
// JSON shapes: bytes/bytearray → {"blob_bytes": n, "preview": text} (UTF-8 when the bytes are
// valid UTF-8, else printable ASCII with '.'; with Limits::hexBytes also "hex"); ints outside ±2^63 → decimal string;
// NaN and infinities → "nan"/"inf"/"-inf"; a dict with non-string keys uses each key's compact JSON.
class Pickle {
public:
    struct Limits {
        int maxDepth = 64; // nesting of the result
        int maxNodes = 200000; // values written to the result, shared references counted each time
        int previewChars = 0; // > 0: cut strings and byte previews to this many characters
        int maxItems = 0; // > 0: at most this many items of a list/dict in the result
        int hexBytes = 0; // > 0: bytes that are not text also carry "hex", their first hexBytes bytes
        // > 0: about this many characters of text in all, a string shared by many references counted each time it is
        // written (a pickle of [s] * 1,000,000 is small, its value is not): past it, the rest is cut as past maxNodes.
        qint64 maxChars = 0;
    };
    // What a limit left out is said where it was left out, never silently: a cut list ends in
    // the string "… cut at N items" (N: all its items), a cut dict holds the key "…" with the
    // value "cut at N items", a cut string ends in "…"; a value nested deeper than maxDepth, or
    // past maxNodes, is "…". *truncated (if given) says whether anything was cut.
    static QString cutMarker(qsizetype items);

    // True when bytes start like a pickle: the PROTO opcode of protocols 2–5 with its version.
    static bool looksLikePickle(const QByteArray& bytes);
    static Result<QJsonValue> decode(const QByteArray& bytes);
    // repr (if given): the value as Python's repr() writes it (PythonRepr, picklerepr.h): dicts in
    // their stored order, tuples, 0.0 — what the JSON cannot keep. Cut by the same limits.
    // tree (if given): the value as a tree view shows it, in that order and those words
    // (PickleTree, pickletree.h), at most TreeNodes nodes and TreeLeafChars characters a value.
    static Result<QJsonValue> decode(const QByteArray& bytes, const Limits& limits, bool* truncated = nullptr,
        QString* repr = nullptr, QJsonValue* tree = nullptr);
    static constexpr int TreeNodes = 200000; // ~100 bytes each; a tree view shows a few thousand at once
    static constexpr int TreeLeafChars = 4096;
    // Python-like one-line text of a decoded value: strings unquoted at the top level,
    // classes as module.Name(args), bytes as b'…'.
    static QString text(const QJsonValue& value, int maxChars = 0);
};
