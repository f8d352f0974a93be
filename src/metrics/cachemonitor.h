// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "live/commitcounter.h"
#include "live/sampler.h"
#include "metrics/entrycountprobe.h"
#include "report/cachemetrics.h"

#include <QObject>
#include <QTimer>

#include <optional>

// CacheMonitor: one cache watched for `cachescope-cli metrics` the way `watch` watches it — a
// Sampler every interval and every commit counted from events by a CommitCounter (its own
// thread) — plus the entry counts of an EntryCountProbe child; metrics() is the last sample's
// CacheMetrics, so a scrape reads values and never touches the cache. No SQLite connection in this
// process (docs/WAL.md §4.1). Lives on the main thread.
class CacheMonitor : public QObject {
    Q_OBJECT
public:
    CacheMonitor(const QString& dbPath, int intervalMs, QObject* parent = nullptr);
    // Starts counting, takes the first sample and starts the probe; the reason when the
    // commits cannot be counted (the monitor still samples).
    QString start();
    // Empty until the format is known (the probe's first answer, or its failure).
    std::optional<CacheMetrics> metrics() const;
    EntryCountProbe& probe() { return m_probe; }

private:
    void sample();

    QString m_path;
    CommitCounter m_counter;
    Sampler m_sampler;
    EntryCountProbe m_probe;
    QTimer m_timer;
    qint64 m_tick = 0;
    std::optional<Snapshot> m_last;
};
