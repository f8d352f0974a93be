// SPDX-License-Identifier: GPL-3.0-or-later
#include "entries/storedvalue.h"

#include <sqlite3.h>

StoredValue StoredValue::fromColumn(sqlite3_stmt* statement, int column)
{
    StoredValue value;
    switch (sqlite3_column_type(statement, column)) {
    case SQLITE_INTEGER:
        value.type = Type::Integer;
        break;
    case SQLITE_FLOAT:
        value.type = Type::Real;
        break;
    case SQLITE_TEXT:
        value.type = Type::Text;
        break;
    case SQLITE_BLOB:
        value.type = Type::Blob;
        break;
    default:
        return value;
    }
    // The blob of a BLOB, else the value as UTF-8 text (no conversion for TEXT of a UTF-8 database).
    const void* data = value.type == Type::Blob ? sqlite3_column_blob(statement, column)
                                                : static_cast<const void*>(sqlite3_column_text(statement, column));
    const int bytes = sqlite3_column_bytes(statement, column);
    value.bytes = QByteArray(static_cast<const char*>(data), data ? bytes : 0);
    value.length = value.type == Type::Text ? codePoints(value.bytes) : value.bytes.size();
    return value;
}

qint64 StoredValue::codePoints(QByteArrayView utf8)
{
    qint64 count = 0;
    for (const char byte : utf8)
        count += (uchar(byte) & 0xC0u) != 0x80u;
    return count;
}

qint64 StoredValue::codePoints(QStringView text)
{
    qint64 count = 0;
    for (const QChar c : text)
        count += !c.isLowSurrogate();
    return count;
}
