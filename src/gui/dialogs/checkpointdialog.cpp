// SPDX-License-Identifier: GPL-3.0-or-later
#include "dialogs/checkpointdialog.h"
#include "ui_checkpointdialog.h"

#include "common/format.h"
#include "live/walresetbug.h"
#include "maintenance/cachefolder.h"
#include "models/clicall.h"
#include "models/healthlist.h"
#include "remote/cacheaddress.h"
#include "tasks/backgroundtask.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonDocument>
#include <QPushButton>

using namespace Qt::Literals::StringLiterals;

namespace {
// Each database of the cache: a file or diskcache folder is one, a FanoutCache folder every
// shard then every named sub-cache, each labelled ("shard 000", "sub-cache index/sessions").
struct Part {
    QString what; // empty for a cache of one database
    QString database;
};

QList<Part> partsOf(const QString& path)
{
    auto folder = CacheFolder::resolve(path);
    if (!folder)
        return { Part { {}, path } }; // the checkpoint then says why it cannot run
    const QStringList databases = folder->everyDatabase();
    if (folder->layout != CacheFolder::Layout::Fanout)
        return { Part { {}, databases.value(0, path) } };
    QList<Part> parts;
    for (qsizetype i = 0; i < databases.size(); ++i)
        parts << Part { folder->partName(i), databases.at(i) };
    return parts;
}

// docs/WAL.md and WAL_REFERENCE: the -wal's size is a high-water mark. Only TRUNCATE shrinks it;
// after a complete checkpoint the next writer starts overwriting it from frame 1 (unless a reader
// still reads it then), so it stops growing.
QString whyTheWalKeepsItsSize(const QString& mode)
{
    return QCoreApplication::translate("CheckpointDialog",
        "Why the file did not shrink: %1 never truncates the -wal, it only copies its frames into the database. "
        "Those frames are now in the database, so the next writer starts the -wal again from its beginning "
        "(once no reader is still reading it) and overwrites it instead of making it longer. Only TRUNCATE "
        "makes the file smaller.")
        .arg(mode);
}

QString labelled(const QString& what, const QString& text)
{
    return what.isEmpty() ? text : what + u": "_s + text;
}
} // namespace

CheckpointDialog::CheckpointDialog(const QString& dbPath, QWidget* parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::CheckpointDialog>())
    , m_dbPath(dbPath)
    , m_warnings(&Checkpoint::writerWarnings, { WalResetBug::Code })
{
    m_ui->setupUi(this);
    const bool fanout = !partsOf(dbPath).value(0).what.isEmpty(); // lstat and readdir only
    m_ui->pathValue->setText(fanout
            ? tr("Checkpoint the WAL of every shard and named sub-cache of the FanoutCache <b>%1</b>, one after "
                 "the other: copy committed frames back into each database.")
                  .arg(dbPath.toHtmlEscaped())
            : tr("Checkpoint the WAL of <b>%1</b>: copy committed frames back into the database.")
                  .arg(dbPath.toHtmlEscaped()));
    for (auto mode :
        { Checkpoint::Mode::Passive, Checkpoint::Mode::Full, Checkpoint::Mode::Restart, Checkpoint::Mode::Truncate })
        m_ui->modeCombo->addItem(Checkpoint::modeName(mode).toUpper(), int(mode));
    m_ui->warningLabel->hide();
    m_ui->writersLabel->setTextFormat(Qt::PlainText); // process names are not markup
    m_ui->writersLabel->hide();
    m_runButton = m_ui->buttons->addButton(tr("Run checkpoint"), QDialogButtonBox::ActionRole);
    // Enter never starts a checkpoint (a FULL one stalls writers), not even in the timeout field:
    // Close is the default, as Cancel is in every dialog that acts on the cache (#28).
    m_runButton->setAutoDefault(false);
    if (QPushButton* close = m_ui->buttons->button(QDialogButtonBox::Close))
        close->setDefault(true);
    connect(m_runButton, &QPushButton::clicked, this, &CheckpointDialog::start);
    connect(m_ui->buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_ui->modeCombo, &QComboBox::currentIndexChanged, this, &CheckpointDialog::updateModeHelp);
    connect(m_ui->timeoutSpin, &QDoubleSpinBox::valueChanged, this, &CheckpointDialog::updateModeHelp);
    updateModeHelp();
    if (CacheAddress::isRemoteText(dbPath)) {
        m_checkedBefore = true;
        return; // its warnings come with the outcome, from there
    }
    BackgroundTask::run<HealthWarnings>(
        this,
        [path = dbPath] {
            HealthWarnings warnings;
            for (const Part& part : partsOf(path)) {
                for (HealthWarning warning : Checkpoint::warningsBefore(part.database)) {
                    warning.message = labelled(part.what, warning.message);
                    warnings << warning;
                }
            }
            return warnings;
        },
        [this](HealthWarnings warnings) {
            showWarnings(warnings);
            m_checkedBefore = true;
        });
}

