// SPDX-License-Identifier: GPL-3.0-or-later
#include "dialogs/deletedialog.h"
#include "ui_deletedialog.h"

#include "common/format.h"
#include "tasks/backgroundtask.h"

#include <QPushButton>

using namespace Qt::Literals::StringLiterals;

DeleteDialog::DeleteDialog(const QString& dbPath, QWidget* parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::DeleteDialog>())
    , m_dbPath(dbPath)
{
    m_ui->setupUi(this);
    m_ui->introLabel->setText(
        tr("Delete <b>%1</b> together with its -wal, -shm and -journal (and for a diskcache the value files it "
           "references; nothing else in its folder). A stale -wal left beside a new database of "
           "the same name would be replayed into it, so they go together. Writers that reopen it with CREATE will "
           "make a new, empty database: stop them first.")
            .arg(dbPath.toHtmlEscaped()));
    m_deleteButton = m_ui->buttons->addButton(tr("Delete"), QDialogButtonBox::DestructiveRole);
    m_deleteButton->setEnabled(false);
    connect(m_deleteButton, &QPushButton::clicked, this, &DeleteDialog::deleteNow);
    connect(m_ui->buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_ui->trashCheck, &QCheckBox::toggled, this,
        [this](bool trash) { m_deleteButton->setText(trash ? tr("Move to Trash") : tr("Delete")); });
    m_ui->statusLabel->setText(tr("Checking who has the files open…"));
    m_recheckTimer.setInterval(1000);
    connect(&m_recheckTimer, &QTimer::timeout, this, &DeleteDialog::recheck);
    m_recheckTimer.start();
    recheck();
}

DeleteDialog::~DeleteDialog() = default;

void DeleteDialog::recheck()
{
    if (m_deleting)
        return;
    const quint64 generation = ++m_generation;
    SafeDelete::Options options;
    options.dryRun = true;
    BackgroundTask::run<Result<SafeDelete::Outcome>>(
        this, [path = m_dbPath, options] { return SafeDelete::run(path, options); },
        [this, generation](Result<SafeDelete::Outcome> plan) {
            if (generation == m_generation && !m_deleting)
                showPlan(plan);
        });
}

void DeleteDialog::showPlan(const Result<SafeDelete::Outcome>& plan)
{
    ++m_checksDone;
    m_ui->filesTree->clear();
    m_ui->holdersTree->clear();
    if (!plan) {
        m_ui->statusLabel->setText(plan.error().message.toHtmlEscaped());
        m_deleteButton->setEnabled(false);
        return;
    }
    int values = 0;
    qint64 valueBytes = 0;
    for (const auto& file : plan->files) {
        if (file.kind == u"value"_s) { // one row for all of them: a diskcache can have thousands
            ++values;
            valueBytes += file.bytes;
            continue;
        }
        new QTreeWidgetItem(m_ui->filesTree, { file.path, Format::bytes(file.bytes) });
    }
    if (values > 0)
        new QTreeWidgetItem(
            m_ui->filesTree, { tr("%n value file(s) the cache references", "", values), Format::bytes(valueBytes) });
    QStringList parts;
    qint64 total = 0;
    for (const auto& kind : plan->totals()) {
        parts << tr("%1 %2 (%3)").arg(kind.count).arg(kind.kind, Format::bytes(kind.bytes));
        total += kind.bytes;
    }
    m_totalsText = parts.isEmpty() ? QString()
                                   : tr("Will remove %1 — %2 in all.").arg(parts.join(u", "_s), Format::bytes(total));
    if (plan->uninspectableProcesses > 0)
        m_totalsText += u' '
            + tr("%n process(es) of other users could not be inspected for open files; only their locks were seen.", "",
                plan->uninspectableProcesses);
    for (const auto& holder : plan->holders) {
        // Command lines can span lines (python -c …): one line here, the whole of it as a tooltip.
        const QString command = holder.cmdline.isEmpty() ? holder.name : holder.cmdline.simplified();
        auto* item = new QTreeWidgetItem(m_ui->holdersTree,
            { QString::number(holder.pid), command.left(120), (holder.files + holder.locks).join(u", "_s) });
        item->setToolTip(1, holder.cmdline);
    }
    m_ui->filesTree->resizeColumnToContents(0);
    m_ui->holdersTree->resizeColumnToContents(1);
    const bool blocked = plan->refused || !plan->holders.isEmpty();
    m_ui->holdersLabel->setVisible(!plan->holders.isEmpty());
    m_ui->holdersTree->setVisible(!plan->holders.isEmpty());
    m_ui->statusLabel->setText(blocked ? tr("<b>Blocked:</b> %1. Stop those processes; this is re-checked every "
                                            "second.")
                                             .arg(plan->reason.toHtmlEscaped())
                                       : tr("No other process has these files open. Ready to delete.")
                + (m_totalsText.isEmpty() ? QString() : u"<br>"_s + m_totalsText.toHtmlEscaped()));
    m_deleteButton->setEnabled(!blocked && !plan->files.isEmpty());
}

void DeleteDialog::deleteNow()
{
    m_deleting = true;
    m_recheckTimer.stop();
    m_deleteButton->setEnabled(false);
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
