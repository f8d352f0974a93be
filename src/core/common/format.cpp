// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/format.h"

#include <QDateTime>
#include <QList>
#include <QLocale>

#include <cmath>

using namespace Qt::Literals::StringLiterals;

namespace Format {

QString bytes(qint64 bytes)
{
    if (bytes < 1024)
        return QString::number(bytes) + u" B"_s;
    static const char* const units[] = { "KiB", "MiB", "GiB", "TiB", "PiB" };
    double value = double(bytes);
    int unit = -1;
    while (value >= 1024.0 && unit < 4) {
        value /= 1024.0;
        ++unit;
    }
    return QString::number(value, 'f', value < 10 ? 1 : 0) + u' ' + QLatin1String(units[unit]);
}

QString bytesNoBreak(qint64 bytes)
{
    QString text = Format::bytes(bytes);
    text[text.lastIndexOf(u' ')] = QChar(0x00A0);
    return text;
}

namespace {
    // The C locale (tests, CI, LANG unset) groups nothing: "1000000" beside "131,072". Every number
    // in the tool reads the same way: the user's grouping, else commas.
    QLocale groupingLocale()
    {
        QLocale locale;
        if (locale.language() == QLocale::C)
            locale = QLocale(QLocale::English, QLocale::UnitedStates);
        locale.setNumberOptions(locale.numberOptions() & ~QLocale::OmitGroupSeparator);
        return locale;
    }
} // namespace

QString count(qint64 number)
{
    return groupingLocale().toString(number);
}

QString decimal(double number, int decimals)
{
    return groupingLocale().toString(number, 'f', decimals);
}

QString duration(qint64 milliseconds)
{
    if (milliseconds < 1000)
        return count(milliseconds) + u" ms"_s;
    const bool whole = milliseconds % 1000 == 0 || milliseconds >= 100000; // "120 s", never "120.3 s"
    return decimal(milliseconds / 1000.0, whole ? 0 : 1) + u" s"_s;
}

QString percent(double ratio, int decimals)
{
    return QString::number(ratio * 100.0, 'f', decimals) + u'%';
}

QString counted(qint64 number, const QString& one, const QString& many)
{
    return count(number) + u' ' + (number == 1 ? one : many);
}

QString entries(qint64 number)
{
    return counted(number, QStringLiteral("entry"), QStringLiteral("entries"));
}

QString byteCount(qint64 bytes)
{
    return counted(bytes, QStringLiteral("byte"), QStringLiteral("bytes"));
}

QString byteCountScaled(qint64 bytes)
{
    return bytes < 1024 ? byteCount(bytes) : byteCount(bytes) + u" ("_s + bytesNoBreak(bytes) + u')';
}

QString optionalBytes(qint64 bytes)
{
    return bytes < 0 ? QStringLiteral("—") : Format::bytes(bytes);
}

namespace {
    bool isFormatCharacter(char32_t c)
    {
        return (c >= 0x200B && c <= 0x200F) // zero-width space/joiners, LRM, RLM
            || (c >= 0x202A && c <= 0x202E) // LRE, RLE, PDF, LRO, RLO
            || (c >= 0x2066 && c <= 0x2069) // LRI, RLI, FSI, PDI
            || c == 0x061C || c == 0x2028 || c == 0x2029 || c == 0xFEFF;
    }

    bool needsEscape(char32_t c)
    {
        return c < 0x20 || (c >= 0x7F && c <= 0x9F) || isFormatCharacter(c);
    }

    QString escapeOne(char32_t c)
    {
        switch (c) {
        case U'\n':
            return u"\\n"_s;
        case U'\r':
            return u"\\r"_s;
        case U'\t':
            return u"\\t"_s;
        case 0x1B:
            return u"\\e"_s;
        default:
            break;
        }
        const QString hex = QString::number(uint(c), 16).toUpper();
        return c < 0x80 ? u"\\x"_s + hex.rightJustified(2, u'0') : u"\\u"_s + hex.rightJustified(4, u'0');
    }
} // namespace

QString escapeControl(const QString& text, bool keepNewlines)
{
    if (!hasControl(text))
        return text;
    QString out;
    out.reserve(text.size() + 16);
    for (const uint c : text.toUcs4()) {
        if (needsEscape(c) && !(keepNewlines && c == U'\n'))
            out += escapeOne(c);
        else
            out += QString::fromUcs4(reinterpret_cast<const char32_t*>(&c), 1);
    }
    return out;
}

bool hasControl(const QString& text)
{
    for (const QChar c : text) {
        if (needsEscape(c.unicode()))
            return true;
    }
    return false;
}

QString epochText(double value)
{
    const double original = value;
    const bool isMillis = value > 1e11 && value < 1e14;
    if (isMillis)
        value /= 1000.0;
    if (value < 1e8 || value > 1e11)
        return QString();
    // Milliseconds as stored; seconds' fraction floored (never up to the next second), the 1e-3 against a binary
    // fraction just under a whole millisecond (1077777770.001 s * 1000 = …000.9999).
    const qint64 ms = isMillis ? qint64(std::floor(original)) : qint64(std::floor(value * 1000.0 + 1e-3));
    return utcText(QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC));
}

QString utcText(const QDateTime& time)
{
    const QDateTime utc = time.toUTC();
    return utc.toString(utc.time().msec() ? u"yyyy-MM-dd HH:mm:ss.zzz 'UTC'"_s : u"yyyy-MM-dd HH:mm:ss 'UTC'"_s);
}

QString real(double value)
{
    const double magnitude = std::abs(value);
    if (!std::isfinite(value) || (magnitude != 0 && (magnitude < 1e-6 || magnitude >= 1e21)))
        return QString::number(value, 'g', QLocale::FloatingPointShortest);
    return QString::number(value, 'f', QLocale::FloatingPointShortest);
}
} // namespace Format

QString Format::elideMiddle(const QString& text, int maxChars)
{
    if (text.size() <= maxChars)
        return text;
    qsizetype head = qMax(1, maxChars / 2);
    qsizetype tail = qMax(1, maxChars / 2);
    if (text.at(head - 1).isHighSurrogate()) // never cut a character in two
        --head;
    if (text.at(text.size() - tail).isLowSurrogate())
        --tail;
    return text.left(head) + QChar(0x2026) + text.right(tail)
        + QStringLiteral(" (%1 characters)").arg(count(text.size()));
}

QString Format::shortName(const QString& text, int maxChars)
{
    // Elide first: escaping a 1 MiB name only to cut it would cost its whole length again.
    return elideMiddle(escapeControl(elideMiddle(text, maxChars)), maxChars * 2);
}
