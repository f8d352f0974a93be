// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "entries/entrydecoder.h"
#include "entries/profiles.h"

#include <QString>
#include <QVariant>

#include <optional>

// EntrySql: what the Overview's contents (CacheContents) and Prune both read of an entry, in
// the same words: its bytes (a plain SQL expression), the group it belongs to (its model, its
// diskcache tag, or the host of a requests-cache URL — the value read in SQL, its name made
// here) and when it was created (epoch seconds from any of the created columns' encodings).
// Stateless; nothing from the file executed (pickles decoded by Pickle).
namespace EntrySql {

// The first column of the view with that role, or null.
const EntryColumn* columnWith(const EntryView& view, EntryColumn::Role role);
// The column that names an entry to a reader: its key; in a table without one (the generic
// view: defect 7, the Overview's largest entries said "(no key)") the first TEXT column named
// like a title, name, key, URL, prompt or id (page_title, user_id…), else the INTEGER PRIMARY
// KEY; null when there is none. Searches and --key still go by the key role alone.
const EntryColumn* namingColumn(const EntryView& view);

// A plain SQL value for the size of an entry: the Size column when SQL computes it, else the
// stored length of the value (a BLOB's length is read from its header, not its content).
// Empty when the view has neither.
QString bytes(const EntryView& view);

// The column entries are grouped by.
struct Grouping {
    QString sql; // empty: the view has nothing to group by
    QString by; // "model", "tag" or "host"
    const EntryColumn* decoded = nullptr; // host: the PickleField column the URL is read from
    bool isEmpty() const { return sql.isEmpty(); }
    // The group name of a value read through sql, as the Overview lists it.
    QString nameOf(const QVariant& value, EntryDecoder::RowCache& pickles) const;
};
Grouping grouping(const EntryView& view);

// The created column when its values can be read as a time (epoch seconds, ISO text, a field
// of a pickle), else null.
const EntryColumn* createdColumn(const EntryView& view);
// Seconds since 1970 of a created value read through createdColumn(view)->sql (a pickle's
// field decoded with pickles), or nullopt when it is no time.
std::optional<double> createdSecs(const EntryColumn& created, const QVariant& value, EntryDecoder::RowCache& pickles);

// A key or group value as users read it: text (controls escaped), a pickle decoded — a str as
// it is, anything else as Python's repr() writes it: ('user', 3), not ["user", 3] — else its size.
QString readable(const QVariant& value, int maxChars);
// A value EntryDecoder decoded, in the same words (its repr when it was a pickle).
QString readable(const EntryDecoder::Decoded& decoded, int maxChars);

} // namespace EntrySql
