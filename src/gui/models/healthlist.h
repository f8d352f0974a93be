// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/activitysample.h"

#include <QTime>

// HealthList: what the live probe says is wrong with the cache, as every page shows it — the
// notices `watch` says once (the SQLite version's WAL-reset bug), kept while the cache is open,
// then the latest sample's warnings — with the time that sample arrived. The Overview's Health
// box and the Activity tab's banner each keep one, fed the same samples, so they list the same
// items. A plain value; GUI thread.
class HealthList {
public:
    void apply(const ActivitySample& sample);
    void clear();

    HealthWarnings items() const { return m_notices + m_warnings; }
    // The latest sample's warnings alone: the Activity tab's banner, which leaves the notices said
    // once (the WAL-reset bug) to the Overview's Health and to the Checkpoint and Vacuum dialogs,
    // where their advice matters (#28 review: said once, shown on two pages).
    const HealthWarnings& warnings() const { return m_warnings; }
    bool isEmpty() const { return m_notices.isEmpty() && m_warnings.isEmpty(); }
    QTime sampledAt() const { return m_sampledAt; } // null before the first sample
    // "14:03:27.4": the sample's time as every panel that shows it says it; empty before the first.
    QString sampledAtText() const;
    // A live sample's time as every panel says it, "14:03:27.4" (the Checkpoint dialog's "as of" too).
    static QString sampleTimeText(const QTime& time);
    // "<b>Title.</b> message<br><i>Fix:</i> remedy" (rich text).
    static QString html(const HealthWarning& warning);

private:
    HealthWarnings m_notices;
    HealthWarnings m_warnings;
    QTime m_sampledAt;
};
