// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/overviewpage.h"
#include "pages/visiblename.h"
#include "ui_overviewpage.h"

#include "common/format.h"
#include "models/clicall.h"
#include "models/thresholdwatch.h"
#include "pages/activitypage.h"
#include "pages/activitywording.h"
#include "pages/agechart.h"
#include "pages/contentslabel.h"
#include "pages/overviewboxtext.h"
#include "tasks/backgroundtask.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QScrollArea>
#include <QTime>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

OverviewPage::OverviewPage(QWidget* parent)
    : QWidget(parent)
    , m_ui(std::make_unique<Ui::OverviewPage>())
{
    m_ui->setupUi(this);
    m_pagesHelp = m_ui->pagesValue->toolTip();
    for (int i = 0; i < CacheFiles::KindCount; ++i)
        m_sizeHelp[i] = sizeLabels()[size_t(i)]->toolTip();
    m_sizesTimer.setInterval(SizesIntervalMs);
    connect(&m_sizesTimer, &QTimer::timeout, this, &OverviewPage::refreshSizes);
    m_summaryTimer.setInterval(SummaryTickMs);
    connect(&m_summaryTimer, &QTimer::timeout, this, &OverviewPage::summaryTick);
    m_contentsValue = new ContentsLabel(this);
    connect(m_contentsValue, &ContentsLabel::entryRequested, this, &OverviewPage::entryRequested);
    m_ui->cacheLayout->addWidget(m_contentsValue);
    m_ageChart = new AgeChart(this);
    m_ui->cacheLayout->addWidget(m_ageChart);
    // The dashboard is taller than a small window: it scrolls (the form's layout and its
    // widgets move into the scrolled widget).
    auto* content = new QWidget;
    content->setLayout(layout());
    auto* scroll = new QScrollArea(this);
    scroll->setObjectName(u"overviewScroll"_s);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(content);
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(scroll);
    clear();
}

OverviewPage::~OverviewPage()
{
    // Cancelled, never waited for on the GUI thread: the summary's work owns all it reads (the
    // paths, a copy of the token) and its result goes with the watcher this page owns.
    m_summary.cancelCurrent();
}

void OverviewPage::showDatabase(Database* database, const FanoutDatabases& fanout)
{
    clear();
    m_path = database->path();
    for (const FanoutDatabases::Part& shard : fanout.shards)
        m_shardPaths << shard.database->path();
    m_shardLabels = fanout.shardLabels();
    for (const FanoutDatabases::Part& sub : fanout.subCaches) {
        m_subCachePaths << sub.database->path();
        m_subCacheNames << sub.label;
    }
    m_contentsValue->setCache(int(m_shardPaths.size()), m_shardLabels, false);
    // A FanoutCache is one cache here as in the Cache box, Entries, the status bar and `info`: the
    // Database and Files boxes are of all its databases (before, of shard 000 alone, unsaid).
    const QStringList names = visiblePartNames(fanout);
    const QStringList paths = fanout.isFanout() ? m_shardPaths + m_subCachePaths : QStringList { m_path };
    m_files = DatabaseFileSizes(paths, names);
    QStringList each; // a FanoutCache's databases, on hover
    for (qsizetype i = 0; i < names.size(); ++i)
        each << tr("%1: %2").arg(names.at(i), Format::elideMiddle(paths.value(i), 300));
    m_ui->databaseGroup->setTitle(!fanout.isFanout()
            ? tr("Database")
            : tr("Database — the FanoutCache's %1, together")
                  .arg(OverviewBoxText::fanoutParts(m_shardPaths.size(), m_subCachePaths.size())));
    m_ui->pathLabel->setText(fanout.isFanout() ? tr("Folder:") : tr("Path:"));
    const QString shown = fanout.isFanout() ? QFileInfo(QFileInfo(m_path).absolutePath()).absolutePath() : m_path;
    m_ui->pathValue->setText(Format::elideMiddle(shown, 90)); // a 4,000-byte path stays one line
    m_ui->pathValue->setToolTip(!fanout.isFanout()
            ? Format::elideMiddle(m_path, 1000)
            : tr("A FanoutCache: one SQLite database per shard and per named sub-cache.") + u"\n\n"_s
                + each.join(u'\n'));
    m_ui->filesGroup->setTitle(filesTitle());
    m_ui->journalValue->setText(
        fanout.isFanout() ? OverviewBoxText::journalText(fanout) : OverviewBoxText::journalText(*database));
    m_ui->sqliteValue->setText(Database::runtimeVersion());
    m_ui->healthValue->setText(tr("Waiting for the first live sample…"));
    m_ui->writersValue->setText(tr("Waiting for the first live sample…"));
    m_ui->cacheValue->setText(tr("Counting entries…"));
    m_walGrowth.start();
    refreshSizes();
    refresh();
    m_sizesTimer.start();
    m_summaryTimer.start();
}

