// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "live/thresholds.h"
#include "models/activitysample.h"

#include <QList>
#include <QObject>
#include <QSet>

#include <optional>

// ThresholdWatch: the limits of Preferences (Thresholds, the names of `cachescope-cli check`)
// held against the open cache — each Activity sample (the `watch` child's line) and the
// Overview's latest count of expired entries. A limit that becomes crossed is announced once
// (crossed()), stays in active() while it holds, and leaves it when it clears; crossing it again
// later is a new crossing. setCache() forgets everything (another cache, or none). GUI thread.
class ThresholdWatch : public QObject {
    Q_OBJECT
public:
    explicit ThresholdWatch(QObject* parent = nullptr);

    void setThresholds(const Thresholds& thresholds);
    const Thresholds& thresholds() const { return m_thresholds; }
    void setCache(const QString& dbPath); // empty: none open
    void applySample(const ActivitySample& sample);
    void setEntryCounts(qint64 entries, qint64 expiredEntries); // expired -1: the format keeps no expiry
    const QList<ThresholdCrossing>& active() const { return m_active; }
    // A crossing as the window says it: no `check` option names (nobody typed them here), and where the
    // limit is set — "WAL 12.0 MiB is over the limit 10.0 MiB set in File ▸ Preferences…".
    static QString inWords(const ThresholdCrossing& crossing);

Q_SIGNALS:
    void crossed(const ThresholdCrossing& crossing); // once per crossing
    void activeChanged(const QList<ThresholdCrossing>& active);

private:
    void evaluate();

    Thresholds m_thresholds;
    QString m_path;
    std::optional<ThresholdReading> m_reading;
    std::optional<qint64> m_entries;
    std::optional<qint64> m_expired;
    QList<ThresholdCrossing> m_active;
};
