// SPDX-License-Identifier: GPL-3.0-or-later
#include "window/maintenancemenu.h"

#include "common/format.h"
#include "dialogs/checkpointdialog.h"
#include "dialogs/deletedialog.h"
#include "dialogs/prunedialog.h"
#include "dialogs/scandialog.h"
#include "dialogs/vacuumdialog.h"
#include "os/cachefiles.h"
#include "tasks/backgroundtask.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QWidget>

using namespace Qt::Literals::StringLiterals;

MaintenanceMenu::MaintenanceMenu(QWidget* dialogParent, QMenu* menu)
    : QObject(dialogParent)
    , m_parent(dialogParent)
    , m_menu(menu)
{
    QAction* checkpoint = menu->addAction(tr("&Checkpoint…"), this, &MaintenanceMenu::checkpoint);
    checkpoint->setObjectName(u"checkpointAction"_s);
    QAction* vacuum = menu->addAction(tr("&Vacuum or Copy…"), this, &MaintenanceMenu::vacuum);
    vacuum->setObjectName(u"vacuumAction"_s);
    QAction* prune = menu->addAction(tr("&Prune Entries…"), this, &MaintenanceMenu::prune);
    prune->setObjectName(u"pruneAction"_s);
    prune->setToolTip(tr("Remove expired, old, matching or over-budget entries while the cache stays live"));
    QAction* wal = menu->addAction(tr("Switch to &WAL…"), this, &MaintenanceMenu::switchToWal);
    wal->setObjectName(u"switchToWalAction"_s);
    wal->setToolTip(tr("For a cache opened read-only in a rollback journal mode (DELETE, TRUNCATE, PERSIST)"));
    menu->addSeparator();
    menu->addAction(tr("&Delete Cache Safely…"), this, &MaintenanceMenu::deleteCache)->setObjectName(u"deleteAction"_s);
    menu->addAction(tr("&Scan Folder…"), this, [this] { scanFolder(); })->setObjectName(u"scanAction"_s);
    connect(menu, &QMenu::aboutToShow, this, &MaintenanceMenu::updateActions);
}

QString MaintenanceMenu::cachePath() const
{
    return m_wholeCache.isEmpty() ? m_database->path() : m_wholeCache; // a FanoutCache: every shard and sub-cache
}

void MaintenanceMenu::updateActions()
{
    const bool writable = m_database && !m_database->isReadOnly();
    for (QAction* action : m_menu->actions()) {
        if (action->objectName() == u"checkpointAction"_s || action->objectName() == u"vacuumAction"_s
            || action->objectName() == u"pruneAction"_s)
            action->setEnabled(writable);
        if (action->objectName() == u"switchToWalAction"_s)
            action->setEnabled(m_database && m_database->journalMode() != u"wal"_s
                && !CacheFiles::filesystemOf(m_database->path()).network);
    }
}

void MaintenanceMenu::checkpoint()
{
    if (!m_database)
        return;
    // Modeless, so the Activity tab can be watched while it runs; one at a time.
    if (m_checkpoint)
        m_checkpoint->close();
    m_checkpoint = new CheckpointDialog(cachePath(), m_parent);
    m_checkpoint->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_checkpoint, &CheckpointDialog::finished, this, [this] { Q_EMIT wroteTheCache(tr("checkpoint")); });
    if (m_lastSample)
        m_checkpoint->applySample(*m_lastSample);
    m_checkpoint->show();
}

void MaintenanceMenu::applySample(const ActivitySample& sample)
{
    if (!m_database)
        return;
    m_lastSample = sample;
    if (m_checkpoint)
        m_checkpoint->applySample(sample);
    if (m_vacuum)
        m_vacuum->applySample(sample);
}

void MaintenanceMenu::vacuum()
{
    if (!m_database)
        return;
    if (m_vacuum)
        m_vacuum->close(); // a vacuum running there is cancelled (rolled back)
    m_vacuum = new VacuumDialog(cachePath(), m_parent);
    m_vacuum->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_vacuum, &VacuumDialog::finished, this, [this] { Q_EMIT wroteTheCache(tr("vacuum")); });
    if (m_lastSample)
        m_vacuum->applySample(*m_lastSample);
    m_vacuum->show();
}

void MaintenanceMenu::prune()
{
    if (!m_database || m_database->isReadOnly())
        return;
    showPruneDialog(nullptr, QString());
}

void MaintenanceMenu::pruneSelection(const PruneSelection& selection, const QString& description)
{
    if (!m_database)
        return;
    if (m_database->isReadOnly()) {
        Q_EMIT statusMessage(tr("The cache is open read-only: open it read-write to delete entries."));
        return;
    }
    showPruneDialog(&selection, description);
}