void OverviewPage::showRemote(const QString& address, const QStringList& extraArgs)
{
    clear();
    m_remote = true;
    m_path = address;
    m_remoteArgs = extraArgs;
    m_contentsValue->setCache(0, {}, true);
    m_ui->pathValue->setText(Format::elideMiddle(Format::escapeControl(address), 90));
    m_ui->pathValue->setToolTip(Format::elideMiddle(Format::escapeControl(address), 1000));
    m_ui->journalValue->setText(tr("Asking the cache's host…"));
    m_ui->healthValue->setText(tr("Waiting for the first live sample…"));
    m_ui->writersValue->setText(tr("Waiting for the first live sample…"));
    m_ui->cacheValue->setText(tr("Asking the cache's host…"));
    m_ui->filesGroup->setTitle(tr("Files (with each answer from the cache's host)"));
    m_walGrowth.start();
    refresh();
    m_summaryTimer.start();
}

void OverviewPage::requestRemoteSummary(const CancelToken& token, bool withContents)
{
    // `info` always reads the contents too: one call answers everything the page shows.
    CliCall::run(this, QStringList { u"info"_s, m_path, u"--json"_s } + m_remoteArgs,
        [this, token, withContents](const CliCall::Outcome& outcome) {
            if (!m_summary.isCurrent(token))
                return; // closed or replaced meanwhile
            m_summaryPending = false;
            (withContents ? m_lastContentsMs : m_lastSummaryMs) = m_summaryAge.elapsed();
            Q_EMIT roundTrip(outcome.elapsedMs);
            const QJsonObject report = QJsonDocument::fromJson(outcome.out).object();
            Result<CacheSummary> summary = outcome.ok()
                ? CacheSummary::fromReportJson(report)
                : Result<CacheSummary>(Error { outcome.exitCode == 3 ? Error::Kind::Locked : Error::Kind::Io,
                    outcome.error.section(u'\n', 0, 0) });
            if (summary) {
                m_ui->journalValue->setText(summary->facts.journalMode.toUpper());
                m_ui->sqliteValue->setText(tr("%1 (there)").arg(summary->facts.sqliteVersion));
                showSizes(summary->reportFileBytes); // a FanoutCache's every database added up
                Q_EMIT remoteSummaryRead(summary.value());
            } else {
                Q_EMIT remoteSummaryFailed(summary.error().message);
            }
            showSummary(summary);
            Q_EMIT summaryShown();
        });
}

void OverviewPage::clear()
{
    m_sizesTimer.stop();
    m_summaryTimer.stop();
    // Cancelled, and a summary still on its way is dropped; not waited for: it reads through
    // connections of its own, closed when its current short statement ends. Whoever needs this
    // process to hold none (Delete Cache Safely, a journal switch) waits for BackgroundTask::pool().
    m_summary.drop();
    m_summaryPending = false;
    m_summaryShownOnce = false;
    m_path.clear();
    m_remote = false;
    m_remoteArgs.clear();
    m_shardPaths.clear();
    m_shardLabels.clear();
    m_subCachePaths.clear();
    m_subCacheNames.clear();
    m_files = {};
    m_contentsAge.invalidate();
    m_summaryAge.invalidate();
    m_sampledSizesAge.invalidate();
    m_lastSummaryMs = m_lastContentsMs = 0;
    m_changedSinceCounted = false;
    m_writtenSinceCounted = false;
    m_askedWhileWriting = false;
    m_lastCommitSeen.invalidate();
    m_countedAt.clear();
    m_writesSeen = m_writesSeenAtAsk = 0;
    m_countsHiddenAt = -1;
    m_cacheRowsRecounting.clear();
    m_walGrowth.clear();
    m_health.clear();
    m_limitItems.clear();
    m_ui->healthGroup->setTitle(tr("Health"));
    m_ui->writersGroup->setTitle(tr("Writers now"));
    m_ui->cacheGroup->setTitle(tr("Cache"));
    m_ui->databaseGroup->setTitle(tr("Database"));
    m_ui->pathLabel->setText(tr("Path:"));
    for (int i = 0; i < CacheFiles::KindCount; ++i)
        sizeLabels()[size_t(i)]->setToolTip(m_sizeHelp[i]);
    m_ui->filesGroup->setTitle(filesTitle());
    m_contentsValue->clearContents();
    m_ageChart->setBuckets({}, {});
    for (QLabel* label : { m_ui->pathValue, m_ui->journalValue, m_ui->sqliteValue, m_ui->pagesValue,
             m_ui->settingsValue, m_ui->dbSizeValue, m_ui->walSizeValue, m_ui->shmSizeValue, m_ui->journalSizeValue,
             m_ui->filesystemValue, m_ui->healthValue, m_ui->writersValue, m_ui->cacheValue })
        label->setText(u"—"_s);
    std::fill(std::begin(m_shown), std::end(m_shown), -1);
}

