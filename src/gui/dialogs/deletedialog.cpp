// SPDX-License-Identifier: GPL-3.0-or-later
#include "dialogs/deletedialog.h"
#include "ui_deletedialog.h"

#include "dialogs/deletewords.h"

#include "common/format.h"
#include "maintenance/trash.h"
#include "models/clicall.h"
#include "models/processmodel.h"
#include "os/processtable.h"
#include "pages/commandlinecolumn.h"
#include "remote/cacheaddress.h"
#include "tasks/backgroundtask.h"

#include <QDir>
#include <QFileInfo>
#include <QHeaderView>
#include <QJsonDocument>
#include <QPushButton>

#include <sys/stat.h>

using namespace Qt::Literals::StringLiterals;

namespace {

// The device of path, or of its nearest existing ancestor; 0 when none can be read.
quint64 deviceOf(QString path)
{
    while (!path.isEmpty()) {
        struct stat st { };
        if (::stat(QFile::encodeName(path).constData(), &st) == 0)
            return quint64(st.st_dev);
        const QString parent = QFileInfo(path).path();
        if (parent == path)
            break;
        path = parent;
    }
    return 0;
}

// Why the files cannot go to the home trash ("" when they can). Only the home trash is
// prepared here, before the user asked for anything: a trash at the top of another filesystem
// ($topdir/.Trash-$uid) is created only when the user ticks the box and confirms.
QString homeTrashProblem(const QList<SafeDelete::File>& files)
{
    QString dataHome = qEnvironmentVariable("XDG_DATA_HOME");
    if (!QDir::isAbsolutePath(dataHome))
        dataHome = QDir::homePath() + u"/.local/share"_s;
    const quint64 home = deviceOf(dataHome);
    for (const SafeDelete::File& file : files) {
        if (home == 0 || deviceOf(file.path) != home)
            return QObject::tr("the files are not on the filesystem of your home trash");
        if (auto location = Trash::locationFor(file.path); !location)
            return location.error().message;
    }
    return {};
}

} // namespace

