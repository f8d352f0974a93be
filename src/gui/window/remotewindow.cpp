// SPDX-License-Identifier: GPL-3.0-or-later
#include "window/remotewindow.h"

#include "common/format.h"
#include "dialogs/checkpointdialog.h"
#include "dialogs/deletedialog.h"
#include "dialogs/openremotedialog.h"
#include "dialogs/prunedialog.h"
#include "dialogs/scandialog.h"
#include "dialogs/vacuumdialog.h"
#include "models/activityfeed.h"
#include "models/remotesession.h"
#include "pages/activitypage.h"
#include "pages/overviewpage.h"
#include "pages/remotecommandspage.h"
#include "pages/remoteentriespage.h"

#include <QFileInfo>
#include <QLabel>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>

using namespace Qt::Literals::StringLiterals;

RemoteWindow::RemoteWindow(const CacheAddress& address, const QString& remoteProgram, QWidget* parent)
    : QMainWindow(parent)
    , m_address(address)
    , m_program(remoteProgram)
    , m_tabs(new QTabWidget(this))
    , m_overview(new OverviewPage(this))
    , m_entries(new RemoteEntriesPage(this))
    , m_activity(new ActivityPage(this))
    , m_commands(new RemoteCommandsPage(this))
    , m_status(new QLabel(this))
    , m_reconnect(new QTimer(this))
{
    setAttribute(Qt::WA_DeleteOnClose);
    if (!m_program.isEmpty())
        m_extraArgs = { u"--remote-cli"_s, m_program };
    m_session = new RemoteSession(m_address.toString(), m_extraArgs, this);
    setWindowTitle(
        tr("%1 on %2 — CacheScope")
            .arg(Format::escapeControl(QFileInfo(address.path()).fileName()), Format::escapeControl(address.where())));
    m_tabs->addTab(m_overview, tr("&Overview"));
    m_tabs->addTab(m_entries, tr("&Entries"));
    m_tabs->addTab(m_activity, tr("&Activity"));
    m_tabs->addTab(m_commands, tr("&SQL and Maintenance"));
    setCentralWidget(m_tabs);
    statusBar()->addWidget(m_status, 1);
    m_reconnect->setSingleShot(true);
    m_reconnect->setInterval(ReconnectMs);
    connect(m_reconnect, &QTimer::timeout, this, &RemoteWindow::reconnect);
    connect(m_entries, &RemoteEntriesPage::roundTrip, this, &RemoteWindow::showRoundTrip);
    connect(m_commands, &RemoteCommandsPage::roundTrip, this, &RemoteWindow::showRoundTrip);
    connect(m_overview, &OverviewPage::roundTrip, this, &RemoteWindow::showRoundTrip);
    connect(m_commands, &RemoteCommandsPage::pruneRequested, this, &RemoteWindow::openPrune);
    connect(m_commands, &RemoteCommandsPage::scanRequested, this, &RemoteWindow::openScan);
    connect(m_commands, &RemoteCommandsPage::checkpointRequested, this, &RemoteWindow::openCheckpoint);
    connect(m_commands, &RemoteCommandsPage::vacuumRequested, this, &RemoteWindow::openVacuum);
    connect(m_commands, &RemoteCommandsPage::deleteRequested, this, &RemoteWindow::openDelete);
    connect(m_overview, &OverviewPage::remoteSummaryRead, this, &RemoteWindow::applySummary);
    connect(m_overview, &OverviewPage::remoteSummaryFailed, this, [this](const QString& reason) {
        m_summaryError = reason;
        if (m_prune && !m_summary)
            m_prune->setTablesUnreadThere(reason); // never "Reading the tables…" on and on
    });
    // An `info` that failed before the cache's layout was known: the watch on the address says why, and is retried
    // (connectionLost), as before the layout mattered.
    connect(m_overview, &OverviewPage::summaryShown, this, [this] {
        if (std::exchange(m_watchAwaited, false))
            watch();
    });
    connect(m_activity->feed(), &ActivityFeed::sampleReceived, m_overview, &OverviewPage::applySample);
    connect(m_activity->feed(), &ActivityFeed::failed, this, &RemoteWindow::connectionLost);
    connect(m_activity->feed(), &ActivityFeed::sampleReceived, this, [this] {
        if (m_connected)
            return;
        m_connected = true;
        m_lostReason.clear();
        updateStatus();
        Q_EMIT connectionChanged(true);
    });
    m_activity->feed()->setExtraArguments(m_extraArgs);
    m_commands->showCache(m_address.toString(), m_extraArgs);
    m_entries->showCache(m_address.toString(), m_extraArgs);
    m_overview->showRemote(m_address.toString(), m_extraArgs);
    updateStatus();
    reconnect();
}

