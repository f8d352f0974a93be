// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/activitysample.h"
#include "models/healthlist.h"

#include <QWidget>

#include <memory>

namespace Ui {
class ActivityPage;
}
class ActivityFeed;
class ActivityTimeline;
class EmptyViewHint;
class ProcessModel;
class QComboBox;
class QProcess;
class QSortFilterProxyModel;
class QTabWidget;

// ActivityPage: live writer activity of the open cache — who holds the write lock and for how
// long, who wrote in the last 10 s with their commits (the same writers as the lanes and the
// Overview), how commits are counted and writers named (fanotify or sampled), the readers with the
// one pinning the checkpoint highlighted, every process with the files open, a chart of exact
// commits/s and -wal size, checkpoint progress, WAL facts and health warnings in plain language
// (titles and remedies from WarningCatalog; "Convert this cache to WAL…" where WAL is the fix). Its data comes from an
// ActivityFeed (a `cachescope-cli watch` child process), so nothing here opens the cache's files or blocks on /proc.
// GUI thread.
class ActivityPage : public QWidget {
    Q_OBJECT
public:
    explicit ActivityPage(QWidget* parent = nullptr);
    ~ActivityPage() override;

    // A cache of several databases (a FanoutCache's shards and named sub-caches, each with its
    // own -wal, lock and writers) gives each one's label and path in parts: the page watches one
    // at a time, path first, chosen in a line above the facts that says which one is shown.
    struct Part {
        QString label; // "shard 000", "sub-cache index/sessions"
        QString path;
    };
    void showDatabase(const QString& path, const QList<Part>& parts = {});
    void clear();
    // The part watched now (its index in the parts given), -1 for a cache of one database.
    int shownPart() const;
    // The database watched now (a FanoutCache's part shown), empty when none.
    QString watchedPath() const { return m_path; }
    void showPart(int index);
    void applySample(const ActivitySample& sample);
    // This window wrote the cache itself ("checkpoint"): "Wrote lately" names it so, apart from the writers.
    void noteOwnWrite(const QString& what) { m_ownWrite = what; }

    ActivityFeed* feed() const { return m_feed; }
    ProcessModel* processModel() const { return m_processes; }
    qint64 shownWriterPid() const { return m_shownWriterPid; }
    // The pids listed under "Writers" in the last sample shown (lock or io evidence).
    QList<qint64> shownWriterPids() const { return m_shownWriterPids; }
    qint64 samplesShown() const { return m_samplesShown; }
    QString warningText() const; // every warning whole (the banner may show their titles only)

    QString shownAttributionText() const { return m_attributionText; }
    // Runs `cachescope-cli enable-wal` on the cache (after asking, when ask); the banner's
    // "Convert this cache to WAL…" link does this.
    void convertToWal(bool ask);

Q_SIGNALS:
    void conversionFinished(bool converted);

protected:
    void resizeEvent(QResizeEvent* event) override;
    void showEvent(QShowEvent* event) override;

private:
    void fitPanels(); // the warnings and the facts as tall as they need, within the page
    void showWriter(const ActivitySample& sample);
    void showWriters(const ActivitySample& sample);
    void showCheckpoint(const ActivitySample& sample);
    void showWal(const ActivitySample& sample);
    void showWalFigures(bool apply);
    void showReaders(const ActivitySample& sample);
    void showWarnings();
    void showFailure(const QString& reason);
    void watch(const QString& path);
    void clearSamples();
    void showAttribution(const ActivitySample& sample);

    std::unique_ptr<Ui::ActivityPage> m_ui;
    ActivityFeed* m_feed = nullptr;
    ActivityTimeline* m_timeline = nullptr;
    QTabWidget* m_charts = nullptr; // the chart and the lanes
    EmptyViewHint* m_readersHint = nullptr;
    EmptyViewHint* m_processesHint = nullptr;
    ProcessModel* m_processes = nullptr;
    QSortFilterProxyModel* m_sorted = nullptr;
    qint64 m_shownWriterPid = 0;
    QList<qint64> m_shownWriterPids;
    qint64 m_samplesShown = 0;
    HealthList m_health; // the banner's items: watch's once-said notices, then the sample's warnings
    QString m_path;
    QList<Part> m_parts;
    QWidget* m_partRow = nullptr; // "Watching [shard 000 ▾] …": a FanoutCache only
    QComboBox* m_partChoice = nullptr;
    QString m_attributionText;
    QProcess* m_converter = nullptr; // enable-wal running
    QString m_ownWrite; // what this window last did to the cache
};
