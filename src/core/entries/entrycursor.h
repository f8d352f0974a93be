// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QVariantList>

#include <optional>

// EntryCursor: the keyset cursor of `entries --after` — a row's key as base64url JSON that
// round-trips every SQLite value exactly (int64 beyond 2^53, reals, text, blobs), checked on
// the way in (arity, types, encoding). Pure functions; any thread.
class EntryCursor {
public:
    static QString encode(const QVariantList& key);
    // nullopt for anything that is not a cursor of a key of keySize values.
    static std::optional<QVariantList> decode(const QString& cursor, int keySize);
};