void MaintenanceMenu::showPruneDialog(const PruneSelection* selection, const QString& description)
{
    // Modeless like checkpoint and vacuum: the Activity tab shows the writers while it runs.
    if (m_prune)
        m_prune->close(); // a prune running there stops after its current batch
    m_prune
        = new PruneDialog(selection && !selection->database.isEmpty() ? selection->database : cachePath(), m_parent);
    m_prune->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_prune, &PruneDialog::vacuumRequested, this, &MaintenanceMenu::vacuum, Qt::QueuedConnection);
    // Its deletes are this window's own writes, named as such on Activity, never a client's.
    connect(m_prune, &PruneDialog::finished, this,
        [this, what = selection ? tr("delete entries") : tr("prune")] { Q_EMIT wroteTheCache(what); });
    if (selection)
        m_prune->setSelection(*selection, description);
    m_prune->show();
}

void MaintenanceMenu::deleteCache()
{
    QString path;
    Database::Mode mode = Database::Mode::ReadWrite;
    if (m_database) {
        path = cachePath();
        mode = m_database->mode();
    } else {
        path = QFileDialog::getOpenFileName(m_parent, tr("Delete an SQLite cache safely"));
        if (path.isEmpty())
            return;
    }
    // The cache stays open while the user decides: only a confirmed delete releases it (our own
    // connection would block the delete and must not lose its locks to the delete's fds).
    DeleteDialog dialog(path, m_parent);
    if (m_demoSimulator)
        dialog.setDemoSimulator(m_demoSimulator());
    dialog.setFoldedOnClose(m_database && !m_database->isReadOnly() && !m_database->readsImmutable()
        && m_database->journalMode() == u"wal"_s);
    connect(&dialog, &DeleteDialog::releaseRequested, this, [this] {
        Q_EMIT releaseDatabaseRequested();
        // Closing does not wait for the reads still running (a stopped index build, an entry or
        // page read, the Overview summary), each through a connection of its own that closes when
        // its current statement ends: the delete does, before it takes the locks (it runs on that
        // same pool, queued behind this wait).
        BackgroundTask::pool()->waitForDone();
    });
    if (dialog.exec() == QDialog::Accepted) {
        const QString files = Format::counted(dialog.deleted().size(), tr("file"), tr("files"));
        const QString name = QFileInfo(path).fileName();
        QString said = dialog.movesToTrash() ? tr("Moved %1 of %2 to the trash").arg(files, name)
                                             : tr("Deleted %1 of %2").arg(files, name);
        // Listed, then gone before the delete: SQLite folds the -wal into the database and removes
        // the sidecars as the last connection (ours, released above) closes.
        QStringList gone;
        for (const QString& listed : dialog.listed())
            if (!dialog.deleted().contains(listed) && !QFileInfo::exists(listed))
                gone << (listed.endsWith(u"-wal"_s) ? u"-wal"_s : listed.endsWith(u"-shm"_s) ? u"-shm"_s : listed);
        said += gone.isEmpty() ? u"."_s
                               : tr("; its %1 went as CacheScope closed it (SQLite folds the -wal into the database).")
                                     .arg(gone.join(tr(" and ")));
        Q_EMIT statusMessage(said);
        // Not offered again by Open Recent and the welcome page (new-user defect 15). A cache folder (diskcache,
        // FanoutCache) stays, emptied of its cache: what was deleted says so, not whether the path still exists.
        if (!dialog.deleted().isEmpty() || !QFileInfo::exists(path))
            Q_EMIT cacheDeleted(path);
        return;
    }
    if (dialog.released()) // confirmed, then refused (someone opened it meanwhile), then cancelled
        Q_EMIT reopenDatabaseRequested(path, mode);
}

void MaintenanceMenu::switchToWal()
{
    if (!m_database)
        return;
    QMessageBox ask(QMessageBox::Question, tr("Switch to WAL"),
        tr("Switch %1 from %2 to WAL journal mode?").arg(m_database->path(), m_database->journalMode().toUpper()),
        QMessageBox::Cancel, m_parent);
    ask.setInformativeText(tr("In WAL mode readers and the writer no longer block each other, and CacheScope can "
                              "watch it live. The switch needs the cache alone for a moment: this window closes it, "
                              "switches and opens it again. Processes that open it later use WAL too."));
    QPushButton* yes = ask.addButton(tr("Switch to WAL"), QMessageBox::AcceptRole);
    yes->setAutoDefault(false);
    ask.setDefaultButton(QMessageBox::Cancel);
    ask.exec();
    if (ask.clickedButton() == yes)
        Q_EMIT switchJournalModeRequested(u"wal"_s);
}

void MaintenanceMenu::scanFolder(const QString& folder)
{
    ScanDialog dialog(m_parent);
    connect(&dialog, &ScanDialog::openRequested, this, &MaintenanceMenu::openRequested, Qt::QueuedConnection);
    if (!folder.isEmpty()) {
        dialog.setDirectory(folder);
        dialog.startScan();
    } else if (m_database) {
        dialog.setDirectoryOf(cachePath()); // a FanoutCache's folder, not its shard 000's
    }
    dialog.exec();
}
