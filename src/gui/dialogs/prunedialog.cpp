// SPDX-License-Identifier: GPL-3.0-or-later
#include "dialogs/prunedialog.h"

#include "dialogs/pruneoutcometext.h"
#include "dialogs/pruneselectors.h"

#include "common/format.h"
#include "models/clicall.h"
#include "tasks/backgroundtask.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QProcess>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

PruneDialog::PruneDialog(const QString& dbPath, QWidget* parent)
    : QDialog(parent)
    , m_dbPath(dbPath)
{
    setWindowTitle(tr("Prune Entries"));
    auto* layout = new QVBoxLayout(this);
    auto* title = new QLabel(tr("Remove entries from <b>%1</b> in short write batches, so the processes writing it "
                                "wait a few milliseconds at most.")
                                 .arg(dbPath.toHtmlEscaped()));
    title->setWordWrap(true);
    layout->addWidget(title);
    m_fixedLabel = new QLabel;
    m_fixedLabel->setWordWrap(true);
    m_fixedLabel->hide();
    layout->addWidget(m_fixedLabel);
    layout->addWidget(m_selectors = new PruneSelectors);
    connect(m_selectors, &PruneSelectors::changed, this, &PruneDialog::dropPlan);
    connect(m_selectors, &PruneSelectors::tablesRead, this, &PruneDialog::tablesRead);
    m_previewLabel = new QLabel(tr("Preview: choose the entries, then Preview."));
    m_previewLabel->setObjectName(u"previewLabel"_s);
    m_previewLabel->setWordWrap(true);
    layout->addWidget(m_previewLabel);
    m_samples = new QListWidget;
    m_samples->setObjectName(u"sampleKeys"_s);
    fitSamples();
    layout->addWidget(m_samples);
    layout->addWidget(createBackupRow());
    m_progress = new QProgressBar;
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_progress->hide(); // shown from the first run on: an idle "0%" says nothing
    layout->addWidget(m_progress);
    m_result = new QPlainTextEdit;
    m_result->setObjectName(u"resultText"_s);
    m_result->setReadOnly(true);
    m_result->setMinimumHeight(60);
    m_result->hide(); // shown with the first result: an empty box says nothing
    layout->addWidget(m_result, 1);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel);
    m_cancelButton = buttons->button(QDialogButtonBox::Cancel);
    m_cancelButton->setDefault(true);
    m_previewButton = buttons->addButton(tr("Preview"), QDialogButtonBox::ActionRole);
    m_pruneButton = buttons->addButton(tr("Prune"), QDialogButtonBox::ActionRole);
    m_vacuumButton = buttons->addButton(tr("Vacuum Now…"), QDialogButtonBox::ActionRole);
    for (QPushButton* button : { m_previewButton, m_pruneButton, m_vacuumButton })
        button->setAutoDefault(false); // Enter never removes anything
    m_vacuumButton->hide();
    connect(m_previewButton, &QPushButton::clicked, this, &PruneDialog::preview);
    connect(m_pruneButton, &QPushButton::clicked, this, &PruneDialog::start);
    connect(m_vacuumButton, &QPushButton::clicked, this, [this] {
        Q_EMIT vacuumRequested();
        QDialog::accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &PruneDialog::reject);
    layout->addWidget(buttons);
    resize(640, sizeHint().height()); // as tall as what it shows: no empty bands between its lines
    m_pruneButton->setEnabled(false); // until a preview of the choice showed what would go
    // After the caller said whether it runs there (runThere) or on a fixed selection.
    QMetaObject::invokeMethod(this, &PruneDialog::readTables, Qt::QueuedConnection);
}

PruneDialog::~PruneDialog()
{
    m_cancel.cancel(); // the worker stops after its batch; its result is dropped
}

QWidget* PruneDialog::createBackupRow()
{
    auto* row = new QWidget;
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    m_backup = new QLineEdit;
    m_backup->setObjectName(u"backupEdit"_s);
    m_backup->setPlaceholderText(tr("a new .jsonl file"));
    m_backup->setToolTip(tr("A file that does not exist yet: every removed entry as a JSON line, on disk before it is "
                            "removed."));
    m_backupCheck = PruneSelectors::checkFor(m_backup, tr("Back up to"));
    m_browse = new QPushButton(tr("Browse…"));
    m_browse->setAutoDefault(false);
    connect(m_browse, &QPushButton::clicked, this, &PruneDialog::chooseBackup);
    layout->addWidget(m_backupCheck);
    layout->addWidget(m_backup, 1);
    layout->addWidget(m_browse);
    return row;
}

