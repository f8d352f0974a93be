// SPDX-License-Identifier: GPL-3.0-or-later
#include "dialogs/vacuumdialog.h"
#include "ui_vacuumdialog.h"

#include "common/format.h"
#include "live/walresetbug.h"
#include "live/warningcatalog.h"
#include "maintenance/foldervacuum.h"
#include "models/clicall.h"
#include "remote/cacheaddress.h"
#include "tasks/backgroundtask.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QPushButton>

using namespace Qt::Literals::StringLiterals;

namespace {
// The FanoutCache folder dbPath names, or nothing for a database or a diskcache folder.
std::optional<CacheFolder> fanoutFolder(const QString& dbPath)
{
    auto folder = CacheFolder::resolve(dbPath); // lstat and readdir only
    if (!folder || folder->layout != CacheFolder::Layout::Fanout)
        return std::nullopt;
    return folder.value();
}

// Every database's facts added up (a FanoutCache: its shards and sub-caches), each read through
// a short read-only connection, and the sizes of their -wal files (stat only).
Result<VacuumDialog::Reclaim> reclaimOf(const QStringList& databases)
{
    VacuumDialog::Reclaim reclaim;
    Database::Facts& sum = reclaim.facts;
    for (const QString& path : databases) {
        Database::Options options;
        options.mode = Database::Mode::ReadOnly;
        options.busyTimeoutMs = 1000;
        auto database = Database::open(path, options);
        if (!database)
            return database.error();
        auto read = database.value()->facts();
        if (!read)
            return read.error();
        const Database::Facts& facts = read.value();
        if (sum.pageSize <= 0) {
            sum = facts;
        } else { // counted in the first database's pages
            sum.pageCount += facts.pageCount * facts.pageSize / sum.pageSize;
            sum.freelistCount += facts.freelistCount * facts.pageSize / sum.pageSize;
        }
        reclaim.walBytes += QFileInfo(path + u"-wal"_s).size(); // 0 when absent
    }
    return reclaim;
}
} // namespace

VacuumDialog::VacuumDialog(const QString& dbPath, QWidget* parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::VacuumDialog>())
    , m_dbPath(dbPath)
    , m_warnings([this](const QList<qint64>& writers) { return Vacuum::writerWarnings(writers, access()); },
          { WarningCode::WritersActive, WalResetBug::Code })
{
    m_ui->setupUi(this);
    m_fanout = fanoutFolder(dbPath);
    m_ui->pathValue->setText(pathText());
    m_ui->warningLabel->hide();
    m_ui->progressBar->hide(); // shown from the first run on: an idle "0%" says nothing
    m_startButton = m_ui->buttons->addButton(tr("Start"), QDialogButtonBox::ActionRole);
    m_cancelButton = m_ui->buttons->addButton(tr("Cancel vacuum"), QDialogButtonBox::ActionRole);
    m_cancelButton->setEnabled(false);
    // Enter never starts a rewrite of the cache: Close is the default.
    m_startButton->setAutoDefault(false);
    m_cancelButton->setAutoDefault(false);
    m_ui->browseButton->setAutoDefault(false); // Enter there closes too, never a file dialog
    if (QPushButton* close = m_ui->buttons->button(QDialogButtonBox::Close))
        close->setDefault(true);
    connect(m_startButton, &QPushButton::clicked, this, &VacuumDialog::start);
    connect(m_cancelButton, &QPushButton::clicked, this, &VacuumDialog::cancel);
    connect(m_ui->buttons, &QDialogButtonBox::rejected, this, &VacuumDialog::reject);
    connect(m_ui->browseButton, &QPushButton::clicked, this, &VacuumDialog::chooseTarget);
    connect(m_ui->intoEdit, &QLineEdit::textEdited, this, [this] { m_ui->intoRadio->setChecked(true); });
    connect(m_ui->intoRadio, &QRadioButton::toggled, this, &VacuumDialog::showAccess);
    showAccess();
    if (CacheAddress::isRemoteText(dbPath)) {
        m_checksBefore = 0;
        return; // nothing of it is opened here
    }
    // Before anything runs: how much a vacuum would give back (a short read-only connection).
    const QStringList databases = m_fanout ? m_fanout->everyDatabase() : QStringList { dbPath };
    BackgroundTask::run<Result<Reclaim>>(
        this, [databases] { return reclaimOf(databases); },
        [this](Result<Reclaim> reclaim) {
            if (reclaim) {
                m_ui->pathValue->setText(pathText() + u"<br>"_s + reclaimText(reclaim.value()));
                m_journalMode = reclaim->facts.journalMode;
                showAccess();
            }
            --m_checksBefore;
        });
    const QStringList labels = m_fanout ? m_fanout->labels() : QStringList();
    BackgroundTask::run<QList<Vacuum::Before>>(
        this,
        [databases] {
            QList<Vacuum::Before> before;
            for (const QString& database : databases)
                before << Vacuum::readBefore(database);
            return before;
        },
        [this, labels](QList<Vacuum::Before> before) {
            m_before = before;
            m_labels = labels;
            showAccess();
            --m_checksBefore;
        });
}