void OverviewPage::refresh()
{
    requestSummary(true);
}

void OverviewPage::summaryTick()
{
    if (m_path.isEmpty() || m_summaryPending)
        return;
    // On a big cache a pass takes seconds of a core: it is repeated at a pace that keeps it to a
    // small share of the time (10x / 20x its last duration).
    const qint64 sinceContents = m_contentsAge.isValid() ? m_contentsAge.elapsed() : -1;
    if (m_changedSinceCounted
        && (sinceContents < 0 || sinceContents >= std::max<qint64>(ChangedRecountMs, 20 * m_lastContentsMs))) {
        requestSummary(true);
        return;
    }
    if (m_summaryAge.isValid() && m_summaryAge.elapsed() < std::max<qint64>(SummaryIntervalMs, 10 * m_lastSummaryMs))
        return;
    requestSummary(sinceContents < 0 || sinceContents > std::max<qint64>(ContentsIntervalMs, 20 * m_lastContentsMs));
}

void OverviewPage::requestSummary(bool withContents)
{
    if (m_path.isEmpty() || m_summaryPending)
        return;
    if (withContents) {
        m_contentsAge.start();
        m_changedSinceCounted = false; // commits from now on are not in the count asked for
        m_askedWhileWriting = m_lastCommitSeen.isValid() && m_lastCommitSeen.elapsed() < WritingMs;
    }
    m_summaryAge.start();
    m_summaryPending = true;
    m_writesSeenAtAsk = m_writesSeen;
    const CancelToken token = m_summary.start();
    if (m_remote) {
        requestRemoteSummary(token, withContents);
        return;
    }
    const QString path = m_path;
    BackgroundTask::run<Result<CacheSummary>>(
        this,
        [path, shards = m_shardPaths, labels = m_shardLabels, subPaths = m_subCachePaths, subNames = m_subCacheNames,
            token, withContents] {
            auto summary = shards.isEmpty() ? CacheSummary::gather(path, token.flag(), withContents)
                                            : CacheSummary::gatherShards(shards, labels, token.flag(), withContents);
            if (summary)
                summary->subCaches = CacheSummary::gatherSubCaches(subPaths, subNames, token.flag());
            return summary;
        },
        [this, token, withContents](Result<CacheSummary> summary) {
            if (!m_summary.isCurrent(token))
                return; // the cache was closed or replaced meanwhile
            m_summaryPending = false;
            (withContents ? m_lastContentsMs : m_lastSummaryMs) = m_summaryAge.elapsed();
            showSummary(summary);
            refreshSizes();
            Q_EMIT summaryShown();
        });
}

qint64 OverviewPage::shownBytes(CacheFiles::Kind kind) const
{
    return m_shown[int(kind)];
}

void OverviewPage::setCrossedLimits(const QList<ThresholdCrossing>& crossed)
{
    m_limitItems.clear();
    for (const ThresholdCrossing& crossing : crossed)
        m_limitItems << u"<b>%1</b> %2"_s.arg(tr("Limit crossed:"), ThresholdWatch::inWords(crossing).toHtmlEscaped());
    if (!m_path.isEmpty())
        showHealth();
}

void OverviewPage::showHealth()
{
    QStringList health = m_limitItems;
    for (const HealthWarning& warning : m_health.items())
        health << HealthList::html(warning);
    const QString text = health.isEmpty() ? tr("No problems seen.") : health.join(u"<br><br>"_s);
    if (text != m_ui->healthValue->text()) // ten samples a second: relayout only on change
        m_ui->healthValue->setText(text);
}

QString OverviewPage::healthText() const
{
    return m_ui->healthValue->text();
}

QString OverviewPage::writersText() const
{
    return m_ui->writersValue->text();
}

QString OverviewPage::cacheText() const
{
    return m_ui->cacheValue->text();
}

