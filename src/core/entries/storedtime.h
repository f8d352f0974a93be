// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QString>
#include <QVariant>

// StoredTime: a time as a cache stored it, read exactly. Epoch seconds (REAL or INTEGER) or
// ISO 8601 text — 'T' or a space between date and time, any number of fraction digits, 'Z', an
// offset (+02:00, +0200) or none. Text without a zone is "naive": the caller says which zone
// its format writes (docs/FORMATS.md: UTC for requests-cache, llm logs and hand-written caches,
// the local zone for GPTCache's datetime.now()). The instant is kept to the millisecond,
// never rounded up into the next second; the ISO text keeps the fraction digits as stored.
class StoredTime {
public:
    enum class Naive { Utc, Local };
    // Invalid when text is not such a time.
    static QDateTime fromText(const QString& text, Naive naive);
    // "2024-11-03T09:07:00.000137Z": time in UTC to the second, then the fraction as stored
    // (the digits of the text, or of the shortest decimal form of epoch seconds); empty when
    // time is invalid.
    static QString isoUtc(const QVariant& stored, const QDateTime& time);
};