Vacuum::Access VacuumDialog::access() const
{
    return Vacuum::accessFor(m_ui->intoRadio->isChecked(), m_journalMode);
}

void VacuumDialog::showAccess()
{
    const QString copySpace
        = tr("The copy needs free space for the database's used pages (and a diskcache's value files).");
    switch (access()) {
    case Vacuum::Access::InPlace:
        m_ui->infoLabel->setText(tr("VACUUM holds the write lock for its whole run: writers wait until it ends. It "
                                    "needs up to twice the database's size in free space."));
        break;
    case Vacuum::Access::CopyOfWal:
        m_ui->infoLabel->setText(
            tr("VACUUM INTO reads the cache in one read transaction and never takes its write lock.") + u' '
            + copySpace);
        break;
    case Vacuum::Access::CopyOfRollback:
        m_ui->infoLabel->setText(tr("VACUUM INTO never takes the write lock, but in this %1-mode cache (a rollback "
                                    "journal) its read holds a shared lock for the whole copy: writers' commits wait "
                                    "until it ends.")
                                     .arg(m_journalMode.toUpper())
            + u' ' + copySpace);
        break;
    }
    // What was read on opening, worded for the run chosen now (a FanoutCache: each part's, labelled).
    HealthWarnings read;
    for (qsizetype i = 0; i < m_before.size(); ++i) {
        for (HealthWarning warning : m_before.at(i).warnings(access())) {
            if (!m_labels.isEmpty())
                warning.message = m_labels.at(i) + u": "_s + warning.message;
            read << warning;
        }
    }
    m_warnings.setRead(read);
    showWarnings();
}

void VacuumDialog::applySample(const ActivitySample& sample)
{
    if (!CacheAddress::isRemoteText(m_dbPath) && m_warnings.setSample(sample)) // there: its SQLite, its outcome
        showWarnings();
    m_lastWriters.clear();
    for (const auto& writer : WriterWarnings::writersOf(sample))
        m_lastWriters.append({ writer.pid, writer.name });
    if (m_running) { // named if the vacuum finds that others wrote while it ran
        for (const auto& writer : std::as_const(m_lastWriters)) {
            if (!m_writersWhileRunning.contains(writer))
                m_writersWhileRunning << writer;
        }
    }
}

void VacuumDialog::showWarnings()
{
    const QString html = m_warnings.html();
    m_ui->warningLabel->setText(html);
    m_ui->warningLabel->setVisible(!html.isEmpty());
}