void OverviewPage::applySample(const ActivitySample& sample)
{
    if (m_path.isEmpty())
        return;
    m_health.apply(sample);
    showHealth();
    if (sample.commitsInterval > 0) {
        m_changedSinceCounted = true; // counted again at the next tick that is due (summaryTick)
        m_lastCommitSeen.start();
        ++m_writesSeen;
        if (!m_writtenSinceCounted && m_summaryShownOnce) {
            // The counts on screen were taken while nobody wrote, and writers write now: "0 entries" beside "3
            // processes wrote" would be read as now. They are not shown until a count asked for after this sample
            // comes (a count asked for while writers write is shown, with its time: it is as fresh as counts get).
            m_writtenSinceCounted = true;
            m_countsHiddenAt = m_writesSeen;
            m_ui->cacheValue->setText(m_cacheRowsRecounting);
            m_contentsValue->showRecounting();
            // Its bars are those counts too: an empty chart beside "counting…" read as none.
            m_ageChart->setBuckets({}, {});
            showCacheTitle();
        }
    }
    // Both live boxes say which sample they show (the Activity tab's latest): the same one.
    const QString at = m_health.sampledAtText();
    const QString healthTitle = tr("Health — live, as of %1").arg(at);
    if (m_ui->healthGroup->title() != healthTitle) {
        m_ui->healthGroup->setTitle(healthTitle);
        m_ui->writersGroup->setTitle(tr("Writers now — as of %1").arg(at));
    }
    // The writers of the last 10 s, as the Activity tab names them (the same sample's list) and in its words.
    m_ui->writersValue->setText(ActivityWording::writersText(sample));
    const QString how = tr("From the live probe of the Activity tab (a cachescope-cli watch child process), updated "
                           "ten times a second.")
        + u"\n\n"_s + ActivityWording::attributionText(sample);
    if (m_ui->writersValue->toolTip() != how)
        m_ui->writersValue->setToolTip(how);
}

void OverviewPage::showSummary(const Result<CacheSummary>& summary)
{
    if (!summary) {
        const bool busy = summary.error().kind == Error::Kind::Locked;
        const QString reason = busy
            ? tr("Busy: another process holds the database (see the Activity tab); trying again every %1 s.")
                  .arg(SummaryIntervalMs / 1000)
            : summary.error().message;
        if (!m_summaryShownOnce)
            m_ui->cacheValue->setText(reason.toHtmlEscaped());
        m_ui->pagesValue->setToolTip(m_pagesHelp + u"\n\n"_s + tr("Not read this time: %1").arg(reason));
        return;
    }
    m_summaryShownOnce = true;
    m_ui->pagesValue->setToolTip(m_pagesHelp);
    m_ui->pagesValue->setText(OverviewBoxText::pagesText(summary.value()));
    m_ui->settingsValue->setText(OverviewBoxText::settingsText(summary.value(), m_files.names()));
    m_ui->filesystemValue->setText(OverviewBoxText::filesystemText(summary->filesystem));
    // Asked for before the sample that hid the counts: older than the writes it showed, so not shown (the next
    // tick asks again).
    const bool beforeWrites = m_countsHiddenAt >= 0 && m_writesSeenAtAsk < m_countsHiddenAt;
    if (beforeWrites)
        return;
    m_countsHiddenAt = -1;
    m_ui->cacheValue->setText(OverviewBoxText::cacheRows(summary.value(), true, summary->shardFacts.size()));
    m_cacheRowsRecounting = OverviewBoxText::cacheRows(summary.value(), false, summary->shardFacts.size());
    m_countedAt = QTime::currentTime().toString(u"HH:mm:ss"_s);
    // A count of the contents asked for after the last commit the samples showed, while nobody was writing, is up to
    // date; one asked for before, or while writers commit (it is older than their next commit), is not — and says so
    // until a count asked for once they pause comes (one more is asked for): the title does not flicker at every
    // count while writers write.
    if (summary->contents) {
        m_writtenSinceCounted = m_changedSinceCounted || m_askedWhileWriting;
        m_changedSinceCounted = m_changedSinceCounted || m_askedWhileWriting;
    }
    showCacheTitle();
    if (summary->contents) {
        showContents(*summary->contents);
        return;
    }
    // The table's count moved since the contents were counted: say so, and count them again at
    // the next tick (the contents then agree with the count above).
    for (const CacheSummary::Table& table : summary->tables) {
        if (m_contentsValue->showCount(table.name, table.rows, m_countedAt))
            m_contentsAge.invalidate();
    }
}

