// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/activitypage.h"
#include "ui_activitypage.h"

#include "common/format.h"
#include "maintenance/checkpoint.h"
#include "models/activityfeed.h"
#include "models/processmodel.h"
#include "pages/activitychart.h"
#include "pages/activitytimeline.h"
#include "pages/activitywording.h"
#include "pages/commandlinecolumn.h"
#include "pages/emptyviewhint.h"
#include "pages/readerrows.h"
#include "pages/visiblename.h"
#include "pages/warningbanner.h"

#include <algorithm>

#include <QComboBox>
#include <QCoreApplication>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QProcess>
#include <QResizeEvent>
#include <QScrollArea>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTabWidget>
#include <QTimer>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

namespace {
// The page's contents as the scroll area sizes them: to the viewport, never to the height the
// wrapped labels would like (their heightForWidth) — the facts keep their own minimum height, and
// only when the minimums do not fit does the page scroll (the processes in sight at 1000×700).
class PageContent : public QWidget {
public:
    using QWidget::QWidget;
    int heightForWidth(int) const override { return -1; }
};

// A value of the page's facts, its numbers kept with their units (a wrapped label never breaks "5.2 s").
void say(QLabel* label, const QString& text)
{
    label->setText(ActivityWording::keepUnits(text));
}
} // namespace