QString VacuumDialog::reclaimText(const Reclaim& reclaim)
{
    const Database::Facts& facts = reclaim.facts;
    const qint64 fileBytes = facts.pageCount * facts.pageSize;
    // A -wal of at least a page's size holds frames (or room for them) a TRUNCATE checkpoint gives back.
    const bool walWorthIt = reclaim.walBytes > 0 && reclaim.walBytes >= facts.pageSize;
    const QString walText = tr("Its -wal takes %1: a TRUNCATE checkpoint (Maintenance ▸ Checkpoint…) gives that "
                               "back without rewriting the database.")
                                .arg(Format::bytesNoBreak(reclaim.walBytes));
    if (facts.freelistCount <= 0 && !walWorthIt)
        return tr("<b>Nothing to reclaim:</b> none of its %1 pages is free. Vacuuming in place would rewrite all "
                  "%2 for no gain; a copy into a new file is still a compact copy.")
            .arg(Format::count(facts.pageCount), Format::bytesNoBreak(fileBytes));
    if (facts.freelistCount <= 0)
        return tr("None of its %1 pages is free: vacuuming in place would rewrite all %2 of the database for no "
                  "gain.")
                   .arg(Format::count(facts.pageCount), Format::bytesNoBreak(fileBytes))
            + u" "_s + walText;
    const QString freeText
        = tr("%1 of its %2 pages are free: vacuuming would give back about %3 of %4.")
              .arg(Format::count(facts.freelistCount), Format::count(facts.pageCount),
                  Format::bytesNoBreak(facts.freelistCount * facts.pageSize), Format::bytesNoBreak(fileBytes));
    return walWorthIt ? freeText + u" "_s + walText : freeText;
}

QString VacuumDialog::pathText() const
{
    if (!m_fanout)
        return tr("Vacuum <b>%1</b>").arg(m_dbPath.toHtmlEscaped());
    return tr("Vacuum the FanoutCache <b>%1</b>: its %2, then its %3, one after the other. A copy goes into a new "
              "or empty folder with the same layout.")
        .arg(m_dbPath.toHtmlEscaped(), Format::counted(m_fanout->shards.size(), tr("shard"), tr("shards")),
            Format::counted(m_fanout->subCaches.size(), tr("named sub-cache"), tr("named sub-caches")));
}

QString VacuumDialog::introText() const
{
    return m_ui->pathValue->text();
}

VacuumDialog::~VacuumDialog()
{
    m_cancel.cancel(); // the worker rolls back; its result is dropped
}

void VacuumDialog::runThere(const QStringList& extraArgs)
{
    m_there = extraArgs;
    const auto address = CacheAddress::parse(m_dbPath);
    const QString where = address ? address->where() : m_dbPath;
    m_ui->browseButton->hide(); // a file dialog would show this computer's files
    m_ui->intoEdit->setPlaceholderText(tr("A new file's path on %1, where the vacuum runs").arg(where));
    m_ui->pathValue->setText(tr("Vacuum <b>%1</b>").arg(m_dbPath.toHtmlEscaped()) + u"<br>"_s
        + tr("It runs on %1: the Overview's free pages say how much it would give back.").arg(where.toHtmlEscaped()));
}

void VacuumDialog::setJournalMode(const QString& journalMode)
{
    m_journalMode = journalMode;
    showAccess();
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
        if (m_fanout) {
            if (Status into = FolderVacuum::checkInto(options.intoPath); !into) {
                m_ui->resultText->setPlainText(tr("Vacuum failed: %1").arg(into.error().message));
                return;
            }
        }
    }
    for (const auto& writer : std::as_const(m_lastWriters))
        options.alsoWriting
            << writer.first; // the writers Activity names: in the warnings and, if they write, the result
    m_writersWhileRunning = m_lastWriters;
    m_cancel = CancelToken();
    setRunning(true);
    m_ui->resultText->setPlainText(tr("Running… (Cancel rolls it back)"));
    if (m_there) {
        QStringList args { u"vacuum"_s, m_dbPath };
        if (!options.intoPath.isEmpty())
            args << u"--into"_s << options.intoPath;
        m_thereCall = CliCall::run(this, args + *m_there, [this](const CliOutcome& outcome) {
            setRunning(false);
            m_ui->progressBar->setRange(0, 1);
            m_ui->progressBar->setValue(outcome.ok() ? 1 : 0);
            QString text = Format::escapeControl(QString::fromUtf8(outcome.out).trimmed(), true);
            if (!outcome.error.isEmpty())
                text += (text.isEmpty() ? QString() : u"\n\n"_s) + Format::escapeControl(outcome.error, true);
            m_ui->resultText->setPlainText(outcome.ok() ? text : tr("Vacuum failed: %1").arg(text));
            Q_EMIT finished(outcome.ok());
        });
        return;
    }
    const TaskProgress<Vacuum::Progress> progressTo(
        this, [this](const Vacuum::Progress& progress) { showProgress(progress); });
    options.progress = [cancel = m_cancel, progressTo](const Vacuum::Progress& progress) {
        progressTo.report(progress);
        return !cancel.isCancelled();
    };
    if (m_fanout) { // every shard, then every named sub-cache; a cancel stops after the one running
        BackgroundTask::run<Result<QList<FolderVacuum::Part>>>(
            this, [folder = *m_fanout, options] { return FolderVacuum::run(folder, options); },
            [this](Result<QList<FolderVacuum::Part>> parts) { showParts(parts); });
        return;
    }
    BackgroundTask::run<Result<Vacuum::Outcome>>(
        this, [path = m_dbPath, options] { return Vacuum::run(path, options); },
        [this](Result<Vacuum::Outcome> outcome) { showOutcome(outcome); });
}

