// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/activitypage.h"
#include "ui_activitypage.h"

#include "common/format.h"
#include "models/activityfeed.h"
#include "models/processmodel.h"
#include "pages/activitytimeline.h"

#include <QHeaderView>
#include <QSortFilterProxyModel>

using namespace Qt::Literals::StringLiterals;

ActivityPage::ActivityPage(QWidget* parent)
    : QWidget(parent)
    , m_ui(std::make_unique<Ui::ActivityPage>())
    , m_feed(new ActivityFeed(this))
    , m_processes(new ProcessModel(this))
    , m_sorted(new QSortFilterProxyModel(this))
{
    m_ui->setupUi(this);
    m_timeline = new ActivityTimeline(this);
    m_timeline->setObjectName(u"timeline"_s);
    m_ui->pageLayout->insertWidget(m_ui->pageLayout->indexOf(m_ui->readersTree), m_timeline);
    m_sorted->setSourceModel(m_processes);
    m_sorted->setSortRole(ProcessModel::SortRole);
    m_ui->processView->setModel(m_sorted);
    m_ui->processView->horizontalHeader()->setStretchLastSection(true);
    m_ui->processView->verticalHeader()->hide();
    m_ui->processView->setWordWrap(false);
    m_ui->processView->sortByColumn(int(ProcessModel::Column::Pid), Qt::AscendingOrder);
    m_ui->readersTree->header()->setStretchLastSection(true);
    connect(m_feed, &ActivityFeed::sampleReceived, this, &ActivityPage::applySample);
    connect(m_feed, &ActivityFeed::failed, this, &ActivityPage::showFailure);
    clear();
}

ActivityPage::~ActivityPage() = default;

void ActivityPage::showDatabase(const QString& path)
{
    clear();
    m_feed->start(path);
    m_ui->feedStatus->setText(tr("Sampling 10 times a second in a separate process (%1)…").arg(m_feed->program()));
}

void ActivityPage::clear()
{
    m_feed->stop();
    m_processes->clear();
    m_ui->chart->clear();
    m_timeline->clear();
    m_ui->readersTree->clear();
    m_ui->warningBanner->hide();
    m_shownWriterPid = 0;
    m_shownWriterPids.clear();
    m_samplesShown = 0;
    m_notices.clear();
    for (QLabel* label : { m_ui->writerValue, m_ui->writerCommand, m_ui->writerHeld, m_ui->checkpointText,
             m_ui->ratesValue, m_ui->validFramesValue, m_ui->highWaterValue, m_ui->checkpointSeqValue,
             m_ui->resetsValue, m_ui->writersValue, m_ui->contentionValue, m_ui->filesStateValue })
        label->setText(u"—"_s);
    m_ui->checkpointBar->setRange(0, 1);
    m_ui->checkpointBar->setValue(0);
    m_ui->feedStatus->clear();
}

void ActivityPage::applySample(const ActivitySample& sample)
{
    ++m_samplesShown;
    for (const HealthWarning& notice : sample.notices) {
        if (!m_notices.contains(notice))
            m_notices.append(notice); // said once by watch; kept on screen
    }
    showWriter(sample);
    showWriters(sample);
    showCheckpoint(sample);
    showWal(sample);
    showReaders(sample);
    showWarnings(sample);
    m_processes->update(sample);
    // The same smoothed figure as the text beside it (watch's sliding window).
    m_ui->chart->addSample(double(sample.tMs) / 1000.0, sample.commitsPerSecond, sample.walBytes);
    m_timeline->addSample(sample);
}

