// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/error.h"

#include <QString>

#include <optional>

struct sqlite3;

// KeyJson: every key addressable by the JSON of its decoded value (`entries --key-json`), for
// keys that are not text — diskcache's memoize tuples and pickled keys (('user', 3) is
// ["user",3]), integers (3), reals. cachescope_key_json(value) is an SQL function of ours,
// registered SQLITE_DIRECTONLY (the file's schema cannot call it), that writes a key's compact
// JSON: a pickle decoded as data (nothing run), a number, a text as a JSON string; bytes that
// are not a pickle have none (NULL). Both sides are written by Qt's JSON writer, so
// '["user", 3]' and the stored pickle of ('user', 3) compare equal. A key stored as bytes that
// are not a pickle (diskcache's raw bytes keys) is {"base64": "…"}: matched on its exact bytes.
namespace KeyJson {
// Registers cachescope_key_json() on one connection (idempotent).
void install(sqlite3* db);
// The compact form of the JSON a user typed; an Error naming the problem when it is not JSON.
Result<QString> canonical(const QString& json);
// The JSON a key shows as (the same writer as canonical), from the value EntryDecoder made:
// bytes as {"base64": "…"}.
QString of(const QVariant& decodedKey);
// The bytes of a canonical {"base64": "…"} (the whole object, nothing else in it); nullopt for
// any other JSON.
std::optional<QByteArray> bytesOf(const QString& canonicalJson);
} // namespace KeyJson