ActivityPage::ActivityPage(QWidget* parent)
    : QWidget(parent)
    , m_ui(std::make_unique<Ui::ActivityPage>())
    , m_feed(new ActivityFeed(this))
    , m_processes(new ProcessModel(this))
    , m_sorted(new QSortFilterProxyModel(this))
{
    // The page scrolls as a whole when even its smallest layout does not fit (many warnings
    // in a small window): nothing is squeezed until its text is cut.
    auto* scroll = new QScrollArea(this);
    scroll->setObjectName(u"pageScroll"_s);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidgetResizable(true);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    auto* content = new PageContent(scroll);
    m_ui->setupUi(content);
    scroll->setWidget(content);
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    m_partRow = new QWidget(this);
    auto* partLayout = new QHBoxLayout(m_partRow);
    auto* partLabel = new QLabel(tr("This FanoutCache's shards and sub-caches are databases of their own, each "
                                    "with its own -wal, lock and writers. Watching:"),
        m_partRow);
    partLabel->setWordWrap(true);
    m_partChoice = new QComboBox(m_partRow);
    m_partChoice->setObjectName(u"activityPart"_s);
    m_partChoice->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    partLabel->setBuddy(m_partChoice);
    partLayout->addWidget(partLabel, 1);
    partLayout->addWidget(m_partChoice);
    m_partRow->hide();
    connect(m_partChoice, &QComboBox::activated, this, &ActivityPage::showPart);
    outer->addWidget(m_partRow);
    outer->addWidget(scroll);
    // The last line (how commits are counted and writers named) stays under the scrolled part, in
    // sight however many warnings the page has above, with the margins it had inside.
    const QMargins inside = content->layout()->contentsMargins();
    content->layout()->removeWidget(m_ui->feedStatus);
    m_ui->feedStatus->setParent(this);
    m_ui->feedStatus->setContentsMargins(inside.left(), 0, inside.right(), inside.bottom());
    // Its least height is its text wrapped at its least width: at the longest word's (71 px) that was 149 px, a band
    // the page gave it under a squeezed chart at the default window (after a checkpoint). At 400 px it is two lines.
    m_ui->feedStatus->setMinimumWidth(400);
    outer->addWidget(m_ui->feedStatus);
    // The chart and the per-process lanes (the same time axis) as two tabs on the left, the
    // readers and the processes on the right, as tall as they: the tables keep the height a row
    // of lanes took, so the processes have rows in sight at the default window size, warnings
    // and all.
    m_timeline = new ActivityTimeline(this);
    m_timeline->setObjectName(u"timeline"_s);
    auto* charts = m_charts = new QTabWidget(m_ui->lowerSplitter);
    charts->setObjectName(u"chartTabs"_s);
    charts->setDocumentMode(true);
    m_ui->lowerSplitter->insertWidget(0, charts);
    charts->addTab(m_ui->chart, tr("Commits and -wal")); // "Commits" for a rollback-journal cache
    charts->addTab(m_timeline, tr("Per process"));
    charts->setTabToolTip(1, tr("Who wrote (orange), held the write lock (red) or read (blue), process by process"));
    m_ui->readersTree->setMinimumHeight(56);
    m_ui->processView->setMinimumHeight(56);
    // The facts (two columns) keep their full height; the chart, lanes and tables share what is
    // left (the user can move each line).
    m_ui->activitySplitter->setStretchFactor(m_ui->activitySplitter->indexOf(m_ui->topPanel), 0);
    m_ui->activitySplitter->setStretchFactor(m_ui->activitySplitter->indexOf(m_ui->lowerSplitter), 1);
    m_ui->lowerSplitter->setStretchFactor(0, 2);
    m_ui->lowerSplitter->setStretchFactor(1, 3);
    // The chart wide enough for its whole time axis at the default window (−60 s … now, a label every 10 s, as the
    // lanes'; at 380 px it was compact: −60 s, −30 s, now), the tables the rest.
    m_ui->lowerSplitter->setSizes({ ActivityChart::CompactWidth + 40, 540 });
    m_ui->tablesSplitter->setStretchFactor(0, 1);
    m_ui->tablesSplitter->setStretchFactor(1, 2);
    // Values wrap at the column's width instead of being cut (or squeezing their descenders).
    for (QGroupBox* group : { m_ui->writerGroup, m_ui->walGroup }) {
        for (QLabel* label : group->findChildren<QLabel*>()) {
            if (!label->objectName().endsWith(u"Label"_s))
                label->setWordWrap(true);
        }
    }
    m_sorted->setSourceModel(m_processes);
    m_sorted->setSortRole(ProcessModel::SortRole);
    m_ui->processView->setModel(m_sorted);
    CommandLineColumn::install(
        m_ui->processView, m_ui->processView->horizontalHeader(), int(ProcessModel::Column::CommandLine));
    m_processesHint = EmptyViewHint::install(m_ui->processView, ActivityWording::noProcessesText({}));
    m_ui->processView->verticalHeader()->hide();
    m_ui->processView->setWordWrap(false);
    m_ui->processView->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6); // one text line a row
    m_ui->processView->sortByColumn(int(ProcessModel::Column::Pid), Qt::AscendingOrder);
    CommandLineColumn::install(m_ui->readersTree, m_ui->readersTree->header(), m_ui->readersTree->columnCount() - 1);
    // One line at the tables' default height (why readers matter is in the tooltip).
    m_readersHint = EmptyViewHint::install(m_ui->readersTree, tr("No reader holds a snapshot of the -wal now."));
    connect(m_feed, &ActivityFeed::sampleReceived, this, &ActivityPage::applySample);
    connect(m_feed, &ActivityFeed::failed, this, &ActivityPage::showFailure);
    connect(m_ui->warningBanner, &WarningBanner::convertToWalRequested, this, [this] { convertToWal(true); });
    connect(m_ui->warningBanner, &WarningBanner::changed, this, [this] {
        m_ui->warningScroll->setVisible(!m_ui->warningBanner->isHidden());
        fitPanels();
    });
    clear();
}

ActivityPage::~ActivityPage() = default;

void ActivityPage::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    fitPanels();
    QTimer::singleShot(0, this, &ActivityPage::fitPanels); // again once the columns have their new widths
}

void ActivityPage::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    // Measured while hidden (a tab behind another), the facts' height was for the widths the page had then: the
    // first frame in front cut their wrapped values, or drew the tables over them (a 673 px RemoteWindow). Lay the
    // page out at its width now, fit, and lay it out again before that frame is painted.
    // The splitters place their children again on the layout requests the new minimums post; a scroll bar that
    // comes or goes narrows the columns once more (a few rounds settle it).
    for (int round = 0; round < 3; ++round) {
        const int before = m_ui->topPanel->minimumHeight();
        layout()->activate();
        m_ui->activitySplitter->parentWidget()->layout()->activate();
        fitPanels();
        QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
        if (m_ui->topPanel->minimumHeight() == before && round > 0)
            break;
    }
}

