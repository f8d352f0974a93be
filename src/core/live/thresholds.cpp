// SPDX-License-Identifier: GPL-3.0-or-later
#include "live/thresholds.h"

#include "common/format.h"
#include "live/healthcheck.h"
#include "live/ratewindow.h"
#include "live/warningcatalog.h"
#include "live/watchline.h"

#include <QLocale>

#include <utility>

using namespace Qt::Literals::StringLiterals;

namespace {
// A ratio and the limit it is over, as whole percents like everywhere else, unless they would
// read the same ("80%, over the limit 80%"): then with one decimal each.
std::pair<QString, QString> percents(double ratio, double limit)
{
    const int decimals = Format::percent(ratio) == Format::percent(limit) ? 1 : 0;
    return { Format::percent(ratio, decimals), Format::percent(limit, decimals) };
}

QString seconds(double s)
{
    return QLocale::c().toString(s, 'f', 1) + u" s"_s;
}

// One limit: its value is over the maximum.
void check(QList<ThresholdCrossing>& out, const QString& path, const char* name, double value,
    const std::optional<double>& maximum, const QString& what)
{
    if (!maximum || !(value > *maximum))
        return;
    out.append({ path, QString::fromLatin1(name), value, *maximum, QString(), what });
}

std::optional<double> asDouble(const std::optional<qint64>& value)
{
    return value ? std::optional<double>(double(*value)) : std::nullopt;
}
} // namespace

QStringList Thresholds::names()
{
    return { QString::fromLatin1(MaxWalBytes), QString::fromLatin1(MaxCheckpointLagFrames),
        QString::fromLatin1(MaxCheckpointPinnedS), QString::fromLatin1(MaxWriteLockBusy),
        QString::fromLatin1(MaxExpiredRatio) };
}

QList<ThresholdCrossing> Thresholds::crossedBy(const ThresholdReading& r) const
{
    QList<ThresholdCrossing> out;
    check(out, r.path, MaxWalBytes, double(r.walBytes), asDouble(maxWalBytes),
        u"WAL %1 is over the limit %2"_s.arg(Format::bytes(r.walBytes), Format::bytes(maxWalBytes.value_or(0))));
    check(out, r.path, MaxCheckpointLagFrames, double(r.checkpointLagFrames), asDouble(maxCheckpointLagFrames),
        u"%1 frames wait for the checkpoint, over the limit %2"_s.arg(
            Format::count(r.checkpointLagFrames), Format::count(maxCheckpointLagFrames.value_or(0))));
    check(out, r.path, MaxCheckpointPinnedS, r.checkpointPinnedS, maxCheckpointPinnedS,
        u"the checkpoint has been pinned by %1 for %2, over the limit %3"_s.arg(
            HealthCheck::describe(r.pinningPid.value_or(0), QString(), QString()), seconds(r.checkpointPinnedS),
            seconds(maxCheckpointPinnedS.value_or(0))));
    // A share over less than a second is no evidence: at the start of watching it covers the first few samples ("95% of
    // the last 400 ms"), and one sample more swings it by tens of percent. The Activity tab waits for the same span.
    if (r.writeLockBusy && r.writeLockBusySpanMs >= WatchLine::MinShownRateSpanMs) {
        const auto [busy, limit] = percents(*r.writeLockBusy, maxWriteLockBusy.value_or(0));
        check(out, r.path, MaxWriteLockBusy, *r.writeLockBusy, maxWriteLockBusy,
            u"the write lock was held %1 of %2, over the limit %3"_s.arg(
                busy, RateWindow::spanText(r.writeLockBusySpanMs), limit));
    }
    if (const auto ratio = r.expiredRatio()) {
        const auto [expired, limit] = percents(*ratio, maxExpiredRatio.value_or(0));
        check(out, r.path, MaxExpiredRatio, *ratio, maxExpiredRatio,
            u"%1 of %2 entries have expired (%3), over the limit %4"_s.arg(
                Format::count(r.expiredEntries.value_or(0)), Format::count(r.entries.value_or(0)), expired, limit));
    }
    if (warnings) {
        // Title and message, as the window's Health and banner show them: the message does not repeat the title
        // ("The write lock is held most of the time. 95% of the last 3.4 s. …", #28).
        for (const HealthWarning& warning : r.warnings)
            out.append({ r.path, QString::fromLatin1(Warning), 1, 0, warning.code,
                WarningCatalog::title(warning.code) + u". "_s + warning.message });
    }
    return out;
}

std::optional<double> Thresholds::parseRatio(const QString& text)
{
    QString number = text.trimmed();
    double scale = 1.0;
    if (number.endsWith(u'%')) {
        number.chop(1);
        scale = 100.0;
    }
    bool ok = false;
    const double value = QLocale::c().toDouble(number.trimmed(), &ok) / scale;
    if (!ok || !(value >= 0.0) || value > 1.0)
        return std::nullopt;
    return value;
}
