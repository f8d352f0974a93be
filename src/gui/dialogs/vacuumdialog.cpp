// SPDX-License-Identifier: GPL-3.0-or-later
#include "dialogs/vacuumdialog.h"
#include "ui_vacuumdialog.h"

#include "common/format.h"
#include "tasks/backgroundtask.h"

#include <QFileDialog>
#include <QPushButton>

using namespace Qt::Literals::StringLiterals;

VacuumDialog::VacuumDialog(const QString& dbPath, QWidget* parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::VacuumDialog>())
    , m_dbPath(dbPath)
{
    m_ui->setupUi(this);
    m_ui->pathValue->setText(tr("Vacuum <b>%1</b>").arg(dbPath.toHtmlEscaped()));
    m_ui->warningLabel->hide();
    m_startButton = m_ui->buttons->addButton(tr("Start"), QDialogButtonBox::ActionRole);
    m_cancelButton = m_ui->buttons->addButton(tr("Cancel vacuum"), QDialogButtonBox::ActionRole);
    m_cancelButton->setEnabled(false);
    // Enter never starts a rewrite of the cache: Close is the default.
    m_startButton->setAutoDefault(false);
    m_cancelButton->setAutoDefault(false);
    if (QPushButton* close = m_ui->buttons->button(QDialogButtonBox::Close))
        close->setDefault(true);
    connect(m_startButton, &QPushButton::clicked, this, &VacuumDialog::start);
    connect(m_cancelButton, &QPushButton::clicked, this, &VacuumDialog::cancel);
    connect(m_ui->buttons, &QDialogButtonBox::rejected, this, &VacuumDialog::reject);
    connect(m_ui->browseButton, &QPushButton::clicked, this, &VacuumDialog::chooseTarget);
    connect(m_ui->intoEdit, &QLineEdit::textEdited, this, [this] { m_ui->intoRadio->setChecked(true); });
    // Before anything runs: how much a vacuum would give back (a short read-only connection).
    BackgroundTask::run<Result<Database::Facts>>(
        this,
        [path = dbPath]() -> Result<Database::Facts> {
            Database::Options options;
            options.mode = Database::Mode::ReadOnly;
            options.busyTimeoutMs = 1000;
            auto database = Database::open(path, options);
            if (!database)
                return database.error();
            return database.value()->facts();
        },
        [this](Result<Database::Facts> facts) {
            if (facts)
                m_ui->pathValue->setText(
                    tr("Vacuum <b>%1</b>").arg(m_dbPath.toHtmlEscaped()) + u"<br>"_s + reclaimText(facts.value()));
        });
    BackgroundTask::run<HealthWarnings>(
        this, [path = dbPath] { return Vacuum::warningsBefore(path); },
        [this](HealthWarnings warnings) {
            QStringList lines;
            for (const auto& warning : warnings)
                lines << warning.message.toHtmlEscaped();
            m_ui->warningLabel->setText(lines.join(u"<br>"_s));
            m_ui->warningLabel->setVisible(!lines.isEmpty());
        });
}

QString VacuumDialog::reclaimText(const Database::Facts& facts)
{
    const qint64 fileBytes = facts.pageCount * facts.pageSize;
    if (facts.freelistCount <= 0)
        return tr("<b>Nothing to reclaim:</b> none of its %1 pages is free. Vacuuming in place would rewrite all "
                  "%2 for no gain; a copy into a new file is still a compact copy.")
            .arg(Format::count(facts.pageCount), Format::bytes(fileBytes));
    return tr("%1 of its %2 pages are free: vacuuming would give back about %3 of %4.")
        .arg(Format::count(facts.freelistCount), Format::count(facts.pageCount),
            Format::bytes(facts.freelistCount * facts.pageSize), Format::bytes(fileBytes));
}

QString VacuumDialog::introText() const
{
    return m_ui->pathValue->text();
}