void PruneDialog::chooseBackup()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Back up the removed entries to"), QString(),
        tr("JSON Lines (*.jsonl)"), nullptr, QFileDialog::DontConfirmOverwrite);
    if (path.isEmpty())
        return;
    m_backup->setText(path);
    m_backupCheck->setChecked(true);
}

void PruneDialog::readTables()
{
    if (m_fixed) { // nothing to list: chosen on the Entries page
        tablesRead();
        return;
    }
    if (m_remoteArgs)
        return; // listed from what `info` read there (setTablesThere)
    m_selectors->readTables(m_dbPath);
}

void PruneDialog::tablesRead()
{
    m_tablesPending = false;
    layout()->activate(); // as tall as what the table's words need
    if (height() < sizeHint().height())
        resize(width(), sizeHint().height());
    if (m_previewWanted)
        preview();
}

PruneSelection PruneDialog::selection(QString* problem) const
{
    if (m_fixed)
        return *m_fixed;
    return m_selectors->selection(problem);
}

QCheckBox* PruneDialog::expiredBox() const
{
    return m_selectors->expiredBox();
}

QLineEdit* PruneDialog::matchEdit() const
{
    return m_selectors->matchEdit();
}

QLineEdit* PruneDialog::groupEdit() const
{
    return m_selectors->groupEdit();
}

QComboBox* PruneDialog::tableBox() const
{
    return m_selectors->tableBox();
}

QString PruneDialog::tableText() const
{
    return m_selectors->tableText();
}

void PruneDialog::dropPlan()
{
    m_vacuumButton->hide();
    if (m_running)
        return;
    m_preview.drop(); // a preview still running is of the old choice
    m_pruneButton->setEnabled(false);
    if (m_previewed)
        m_previewLabel->setText(tr("Preview: the choice changed — Preview shows what it would remove."));
    m_previewed = m_planShown = false;
    m_samples->clear();
    fitSamples();
}

void PruneDialog::runThere(const QStringList& extraArgs)
{
    m_remoteArgs = extraArgs;
    m_selectors->awaitTablesThere(); // its tables are not read from here: setTablesThere
    m_backup->setPlaceholderText(tr("a new .jsonl file on the cache's host"));
    m_backup->setToolTip(tr("A file on the cache's host that does not exist yet: every removed entry as a JSON line, "
                            "on disk there before it is removed."));
    m_browse->setEnabled(false);
    m_browse->setToolTip(tr("The backup is written where the cache lives: type a path on that host."));
}

void PruneDialog::setTablesThere(const CacheSummary& summary)
{
    if (!m_remoteArgs || m_fixed || !m_tablesPending)
        return;
    m_tablesUnread.clear();
    m_selectors->showTablesThere(summary); // tablesRead()
}

void PruneDialog::setTablesUnreadThere(const QString& reason)
{
    if (!m_remoteArgs || m_fixed || !m_tablesPending)
        return;
    m_tablesUnread = tr("The cache's tables could not be read there: %1. They are asked for again with the "
                        "Overview's next reading; Preview and Prune wait for them.")
                         .arg(Format::escapeControl(reason));
    m_previewLabel->setText(m_tablesUnread);
}

QProcess* PruneDialog::runCli(
    const PruneSelection& chosen, const QStringList& options, std::function<void(const Result<PruneOutcome>&)> done)
{
    const auto selectors = chosen.toArguments();
    if (!selectors) {
        done(Error { Error::Kind::Other, tr("this selection has no cachescope-cli prune options") });
        return nullptr;
    }
    const QStringList args
        = QStringList { u"prune"_s, m_dbPath } + *selectors + options + QStringList { u"--json"_s } + *m_remoteArgs;
    return CliCall::run(this, args, [done](const CliCall::Outcome& outcome) {
        const QJsonObject json = QJsonDocument::fromJson(outcome.out).object();
        // Exit 1 with a report: cancelled there between batches (the batches done stay done).
        if (outcome.started && !json.isEmpty() && (outcome.exitCode == 0 || json[u"cancelled"_s].toBool())) {
            done(PruneOutcome::fromJson(json));
            return;
        }
        QString why = outcome.error;
        if (why.isEmpty())
            why = outcome.started ? tr("cachescope-cli prune ended with exit %1").arg(outcome.exitCode)
                                  : tr("cachescope-cli prune did not start");
        done(Error { outcome.exitCode == 3 ? Error::Kind::Refused : Error::Kind::Other, why });
    });
}