void VacuumDialog::showParts(const Result<QList<FolderVacuum::Part>>& parts)
{
    if (!parts) {
        showOutcome(parts.error());
        return;
    }
    setRunning(false);
    QStringList texts;
    bool cancelled = false;
    for (const auto& part : parts.value()) {
        texts << part.what + u": "_s + part.outcome.toText();
        cancelled = cancelled || part.outcome.cancelled || part.outcome.cancelledAfterCommit;
    }
    const qsizetype total = m_fanout->everyDatabase().size();
    if (parts->size() < total)
        texts << tr("Stopped: %1 of the %2 databases were not vacuumed.")
                     .arg(Format::count(total - parts->size()), Format::count(total));
    m_ui->progressBar->setRange(0, 1);
    m_ui->progressBar->setValue(cancelled ? 0 : 1);
    m_ui->progressBar->setFormat(u"%p%"_s);
    m_ui->resultText->setPlainText(texts.join(u"\n\n"_s));
    Q_EMIT finished(!cancelled);
}

void VacuumDialog::cancel()
{
    m_cancel.cancel();
    if (m_thereCall)
        m_thereCall->terminate(); // Ctrl-C there: the vacuum rolls back and says so
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
            tr("%1 of %2").arg(Format::bytesNoBreak(progress.bytesDone), Format::bytesNoBreak(progress.bytesExpected)));
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
    Vacuum::Outcome said = outcome.value();
    if (said.othersWrote) { // who Activity saw writing meanwhile, beside who core saw
        for (const auto& writer : std::as_const(m_writersWhileRunning)) {
            if (!said.writers.contains(writer))
                said.writers << writer;
        }
    }
    m_ui->resultText->setPlainText(inWords(said));
    Q_EMIT finished(!outcome->cancelled);
}

QString VacuumDialog::inWords(const Vacuum::Outcome& outcome)
{
    if (outcome.cancelled || !outcome.intoPath.isEmpty() || outcome.cancelledAfterCommit)
        return outcome.toText(); // said plainly there already
    QStringList lines;
    for (const auto& warning : outcome.warnings)
        lines << tr("Warning: %1").arg(warning.message);
    // The file sizes alone mislead: pages in the -wal move into the database file, which can
    // grow while the two together shrink.
    const qint64 before = outcome.dbBytesBefore + outcome.walBytesBefore;
    const qint64 after = outcome.dbBytesAfter + outcome.walBytesAfter;
    lines << tr("The vacuum is complete: the database and its -wal took %1 and now take %2 (database %3 → %4, -wal "
                "%5 → %6); %7 free before.")
                 .arg(Format::bytesNoBreak(before), Format::bytesNoBreak(after),
                     Format::bytesNoBreak(outcome.dbBytesBefore), Format::bytesNoBreak(outcome.dbBytesAfter),
                     Format::bytesNoBreak(outcome.walBytesBefore), Format::bytesNoBreak(outcome.walBytesAfter),
                     Format::counted(outcome.freePagesBefore, tr("page was"), tr("pages were")));
    if (const QString meanwhile = outcome.growthText(); !meanwhile.isEmpty())
        lines << meanwhile; // the sizes after are not the vacuum's alone
    if (outcome.checkpointBusy)
        lines << tr("The checkpoint afterwards could not finish: other readers keep the -wal until they are done.");
    return lines.join(u"\n\n"_s);
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
    if (running) {
        m_ui->progressBar->setRange(0, 0);
        m_ui->progressBar->show();
    }
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