CheckpointDialog::~CheckpointDialog() = default;

QString CheckpointDialog::inWords(const Checkpoint::Outcome& outcome)
{
    const QString mode = Checkpoint::modeName(outcome.mode).toUpper();
    const QString after = Format::bytesNoBreak(outcome.walBytesAfter);
    const QString walSize = outcome.walSizeWords(true); // "stayed at 101 KiB", as the CLI says it
    QString text;
    if (outcome.busy) {
        text = tr("The %1 checkpoint could not finish: another process kept the cache busy for its whole %2 wait. "
                  "The -wal stays %3.")
                   .arg(mode, Format::duration(outcome.busyTimeoutMs), after);
    } else if (outcome.incomplete()) {
        text = tr("The %1 checkpoint copied %2 of %3 frames back into the database; the rest are newer than a "
                  "reader's snapshot and must wait for it.")
                   .arg(mode, Format::count(outcome.checkpointedFrames), Format::count(outcome.logFrames))
            + u' ' + tr("The -wal %1.").arg(walSize);
        if (outcome.mode != Checkpoint::Mode::Truncate && outcome.walBytesAfter > 0)
            text += u' '
                + tr("%1 never truncates the file, and it cannot be restarted from its beginning until every frame "
                     "is copied back.")
                      .arg(mode);
    } else {
        // What this run copied back (Outcome::framesCopied; after TRUNCATE SQLite reports the new, empty log), as the
        // CLI says it.
        const QString frames = outcome.copiedWords();
        // An unchanged size is said as such ("stayed at"), and why below.
        text = outcome.walBytesBefore == outcome.walBytesAfter
            ? tr("The %1 checkpoint is complete: %2; the -wal %3.").arg(mode, frames, walSize)
            : tr("The %1 checkpoint is complete: the -wal %2: %3.").arg(mode, walSize, frames);
        if (outcome.mode == Checkpoint::Mode::Truncate && outcome.walBytesAfter > 0)
            text += u' ' + tr("A writer wrote to it again right after it was truncated.");
        else if (outcome.mode != Checkpoint::Mode::Truncate && outcome.walBytesAfter > 0)
            text += u' ' + whyTheWalKeepsItsSize(mode);
    }
    if (outcome.incomplete()) {
        QStringList blockers;
        for (const auto& blocker : outcome.blockers)
            blockers << blocker.describe();
        text += u"\n\n"_s
            + (blockers.isEmpty() ? tr("No other process holds a read snapshot or the write lock now: try again.")
                                  : tr("Held up by:\n%1").arg(blockers.join(u'\n')));
    }
    return text;
}

void CheckpointDialog::runThere(const QStringList& extraArgs)
{
    m_there = extraArgs;
}

void CheckpointDialog::setMode(Checkpoint::Mode mode)
{
    m_ui->modeCombo->setCurrentIndex(m_ui->modeCombo->findData(int(mode)));
}

void CheckpointDialog::updateModeHelp()
{
    const auto mode = Checkpoint::Mode(m_ui->modeCombo->currentData().toInt());
    const int timeout = m_ui->timeoutSpin->milliseconds();
    QString text;
    switch (mode) {
    case Checkpoint::Mode::Passive:
        text = tr("PASSIVE copies what it can without waiting and never blocks anyone. It stops at the oldest "
                  "reader's snapshot.");
        break;
    case Checkpoint::Mode::Full:
        text = tr("FULL takes the write lock and waits for readers: <b>writers stall</b> while it waits, for at "
                  "most %1.");
        break;
    case Checkpoint::Mode::Restart:
        text = tr("RESTART does FULL, then waits until the next writer can start the WAL from the beginning: "
                  "<b>writers stall</b> while it waits, for at most %1.");
        break;
    case Checkpoint::Mode::Truncate:
        text = tr("TRUNCATE does RESTART, then truncates the -wal to 0 bytes: <b>writers stall</b> while it waits, "
                  "for at most %1.");
        break;
    }
    m_ui->modeHelp->setText(text.contains(u"%1"_s) ? text.arg(Format::duration(timeout)) : text);
    m_ui->timeoutSpin->setEnabled(Checkpoint::stallsWriters(mode));
}

void CheckpointDialog::showWarnings(const HealthWarnings& warnings)
{
    m_warnings.setRead(warnings);
    showWriterWarnings();
}

void CheckpointDialog::showWriterWarnings()
{
    const QString html = m_warnings.html();
    m_ui->warningLabel->setText(html);
    m_ui->warningLabel->setVisible(!html.isEmpty());
}

