// SPDX-License-Identifier: GPL-3.0-or-later
#include "metrics/cachemonitor.h"

#include <QCoreApplication>

CacheMonitor::CacheMonitor(const QString& dbPath, int intervalMs, QObject* parent)
    : QObject(parent)
    , m_path(dbPath)
    , m_counter(dbPath, CommitCounter::Options {})
    , m_sampler(dbPath)
    , m_probe(dbPath)
{
    m_timer.setInterval(intervalMs);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &CacheMonitor::sample);
}

QString CacheMonitor::start()
{
    const Status counting = m_counter.start();
    sample();
    m_timer.start();
    m_probe.start();
    return counting ? QString() : counting.error().message;
}

void CacheMonitor::sample()
{
    const CommitCounter::Reading counted = m_counter.take();
    Sampler::Options options;
    options.counted = &counted;
    options.excludePid = QCoreApplication::applicationPid();
    options.excludePids = { QCoreApplication::applicationPid() };
    ++m_tick;
    options.readWalFrames = true;
    options.scanProcesses = m_tick % 10 == 1; // /proc/*/fd: the deleted-file warning needs scans
    m_last = m_sampler.sample(options);
}

std::optional<CacheMetrics> CacheMonitor::metrics() const
{
    if (!m_last || !m_probe.formatKnown())
        return std::nullopt;
    return CacheMetrics::of(*m_last, m_probe.counts());
}