RemoteWindow::~RemoteWindow() = default;

QString RemoteWindow::statusText() const
{
    return m_status->text();
}

void RemoteWindow::updateStatus()
{
    QString text = tr("On %1, read through cachescope-cli there").arg(Format::escapeControl(m_address.where()));
    if (m_roundTripMs >= 0)
        text += tr(" · round trip %1").arg(Format::duration(m_roundTripMs));
    if (!m_lostReason.isEmpty())
        text += tr(" · connection lost: %1 — reconnecting every %2")
                    .arg(Format::escapeControl(m_lostReason), Format::duration(ReconnectMs));
    else if (m_connected)
        text += tr(" · live");
    else
        text += tr(" · connecting…");
    m_status->setText(text);
}

void RemoteWindow::showRoundTrip(qint64 ms)
{
    m_roundTripMs = ms;
    updateStatus();
}

void RemoteWindow::refreshOverview()
{
    m_overview->refresh();
}

PruneDialog* RemoteWindow::openPrune()
{
    if (!m_prune) {
        m_prune = new PruneDialog(m_address.toString(), this);
        m_prune->setAttribute(Qt::WA_DeleteOnClose);
        m_prune->runThere(m_extraArgs);
        if (m_summary)
            m_prune->setTablesThere(*m_summary); // else with the first answer
        else if (!m_summaryError.isEmpty())
            m_prune->setTablesUnreadThere(m_summaryError); // and the tables with the next one that comes
        connect(m_prune, &PruneDialog::finished, this, [this](bool ok) {
            m_commands->append(ok ? tr("prune: done there") : tr("prune: not done there (the Prune dialog says why)"));
            refreshOverview();
        });
        connect(m_prune, &PruneDialog::vacuumRequested, this, &RemoteWindow::openVacuum);
    }
    m_prune->show();
    m_prune->raise();
    return m_prune;
}

CheckpointDialog* RemoteWindow::openCheckpoint()
{
    if (!m_checkpoint) {
        m_checkpoint = new CheckpointDialog(m_address.toString(), this);
        m_checkpoint->setAttribute(Qt::WA_DeleteOnClose);
        m_checkpoint->runThere(m_extraArgs);
        connect(m_checkpoint, &CheckpointDialog::finished, this, [this](bool complete) {
            m_commands->append(complete ? tr("checkpoint: complete there")
                                        : tr("checkpoint: not complete there (the Checkpoint dialog says why)"));
            refreshOverview();
        });
    }
    m_checkpoint->show();
    m_checkpoint->raise();
    return m_checkpoint;
}

VacuumDialog* RemoteWindow::openVacuum()
{
    if (!m_vacuum) {
        m_vacuum = new VacuumDialog(m_address.toString(), this);
        m_vacuum->setAttribute(Qt::WA_DeleteOnClose);
        m_vacuum->runThere(m_extraArgs);
        if (!m_journalMode.isEmpty())
            m_vacuum->setJournalMode(m_journalMode);
        connect(m_vacuum, &VacuumDialog::finished, this, [this](bool ok) {
            m_commands->append(
                ok ? tr("vacuum: done there") : tr("vacuum: not done there (the Vacuum dialog says why)"));
            refreshOverview();
        });
    }
    m_vacuum->show();
    m_vacuum->raise();
    return m_vacuum;
}

