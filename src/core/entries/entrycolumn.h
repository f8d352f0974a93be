// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

// EntryColumn: one column as a cache's users think of it ("key", "model", "expires"), defined
// as an SQL expression over quoted identifiers of the table (nothing from the file is ever
// spliced in unquoted or executed). Text and BLOB values are cut to previewChars in pages;
// the whole value is read only for one entry at a time.
struct EntryColumn {
    enum class Role { Other, Key, Value, Size, Created, Accessed, Expires, Hits, Model, Tokens, Expired };
    // How the SQL value is turned into what users of the format read (EntryDecoder): pickles
    // decoded, diskcache values read from their files, epoch seconds as times, 0/1 as booleans.
    enum class Decode {
        None,
        Pickle, // a pickled BLOB → its plain data (other values unchanged)
        PickleOrJson, // sqlitedict: a pickle, else JSON text parsed, else unchanged
        DiskcacheKey, // aux = "raw": raw keys unchanged, pickled keys decoded
        DiskcacheValue, // sql = value or filename, aux = mode * 2 + (stored in a file)
        EpochTime, // seconds since 1970 (REAL/INTEGER) → time
        IsoTime, // ISO 8601 text (StoredTime), naive in UTC unless naiveLocalTime → time
        Bool, // 0/1 → false/true
        PickleField, // a field (field: dotted path) of a pickled dict, e.g. "request.url"
    };
    QString name;
    QString sql;
    Role role = Role::Other;
    int previewChars = 300; // 0: never cut (small values: numbers, model names)
    Decode decode = Decode::None;
    QString auxSql; // a second SQL value the decoder needs (DiskcacheKey, DiskcacheValue)
    QString field; // PickleField: dotted path; "@header:Name" a header; "@bytes:name" a BLOB's size
    bool naiveLocalTime = false; // IsoTime: text without a zone is this machine's local time (GPTCache)
    // The free-text filter searches it too, besides the key and the values: what users of the
    // format search by when its key is a hash (an LLM cache's prompt).
    bool searched = false;

    static QString roleName(Role role);
};