void ActivityPage::fitPanels()
{
    // The warnings as tall as their text (several are a line each until asked for more: WarningBanner), the facts
    // their full height; the chart, the lanes and the tables the rest; the page scrolls only when that does not fit.
    const int width = std::max(100, m_ui->warningScroll->viewport()->width());
    m_ui->warningScroll->setFixedHeight(std::max(m_ui->warningBanner->heightForWidth(width), 0) + 2);
    // The facts never squeezed below the height their wrapped lines need (descenders cut).
    const int factsHeight = m_ui->topPanel->heightForWidth(m_ui->topPanel->width());
    // (Two lines to spare: a value that wraps one line more in the next sample is not cut meanwhile.)
    const int spare = 2 * fontMetrics().lineSpacing();
    m_ui->topPanel->setMinimumHeight(
        (factsHeight > 0 ? factsHeight : m_ui->topPanel->minimumSizeHint().height()) + spare);
    // The last line keeps the height its wrapped text needs (its second line was cut at the default window).
    // QLabel's heightForWidth is never below the minimum height set: measured without it, or a height
    // set while the page was never shown (100 px wide: 191 px of lines) stayed as an empty band.
    m_ui->feedStatus->setMinimumHeight(0);
    m_ui->feedStatus->setMinimumHeight(std::max(0, m_ui->feedStatus->heightForWidth(QWidget::width())));
}

void ActivityPage::showDatabase(const QString& path, const QList<Part>& parts)
{
    clear();
    m_parts = parts;
    for (const Part& part : parts)
        m_partChoice->addItem(part.label, part.path);
    m_partChoice->setCurrentIndex(std::max(0, m_partChoice->findData(path))); // path: the part shown first
    m_partRow->setVisible(!parts.isEmpty());
    watch(path);
}

int ActivityPage::shownPart() const
{
    return m_parts.isEmpty() ? -1 : m_partChoice->currentIndex();
}

void ActivityPage::showPart(int index)
{
    if (index < 0 || index >= m_parts.size())
        return;
    m_partChoice->setCurrentIndex(index);
    if (m_parts.at(index).path == m_path)
        return;
    clearSamples(); // the samples shown were another database's
    watch(m_parts.at(index).path);
}

void ActivityPage::watch(const QString& path)
{
    m_path = path;
    m_feed->start(path);
    m_ui->feedStatus->setText(tr("Sampling 10 times a second in a separate process (%1)…").arg(m_feed->program()));
}

void ActivityPage::clear()
{
    clearSamples();
    m_parts.clear();
    m_partChoice->clear();
    m_partRow->hide();
}

void ActivityPage::clearSamples()
{
    m_feed->stop();
    m_processes->clear();
    m_processesHint->setText(ActivityWording::noProcessesText({}));
    m_ui->chart->clear();
    m_timeline->clear();
    m_ui->readersTree->clear();
    m_ui->warningBanner->clearWarnings();
    m_ui->warningScroll->hide();
    m_shownWriterPid = 0;
    m_shownWriterPids.clear();
    m_samplesShown = 0;
    m_health.clear();
    m_attributionText.clear();
    m_path.clear();
    for (QLabel* label : { m_ui->writerValue, m_ui->writerCommand, m_ui->writerHeld, m_ui->checkpointText,
             m_ui->ratesValue, m_ui->validFramesValue, m_ui->highWaterValue, m_ui->checkpointSeqValue,
             m_ui->resetsValue, m_ui->writersValue, m_ui->contentionValue, m_ui->filesStateValue })
        label->setText(u"—"_s);
    m_ui->checkpointBar->hide(); // no empty bar for a -wal nobody measured
    m_ui->writerGroup->setTitle(tr("Writer"));
    showWalFigures(true);
    m_ui->feedStatus->clear();
}

