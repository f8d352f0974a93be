// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "report/cachemetrics.h"

#include <QElapsedTimer>
#include <QObject>
#include <QProcess>
#include <QTimer>

// EntryCountProbe: the format, entries, expired entries and value files of one cache, counted at
// the Overview's slower pace — at start, then again after RefreshMs or 20 times the last count's
// duration, whichever is longer — by a child `cachescope-cli metrics --count-entries DB`
// (CacheSummary's short statements through its own read-only connection). A child, because the
// metrics process samples the cache's files (Sampler, CommitCounter): closing one of those fds in
// a process with an SQLite connection to the cache would drop that connection's locks
// (docs/WAL.md §4.1). Lives on the GUI-less main thread.
class EntryCountProbe : public QObject {
    Q_OBJECT
public:
    static constexpr int RefreshMs = 60000; // the Overview's ContentsIntervalMs
    static constexpr int DurationFactor = 20;

    explicit EntryCountProbe(const QString& dbPath, QObject* parent = nullptr);
    ~EntryCountProbe() override;
    void start();
    const CacheMetrics::Counts& counts() const { return m_counts; }
    bool formatKnown() const { return m_formatKnown; }

    // The child's side: counts db and prints {"format"} then {"entries","expired_entries",
    // "value_files_bytes"} as JSON lines. Returns the exit code.
    static int countInChild(const QString& dbPath);

Q_SIGNALS:
    void formatKnownChanged();

private:
    void readLines();
    void finished(int exitCode, QProcess::ExitStatus status);

    QString m_path;
    QProcess m_process;
    QTimer m_next;
    QElapsedTimer m_duration;
    QByteArray m_pending;
    CacheMetrics::Counts m_counts;
    bool m_formatKnown = false;
};
