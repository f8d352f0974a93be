// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QMetaType>

// RawText: a TEXT value whose bytes are not valid UTF-8 (SQLite stores what it is given, e.g.
// CAST(x'ff00fe' AS TEXT)). Decoded into a QString it would become U+FFFD and, bound back, no
// longer equal itself — a keyset cursor on it repeats the row forever. Key
// columns are read as RawText where their text is not UTF-8 (Statement::keyColumn), bound back
// as the same bytes (Statement::bind) and carried in cursors as bytes (EntryCursor).
struct RawText {
    QByteArray bytes;
    bool operator==(const RawText& other) const { return bytes == other.bytes; }
    bool operator!=(const RawText& other) const { return bytes != other.bytes; }
    bool operator<(const RawText& other) const { return bytes < other.bytes; }
};
Q_DECLARE_METATYPE(RawText)