void ActivityPage::showWriter(const ActivitySample& sample)
{
    m_shownWriterPid = sample.writer ? sample.writer->pid : 0;
    if (!sample.writer) {
        m_ui->writerValue->setText(tr("nobody is writing right now"));
        m_ui->writerCommand->setText(u"—"_s);
        m_ui->writerHeld->setText(u"—"_s);
        return;
    }
    const auto& w = *sample.writer;
    m_ui->writerValue->setText(w.pid > 0 ? tr("PID %1 (%2)").arg(w.pid).arg(w.name)
                                         : tr("a process whose pid is not visible (OFD lock or other namespace)"));
    const QString command = w.cmdline.simplified();
    m_ui->writerCommand->setText(command.size() > 100 ? command.left(99) + u'…' : command);
    m_ui->writerCommand->setToolTip(command);
    m_ui->writerHeld->setText(tr("%1 s").arg(double(sample.writerHeldMs) / 1000.0, 0, 'f', 1));
}

void ActivityPage::showWriters(const ActivitySample& sample)
{
    QStringList names;
    QStringList details;
    m_shownWriterPids.clear();
    for (const auto& w : sample.writers) {
        m_shownWriterPids.append(w.pid);
        names << u"%1 [%2]"_s.arg(w.pid).arg(w.evidence.join(u"+"_s));
        QString detail = tr("PID %1 (%2) named by %3").arg(w.pid).arg(w.name, w.evidence.join(u"+"_s));
        if (w.writesPerSecond)
            detail += u", "_s + tr("%1 write calls/s").arg(*w.writesPerSecond, 0, 'f', 0);
        details << detail;
    }
    m_ui->writersValue->setText(names.isEmpty() ? tr("nobody in the last interval") : names.join(u", "_s));
    m_ui->writersValue->setToolTip(details.join(u'\n'));
    m_ui->contentionValue->setText(contentionText(sample));
    QStringList shares;
    for (const auto& w : sample.writers) {
        if (w.lockShare > 0)
            shares << tr("PID %1 held it %2% of the time").arg(w.pid).arg(w.lockShare * 100.0, 0, 'f', 0);
    }
    m_ui->contentionValue->setToolTip(shares.join(u'\n'));
}

QString ActivityPage::contentionText(const ActivitySample& sample)
{
    if (!sample.writeLockBusy)
        return tr("measuring… (needs a few samples)");
    const double busy = *sample.writeLockBusy;
    QString text = tr("%1% of the last 10 s").arg(busy * 100.0, 0, 'f', 0);
    if (busy >= 0.5)
        text += u" — "_s
            + tr("writers queue: with a busy timeout each write waits; without one, writes fail (\"database is "
                 "locked\") and are lost");
    else if (busy >= 0.2)
        text += u" — "_s + tr("writers sometimes wait");
    else
        text += u" — "_s + tr("little contention");
    return text;
}

void ActivityPage::showCheckpoint(const ActivitySample& sample)
{
    if (!sample.committedFrame || !sample.backfilled) {
        m_ui->checkpointBar->setRange(0, 1);
        m_ui->checkpointBar->setValue(0);
        m_ui->checkpointBar->setEnabled(false);
        m_ui->checkpointText->setText(tr("No live WAL index: no connection has the cache open in WAL mode."));
        return;
    }
    const qint64 committed = *sample.committedFrame;
    m_ui->checkpointBar->setEnabled(true);
    m_ui->checkpointBar->setFormat(committed == 0 ? tr("WAL empty") : tr("%v / %m frames backfilled"));
    m_ui->checkpointBar->setRange(0, int(std::max<qint64>(committed, 1)));
    m_ui->checkpointBar->setValue(int(std::min(*sample.backfilled, std::max<qint64>(committed, 1))));
    QString text = committed == 0 ? tr("The WAL is empty: everything is in the database.")
                                  : tr("%1 frames wait to be copied into the database.").arg(sample.lagFrames);
    if (const auto* pinning = sample.pinningReader())
        text += u' ' + tr("Reader PID %1 pins the checkpoint at frame %2.").arg(pinning->pid).arg(pinning->readMark);
    m_ui->checkpointText->setText(text);
}