void ActivityPage::applySample(const ActivitySample& sample)
{
    ++m_samplesShown;
    m_health.apply(sample);
    // The sample's time, as the Overview's live boxes say it: two screens that show different
    // figures say they are of different samples.
    m_ui->writerGroup->setTitle(tr("Writer — as of %1").arg(m_health.sampledAtText()));
    showWriter(sample);
    showWriters(sample);
    showCheckpoint(sample);
    showWal(sample);
    showReaders(sample);
    showWarnings();
    m_processes->update(sample);
    if (sample.processes) // the lines that carry the list
        m_processesHint->setText(ActivityWording::noProcessesText(sample));
    // The same smoothed figure as the text beside it (watch's sliding window), from the first one the text says
    // ("measuring…" before it: one truth, #28).
    m_ui->chart->addSample(double(sample.tMs) / 1000.0,
        sample.ratesShown() ? std::optional<double>(sample.commitsPerSecond) : std::nullopt,
        sample.walBytes.value_or(0));
    m_timeline->addSample(sample);
    showAttribution(sample);
    fitPanels(); // wrapped values may have gained or lost a line
    QTimer::singleShot(0, this, &ActivityPage::fitPanels); // and again once a scroll bar came or went
}

void ActivityPage::showAttribution(const ActivitySample& sample)
{
    const QString text = ActivityWording::attributionText(sample);
    if (text != m_attributionText) {
        m_attributionText = text;
        // One line under the tables, as the Overview's Writers box says it; the whole account in the tooltip.
        say(m_ui->feedStatus, ActivityWording::attributionSummary(sample) + u' ' + tr("(Hover for how.)"));
        m_ui->feedStatus->setToolTip(text);
    }
}

void ActivityPage::showWriter(const ActivitySample& sample)
{
    m_shownWriterPid = sample.writer ? sample.writer->pid : 0;
    if (!sample.writer) {
        // Beside a commit rate "nobody is writing" read as a contradiction: the lock is taken for each commit only.
        say(m_ui->writerValue,
            sample.commitsPerSecond > 0 || sample.writersRecently > 0
                ? tr("free at this instant (a writer holds it only while it commits)")
                : tr("nobody is writing right now"));
        m_ui->writerCommand->setText(u"—"_s);
        say(m_ui->writerHeld, u"—"_s);
        return;
    }
    const auto& w = *sample.writer;
    say(m_ui->writerValue,
        sample.writerIsThisProcess
            ? tr("CacheScope (this window): %1").arg(m_ownWrite.isEmpty() ? tr("its own maintenance") : m_ownWrite)
            : ActivityWording::holderName(w.pid, w.name));
    const QString command = w.cmdline.simplified();
    m_ui->writerCommand->setText(command.size() > 60 ? command.left(59) + u'…' : command); // all of it in the tooltip
    m_ui->writerCommand->setToolTip(command);
    say(m_ui->writerHeld, tr("%1 s").arg(Format::decimal(double(sample.writerHeldMs()) / 1000.0, 1)));
}

