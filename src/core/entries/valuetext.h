// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>

// ValueText: a decoded value (EntryDecoder's plain data) as people read it, for the Entries
// detail pane and `entries --key` in text: a requests-cache response as its status line,
// request, headers and body (text as it is, JSON indented, binary as its size and a hex dump),
// a pickle as Python's repr() writes it, any other decoded data as indented JSON with classes named by "__class__"
// (nothing is called); a top-level string as it is. Text longer than maxChars (> 0) is cut, and the cut says so in its
// last line; so does a long string cut inside a structure. Pure functions: any thread.
class ValueText {
public:
    struct Text {
        QString text;
        qsizetype fullChars = 0; // characters of the whole text (> text's when cut)
        bool cut() const { return fullChars > text.size(); }
    };
    // stringChars > 0: a string inside longer than that shows its start and its length.
    // repr: a pickle as Python's repr() writes it (Pickle::decode): shown instead of the JSON,
    // which cannot keep a dict's order, a tuple or 0.0 (an HTTP response is shown as one still).
    static Text of(
        const QJsonValue& value, qsizetype maxChars = 0, qsizetype stringChars = 0, const QString& repr = {});
    // A requests-cache CachedResponse as decoded (status_code, headers, _content, request…).
    static bool isHttpResponse(const QJsonValue& value);
    static QString httpResponse(const QJsonObject& response);
    // Offset, hex and printable columns, 16 bytes a line; "… N more bytes" past maxBytes.
    static QString hexDump(const QByteArray& bytes, int maxBytes = 512, qint64 totalBytes = -1);
    // Bytes as the ASCII column of `hexdump -C` (and a BLOB's JSON "preview"): printable ASCII as it is, the rest '.'.
    static QString ascii(const QByteArray& bytes);
    // Bytes on one line, as every bytes value reads (the Entries table, the SQL page, `entries` and `query` in
    // text): the size as sizes read (Format::byteCount), then the first LineBytes in hex and as ASCII, as
    // `hexdump -C` shows them — "7 bytes: 00 01 62 79 74 65 73 |..bytes|"; "…" when there are more. bytes: what
    // was read of the value; totalBytes: its whole length.
    static constexpr int LineBytes = 8;
    static QString bytesLine(const QByteArray& bytes, qint64 totalBytes = -1);
};
