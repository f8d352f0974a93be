// SPDX-License-Identifier: GPL-3.0-or-later
#include "dialogs/scandialog.h"
#include "ui_scandialog.h"

#include "common/format.h"
#include "dialogs/deletedialog.h"
#include "models/clicall.h"
#include "tasks/backgroundtask.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QJsonDocument>
#include <QPushButton>

#include <numeric>

using namespace Qt::Literals::StringLiterals;

namespace {
constexpr int DbPathRole = Qt::UserRole + 1;

QString holdersText(const QList<CacheHolders::Process>& holders, bool self)
{
    QStringList parts;
    if (self)
        parts << QObject::tr("this window");
    for (const auto& holder : holders)
        parts << u"%1 (%2)"_s.arg(holder.pid).arg(holder.name);
    return parts.join(u", "_s);
}
} // namespace

ScanDialog::ScanDialog(QWidget* parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::ScanDialog>())
{
    m_ui->setupUi(this);
    // Every column as wide as its contents, the path the rest (cut in its middle, where a path's
    // folders repeat, when the dialog is narrower than it): nothing cut at the default size.
    QHeaderView* header = m_ui->resultsTree->header();
    header->setStretchLastSection(false);
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    header->setSectionResizeMode(0, QHeaderView::Stretch);
    m_ui->resultsTree->setTextElideMode(Qt::ElideMiddle);
    connect(m_ui->scanButton, &QPushButton::clicked, this, &ScanDialog::startScan);
    connect(m_ui->browseButton, &QPushButton::clicked, this, &ScanDialog::chooseDirectory);
    connect(m_ui->directoryEdit, &QLineEdit::returnPressed, this, &ScanDialog::startScan);
    connect(m_ui->removeOrphanButton, &QPushButton::clicked, this, &ScanDialog::removeSelectedOrphan);
    connect(m_ui->buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_ui->resultsTree, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem* item) { openResult(item); });
    connect(m_ui->resultsTree, &QTreeWidget::itemSelectionChanged, this, [this] {
        const auto selected = m_ui->resultsTree->selectedItems();
        m_ui->removeOrphanButton->setEnabled(
            !m_remote && selected.size() == 1 && selected.first()->parent() == m_orphansItem);
    });
}

ScanDialog::~ScanDialog() = default;

void ScanDialog::runThere(const CacheAddress& host, const QStringList& extraArgs)
{
    m_remote = host;
    m_remoteArgs = extraArgs;
    setWindowTitle(tr("Scan a Folder on %1").arg(Format::escapeControl(host.where())));
    m_ui->browseButton->setEnabled(false);
    m_ui->browseButton->setToolTip(tr("The folder is on %1: type its path there.").arg(host.where()));
    m_ui->removeOrphanButton->setToolTip(
        tr("Orphaned sidecars there are removed by `cachescope-cli delete %1` with the database's name.")
            .arg(host.withPath(u"PATH"_s).toString()));
}

void ScanDialog::setDirectory(const QString& directory)
{
    m_ui->directoryEdit->setText(directory);
}

void ScanDialog::setDirectoryOf(const QString& cache)
{
    // A FanoutCache or diskcache folder is its own folder to scan (never shard 000's), a database file its folder.
    const QFileInfo info(cache);
    setDirectory(info.isDir() ? info.absoluteFilePath() : info.absolutePath());
}

void ScanDialog::chooseDirectory()
{
    const QString directory = QFileDialog::getExistingDirectory(this, tr("Folder to scan"));
    if (!directory.isEmpty()) {
        setDirectory(directory);
        startScan();
    }
}

void ScanDialog::startScan()
{
    const QString directory = m_ui->directoryEdit->text().trimmed();
    if (directory.isEmpty() || m_scanning)
        return;
    m_scanning = true;
    m_ui->scanButton->setEnabled(false);
    m_ui->statusLabel->setText(tr("Scanning %1…").arg(directory.toHtmlEscaped()));
    if (m_remote) {
        const QStringList args
            = QStringList { u"scan"_s, m_remote->withPath(directory).toString(), u"--json"_s } + m_remoteArgs;
        CliCall::run(this, args, [this](const CliCall::Outcome& outcome) {
            const QJsonObject json = QJsonDocument::fromJson(outcome.out).object();
            if (outcome.ok() && !json.isEmpty())
                showReport(Scanner::Report::fromJson(json));
            else
                showReport(Error { Error::Kind::Other,
                    outcome.error.isEmpty() ? tr("cachescope-cli scan ended with exit %1").arg(outcome.exitCode)
                                            : outcome.error });
        });
        return;
    }
    BackgroundTask::run<Result<Scanner::Report>>(
        this, [directory] { return Scanner::scan(directory); },
        [this](Result<Scanner::Report> report) { showReport(report); });
}

