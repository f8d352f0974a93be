// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QStringView>

struct sqlite3_stmt;

// StoredValue: one column of one entry as SQLite stores it, and nothing else of the row — what
// "Show all" and "Save … to a file…" read (EntryPager::storedValue): TEXT as its UTF-8 bytes (never
// made a QString here: a 200 Mi-character value is then in memory once as read), a BLOB as its
// bytes. Its length counts as SQLite's length() does: code points of TEXT (as the CLI and the
// libraries count), bytes of a BLOB.
struct StoredValue {
    enum class Type { Null, Integer, Real, Text, Blob };
    Type type = Type::Null;
    QByteArray bytes; // TEXT: UTF-8; BLOB: as stored; INTEGER and REAL: as SQLite writes them as text
    qint64 length = 0; // code points of TEXT, bytes otherwise

    bool isBinary() const { return type == Type::Blob; }
    // Column `column` of the statement's current row.
    static StoredValue fromColumn(sqlite3_stmt* statement, int column);
    // Code points in UTF-8 (bytes that do not continue a character): what SQLite's length() and
    // Python's len() say of a str, where QString::size() counts UTF-16 units (an emoji is 2).
    static qint64 codePoints(QByteArrayView utf8);
    // The same of text held as UTF-16 (a surrogate pair is one).
    static qint64 codePoints(QStringView text);
};