// The writers of the last 10 s, with their commits over it: the same list the lanes and the
// Overview show (one sample, every panel).
void ActivityPage::showWriters(const ActivitySample& sample)
{
    QStringList names; // each with its commits over the rates' window, as the Overview says
    if (!sample.recentWriters.isEmpty())
        names << ActivityWording::wroteLatelyList(sample);
    QStringList details;
    m_shownWriterPids.clear();
    for (const auto& w : sample.recentWriters) {
        m_shownWriterPids.append(w.pid);
        QString detail = tr("PID %1 (%2): %3").arg(w.pid).arg(w.name, ActivityWording::evidenceText(w.evidence));
        if (w.writesPerSecond)
            detail += u", "_s + tr("%1 write calls/s").arg(Format::decimal(*w.writesPerSecond, 0));
        if (!w.files.isEmpty())
            detail += u", "_s + tr("wrote %1").arg(w.files.join(u", "_s));
        details << detail;
    }
    // This window's own writes (its checkpoint, vacuum, prune): the watch, given this pid with
    // --exclude-pid (never for a remote cache), leaves it out of the writers and says when it wrote.
    if (sample.excludedWroteMsAgo) { // never a writer of commits: what it did, apart
        names << tr("CacheScope (this window): %1").arg(m_ownWrite.isEmpty() ? tr("its own maintenance") : m_ownWrite);
        details << tr("PID %1 is this window: its own %2, not a client of the cache; not counted as a writer.")
                       .arg(QCoreApplication::applicationPid())
                       .arg(m_ownWrite.isEmpty() ? tr("maintenance") : m_ownWrite);
    }
    // Never "nobody" beside commits counted (#28: the sampled method can miss who made them) nor beside a holder of
    // the write lock that has not committed (the Overview: "No commit in the last 3.4 s; PID 7 (…) holds the write
    // lock now"); over the span the list covers, the rates' (never "the last 10 s" after 3 s of watching).
    const QString span = ActivityWording::busySpanText(sample);
    const QString none = ActivityWording::countedUnnamed(sample) ? ActivityWording::unnamedCommitsText(sample)
        : sample.writer && !sample.writerIsThisProcess
        ? tr("no commit in %1; the write lock's holder has not committed yet").arg(span)
        : tr("nobody in %1").arg(span);
    // "; " before this window's own entry: "In the last 3.4 s: …" is the writers' list only.
    say(m_ui->writersValue, names.isEmpty() ? none : names.join(u"; "_s));
    m_ui->writersValue->setToolTip(details.join(u'\n'));
    say(m_ui->contentionValue, ActivityWording::contentionText(sample));
    QStringList shares;
    for (const auto& w : ActivityWording::busyShown(sample) ? sample.recentWriters : QList<ActivitySample::Writer>()) {
        if (w.lockShare > 0)
            shares << tr("PID %1 held it %2 of the time").arg(w.pid).arg(Format::percent(w.lockShare));
    }
    m_ui->contentionValue->setToolTip(shares.join(u'\n'));
}

void ActivityPage::showCheckpoint(const ActivitySample& sample)
{
    if (!sample.committedFrame || !sample.backfilled) {
        // No bar at all (an empty one read as "nothing copied back yet"): the sentence says why.
        m_ui->checkpointBar->hide();
        say(m_ui->checkpointText,
            !sample.walBytes ? tr("No -wal file: nothing to checkpoint.")
                             : tr("No live WAL index: no connection has the cache open in WAL mode."));
        return;
    }
    const qint64 committed = *sample.committedFrame;
    m_ui->checkpointBar->show();
    // Counts grouped as every other count on the page ("1,024 / 1,240", not QProgressBar's "%v / %m").
    const qint64 copied = std::min(*sample.backfilled, committed);
    m_ui->checkpointBar->setFormat(committed == 0
            ? tr("WAL empty")
            : tr("%1 / %2 frames copied back").arg(Format::count(copied), Format::count(committed)));
    m_ui->checkpointBar->setRange(0, int(std::max<qint64>(committed, 1)));
    m_ui->checkpointBar->setValue(int(std::min(*sample.backfilled, std::max<qint64>(committed, 1))));
    QString text = committed == 0
        ? tr("The WAL is empty: everything is in the database.")
        : tr("%1 to be copied into the database.")
              .arg(Format::counted(sample.lagFrames.value_or(0), tr("frame waits"), tr("frames wait")));
    // Core's sentence, as the CLI's checkpoint note says it (one definition, #28).
    if (const auto* pinning = sample.pinningReader())
        text += u' ' + Checkpoint::pinnedText(pinning->pid, visibleName(pinning->name), pinning->readMark);
    say(m_ui->checkpointText, text);
}

void ActivityPage::showWal(const ActivitySample& sample)
{
    const bool rollback = sample.journalMode == u"rollback"_s;
    showWalFigures(!rollback);
    say(m_ui->ratesValue, ActivityWording::ratesText(sample));
    m_ui->ratesValue->setToolTip(ActivityWording::ratesToolTip(sample));
    say(m_ui->filesStateValue, ActivityWording::filesStateText(sample));
    // No -wal: no size and no frames to show (not "0 B" beside "No -wal file").
    say(m_ui->validFramesValue,
        !sample.walBytes ? tr("none")
                         : tr("%1 (%2 of content)")
                               .arg(Format::count(sample.walValidFrames))
                               .arg(Format::bytesNoBreak(sample.walContentBytes)));
    say(m_ui->highWaterValue, sample.walBytes ? Format::bytesNoBreak(*sample.walBytes) : tr("no file"));
    m_ui->checkpointSeqValue->setText(sample.walBytes ? Format::count(sample.checkpointSeq) : u"—"_s);
    m_ui->resetsValue->setText(Format::count(sample.resetsSeen));
}

