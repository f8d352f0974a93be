// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "entries/entrypager.h"

#include <QVariant>

// EntryCells: how one read row's cells look in the Entries table — the text (decoded values
// as Python's repr() writes them, times in UTC (Format::utcText), BLOBs by size and their first bytes in hex, cut text
// ending in "…"), the tooltip (the stored value of a decoded time, more of a long value), NULL in grey italics
// (NullCell) apart from the text "NULL", expired rows dimmed, numbers right-aligned. Pure functions over an EntryView
// and an EntryRow: EntryModel decides which row is where, this decides how it reads. GUI thread.
class EntryCells {
public:
    static QVariant data(const EntryView& view, const EntryRow& row, int column, int role);
    static QVariant display(const EntryView& view, const EntryRow& row, int column);
    // text, or its first maxChars and "…".
    static QString cut(const QString& text, qsizetype maxChars);
    // A column of byte counts (a format's size, "size"): shown by sizeText here, the exact count in its tooltip and
    // in the detail ("40,000 bytes (39.1 KiB)").
    static bool holdsBytes(const EntryColumn& column);
    // A size in the table as sizes read everywhere else: "38 bytes" under 1 KiB, else "39.1 KiB" as the Overview
    // and the dialogs say it (#28: "40,000 bytes" in a column of sizes).
    static QString sizeText(qint64 bytes);
    // A BLOB cell reads as ValueText::bytesLine ("7 bytes: 00 01 62 79 74 65 73 |..bytes|"); its tooltip is the
    // hex dump of what was read (here and on the SQL page).
    static QString bytesToolTip(const QByteArray& bytes, qint64 totalBytes);
    // A hash (a requests-cache key, an LLM cache's prompt hash): 32 or more hex digits and nothing
    // else. Its column is fitted narrow and elided; the tooltip has it whole.
    static bool looksLikeHash(const QString& text);
};