void OverviewPage::showCacheTitle()
{
    // Never a count beside a live line that contradicts it ("0 entries" while the writers commit): it says when it
    // was taken and, once the samples show commits since, that it is being taken again.
    m_ui->cacheGroup->setTitle(m_writtenSinceCounted
            ? tr("Cache — counted at %1; written to since, counting again…").arg(m_countedAt)
            : tr("Cache — counted at %1").arg(m_countedAt));
}

QString OverviewPage::cacheTitle() const
{
    return m_ui->cacheGroup->title();
}

QString OverviewPage::contentsText() const
{
    return m_contentsValue->text();
}

void OverviewPage::showContents(const CacheContents& contents)
{
    if (contents.complete)
        Q_EMIT contentsCounted(contents.entries, contents.expiredEntries);
    m_contentsValue->showContents(contents, m_ui->cacheValue->text().count(u"<br>"_s) != 0, m_countedAt);
    m_ageChart->setBuckets(CacheContents::ageBucketNames(), contents.ageBuckets);
}

QString OverviewPage::walGrowthText() const
{
    return m_shown[int(CacheFiles::Kind::Wal)] < 0 ? QString() : m_walGrowth.text();
}

std::array<QLabel*, CacheFiles::KindCount> OverviewPage::sizeLabels() const
{
    return { m_ui->dbSizeValue, m_ui->walSizeValue, m_ui->shmSizeValue, m_ui->journalSizeValue }; // in Kind's order
}

QString OverviewPage::filesTitle() const
{
    return m_files.databases() > 1
        ? tr("Files of all %1 databases, added up (refreshed every second)").arg(m_files.databases())
        : tr("Files (refreshed every second)");
}

void OverviewPage::refreshSizes()
{
    if (m_files.databases() == 0)
        return; // a remote cache's sizes come with its `info`
    if (m_sampledSizesAge.isValid() && m_sampledSizesAge.elapsed() < 2 * SizesIntervalMs)
        return; // the samples' sizes are shown
    m_ui->filesGroup->setTitle(filesTitle());
    const auto sums = m_files.stat();
    const auto labels = sizeLabels();
    qint64 bytes[CacheFiles::KindCount];
    int present[CacheFiles::KindCount];
    for (int i = 0; i < CacheFiles::KindCount; ++i) {
        bytes[i] = sums[size_t(i)].bytes;
        present[i] = sums[size_t(i)].present;
        // A FanoutCache's: each database's size on hover.
        const QString tip
            = sums[size_t(i)].each.isEmpty() ? m_sizeHelp[i] : m_sizeHelp[i] + u"\n\n"_s + sums[size_t(i)].each;
        if (labels[size_t(i)]->toolTip() != tip)
            labels[size_t(i)]->setToolTip(tip);
    }
    showSizes(bytes, m_files.databases() > 1 ? present : nullptr);
}

void OverviewPage::showSampledSizes(const QString& path, const ActivitySample& sample)
{
    if (m_files.databases() != 1 || path != m_path)
        return; // remote, or a FanoutCache: the sample is of one of its databases, the box of them all
    m_sampledSizesAge.start();
    const std::optional<qint64>* sampled[]
        = { &sample.dbBytes, &sample.walBytes, &sample.shmBytes, &sample.journalBytes }; // in CacheFiles::Kind's order
    static_assert(std::size(sampled) == CacheFiles::KindCount);
    qint64 bytes[CacheFiles::KindCount];
    for (int i = 0; i < CacheFiles::KindCount; ++i)
        bytes[i] = sampled[i]->value_or(-1);
    showSizes(bytes);
    // The sample's time as the Health box says it (it took the same sample first).
    const QString title = tr("Files — live, as of %1").arg(m_health.sampledAtText());
    if (m_ui->filesGroup->title() != title)
        m_ui->filesGroup->setTitle(title);
}

void OverviewPage::showSizes(const qint64 (&bytes)[CacheFiles::KindCount], const int* present)
{
    const auto labels = sizeLabels();
    for (int i = 0; i < CacheFiles::KindCount; ++i) {
        m_shown[i] = bytes[i];
        labels[size_t(i)]->setText(present ? OverviewBoxText::sizeText(bytes[i], present[i], int(m_files.databases()))
                                           : OverviewBoxText::sizeText(bytes[i]));
    }
    // The -wal's growth over the last minute: a -wal that only grows means checkpoints never
    // complete (a reader pins it, or nobody runs them).
    m_walGrowth.add(m_shown[int(CacheFiles::Kind::Wal)]);
    const QString growth = walGrowthText();
    if (!growth.isEmpty())
        m_ui->walSizeValue->setText(m_ui->walSizeValue->text() + u" — "_s + growth);
}
