// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QString>

// Human-readable formatting shared by the CLI's text output and the GUI.
namespace Format {
// 1536 -> "1.5 KiB"; below 1 KiB the exact byte count ("512 B"). A plain space between number
// and unit: the CLI's text and the messages it shares with the GUI are read by scripts too
// (grep "1.5 MiB", awk's fields).
QString bytes(qint64 bytes);
// The same with a no-break space (U+00A0) between number and unit, for the screen: a wrapped
// label never ends a line on "1.5" and starts the next on "MiB".
QString bytesNoBreak(qint64 bytes);
// A count with its thousands grouped, the same everywhere: 1000000 -> "1,000,000" (the
// user's locale's separator; commas in the C locale, which groups nothing by itself).
QString count(qint64 number);
// A number with decimals, grouped as count groups: 1866.66 -> "1,866.7" (decimals 1).
QString decimal(double number, int decimals);
// A duration a person reads: below a second in milliseconds ("850 ms"), from a second on in
// seconds with at most one decimal ("5 s", "1.5 s", "1,200 s"), grouped as count groups.
QString duration(qint64 milliseconds);
// A ratio as a percent, the same everywhere (the Overview, Activity, the limits, `check`):
// 0.524 -> "52%". decimals only where a whole percent would hide a difference that matters
// (a reading just over its limit: "80.4%" over "80.0%", not "80%" over "80%").
QString percent(double ratio, int decimals = 0);
// A count in words, the noun agreeing with it: counted(1, "shard", "shards") -> "1 shard",
// counted(1024, …) -> "1,024 shards". For every count a person reads: never "shard(s)".
QString counted(qint64 number, const QString& one, const QString& many);
// A count of entries in words: "1 entry", "1,024 entries".
QString entries(qint64 number);
// A value's size in bytes, exact, as every bytes value and size column reads: "1 byte", "2,019 bytes".
QString byteCount(qint64 bytes);
// The same, and in KiB/MiB from 1 KiB where that reads better: "2,048 bytes (2.0 KiB)".
QString byteCountScaled(qint64 bytes);
// Same as bytes, but "—" for a file that does not exist (negative size).
QString optionalBytes(qint64 bytes);

// Text from a cache (table and column names, cell values, paths, process names) made safe to
// print on a terminal or show in a label: C0/C1 control characters (ESC, CR, BEL, …) and the
// invisible bidi and zero-width format characters (U+202E, U+2066…, U+200B…) become visible
// escapes ("\e", "\r", "\u202E"), so no escape sequence reaches the terminal and no name can
// read backwards. Newlines are escaped too unless keepNewlines (for whole multi-line texts).
QString escapeControl(const QString& text, bool keepNewlines = false);
// Whether escapeControl would change the text.
bool hasControl(const QString& text);
// At most about maxChars characters of a text that may be huge (a 1 MiB table name, a 4,000-byte
// path): its start and end around "…", and how long it really is — "Txxxx…xxxx (1,048,577
// characters)". Shorter texts come back unchanged. For titles, labels, tabs and status lines.
QString elideMiddle(const QString& text, int maxChars = 160);
// escapeControl, then elideMiddle: a name from a cache as one line on screen.
QString shortName(const QString& text, int maxChars = 160);

// A time as every panel shows it (the table, the detail, the SQL tab): UTC, as the CLI's times are, whatever the
// machine's zone — "2026-12-05 10:33:13 UTC", with its milliseconds when it has any ("…13.250 UTC", never rounded up
// to the next second).
QString utcText(const QDateTime& time);
// An epoch time in seconds or milliseconds (as diskcache and created_at columns store them) as utcText() says it;
// empty when the number is not a plausible time (1973–5138).
QString epochText(double secondsOrMillis);
// A REAL as its shortest exact decimal, never in scientific notation where a plain number is
// readable: 1700000000.5 (not 1.7e+09), 0.1, 2.5e-07 only below 1e-6, 1e+21 only from 1e21.
QString real(double value);
} // namespace Format