VacuumDialog::~VacuumDialog()
{
    m_cancel.cancel(); // the worker rolls back; its result is dropped
}

void VacuumDialog::setIntoPath(const QString& path)
{
    m_ui->intoEdit->setText(path);
    (path.isEmpty() ? m_ui->inPlaceRadio : m_ui->intoRadio)->setChecked(true);
}

void VacuumDialog::chooseTarget()
{
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Copy the cache to"), QString(), QString(), nullptr, QFileDialog::DontConfirmOverwrite);
    if (!path.isEmpty())
        setIntoPath(path);
}

void VacuumDialog::start()
{
    if (m_running)
        return;
    Vacuum::Options options;
    if (m_ui->intoRadio->isChecked()) {
        options.intoPath = m_ui->intoEdit->text().trimmed();
        if (options.intoPath.isEmpty()) {
            m_ui->resultText->setPlainText(tr("Choose the file to write the copy to."));
            return;
        }
    }
    m_cancel = CancelToken();
    setRunning(true);
    m_ui->resultText->setPlainText(tr("Running… (Cancel rolls it back)"));
    const TaskProgress<Vacuum::Progress> progressTo(
        this, [this](const Vacuum::Progress& progress) { showProgress(progress); });
    options.progress = [cancel = m_cancel, progressTo](const Vacuum::Progress& progress) {
        progressTo.report(progress);
        return !cancel.isCancelled();
    };
    BackgroundTask::run<Result<Vacuum::Outcome>>(
        this, [path = m_dbPath, options] { return Vacuum::run(path, options); },
        [this](Result<Vacuum::Outcome> outcome) { showOutcome(outcome); });
}

void VacuumDialog::cancel()
{
    m_cancel.cancel();
    m_cancelButton->setEnabled(false);
}

void VacuumDialog::showProgress(const Vacuum::Progress& progress)
{
    if (!m_running)
        return;
    if (progress.bytesExpected > 0) {
        m_ui->progressBar->setRange(0, 1000);
        m_ui->progressBar->setValue(
            int(qBound(qint64(0), progress.bytesDone * 1000 / progress.bytesExpected, qint64(1000))));
        m_ui->progressBar->setFormat(
            tr("%1 of %2").arg(Format::bytes(progress.bytesDone), Format::bytes(progress.bytesExpected)));
    } else {
        m_ui->progressBar->setRange(0, 0); // VACUUM in place cannot tell how far it is
    }
}

void VacuumDialog::showOutcome(const Result<Vacuum::Outcome>& outcome)
{
    setRunning(false);
    m_ui->progressBar->setRange(0, 1);
    m_ui->progressBar->setValue(outcome && !outcome->cancelled ? 1 : 0);
    m_ui->progressBar->setFormat(u"%p%"_s);
    if (!outcome) {
        m_ui->resultText->setPlainText(tr("Vacuum failed: %1").arg(outcome.error().message));
        Q_EMIT finished(false);
        return;
    }
    m_ui->resultText->setPlainText(outcome->toText());
    Q_EMIT finished(!outcome->cancelled);
}

void VacuumDialog::setRunning(bool running)
{
    m_running = running;
    m_startButton->setEnabled(!running);
    m_cancelButton->setEnabled(running);
    m_ui->inPlaceRadio->setEnabled(!running);
    m_ui->intoRadio->setEnabled(!running);
    m_ui->intoEdit->setEnabled(!running);
    m_ui->browseButton->setEnabled(!running);
    if (running)
        m_ui->progressBar->setRange(0, 0);
}

void VacuumDialog::reject()
{
    if (m_running) {
        cancel(); // closing while running cancels first; the dialog closes when it has rolled back
        connect(this, &VacuumDialog::finished, this, &QDialog::reject, Qt::SingleShotConnection);
        return;
    }
    QDialog::reject();
}

QString VacuumDialog::resultText() const
{
    return m_ui->resultText->toPlainText();
}