DeleteDialog* RemoteWindow::openDelete()
{
    if (!m_delete) {
        m_delete = new DeleteDialog(m_address.toString(), this);
        m_delete->setAttribute(Qt::WA_DeleteOnClose);
        m_delete->runThere(m_extraArgs);
        connect(m_delete, &QDialog::accepted, this, [this] {
            m_commands->append(
                tr("delete: done there: %1").arg(Format::escapeControl(m_delete->deleted().join(u", "_s))));
            refreshOverview();
        });
    }
    m_delete->show();
    m_delete->raise();
    return m_delete;
}

ScanDialog* RemoteWindow::openScan()
{
    if (!m_scan) {
        m_scan = new ScanDialog(this);
        m_scan->setAttribute(Qt::WA_DeleteOnClose);
        m_scan->runThere(m_address, m_extraArgs);
        m_scan->setDirectory(QFileInfo(m_address.path()).path());
        connect(m_scan, &ScanDialog::openRequested, this,
            [this](const QString& path) { open(m_address.withPath(path), m_program, parentWidget()); });
        m_scan->startScan();
    }
    m_scan->show();
    m_scan->raise();
    return m_scan;
}

void RemoteWindow::reconnect()
{
    refreshOverview();
    if (m_layoutKnown)
        watch();
    else
        m_watchAwaited = true; // a FanoutCache's folder is no database to watch: its `info` says
}

void RemoteWindow::applySummary(const CacheSummary& summary)
{
    m_summary = summary;
    if (m_prune)
        m_prune->setTablesThere(summary); // the tables to choose from, once
    m_journalMode = summary.facts.journalMode;
    if (m_vacuum && !m_journalMode.isEmpty())
        m_vacuum->setJournalMode(m_journalMode); // a copy's read worded for it
    QList<ActivityPage::Part> parts;
    for (const CacheSummary::Part& part : summary.parts)
        parts << ActivityPage::Part { part.label, m_address.withPath(part.path).toString() };
    const bool sameParts = std::equal(parts.cbegin(), parts.cend(), m_parts.cbegin(), m_parts.cend(),
        [](const ActivityPage::Part& a, const ActivityPage::Part& b) {
            return a.label == b.label && a.path == b.path;
        });
    m_layoutKnown = true;
    if (sameParts && watching())
        return;
    m_parts = parts;
    m_watchAwaited = false;
    watch();
}

bool RemoteWindow::watching() const
{
    const QString shown = m_activity->watchedPath();
    if (m_parts.isEmpty())
        return shown == m_address.toString();
    return std::any_of(
        m_parts.cbegin(), m_parts.cend(), [&shown](const ActivityPage::Part& part) { return part.path == shown; });
}

void RemoteWindow::watch()
{
    if (m_parts.isEmpty()) {
        m_activity->showDatabase(m_address.toString());
        return;
    }
    // The part shown stays shown (a reconnect, a sub-cache added there); the first shard at first.
    m_activity->showDatabase(watching() ? m_activity->watchedPath() : m_parts.first().path, m_parts);
}

void RemoteWindow::connectionLost(const QString& reason)
{
    const bool was = m_connected;
    m_connected = false;
    m_lostReason = reason.section(u'\n', 0, 0);
    updateStatus();
    if (was)
        Q_EMIT connectionChanged(false);
    m_reconnect->start();
}

RemoteWindow* RemoteWindow::open(const CacheAddress& address, const QString& remoteProgram, QWidget* parent)
{
    OpenRemoteDialog::remember({ address.toString(), remoteProgram });
    auto* window = new RemoteWindow(address, remoteProgram, parent);
    window->resize(1100, 720);
    window->show();
    return window;
}

RemoteWindow* RemoteWindow::chooseAndOpen(QWidget* parent)
{
    OpenRemoteDialog dialog(parent);
    const QList<OpenRemoteDialog::Remote> recent = OpenRemoteDialog::recent();
    if (!recent.isEmpty())
        dialog.setRemote(recent.first());
    if (dialog.exec() != QDialog::Accepted)
        return nullptr;
    const auto address = CacheAddress::parse(dialog.remote().address);
    return address ? open(address.value(), dialog.remote().program, parent) : nullptr;
}
