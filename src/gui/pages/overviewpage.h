// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "live/thresholdcrossing.h"
#include "models/activitysample.h"
#include "models/fanoutdatabases.h"
#include "models/healthlist.h"
#include "os/cachefiles.h"
#include "pages/databasefilesizes.h"
#include "pages/walgrowth.h"
#include "report/cachesummary.h"
#include "sqlite/database.h"
#include "tasks/latesttask.h"

#include <QElapsedTimer>
#include <QTimer>
#include <QWidget>

#include <array>
#include <memory>

namespace Ui {
class OverviewPage;
}
class AgeChart;
class QLabel;
class ContentsLabel;

// OverviewPage: the first answers about the open cache, health first — the warnings of the
// live probe in plain words with the fix for each, who writes right now, the tables with
// their cache format and entry counts, the database facts and the sizes of db, -wal, -shm and
// -journal. Nothing slow runs on the GUI thread: the sizes are stat() calls (it never opens
// the cache's files, docs/WAL.md §4.1), the facts and counts come from a CacheSummary
// gathered by a BackgroundTask with its own short-busy-timeout connection (stale results are
// dropped: LatestTask), and health and writers come from the Activity tab's live
// samples (applySample). GUI thread.
class OverviewPage : public QWidget {
    Q_OBJECT
public:
    static constexpr int SizesIntervalMs = 1000;
    static constexpr int SummaryIntervalMs = 5000;
    // What the main table holds is a full pass (in short chunks): at open, on F5, and at most
    // once a minute (less often when a pass takes long: 20x its duration). The counts every
    // SummaryIntervalMs, or 10x the last pass's duration when that is longer.
    static constexpr int ContentsIntervalMs = 60000;
    // Once the live samples show commits since the contents were counted, they are counted
    // again after ChangedRecountMs (or 20x the last pass's duration when that is longer): the
    // count on screen, with its time, stays that of a few seconds ago while writers write.
    static constexpr int ChangedRecountMs = 2000;
    static constexpr int SummaryTickMs = 1000;
    // Writers are writing while the samples showed a commit in the last WritingMs.
    static constexpr int WritingMs = 1000;

    explicit OverviewPage(QWidget* parent = nullptr);
    ~OverviewPage() override;

    // fanout: a FanoutCache's databases (the first shard is database): counted as one cache.
    void showDatabase(Database* database, const FanoutDatabases& fanout = {});
    // A cache on another host or in a container (RemoteWindow): the facts, sizes, tables and
    // contents from `info ADDRESS --json` run there (CliCall, never at once: at the summary's
    // pace), the health and writers from the Activity tab's samples of its remote `watch`, as locally.
    void showRemote(const QString& address, const QStringList& extraArgs);
    void clear();
    // Gathers the summary and the contents again now (F5); a request while one runs is folded into it.
    void refresh();
    void applySample(const ActivitySample& sample);
    // The file sizes a sample of the database at path measured (Activity's watch), shown instead
    // of the page's own stat() while samples of this cache's path come: one -wal size on screen
    // at a time, the Activity tab's and the status bar's.
    void showSampledSizes(const QString& path, const ActivitySample& sample);
    // The limits of Preferences crossed now (ThresholdWatch): listed first in the health until they clear.
    void setCrossedLimits(const QList<ThresholdCrossing>& crossed);