void PruneDialog::setSelection(const PruneSelection& selection, const QString& description)
{
    m_fixed = selection;
    m_selectors->hide();
    m_fixedLabel->setText(description.toHtmlEscaped());
    m_fixedLabel->show();
    setWindowTitle(tr("Delete Entries"));
    m_pruneButton->setText(tr("Delete"));
    preview();
}

void PruneDialog::preview()
{
    if (m_running)
        return;
    m_planShown = false;
    m_pruneButton->setEnabled(false);
    if (m_tablesPending && !m_tablesUnread.isEmpty()) { // whatever is chosen: no table to prune yet, and why
        m_previewLabel->setText(m_tablesUnread);
        return;
    }
    QString problem;
    const PruneSelection chosen = selection(&problem);
    if (!problem.isEmpty()) {
        m_previewLabel->setText(problem);
        m_samples->clear();
        fitSamples();
        return;
    }
    m_previewWanted = m_tablesPending; // the table is one of the cache's, read first
    if (m_previewWanted) {
        m_previewLabel->setText(tr("Reading the tables…"));
        return;
    }
    PruneOptions options;
    options.dryRun = true;
    m_previewLabel->setText(tr("Counting what would go…"));
    m_samples->clear();
    const CancelToken preview = m_preview.start();
    if (m_remoteArgs) {
        runCli(chosen, { u"--dry-run"_s }, [this, preview](const Result<PruneOutcome>& outcome) {
            if (m_preview.isCurrent(preview))
                showPreview(outcome);
        });
        return;
    }
    BackgroundTask::run<Result<PruneOutcome>>(
        this, [path = m_dbPath, chosen, options] { return Prune::run(path, chosen, options); },
        [this, preview](Result<PruneOutcome> outcome) {
            if (m_preview.isCurrent(preview)) // a newer preview or a prune supersedes it
                showPreview(outcome);
        });
}

void PruneDialog::showPreview(const Result<PruneOutcome>& outcome)
{
    if (!outcome) {
        m_previewLabel->setText(tr("Nothing can be pruned: %1").arg(outcome.error().message));
        Q_EMIT previewFinished(false);
        return;
    }
    for (const PrunePart& part : outcome->parts)
        m_samples->addItems(part.sampleKeys);
    fitSamples();
    m_previewLabel->setText(PruneOutcomeText::preview(outcome.value(), m_samples->count()));
    m_previewed = true;
    m_planShown = outcome->total.matched > 0;
    m_pruneButton->setEnabled(m_planShown); // enabled by a preview; Prune selects again (new matches go too)
    if (m_fixed && !m_fitted) { // as tall as what it shows, once: the user's own size is kept afterwards
        m_fitted = true;
        resize(width(), sizeHint().height());
    }
    Q_EMIT previewFinished(true);
}

void PruneDialog::start()
{
    if (m_running)
        return;
    QString problem;
    const PruneSelection chosen = selection(&problem);
    if (!problem.isEmpty()) {
        showResult(problem);
        return;
    }
    PruneOptions options;
    if (m_backupCheck->isChecked()) {
        options.backupPath = m_backup->text().trimmed();
        if (options.backupPath.isEmpty()) {
            showResult(tr("Choose the file to back the entries up to, or turn the backup off."));
            return;
        }
    }
    m_preview.drop(); // a preview still running is shown no more
    m_cancel = CancelToken();
    setRunning(true);
    showResult(tr("Pruning… (Cancel stops after the current batch; the batches done stay done)"));
    if (m_remoteArgs) { // no progress from there until it ends: the bar stays busy
        QStringList backup;
        if (!options.backupPath.isEmpty())
            backup << u"--backup="_s + options.backupPath;
        m_remoteRun = runCli(chosen, backup, [this](const Result<PruneOutcome>& outcome) { showOutcome(outcome); });
        return;
    }
    const TaskProgress<PruneProgress> progressTo(
        this, [this](const PruneProgress& progress) { showProgress(progress); });
    options.progress = [progressTo](const PruneProgress& progress) {
        if (progress.matched < 0)
            progressTo.reportNow(progress); // still counting: the bar turns busy at once
        else
            progressTo.report(progress);
    };
    BackgroundTask::run<Result<PruneOutcome>>(
        this,
        [path = m_dbPath, chosen, options, cancel = m_cancel]() mutable {
            options.cancel = &cancel.flag();
            return Prune::run(path, chosen, options);
        },
        [this](Result<PruneOutcome> outcome) { showOutcome(outcome); });
}

