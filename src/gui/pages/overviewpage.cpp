// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/overviewpage.h"
#include "ui_overviewpage.h"

#include "common/format.h"
#include "pages/activitypage.h"
#include "tasks/backgroundtask.h"

#include <QLocale>

using namespace Qt::Literals::StringLiterals;

namespace {
// A name from the file as the user should see it: control and bidirectional-override
// characters shown as \uXXXX, so a table called "rtl\u202Eexe.live" cannot pass for another.
QString visible(const QString& name)
{
    QString out;
    for (const QChar c : name) {
        const bool hidden = c.category() == QChar::Other_Control || c.category() == QChar::Other_Format;
        out += hidden ? u"\\u%1"_s.arg(uint(c.unicode()), 4, 16, QChar(u'0')) : QString(c);
    }
    return out;
}

QString oneDecimal(double value)
{
    return QLocale().toString(value, 'f', 1);
}
} // namespace

OverviewPage::OverviewPage(QWidget* parent)
    : QWidget(parent)
    , m_ui(std::make_unique<Ui::OverviewPage>())
{
    m_ui->setupUi(this);
    m_sizesTimer.setInterval(SizesIntervalMs);
    connect(&m_sizesTimer, &QTimer::timeout, this, &OverviewPage::refreshSizes);
    m_summaryTimer.setInterval(SummaryIntervalMs);
    connect(&m_summaryTimer, &QTimer::timeout, this, &OverviewPage::refresh);
    clear();
}

OverviewPage::~OverviewPage()
{
    if (m_cancel)
        *m_cancel = true;
}

void OverviewPage::showDatabase(Database* database)
{
    clear();
    m_path = database->path();
    m_files.emplace(m_path);
    m_ui->pathValue->setText(m_path);
    QString journal = database->journalMode().toUpper();
    if (database->convertedToWal())
        journal += tr(" (converted from %1 when opened)").arg(database->previousJournalMode().toUpper());
    if (database->isReadOnly())
        journal += tr(" — opened read-only");
    m_ui->journalValue->setText(journal);
    m_ui->sqliteValue->setText(Database::runtimeVersion());
    m_ui->healthValue->setText(tr("Waiting for the first live sample…"));
    m_ui->writersValue->setText(tr("Waiting for the first live sample…"));
    m_ui->cacheValue->setText(tr("Counting entries…"));
    refreshSizes();
    refresh();
    m_sizesTimer.start();
    m_summaryTimer.start();
}

void OverviewPage::clear()
{
    m_sizesTimer.stop();
    m_summaryTimer.stop();
    if (m_cancel)
        *m_cancel = true;
    m_cancel.reset();
    ++m_generation; // a summary still on its way is dropped
    m_summaryPending = false;
    m_summaryShownOnce = false;
    m_path.clear();
    m_files.reset();
    for (QLabel* label : { m_ui->pathValue, m_ui->journalValue, m_ui->sqliteValue, m_ui->pagesValue,
             m_ui->settingsValue, m_ui->dbSizeValue, m_ui->walSizeValue, m_ui->shmSizeValue, m_ui->journalSizeValue,
             m_ui->filesystemValue, m_ui->healthValue, m_ui->writersValue, m_ui->cacheValue })
        label->setText(u"—"_s);
    std::fill(std::begin(m_shown), std::end(m_shown), -1);
}

void OverviewPage::refresh()
{
    if (m_path.isEmpty() || m_summaryPending)
        return;
    m_summaryPending = true;
    const quint64 generation = ++m_generation;
    m_cancel = std::make_shared<std::atomic_bool>(false);
    auto cancel = m_cancel;
    const QString path = m_path;
    BackgroundTask::run<Result<CacheSummary>>(
        this, [path, cancel] { return CacheSummary::gather(path, *cancel); },
        [this, generation](Result<CacheSummary> summary) {
            if (generation != m_generation)
                return; // the cache was closed or replaced meanwhile
            m_summaryPending = false;
            showSummary(summary);
            refreshSizes();
            Q_EMIT summaryShown();
        });
}