// A rollback-journal cache has no -wal: its frames, checkpoints, resets and WAL snapshots do not
// apply, and are not shown as zeros beside its real commits. They come back once it is in WAL mode.
void ActivityPage::showWalFigures(bool apply)
{
    if (!m_ui->checkpointGroup->isHidden() == apply)
        return;
    m_ui->walGroup->setTitle(apply ? tr("WAL") : tr("Journal: rollback (DELETE mode)"));
    for (QWidget* field : std::initializer_list<QWidget*> { m_ui->validFramesValue, m_ui->highWaterValue,
             m_ui->checkpointSeqValue, m_ui->resetsValue, m_ui->checkpointGroup })
        m_ui->walForm->setRowVisible(field, apply);
    m_ui->chart->setWalShown(apply);
    m_charts->setTabText(0, apply ? tr("Commits and -wal") : tr("Commits"));
    m_readersHint->setText(apply ? tr("No reader holds a snapshot of the -wal now.")
                                 : tr("No WAL snapshots in a rollback-journal cache: its readers hold a SHARED lock "
                                      "(the processes below)."));
}

void ActivityPage::showReaders(const ActivitySample& sample)
{
    ReaderRows::fill(m_ui->readersTree, sample);
}

void ActivityPage::showWarnings()
{
    // Core's sentences (as the CLI and the Overview say them), their numbers kept with their units on the page.
    HealthWarnings warnings = m_health.warnings();
    for (HealthWarning& warning : warnings)
        warning.message = ActivityWording::keepUnits(warning.message);
    m_ui->warningBanner->setWarnings(warnings, !m_path.isEmpty());
}

// `cachescope-cli enable-wal` in a child process: the GUI holds a connection to the cache and
// must not switch its mode itself (docs/WAL.md §4.1, §6). The result is said on the status line.
void ActivityPage::convertToWal(bool ask)
{
    if (m_path.isEmpty() || m_converter)
        return;
    if (ask
        && QMessageBox::question(this, tr("Convert to WAL"),
               tr("Switch %1 to WAL journal mode? This needs the database to itself for a moment: writers that "
                  "hold it keep it busy and the switch is then refused. Clients keep working unchanged; readers and "
                  "one writer no longer block each other.")
                   .arg(m_path))
            != QMessageBox::Yes)
        return;
    m_converter = new QProcess(this);
    m_ui->feedStatus->setText(tr("Converting to WAL…"));
    connect(m_converter, &QProcess::finished, this, [this](int code, QProcess::ExitStatus status) {
        const QString out = QString::fromUtf8(m_converter->readAllStandardOutput()).trimmed();
        const QString err = QString::fromUtf8(m_converter->readAllStandardError()).trimmed();
        m_converter->deleteLater();
        m_converter = nullptr;
        m_attributionText.clear();
        m_ui->feedStatus->setText(status == QProcess::NormalExit && code == 0
                ? tr("Converted to WAL: %1").arg(out.isEmpty() ? tr("done") : out)
                : tr("Not converted: %1").arg(err.isEmpty() ? tr("exit code %1").arg(code) : err));
        Q_EMIT conversionFinished(status == QProcess::NormalExit && code == 0);
    });
    // A remote cache's program there (--remote-cli) as its watch names it.
    m_converter->start(m_feed->program(), QStringList { u"enable-wal"_s, m_path } + m_feed->extraArguments());
}

QString ActivityPage::warningText() const
{
    return m_ui->warningBanner->isHidden() ? QString() : m_ui->warningBanner->wholeText();
}

void ActivityPage::showFailure(const QString& reason)
{
    m_ui->feedStatus->setText(tr("Live activity unavailable: %1").arg(reason));
}