void ActivityPage::showWal(const ActivitySample& sample)
{
    const QString bound = sample.ratesLowerBound ? u"≥ "_s : QString();
    m_ui->ratesValue->setText(sample.ratesKnown ? tr("%1%2 commits/s, %1%3 frames/s (over 2 s)")
                                                      .arg(bound)
                                                      .arg(sample.commitsPerSecond, 0, 'f', 1)
                                                      .arg(sample.framesPerSecond, 0, 'f', 1)
                                                : tr("measuring…"));
    m_ui->ratesValue->setToolTip(sample.ratesLowerBound
            ? tr("A lower bound: the counters restarted, the WAL was reset, or the -wal/-shm came and went "
                 "between samples, so part of the activity could not be counted.")
            : QString());
    if (sample.filesState == u"at_rest"_s)
        m_ui->filesStateValue->setText(tr("at rest: no -wal, no -shm (no connection open right now)"));
    else if (sample.filesState == u"stale"_s)
        m_ui->filesStateValue->setText(tr("left over: -wal/-shm exist but no connection uses them"));
    else if (sample.filesState == u"live"_s)
        m_ui->filesStateValue->setText(tr("live: connections have the cache open"));
    else
        m_ui->filesStateValue->setText(u"—"_s);
    m_ui->validFramesValue->setText(
        tr("%1 (%2 of content)").arg(sample.walValidFrames).arg(Format::bytes(sample.walContentBytes)));
    m_ui->highWaterValue->setText(Format::bytes(sample.walBytes));
    m_ui->checkpointSeqValue->setText(QString::number(sample.checkpointSeq));
    m_ui->resetsValue->setText(QString::number(sample.resetsSeen));
}

void ActivityPage::showReaders(const ActivitySample& sample)
{
    m_ui->readersTree->clear();
    for (const auto& reader : sample.readers) {
        QString note = reader.isWriter ? tr("the writer's own snapshot") : QString();
        if (reader.pinning)
            note = tr("pins the checkpoint");
        auto* item = new QTreeWidgetItem(m_ui->readersTree,
            { QString::number(reader.pid), u"read%1"_s.arg(reader.slot), QString::number(reader.readMark), note,
                reader.cmdline.simplified() });
        if (reader.pinning) {
            for (int column = 0; column < item->columnCount(); ++column) {
                item->setBackground(column, QColor(0xff, 0xe0, 0xb2));
                QFont font = item->font(column);
                font.setBold(true);
                item->setFont(column, font);
            }
        }
    }
}

QString ActivityPage::warningTitle(const QString& code)
{
    if (code == u"not_wal"_s)
        return tr("Not in WAL mode");
    if (code == u"network_filesystem"_s)
        return tr("On a network filesystem");
    if (code == u"checkpoint_starved"_s)
        return tr("A reader blocks the checkpoint");
    if (code == u"wal_much_larger_than_content"_s)
        return tr("The -wal file is mostly empty space");
    if (code == u"stale_shm"_s)
        return tr("Leftover -shm file");
    if (code == u"writing_to_deleted_file"_s)
        return tr("A process writes into a deleted database");
    if (code == u"sqlite_wal_reset_bug"_s)
        return tr("SQLite version with the WAL-reset bug");
    if (code == u"write_lock_contention"_s)
        return tr("Writers wait for each other");
    return code;
}

void ActivityPage::showWarnings(const ActivitySample& sample)
{
    QStringList parts;
    for (const HealthWarning& warning : m_notices + sample.warnings)
        parts << u"<b>%1.</b> %2"_s.arg(warningTitle(warning.code).toHtmlEscaped(), warning.message.toHtmlEscaped());
    m_ui->warningBanner->setText(parts.join(u"<br>"_s));
    m_ui->warningBanner->setVisible(!parts.isEmpty());
}

QString ActivityPage::warningText() const
{
    return m_ui->warningBanner->isHidden() ? QString() : m_ui->warningBanner->text();
}

void ActivityPage::showFailure(const QString& reason)
{
    m_ui->feedStatus->setText(tr("Live activity unavailable: %1").arg(reason));
}
