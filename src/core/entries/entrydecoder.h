// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "entries/profiles.h"

#include <QDateTime>
#include <QHash>
#include <QJsonValue>
#include <QVariant>

// EntryDecoder: turns the SQL value of an EntryColumn into what users of the cache format
// read (EntryColumn::Decode): pickles decoded by Pickle (nothing executed), diskcache values
// read from their .val files beside the database (names with "/.." or absolute paths are
// refused), epoch seconds and naive UTC ISO text as UTC QDateTime, 0/1 as bool. Decoded
// plain data is a QJsonValue in the QVariant. A value that does not decode stays as it was
// (so it shows as bytes), never an error that stops the page. Stateless except the per-row
// cache of decoded pickles that PickleField columns share.
class EntryDecoder {
public:
    struct Decoded {
        QVariant value;
        qint64 length = -1; // >= 0: the full length of the value when it differs from SQL's
        bool truncated = false; // a decoded value was cut at a limit (Pickle::cutMarker says where)
        QVariant stored = {}; // the value as stored when it is not the SQL value (a time inside a pickle)
        QString repr = {}; // a decoded pickle as Python's repr() writes it (Pickle::decode), else empty
        QJsonValue tree = QJsonValue(
            QJsonValue::Undefined); // tree: a decoded pickle as a tree view shows it (PickleTree), else undefined
    };
    struct RowCache {
        QHash<QString, QJsonValue> pickles; // by column SQL
    };
    // directory: where the database is (diskcache files); full: whole values (one entry),
    // else previews cut to the column's previewChars; tree: a pickle also as Decoded::tree (one
    // entry's detail).
    static Decoded decode(const EntryColumn& column, const QVariant& value, const QVariant& aux,
        const QString& directory, bool full, RowCache& cache, bool tree = false);

    // Largest value read whole to decode it in a page (larger ones are shown by size).
    static constexpr qint64 PreviewDecodeBytes = 4 << 20;
    static constexpr qint64 FullDecodeBytes = 64 << 20;
    // Whole values (full): a pickle is written out up to this many values (the reader's own
    // bound, kMaxObjects) — about 100 bytes of memory each; previews: 2,000 values, 64 items
    // per list or dict. Bytes that are not text carry the hex of their first FullHexBytes.
    static constexpr int FullDecodeNodes = 1000000;
    static constexpr int FullHexBytes = 4096;
    // And at most about this many characters of text in all (Pickle::Limits::maxChars): a small pickle can hold one
    // string a million times.
    static constexpr qint64 FullDecodeChars = qint64(64) << 20;

private:
    struct Shown { // a decoded pickle's other forms than its JSON
        bool wantTree = false;
        QString repr;
        QJsonValue tree = QJsonValue(QJsonValue::Undefined);
    };
    static Decoded decodeValue(const EntryColumn& column, const QVariant& value, const QVariant& aux,
        const QString& directory, bool full, RowCache& cache, bool& cut, Shown& repr);

public:
    // "2026-11-28T04:30:12Z" (fractions of a second dropped).
    static QString isoUtc(const QDateTime& time);
    static QDateTime fromEpoch(const QVariant& seconds); // invalid for non-numbers/out of range
};