void CheckpointDialog::start()
{
    if (m_running)
        return;
    m_running = true;
    m_runButton->setEnabled(false);
    m_ui->resultText->setPlainText(tr("Running…"));
    const Checkpoint::Options options { Checkpoint::Mode(m_ui->modeCombo->currentData().toInt()),
        m_ui->timeoutSpin->milliseconds() };
    if (m_there) {
        const QStringList args { u"checkpoint"_s, m_dbPath, u"--mode"_s, Checkpoint::modeName(options.mode),
            u"--timeout-ms"_s, QString::number(options.busyTimeoutMs), u"--json"_s };
        CliCall::run(this, args + *m_there, [this](const CliOutcome& outcome) {
            // An incomplete checkpoint is exit 3 with its report; anything else without one failed there.
            const QJsonObject report = QJsonDocument::fromJson(outcome.out).object();
            Outcomes outcomes;
            if (outcome.started && report.contains(u"mode"_s)) {
                const auto read = Checkpoint::Outcome::fromJson(report);
                outcomes.texts << inWords(read);
                outcomes.warnings = read.warnings;
                outcomes.incomplete = read.incomplete();
            } else {
                outcomes.failed = !outcome.ok();
                const QString said = outcome.ok() ? QString::fromUtf8(outcome.out).trimmed() : outcome.error;
                outcomes.texts << (outcome.ok()
                        ? said
                        : tr("Checkpoint failed: %1")
                              .arg(said.isEmpty() ? tr("exit code %1").arg(outcome.exitCode) : said));
            }
            showOutcome(outcomes);
        });
        return;
    }
    // A FanoutCache: every shard, then every named sub-cache, one after the other; one that
    // fails or stays incomplete does not stop the others (a checkpoint only copies frames back).
    BackgroundTask::run<Outcomes>(
        this,
        [path = m_dbPath, options] {
            Outcomes outcomes;
            for (const Part& part : partsOf(path)) {
                auto outcome = Checkpoint::run(part.database, options);
                if (!outcome) {
                    outcomes.failed = true;
                    outcomes.texts << labelled(part.what, tr("Checkpoint failed: %1").arg(outcome.error().message));
                    continue;
                }
                outcomes.incomplete = outcomes.incomplete || outcome->incomplete();
                outcomes.texts << labelled(part.what, inWords(outcome.value()));
                for (HealthWarning warning : outcome->warnings) {
                    warning.message = labelled(part.what, warning.message);
                    outcomes.warnings << warning;
                }
            }
            return outcomes;
        },
        [this](Outcomes outcomes) { showOutcome(outcomes); });
}

void CheckpointDialog::showOutcome(const Outcomes& outcomes)
{
    m_running = false;
    m_runButton->setEnabled(true);
    if (!outcomes.failed)
        showWarnings(outcomes.warnings);
    m_ui->resultText->setPlainText(outcomes.texts.join(u"\n\n"_s));
    Q_EMIT finished(!outcomes.failed && !outcomes.incomplete);
}

QString CheckpointDialog::resultText() const
{
    return m_ui->resultText->toPlainText();
}

QString CheckpointDialog::modeHelpText() const
{
    return m_ui->modeHelp->text();
}

void CheckpointDialog::applySample(const ActivitySample& sample)
{
    // The processes that wrote in the sample's last 10 s, as the Overview's Writers box lists them;
    // this window's own writes (a checkpoint it ran) are not another writer. A cache there is
    // checked with the SQLite there: the WAL-reset warning comes with its outcome.
    if (!CacheAddress::isRemoteText(m_dbPath) && m_warnings.setSample(sample))
        showWriterWarnings();
    QList<std::pair<qint64, QString>> writers;
    for (const auto& writer : WriterWarnings::writersOf(sample))
        writers.append({ writer.pid, writer.name });
    const QString at = sample.readAtMs > 0
        ? HealthList::sampleTimeText(QDateTime::fromMSecsSinceEpoch(sample.readAtMs).time())
        : QString(); // as the Overview and Activity say the sample's time (#28: one format)
    const QString text = Checkpoint::writersText(writers, at.isEmpty() ? QString() : tr("— live, as of %1").arg(at));
    if (text == writersText())
        return;
    m_ui->writersLabel->setText(text);
    m_ui->writersLabel->setVisible(!text.isEmpty());
}

QString CheckpointDialog::writersText() const
{
    return m_ui->writersLabel->isHidden() ? QString() : m_ui->writersLabel->text();
}

QString CheckpointDialog::warningText() const
{
    return m_ui->warningLabel->isHidden() ? QString() : m_ui->warningLabel->text();
}