qint64 OverviewPage::shownBytes(CacheFiles::Kind kind) const
{
    return m_shown[int(kind)];
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

QString OverviewPage::remedy(const QString& code)
{
    if (code == u"not_wal"_s)
        return tr("In every client: switch to WAL once (<code>PRAGMA journal_mode=WAL</code>, "
                  "<code>PRAGMA synchronous=NORMAL</code>), open every connection with a busy timeout "
                  "(<code>sqlite3.connect(path, timeout=30)</code>), and never swallow a "
                  "<code>database is locked</code> error — it means that write was lost.");
    if (code == u"checkpoint_starved"_s)
        return tr("Let the named reader finish its transaction (close cursors; do not keep a read open between "
                  "requests), then run Maintenance › Checkpoint with TRUNCATE to shrink the -wal.");
    if (code == u"wal_much_larger_than_content"_s)
        return tr("Maintenance › Checkpoint with TRUNCATE gives the space back; "
                  "<code>PRAGMA journal_size_limit</code> in the writers keeps it small.");
    if (code == u"network_filesystem"_s)
        return tr("Move the cache to a local disk: WAL needs shared memory, which network file systems do not "
                  "provide safely.");
    if (code == u"stale_shm"_s)
        return tr("Nobody uses it: it goes away when a client next opens and closes the cache.");
    if (code == u"writing_to_deleted_file"_s)
        return tr("Restart that process: its writes go into a file that no longer has a name and will be lost.");
    if (code == u"sqlite_wal_reset_bug"_s)
        return tr("Rare; avoid manual checkpoints while writers are busy, and upgrade SQLite when you can.");
    return {};
}

void OverviewPage::applySample(const ActivitySample& sample)
{
    if (m_path.isEmpty())
        return;
    QStringList health;
    for (const HealthWarning& warning : sample.warnings) {
        QString item = u"<b>%1.</b> %2"_s.arg(
            ActivityPage::warningTitle(warning.code).toHtmlEscaped(), warning.message.toHtmlEscaped());
        const QString fix = remedy(warning.code);
        if (!fix.isEmpty())
            item += u"<br><i>%1</i> %2"_s.arg(tr("Fix:"), fix);
        health << item;
    }
    const QString text = health.isEmpty() ? tr("No problems seen.") : health.join(u"<br><br>"_s);
    if (text != m_ui->healthValue->text()) // ten samples a second: relayout only on change
        m_ui->healthValue->setText(text);

    QStringList writers;
    if (sample.writer)
        writers << tr("PID %1 (%2) holds the write lock (%3 ms so far).")
                       .arg(sample.writer->pid)
                       .arg(sample.writer->name)
                       .arg(sample.writerHeldMs);
    else
        writers << tr("Nobody holds the write lock at this instant.");
    writers << tr("%1 commits/s, %2 frames/s; checkpoint lag %3 frames.")
                   .arg(oneDecimal(sample.commitsPerSecond), oneDecimal(sample.framesPerSecond))
                   .arg(sample.lagFrames);
    if (sample.processes)
        writers << tr("Processes with the cache's files open: %1.").arg(sample.processes->size());
    m_ui->writersValue->setText(writers.join(u' '));
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
        m_ui->pagesValue->setToolTip(reason);
        return;
    }
    m_summaryShownOnce = true;
    const Database::Facts& facts = summary->facts;
    m_ui->pagesValue->setToolTip({});
    m_ui->pagesValue->setText(tr("%1 pages of %2 (%3 free, %4)")
                                  .arg(QLocale().toString(facts.pageCount), Format::bytes(facts.pageSize))
                                  .arg(QLocale().toString(facts.freelistCount))
                                  .arg(Format::bytes(facts.freelistCount * facts.pageSize)));
    static const char* const vacuumModes[] = { "none", "full", "incremental" };
    m_ui->settingsValue->setText(
        tr("auto_vacuum %1 · wal_autocheckpoint %2 pages · journal_size_limit %3")
            .arg(QLatin1String(vacuumModes[std::clamp<qint64>(facts.autoVacuum, 0, 2)]))
            .arg(facts.walAutocheckpoint)
            .arg(facts.journalSizeLimit < 0 ? tr("none") : Format::bytes(facts.journalSizeLimit)));
    const CacheFiles::Filesystem& fs = summary->filesystem;
    m_ui->filesystemValue->setText(fs.network
            ? tr("%1 — a network filesystem: WAL needs shared memory and is unsafe here").arg(fs.type)
            : fs.type);
    QStringList rows;
    for (const CacheSummary::Table& table : summary->tables) {
        const QString count = table.rows < 0 ? tr("not counted") : tr("%1 entries").arg(QLocale().toString(table.rows));
        rows << u"<b>%1</b> — %2 — %3"_s.arg(
            visible(table.name).toHtmlEscaped(), tr("format %1").arg(table.profile.toHtmlEscaped()), count);
    }
    m_ui->cacheValue->setText(rows.isEmpty() ? tr("No tables.") : rows.join(u"<br>"_s));
}

void OverviewPage::refreshSizes()
{
    if (!m_files)
        return;
    QLabel* const labels[] = { m_ui->dbSizeValue, m_ui->walSizeValue, m_ui->shmSizeValue, m_ui->journalSizeValue };
    for (int i = 0; i < CacheFiles::KindCount; ++i) {
        const auto info = m_files->stat(CacheFiles::Kind(i));
        m_shown[i] = info.bytes;
        labels[i]->setText(info.exists
                ? u"%1  (%2 bytes)"_s.arg(Format::bytes(info.bytes), QLocale().toString(info.bytes))
                : tr("absent"));
    }
}
