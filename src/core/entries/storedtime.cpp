// SPDX-License-Identifier: GPL-3.0-or-later
#include "entries/storedtime.h"

#include <QLocale>
#include <QRegularExpression>
#include <QTimeZone>

#include <cmath>

using namespace Qt::Literals::StringLiterals;

namespace {

const QRegularExpression& isoPattern()
{
    static const QRegularExpression pattern(
        u"^\\s*(\\d{4})-(\\d{2})-(\\d{2})[T ](\\d{2}):(\\d{2})(?::(\\d{2})(?:[.,](\\d+))?)?\\s*(Z|[+-]\\d{2}:?\\d{2})?\\s*$"_s);
    return pattern;
}

// The fraction digits of a stored time: "000137" of "…:00.000137", "4075923" of 1796146886.4075923.
QString fractionOf(const QVariant& stored)
{
    if (stored.typeId() == QMetaType::QString) {
        const auto match = isoPattern().match(stored.toString());
        return match.hasMatch() ? match.captured(7) : QString();
    }
    if (stored.typeId() == QMetaType::Double) {
        const double seconds = stored.toDouble();
        if (!std::isfinite(seconds) || seconds < 0)
            return QString();
        const QString shortest = QString::number(seconds, 'f', QLocale::FloatingPointShortest);
        const qsizetype dot = shortest.indexOf(u'.');
        return dot < 0 ? QString() : shortest.mid(dot + 1);
    }
    return QString();
}

} // namespace

QDateTime StoredTime::fromText(const QString& text, Naive naive)
{
    const auto match = isoPattern().match(text);
    if (!match.hasMatch())
        return {};
    const QDate date(match.captured(1).toInt(), match.captured(2).toInt(), match.captured(3).toInt());
    const QString fraction = match.captured(7);
    const int ms = fraction.isEmpty() ? 0 : fraction.left(3).leftJustified(3, u'0').toInt(); // cut, not rounded
    const QTime time(match.captured(4).toInt(), match.captured(5).toInt(), match.captured(6).toInt(), ms);
    if (!date.isValid() || !time.isValid())
        return {};
    const QString zone = match.captured(8);
    if (zone == u"Z"_s)
        return QDateTime(date, time, QTimeZone::utc());
    if (!zone.isEmpty()) {
        const QString digits = QString(zone).remove(u':');
        const int offset
            = (digits.mid(1, 2).toInt() * 3600 + digits.mid(3, 2).toInt() * 60) * (zone[0] == u'-' ? -1 : 1);
        return QDateTime(date, time, QTimeZone(offset)).toUTC();
    }
    return naive == Naive::Utc ? QDateTime(date, time, QTimeZone::utc()) : QDateTime(date, time).toUTC();
}

QString StoredTime::isoUtc(const QVariant& stored, const QDateTime& time)
{
    if (!time.isValid())
        return QString();
    const QString fraction = fractionOf(stored);
    const QString seconds = time.toUTC().toString(u"yyyy-MM-ddTHH:mm:ss"_s);
    if (!fraction.isEmpty())
        return seconds + u'.' + fraction + u'Z';
    const int ms = time.time().msec();
    if (ms == 0 || stored.isValid())
        return seconds + u"Z"_s;
    return seconds + u".%1Z"_s.arg(ms, 3, 10, QChar(u'0'));
}
