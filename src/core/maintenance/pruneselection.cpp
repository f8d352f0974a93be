// SPDX-License-Identifier: GPL-3.0-or-later
#include "maintenance/pruneselection.h"

#include "common/format.h"

#include <QRegularExpression>

#include <cmath>

using namespace Qt::Literals::StringLiterals;

namespace {
// A number with an optional unit, spaces allowed between them.
std::optional<std::pair<double, QString>> numberAndUnit(const QString& text)
{
    static const QRegularExpression pattern(u"^\\s*(\\d+(?:\\.\\d+)?)\\s*([a-zA-Z]*)\\s*$"_s);
    const auto match = pattern.match(text);
    if (!match.hasMatch())
        return std::nullopt;
    bool ok = false;
    const double number = match.captured(1).toDouble(&ok);
    if (!ok || !std::isfinite(number))
        return std::nullopt;
    return std::make_pair(number, match.captured(2).toLower());
}

std::optional<qint64> scaled(double number, double unit)
{
    const double value = number * unit;
    if (value > 9.0e18)
        return std::nullopt;
    return qint64(std::llround(value));
}
} // namespace

bool PruneSelection::isEmpty() const
{
    return filter.isEmpty() && columnsByName.isEmpty() && olderThanSecs < 0 && group.isNull() && maxBytes < 0 && !rowids
        && !rowidsByShard;
}

std::optional<QStringList> PruneSelection::toArguments() const
{
    if (rowids || rowidsByShard || !filter.columns.isEmpty() || filter.expiry == EntryFilter::Expiry::LiveOnly)
        return std::nullopt;
    QStringList args;
    if (!table.isEmpty())
        args << u"--table="_s + table;
    if (filter.expiry == EntryFilter::Expiry::ExpiredOnly)
        args << u"--expired"_s;
    if (!filter.text.isEmpty())
        args << u"--match="_s + filter.text;
    for (auto it = columnsByName.cbegin(); it != columnsByName.cend(); ++it)
        args << u"--column="_s + it.key() + u'=' + it.value();
    if (olderThanSecs >= 0)
        args << u"--older-than=%1s"_s.arg(olderThanSecs);
    if (!group.isNull())
        args << u"--group="_s + group;
    if (maxBytes >= 0)
        args << u"--max-bytes=%1"_s.arg(maxBytes);
    return args;
}

QString PruneSelection::describe() const
{
    QStringList parts;
    if (filter.expiry == EntryFilter::Expiry::ExpiredOnly)
        parts << u"expired"_s;
    else if (filter.expiry == EntryFilter::Expiry::LiveOnly)
        parts << u"not expired"_s;
    if (olderThanSecs >= 0)
        parts << u"older than %1"_s.arg(durationWords(olderThanSecs));
    if (!filter.text.isEmpty())
        parts << u"matching \"%1\""_s.arg(filter.text);
    if (!filter.columns.isEmpty())
        parts << Format::counted(filter.columns.size(), u"column filter"_s, u"column filters"_s);
    for (auto it = columnsByName.cbegin(); it != columnsByName.cend(); ++it)
        parts << u"%1 containing \"%2\""_s.arg(it.key(), it.value());
    if (!group.isNull())
        parts << u"in group \"%1\""_s.arg(group);
    if (rowids)
        parts << Format::counted(rowids->size(), u"selected row"_s, u"selected rows"_s);
    if (rowidsByShard) {
        qsizetype rows = 0;
        for (const QList<qint64>& shard : *rowidsByShard)
            rows += shard.size();
        parts << Format::counted(rows, u"selected row"_s, u"selected rows"_s)
                + u" in %1"_s.arg(Format::counted(rowidsByShard->size(), u"shard"_s, u"shards"_s));
    }
    if (maxBytes >= 0)
        parts << u"beyond %1"_s.arg(Format::bytes(maxBytes));
    return parts.join(u", "_s);
}

QString PruneSelection::durationWords(qint64 seconds)
{
    struct Unit {
        qint64 seconds;
        const char* one;
        const char* many;
    };
    static const Unit units[] = { { 7 * 86400, "week", "weeks" }, { 86400, "day", "days" }, { 3600, "hour", "hours" },
        { 60, "minute", "minutes" } };
    for (const Unit& unit : units) {
        if (seconds >= unit.seconds && seconds % unit.seconds == 0)
            return Format::counted(seconds / unit.seconds, QLatin1StringView(unit.one), QLatin1StringView(unit.many));
    }
    return Format::counted(seconds, u"second"_s, u"seconds"_s);
}

std::optional<qint64> PruneSelection::parseDuration(const QString& text)
{
    const auto parsed = numberAndUnit(text);
    if (!parsed)
        return std::nullopt;
    static const QList<std::pair<QStringList, double>> units {
        { { u""_s, u"s"_s, u"sec"_s, u"secs"_s, u"second"_s, u"seconds"_s }, 1.0 },
        { { u"m"_s, u"min"_s, u"mins"_s, u"minute"_s, u"minutes"_s }, 60.0 },
        { { u"h"_s, u"hour"_s, u"hours"_s }, 3600.0 },
        { { u"d"_s, u"day"_s, u"days"_s }, 86400.0 },
        { { u"w"_s, u"week"_s, u"weeks"_s }, 7 * 86400.0 },
    };
    for (const auto& [names, seconds] : units) {
        if (names.contains(parsed->second))
            return scaled(parsed->first, seconds);
    }
    return std::nullopt;
}

std::optional<qint64> PruneSelection::parseSize(const QString& text)
{
    const auto parsed = numberAndUnit(text);
    if (!parsed)
        return std::nullopt;
    QString unit = parsed->second;
    if (unit.endsWith(u"ib"_s))
        unit.chop(2);
    else if (unit.size() > 1 && unit.endsWith(u'b'))
        unit.chop(1);
    static const QString prefixes = u"kmgt"_s;
    if (unit.isEmpty() || unit == u"b"_s)
        return scaled(parsed->first, 1.0);
    if (unit.size() != 1 || !prefixes.contains(unit))
        return std::nullopt;
    return scaled(parsed->first, std::pow(1024.0, double(prefixes.indexOf(unit) + 1)));
}