DeleteDialog::DeleteDialog(const QString& dbPath, QWidget* parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::DeleteDialog>())
    , m_dbPath(dbPath)
{
    m_ui->setupUi(this);
    // The sizes stay in sight: a long path gives way (its middle elided, whole in its tooltip).
    QHeaderView* header = m_ui->filesTree->header();
    header->setStretchLastSection(false);
    header->setSectionResizeMode(0, QHeaderView::Stretch);
    header->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_ui->filesTree->setTextElideMode(Qt::ElideMiddle);
    CommandLineColumn::install(m_ui->holdersTree, m_ui->holdersTree->header(), HolderCommandColumn);
    m_ui->holdersTree->headerItem()->setToolTip(HolderFilesColumn,
        tr("Which of the cache's files it has open or locked: the database, its -wal, -shm, -journal"));
    m_ui->holdersTree->headerItem()->setToolTip(HolderDoingColumn,
        tr("What its locks on the files say it does now: writing, reading, checkpointing; \"connected, idle\": an "
           "SQLite connection doing nothing at the moment, which still blocks the delete. Hover a cell for the locks "
           "by SQLite's names."));
    // The path as it is (copied from here, it is the file's name); the words around it held together.
    m_ui->introLabel->setText(DeleteWords::unbrokenSuffixes(
        tr("Delete <b>%1</b> together with its -wal, -shm and -journal (and for a diskcache the value files it "
           "references; nothing else in its folder). A stale -wal left beside a new database of "
           "the same name would be replayed into it, so they go together. Writers that reopen it with CREATE "
           "will make a new, empty database: stop them first."))
                                  .arg(dbPath.toHtmlEscaped()));
    m_deleteButton = m_ui->buttons->addButton(tr("Move to Trash"), QDialogButtonBox::DestructiveRole);
    m_deleteButton->setObjectName(u"deleteButton"_s);
    m_deleteButton->setEnabled(false);
    // Enter never deletes: Cancel is the default, and Delete takes Enter even when it has the focus.
    m_deleteButton->setAutoDefault(false);
    cancelButton()->setDefault(true);
    cancelButton()->setFocus();
    connect(m_deleteButton, &QPushButton::clicked, this, &DeleteDialog::deleteNow);
    connect(m_ui->buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    m_ui->trashCheck->setChecked(true); // until the first check says there is no usable trash
    m_ui->trashCheck->setEnabled(false);
    connect(m_ui->trashCheck, &QCheckBox::toggled, this, [this](bool trash) {
        m_deleteButton->setText(trash ? tr("Move to Trash") : tr("Delete Permanently"));
        showTotals(); // what goes to the trash and what is deleted for good
    });
    m_ui->statusLabel->setText(tr("Checking who has the files open…"));
    m_recheckTimer.setInterval(1000);
    connect(&m_recheckTimer, &QTimer::timeout, this, &DeleteDialog::recheck);
    if (CacheAddress::isRemoteText(dbPath))
        return; // runThere() starts checking there
    m_recheckTimer.start();
    recheck();
}

void DeleteDialog::runThere(const QStringList& extraArgs)
{
    m_there = extraArgs;
    const auto address = CacheAddress::parse(m_dbPath);
    m_ui->trashCheck->setText(tr("Move to the trash on %1 (of its user, as a file manager there would)")
                                  .arg(address ? address->where() : m_dbPath));
    m_recheckTimer.start();
    recheck();
}

void DeleteDialog::checkThere(const CancelToken& token, bool first)
{
    CliCall::run(this, QStringList { u"delete"_s, m_dbPath, u"--dry-run"_s, u"--json"_s } + *m_there,
        [this, token, first](const CliOutcome& outcome) {
            // A refusal (holders there) is exit 3 with its report; no report: it could not run there.
            const QJsonObject report = QJsonDocument::fromJson(outcome.out).object();
            Check check { report.contains(u"files"_s)
                    ? Result<SafeDelete::Outcome>(SafeDelete::Outcome::fromJson(report))
                    : Result<SafeDelete::Outcome>(Error { Error::Kind::Other,
                        outcome.error.isEmpty() ? tr("exit code %1").arg(outcome.exitCode) : outcome.error }),
                QString() };
            showCheck(token, first, check);
        });
}

DeleteDialog::~DeleteDialog() = default;

QPushButton* DeleteDialog::cancelButton() const
{
    return m_ui->buttons->button(QDialogButtonBox::Cancel);
}

bool DeleteDialog::movesToTrash() const
{
    return m_ui->trashCheck->isChecked();
}

void DeleteDialog::recheck()
{
    if (m_deleting || m_checking)
        return;
    m_checking = true;
    const CancelToken token = m_check.start();
    const bool first = m_checksDone == 0;
    if (m_there)
        return checkThere(token, first);
    BackgroundTask::run<Check>(
        this,
        [path = m_dbPath, first] {
            SafeDelete::Options options;
            options.dryRun = true;
            Check check { SafeDelete::run(path, options), QString() };
            if (first && check.plan)
                check.trashProblem = homeTrashProblem(check.plan->files);
            return check;
        },
        [this, token, first](Check check) { showCheck(token, first, check); });
}

void DeleteDialog::showCheck(const CancelToken& token, bool first, const Check& check)
{
    m_checking = false;
    if (m_deleting) { // confirmed while this dry run (and its connection) was still open
        startDelete();
        return;
    }
    if (!m_check.isCurrent(token))
        return;
    if (first) {
        const bool usable = check.plan && check.trashProblem.isEmpty();
        m_ui->trashCheck->setEnabled(true);
        m_ui->trashCheck->setChecked(usable);
        if (!usable && check.plan)
            m_ui->trashCheck->setToolTip(tr("Off by default: %1.").arg(check.trashProblem));
    }
    showPlan(check.plan);
}

void DeleteDialog::listFiles(const SafeDelete::Outcome& plan)
{
    // Rebuilt every second: a value list the user opened stays open.
    const QTreeWidgetItem* last = m_ui->filesTree->topLevelItem(m_ui->filesTree->topLevelItemCount() - 1);
    const bool valuesExpanded = last && last->isExpanded();
    m_ui->filesTree->clear();
    m_listed.clear();
    for (const auto& file : plan.files)
        m_listed << file.path;
    const QFileInfo given(m_dbPath); // a cache folder (diskcache, FanoutCache) or its database
    QString folder = given.isDir() ? given.absoluteFilePath() : given.absolutePath();
    if (m_there) // paths there: the folder as the plan names it
        folder = plan.layout == u"fanout"_s ? plan.dbPath : QFileInfo(plan.databases.value(0, plan.dbPath)).path();
    QTreeWidgetItem* values = nullptr;
    int valueCount = 0;
    qint64 valueBytes = 0;
    QList<SafeDelete::File> own;
    for (const auto& file : plan.files) {
        if (file.kind != u"value"_s)
            own << file;
    }
    for (const auto& file :
        DeleteWords::inListOrder(own)) { // the database and its sidecars first, as the totals say them
        auto* item = new QTreeWidgetItem(m_ui->filesTree, { file.path, Format::bytesNoBreak(file.bytes) });
        item->setToolTip(0, file.path);
    }
    for (const auto& file : plan.files) {
        if (file.kind != u"value"_s)
            continue;
        if (!values) // one row for all of them, listed below it: a diskcache can have thousands
            values = new QTreeWidgetItem(m_ui->filesTree);
        if (valueCount < MaxListedValueFiles) { // named within the cache's folder, like diskcache does
            const QString relative = QDir(folder).relativeFilePath(file.path);
            auto* item = new QTreeWidgetItem(values, { relative, Format::bytesNoBreak(file.bytes) });
            item->setToolTip(0, file.path);
        }
        ++valueCount;
        valueBytes += file.bytes;
    }
    if (values) {
        values->setText(0,
            valueCount == 1 ? tr("1 value file the cache references")
                            : tr("%1 value files the cache references").arg(Format::count(valueCount)));
        values->setText(1, Format::bytesNoBreak(valueBytes));
        values->setExpanded(valuesExpanded);
        if (valueCount > MaxListedValueFiles)
            new QTreeWidgetItem(
                values, { tr("… and %1 more").arg(Format::count(valueCount - MaxListedValueFiles)), QString() });
    }
}

void DeleteDialog::showPlan(const Result<SafeDelete::Outcome>& plan)
{
    ++m_checksDone;
    m_ui->holdersTree->clear();
    if (!plan) {
        m_ui->filesTree->clear();
        m_statusHead.clear();
        m_ui->statusLabel->setText(plan.error().message.toHtmlEscaped());
        m_deleteButton->setEnabled(false);
        return;
    }
    listFiles(plan.value());
    m_totals = plan->totals();
    m_uninspectableText = plan->uninspectableProcesses > 0
        ? tr("%1 of other users could not be inspected for open files; only their locks were seen.")
              .arg(Format::counted(plan->uninspectableProcesses, tr("process"), tr("processes")))
        : QString();
    for (const auto& holder : plan->holders) {
        // Command lines can span lines (python -c …): one line here, cut in its middle as the Activity tab's
        // processes are, the whole of it as a tooltip.
        const QString command = holder.cmdline.isEmpty() ? holder.name : ProcessModel::shortCommandLine(holder.cmdline);
        // Files are files ("database, -wal"); what its locks mean is said in words beside them, the locks by SQLite's
        // names only in that cell's tooltip ("dms", "db_shared" are no files).
        auto* item = new QTreeWidgetItem(m_ui->holdersTree,
            { QString::number(holder.pid), command, holder.filesText(), DeleteWords::holderDoing(holder) });
        item->setToolTip(1, holder.cmdline.isEmpty() ? holder.name : holder.cmdline);
        item->setToolTip(HolderDoingColumn, DeleteWords::holderLocksTip(holder));
    }
    const bool blocked = plan->refused || !plan->holders.isEmpty();
    m_ui->holdersLabel->setVisible(!plan->holders.isEmpty());
    m_ui->holdersTree->setVisible(!plan->holders.isEmpty());
    m_blockedText = blocked ? blockedBy(plan.value()) : QString();
    m_statusHead = blocked ? tr("<b>Blocked:</b> %1").arg(m_blockedText.toHtmlEscaped())
                           : tr("No other process has these files open. Ready to delete.");
    showTotals();
    m_deleteButton->setEnabled(!blocked && !plan->files.isEmpty());
}

void DeleteDialog::showTotals()
{
    // The -wal and -shm are said apart while SQLite removes them itself, as this window's connection closes.
    m_totalsText = DeleteWords::totalsInWords(m_totals, movesToTrash(), m_foldedOnClose);
    m_ui->filesLabel->setText(
        DeleteWords::unbrokenSuffixes(DeleteWords::filesLabelInWords(m_totals, movesToTrash(), m_foldedOnClose)));
    if (!m_uninspectableText.isEmpty())
        m_totalsText += (m_totalsText.isEmpty() ? QString() : u" "_s) + m_uninspectableText;
    if (m_statusHead.isEmpty())
        return; // not checked yet
    m_ui->statusLabel->setText(DeleteWords::unbrokenSuffixes(
        m_statusHead + (m_totalsText.isEmpty() ? QString() : u"<br>"_s + m_totalsText.toHtmlEscaped())));
}

// Which processes block, in words, and what to do: the demo's own writers are stopped from the File menu.
QString DeleteDialog::blockedBy(const SafeDelete::Outcome& plan) const
{
    const QString again = tr("This is re-checked every second.");
    if (plan.holders.isEmpty())
        return plan.reason + u". "_s + again;
    QStringList others;
    int demo = 0;
    for (const auto& holder : plan.holders) {
        if (m_demoSimulator > 0
            && (holder.pid == m_demoSimulator || ProcessTable::parentOf(holder.pid) == m_demoSimulator)) {
            ++demo;
            continue;
        }
        others << (holder.name.isEmpty()
                ? tr("PID %1").arg(holder.pid)
                : tr("PID %1 (%2)").arg(holder.pid).arg(holder.name)); // as every panel names one
    }
    const QString stopDemo = tr("choose File ▸ Stop the Demo's Writers to stop them (the cache stays open), then "
                                "Delete.");
    if (others.isEmpty())
        return tr("the demo's writers have the files open (%1): %2 %3")
            .arg(Format::counted(demo, tr("process"), tr("processes")), stopDemo, again);
    const QString named = tr("%1 %2 the files open or locked: %3.")
                              .arg(Format::counted(others.size(), tr("other process"), tr("other processes")),
                                  others.size() == 1 ? tr("has") : tr("have"), others.join(u", "_s));
    if (demo > 0)
        return named + u' ' + tr("So do the demo's writers: %1").arg(stopDemo) + u' ' + tr("Stop the others too.")
            + u' ' + again;
    return named + u' ' + tr("Close the programs that use the cache or stop those processes.") + u' ' + again;
}

void DeleteDialog::deleteNow()
{
    m_deleting = true;
    m_recheckTimer.stop();
    m_deleteButton->setEnabled(false);
    m_ui->trashCheck->setEnabled(false);
    m_ui->statusLabel->setText(movesToTrash() ? tr("Moving to the trash…") : tr("Deleting…"));
    if (!m_checking) // else once the dry run in flight has closed its connection
        startDelete();
}

void DeleteDialog::startDelete()
{
    if (m_there) { // nothing of it is open here: nothing to release
        QStringList args { u"delete"_s, m_dbPath, u"--json"_s };
        if (m_ui->trashCheck->isChecked())
            args << u"--trash"_s;
        CliCall::run(this, args + *m_there, [this](const CliOutcome& outcome) {
            const QJsonObject report = QJsonDocument::fromJson(outcome.out).object();
            if (report.contains(u"files"_s))
                showDeleted(SafeDelete::Outcome::fromJson(report));
            else
                showDeleted(Error { Error::Kind::Other,
                    outcome.error.isEmpty() ? tr("exit code %1").arg(outcome.exitCode) : outcome.error });
        });
        return;
    }
    if (!m_released) {
        m_released = true;
        Q_EMIT releaseRequested(); // the owner closes its connection now: none may be open while the locks are taken
    }
    SafeDelete::Options options;
    options.trash = m_ui->trashCheck->isChecked();
    BackgroundTask::run<Result<SafeDelete::Outcome>>(
        this, [path = m_dbPath, options] { return SafeDelete::run(path, options); },
        [this](Result<SafeDelete::Outcome> outcome) { showDeleted(outcome); });
}

void DeleteDialog::showDeleted(const Result<SafeDelete::Outcome>& outcome)
{
    m_deleting = false;
    if (outcome && !outcome->refused) {
        m_deleted = outcome->deleted;
        accept();
        return;
    }
    // Someone opened the files between the check and the delete: show why, keep checking.
    m_ui->trashCheck->setEnabled(true);
    showPlan(outcome);
    m_recheckTimer.start();
}

int DeleteDialog::holderCount() const
{
    return m_ui->holdersTree->topLevelItemCount();
}

int DeleteDialog::fileCount() const
{
    return m_ui->filesTree->topLevelItemCount();
}

QString DeleteDialog::totalsText() const
{
    return m_totalsText;
}

QString DeleteDialog::statusText() const
{
    return m_ui->statusLabel->text();
}