void PruneDialog::fitSamples()
{
    const int rows = std::clamp(m_samples->count(), 2, 8);
    const int row = m_samples->count() > 0 ? m_samples->sizeHintForRow(0) : fontMetrics().height() + 2;
    m_samples->setFixedHeight(rows * row + 2 * m_samples->frameWidth());
    m_samples->setVisible(m_samples->count() > 0); // no empty box: a table without keys lists none
}

void PruneDialog::showResult(const QString& text)
{
    m_result->setPlainText(text);
    m_result->show();
    // The dialog grows to hold it whole (it was squeezed under the buttons when it came after the preview's fit).
    const int lines = m_result->document()->blockCount();
    m_result->setMinimumHeight(std::clamp(lines, 2, 8) * m_result->fontMetrics().lineSpacing()
        + 2 * (m_result->frameWidth() + int(m_result->document()->documentMargin())));
    layout()->activate();
    if (height() < sizeHint().height())
        resize(width(), sizeHint().height());
}

void PruneDialog::cancel()
{
    m_cancel.cancel();
    if (m_remoteRun) // as Ctrl-C: the prune there stops between batches and reports
        m_remoteRun->terminate();
    m_cancelButton->setEnabled(false);
}

void PruneDialog::showProgress(const PruneProgress& progress)
{
    if (!m_running)
        return;
    if (progress.matched <= 0) {
        m_progress->setRange(0, 0);
        return;
    }
    m_progress->setRange(0, int(std::min<qint64>(progress.matched, 1 << 30)));
    m_progress->setValue(int(std::min<qint64>(progress.removed, 1 << 30)));
    m_progress->setFormat(tr("%1 of %2 removed").arg(Format::count(progress.removed), Format::count(progress.matched)));
}

void PruneDialog::showOutcome(const Result<PruneOutcome>& outcome)
{
    setRunning(false);
    m_progress->setRange(0, 1);
    m_progress->setValue(outcome && !outcome->cancelled ? 1 : 0);
    m_progress->setFormat(u"%p%"_s);
    if (!outcome) {
        showResult(tr("Prune failed: %1").arg(outcome.error().message));
        Q_EMIT finished(false);
        return;
    }
    if (outcome->total.freedPages > 0)
        m_vacuumButton->show();
    m_planShown = false;
    m_pruneButton->setEnabled(false); // what it chose is gone: Preview chooses again
    m_previewLabel->setText(PruneOutcomeText::gone(outcome.value(), m_samples->count())); // no "would go" now
    showResult(PruneOutcomeText::result(outcome.value()));
    m_cancelButton->setText(tr("Close"));
    Q_EMIT finished(!outcome->cancelled);
}

void PruneDialog::setRunning(bool running)
{
    m_running = running;
    m_previewButton->setEnabled(!running);
    m_pruneButton->setEnabled(!running && m_planShown);
    m_selectors->setEnabled(!running);
    m_backup->setEnabled(!running);
    m_backupCheck->setEnabled(!running);
    m_cancelButton->setEnabled(true);
    if (running) {
        m_progress->setRange(0, 0);
        m_progress->show();
    }
}

void PruneDialog::reject()
{
    if (m_running) {
        cancel(); // closing while running stops after the current batch; the dialog closes then
        connect(this, &PruneDialog::finished, this, &QDialog::reject, Qt::SingleShotConnection);
        return;
    }
    QDialog::reject();
}

QString PruneDialog::previewText() const
{
    return m_previewLabel->text();
}

QString PruneDialog::resultText() const
{
    return m_result->toPlainText();
}
