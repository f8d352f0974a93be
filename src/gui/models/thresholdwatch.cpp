// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/thresholdwatch.h"

ThresholdWatch::ThresholdWatch(QObject* parent)
    : QObject(parent)
{
}

void ThresholdWatch::setThresholds(const Thresholds& thresholds)
{
    m_thresholds = thresholds;
    evaluate();
}

void ThresholdWatch::setCache(const QString& dbPath)
{
    m_path = dbPath;
    m_reading.reset();
    m_entries.reset();
    m_expired.reset();
    if (!m_active.isEmpty()) {
        m_active.clear();
        Q_EMIT activeChanged(m_active);
    }
}

void ThresholdWatch::applySample(const ActivitySample& sample)
{
    if (m_path.isEmpty())
        return;
    m_reading = ThresholdReading::of(m_path, sample);
    evaluate();
}

void ThresholdWatch::setEntryCounts(qint64 entries, qint64 expiredEntries)
{
    if (m_path.isEmpty())
        return;
    m_entries = entries;
    m_expired = expiredEntries >= 0 ? std::optional<qint64>(expiredEntries) : std::nullopt;
    evaluate();
}

void ThresholdWatch::evaluate()
{
    if (!m_reading)
        return;
    ThresholdReading reading = *m_reading;
    reading.entries = m_entries;
    reading.expiredEntries = m_expired;
    const QList<ThresholdCrossing> now = m_thresholds.crossedBy(reading);
    QSet<QString> before;
    for (const ThresholdCrossing& crossing : std::as_const(m_active))
        before.insert(crossing.key());
    bool changed = now.size() != m_active.size();
    for (const ThresholdCrossing& crossing : now) {
        if (!before.contains(crossing.key())) {
            changed = true;
            Q_EMIT crossed(crossing);
        }
    }
    // The values move with every sample: the list shown follows them, without announcing again.
    for (qsizetype i = 0; !changed && i < now.size(); ++i)
        changed = now.at(i).description != m_active.at(i).description;
    m_active = now;
    if (changed)
        Q_EMIT activeChanged(m_active);
}

QString ThresholdWatch::inWords(const ThresholdCrossing& crossing)
{
    if (!crossing.code.isEmpty()) // a health warning: its own words
        return crossing.description;
    return tr("%1 set in File ▸ Preferences…").arg(crossing.description); // each description ends with the limit
}