    // The size shown now, in bytes (-1 when absent); for tests and the status bar.
    qint64 shownBytes(CacheFiles::Kind kind) const;
    QString healthText() const;
    QString writersText() const;
    QString cacheText() const;
    QString cacheTitle() const; // "Cache — counted at 12:00:01", and "; written to since, counting again…"
    QString contentsText() const;
    QString walGrowthText() const;
    const AgeChart* ageChart() const { return m_ageChart; }

Q_SIGNALS:
    void summaryShown(); // a CacheSummary (or the reason it failed) is on screen
    // A largest entry was clicked (shard: its FanoutCache shard's index, else 0).
    void entryRequested(const QString& table, qint64 rowid, int shard);
    void contentsCounted(qint64 entries, qint64 expiredEntries); // expired -1: the format keeps no expiry
    void roundTrip(qint64 ms); // a remote cache's `info` answered (or failed) after ms
    void remoteSummaryRead(const CacheSummary& summary); // a remote cache's `info` read, before it is shown
    void remoteSummaryFailed(const QString& reason); // a remote cache's `info` failed, and why

private:
    void showFacts();
    void refreshSizes();
    void requestSummary(bool withContents);
    void summaryTick(); // asks for the counts (and contents) when they are due
    void showSummary(const Result<CacheSummary>& summary);
    void showContents(const CacheContents& contents);
    void requestRemoteSummary(const CancelToken& token, bool withContents);
    // bytes[kind] (-1: absent) on the size labels, and the -wal's growth; present: of a FanoutCache's
    // databases, how many have each kind (nullptr: one database).
    void showSizes(const qint64 (&bytes)[CacheFiles::KindCount], const int* present = nullptr);
    // "Files (refreshed every second)"; a FanoutCache's "Files of all 5 databases, added up (…)".
    QString filesTitle() const;
    // The size labels, in CacheFiles::Kind's order.
    std::array<QLabel*, CacheFiles::KindCount> sizeLabels() const;

    std::unique_ptr<Ui::OverviewPage> m_ui;
    QString m_pagesHelp; // the Pages row's tooltip; a summary that fails adds its reason
    HealthList m_health; // the same items as the Activity tab's banner, from the same samples
    QString m_path; // the local path, or the remote address
    QStringList m_remoteArgs; // for a remote cache: --remote-cli …
    bool m_remote = false;
    QStringList m_shardPaths; // a FanoutCache's, else empty
    QStringList m_shardLabels;
    QStringList m_subCachePaths; // a FanoutCache's named sub-caches, else empty
    QStringList m_subCacheNames;
    DatabaseFileSizes m_files; // every database's (a FanoutCache's shards and sub-caches); none for a remote cache
    QString m_sizeHelp[CacheFiles::KindCount]; // the size rows' tooltips; a FanoutCache's add each database's size
    qint64 m_shown[CacheFiles::KindCount] = { -1, -1, -1, -1 };
    QTimer m_sizesTimer;
    QTimer m_summaryTimer;
    bool m_summaryPending = false;
    bool m_summaryShownOnce = false;
    LatestTask m_summary;
    ContentsLabel* m_contentsValue;
    AgeChart* m_ageChart;
    QElapsedTimer m_contentsAge; // since the contents were last asked for
    QElapsedTimer m_summaryAge; // since the summary was last asked for
    QElapsedTimer m_sampledSizesAge; // since sizes last came with a sample; the page stat()s when they stop
    qint64 m_lastSummaryMs = 0; // how long the last pass took, counts only / with contents
    qint64 m_lastContentsMs = 0;
    bool m_changedSinceCounted = false; // samples showed commits since the contents were asked for
    bool m_writtenSinceCounted = false; // … since the contents on screen were asked for: the box says so
    bool m_askedWhileWriting = false; // the contents on their way were asked for while writers wrote
    QElapsedTimer m_lastCommitSeen; // since a sample last showed commits
    QString m_countedAt; // when the counts on screen came, HH:mm:ss
    // Samples that showed commits, counted: a summary asked for before the sample that made the page hide its counts
    // (m_writesSeen then: m_countsHiddenAt, -1 while they are shown) does not show them again.
    qint64 m_writesSeen = 0;
    qint64 m_writesSeenAtAsk = 0; // m_writesSeen when the summary on its way was asked for
    qint64 m_countsHiddenAt = -1;
    QString m_cacheRowsRecounting; // the Cache box's rows without their counts
    WalGrowth m_walGrowth; // of the sizes shown
    QStringList m_limitItems; // the limits crossed now, as shown in the health
    void showHealth();
    void showCacheTitle();
};