void ScanDialog::showReport(const Result<Scanner::Report>& report)
{
    m_scanning = false;
    m_ui->scanButton->setEnabled(true);
    m_ui->resultsTree->clear();
    m_databasesItem = m_orphansItem = m_fanoutsItem = nullptr;
    if (!report) {
        m_ui->statusLabel->setText(report.error().message.toHtmlEscaped());
        Q_EMIT scanned();
        return;
    }
    if (!report->fanouts.isEmpty()) // each named once as one cache; its databases are listed below too
        m_fanoutsItem = new QTreeWidgetItem(
            m_ui->resultsTree, { tr("FanoutCache folders (%1)").arg(Format::count(report->fanouts.size())) });
    for (const auto& fanout : report->fanouts) {
        QString parts = tr("FanoutCache: %1 shards").arg(Format::count(fanout.shards.size()));
        if (!fanout.subCaches.isEmpty())
            parts += u", "_s + tr("sub-caches %1").arg(fanout.subCaches.join(u", "_s));
        // One line across the columns: the folder, what it holds and its size.
        auto* item = new QTreeWidgetItem(m_fanoutsItem,
            { tr("%1 — %2, %3 in all").arg(fanout.folder, parts, Format::bytesNoBreak(fanout.totalBytes)) });
        item->setFirstColumnSpanned(true);
        item->setToolTip(0,
            tr("Double-click to open the whole FanoutCache %1 (every shard, with a shard column)").arg(fanout.folder));
        item->setData(0, DbPathRole, fanout.folder);
    }
    m_databasesItem
        = new QTreeWidgetItem(m_ui->resultsTree, { tr("Databases (%1)").arg(Format::count(report->databases.size())) });
    for (const auto& found : report->databases) {
        const QString mode = found.journalMode.isEmpty() ? tr("unreadable") : found.journalModeName();
        const auto sidecar = [](qint64 bytes) { return bytes < 0 ? u"—"_s : Format::bytesNoBreak(bytes); };
        auto* item = new QTreeWidgetItem(m_databasesItem,
            { found.path, mode, Format::bytesNoBreak(found.dbBytes), sidecar(found.walBytes), sidecar(found.shmBytes),
                found.profile, holdersText(found.holders, found.openInThisProcess) });
        item->setData(0, DbPathRole, found.path);
        item->setToolTip(0, tr("Double-click to open %1").arg(found.path));
    }
    m_orphansItem = new QTreeWidgetItem(m_ui->resultsTree,
        { tr("Orphaned sidecars: their database is gone (%1)").arg(Format::count(report->orphans.size())) });
    for (const auto& orphan : report->orphans) {
        auto* item = new QTreeWidgetItem(m_orphansItem,
            { orphan.path, orphan.kind, QString(), QString(), QString(), QString(),
                holdersText(orphan.holders, false) });
        item->setText(2, Format::bytesNoBreak(orphan.bytes));
        item->setData(0, DbPathRole, orphan.dbPath);
    }
    for (QTreeWidgetItem* group : { m_fanoutsItem, m_databasesItem, m_orphansItem }) {
        if (group)
            group->setFirstColumnSpanned(true); // a heading across the columns
    }
    m_ui->resultsTree->expandAll();
    QString status = tr("%1, %2. Double-click a database to open it.")
                         .arg(Format::counted(report->databases.size(), tr("database"), tr("databases")),
                             Format::counted(report->orphans.size(), tr("orphaned sidecar"), tr("orphaned sidecars")));
    if (!report->fanouts.isEmpty()) {
        const qsizetype parts = std::accumulate(report->fanouts.begin(), report->fanouts.end(), qsizetype(0),
            [](qsizetype sum, const Scanner::Fanout& fanout) {
                return sum + fanout.shards.size() + fanout.subCaches.size();
            });
        status += u' '
            + tr("%1 of them form %2, listed first.")
                  .arg(Format::count(parts),
                      Format::counted(report->fanouts.size(), tr("FanoutCache"), tr("FanoutCaches")));
    }
    if (!report->unreadable.isEmpty())
        status += u' '
            + tr("Skipped %1.")
                  .arg(Format::counted(report->unreadable.size(), tr("unreadable folder"), tr("unreadable folders")));
    if (report->skippedSymlinks > 0)
        status += u' '
            + tr("Did not follow %1.")
                  .arg(Format::counted(report->skippedSymlinks, tr("symbolic link"), tr("symbolic links")));
    m_ui->statusLabel->setText(status);
    Q_EMIT scanned();
}

void ScanDialog::removeSelectedOrphan()
{
    const auto selected = m_ui->resultsTree->selectedItems();
    if (selected.size() != 1)
        return;
    DeleteDialog dialog(selected.first()->data(0, DbPathRole).toString(), this);
    if (dialog.exec() == QDialog::Accepted)
        startScan();
}

int ScanDialog::databaseCount() const
{
    return m_databasesItem ? m_databasesItem->childCount() : 0;
}

int ScanDialog::orphanCount() const
{
    return m_orphansItem ? m_orphansItem->childCount() : 0;
}

QString ScanDialog::statusText() const
{
    return m_ui->statusLabel->text();
}

bool ScanDialog::openResult(QTreeWidgetItem* item)
{
    if (!item || !item->parent() || (item->parent() != m_databasesItem && item->parent() != m_fanoutsItem))
        return false;
    Q_EMIT openRequested(item->data(0, DbPathRole).toString());
    accept();
    return true;
}

QTreeWidgetItem* ScanDialog::databaseItem(int index) const
{
    return m_databasesItem ? m_databasesItem->child(index) : nullptr;
}
