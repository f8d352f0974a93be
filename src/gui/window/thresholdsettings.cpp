// SPDX-License-Identifier: GPL-3.0-or-later
#include "window/thresholdsettings.h"

#include <QSettings>

using namespace Qt::Literals::StringLiterals;

namespace {
QString key(const char* name)
{
    return u"thresholds/"_s + QString::fromLatin1(name);
}

// A limit is stored as its number, or as "off" when the user turned it off.
template <class T> void read(const QSettings& settings, const char* name, std::optional<T>& limit)
{
    const QVariant value = settings.value(key(name));
    if (!value.isValid())
        return; // the default stays
    bool ok = false;
    const double number = value.toDouble(&ok);
    limit = ok && number >= 0 ? std::optional<T>(T(number)) : std::nullopt;
}

template <class T> void write(QSettings& settings, const char* name, const std::optional<T>& limit)
{
    settings.setValue(key(name), limit ? QVariant::fromValue(*limit) : QVariant(u"off"_s));
}
} // namespace

namespace ThresholdSettings {

Thresholds defaults()
{
    Thresholds t;
    t.maxWalBytes = qint64(1) << 30;
    t.maxCheckpointPinnedS = 600;
    t.maxWriteLockBusy = 0.8;
    t.warnings = false;
    return t;
}

Thresholds load()
{
    const QSettings settings;
    Thresholds t = defaults();
    read(settings, Thresholds::MaxWalBytes, t.maxWalBytes);
    read(settings, Thresholds::MaxCheckpointLagFrames, t.maxCheckpointLagFrames);
    read(settings, Thresholds::MaxCheckpointPinnedS, t.maxCheckpointPinnedS);
    read(settings, Thresholds::MaxWriteLockBusy, t.maxWriteLockBusy);
    read(settings, Thresholds::MaxExpiredRatio, t.maxExpiredRatio);
    t.warnings = settings.value(u"thresholds/warnings"_s, t.warnings).toBool();
    return t;
}

void save(const Thresholds& t)
{
    QSettings settings;
    write(settings, Thresholds::MaxWalBytes, t.maxWalBytes);
    write(settings, Thresholds::MaxCheckpointLagFrames, t.maxCheckpointLagFrames);
    write(settings, Thresholds::MaxCheckpointPinnedS, t.maxCheckpointPinnedS);
    write(settings, Thresholds::MaxWriteLockBusy, t.maxWriteLockBusy);
    write(settings, Thresholds::MaxExpiredRatio, t.maxExpiredRatio);
    settings.setValue(u"thresholds/warnings"_s, t.warnings);
}

} // namespace ThresholdSettings
