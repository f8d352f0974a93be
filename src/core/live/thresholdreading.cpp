// SPDX-License-Identifier: GPL-3.0-or-later
#include "live/thresholdreading.h"

#include "live/snapshot.h"
#include "live/watchline.h"

#include <QJsonArray>

using namespace Qt::Literals::StringLiterals;

namespace {
template <class T> QJsonValue orNull(const std::optional<T>& value)
{
    return value ? QJsonValue(*value) : QJsonValue(QJsonValue::Null);
}
} // namespace

std::optional<double> ThresholdReading::expiredRatio() const
{
    if (!entries || !expiredEntries || *entries <= 0)
        return std::nullopt;
    return double(*expiredEntries) / double(*entries);
}

ThresholdReading ThresholdReading::of(const Snapshot& s)
{
    ThresholdReading reading;
    reading.path = s.path;
    reading.walBytes = s.fileBytes(CacheFiles::Kind::Wal);
    reading.checkpointLagFrames = s.walIndex && s.walIndex->isLive() ? s.lagFrames() : 0;
    if (const Snapshot::Reader* pinning = s.pinning()) {
        reading.pinningPid = pinning->pid;
        reading.checkpointPinnedS = double(s.pinnedForMs) / 1000.0;
    }
    reading.writeLockBusy = s.writeLockBusy;
    reading.writeLockBusySpanMs = s.ratesValid ? s.rateSpanMs : 0;
    reading.warnings = s.warnings;
    return reading;
}

ThresholdReading ThresholdReading::of(const QString& path, const WatchLine& line)
{
    ThresholdReading reading;
    reading.path = path;
    reading.walBytes = line.walBytes.value_or(0);
    reading.checkpointLagFrames = line.lagFrames.value_or(0);
    reading.pinningPid = line.pinningPid;
    reading.checkpointPinnedS = line.pinningPid ? double(line.checkpointPinnedMs.value_or(0)) / 1000.0 : 0;
    reading.writeLockBusy = line.writeLockBusy;
    reading.writeLockBusySpanMs = line.rateSpanMs;
    reading.warnings = line.warnings;
    return reading;
}

QJsonObject ThresholdReading::toJson() const
{
    QJsonArray warningsJson;
    for (const HealthWarning& warning : warnings)
        warningsJson.append(warning.toJson());
    return QJsonObject {
        { u"path"_s, path },
        { u"wal_bytes"_s, walBytes },
        { u"checkpoint_lag_frames"_s, checkpointLagFrames },
        { u"checkpoint_pinned_s"_s, checkpointPinnedS },
        { u"pinning_pid"_s, orNull(pinningPid) },
        { u"write_lock_busy"_s, orNull(writeLockBusy) },
        { u"entries"_s, orNull(entries) },
        { u"expired_entries"_s, orNull(expiredEntries) },
        { u"expired_ratio"_s, orNull(expiredRatio()) },
        { u"warnings"_s, warningsJson },
    };
}
