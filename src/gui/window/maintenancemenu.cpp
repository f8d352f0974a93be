// SPDX-License-Identifier: GPL-3.0-or-later
#include "window/maintenancemenu.h"

#include "dialogs/checkpointdialog.h"
#include "dialogs/deletedialog.h"
#include "window/mainwindow.h"
#include "dialogs/scandialog.h"
#include "dialogs/vacuumdialog.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QStatusBar>

using namespace Qt::Literals::StringLiterals;

MaintenanceMenu::MaintenanceMenu(MainWindow* window, QMenu* menu)
    : QObject(window)
    , m_window(window)
    , m_menu(menu)
{
    QAction* checkpoint = menu->addAction(tr("&Checkpoint…"), this, &MaintenanceMenu::checkpoint);
    checkpoint->setObjectName(u"checkpointAction"_s);
    QAction* vacuum = menu->addAction(tr("&Vacuum or Copy…"), this, &MaintenanceMenu::vacuum);
    vacuum->setObjectName(u"vacuumAction"_s);
    menu->addSeparator();
    menu->addAction(tr("&Delete Cache Safely…"), this, &MaintenanceMenu::deleteCache)->setObjectName(u"deleteAction"_s);
    menu->addAction(tr("&Scan Folder…"), this, &MaintenanceMenu::scanFolder)->setObjectName(u"scanAction"_s);
    connect(menu, &QMenu::aboutToShow, this, &MaintenanceMenu::updateActions);
}

void MaintenanceMenu::updateActions()
{
    const bool writable = m_window->database() && !m_window->database()->isReadOnly();
    for (QAction* action : m_menu->actions()) {
        if (action->objectName() == u"checkpointAction"_s || action->objectName() == u"vacuumAction"_s)
            action->setEnabled(writable);
    }
}

void MaintenanceMenu::checkpoint()
{
    if (!m_window->database())
        return;
    CheckpointDialog dialog(m_window->database()->path(), m_window);
    dialog.exec();
}

void MaintenanceMenu::vacuum()
{
    if (!m_window->database())
        return;
    VacuumDialog dialog(m_window->database()->path(), m_window);
    dialog.exec();
}

void MaintenanceMenu::deleteCache()
{
    QString path;
    Database::Mode mode = Database::Mode::ReadWrite;
    const bool wasOpen = m_window->database() != nullptr;
    if (wasOpen) {
        path = m_window->database()->path();
        mode = m_window->database()->mode();
        m_window->closeDatabase(); // our own connection would block the delete and must not lose its locks
    } else {
        path = QFileDialog::getOpenFileName(m_window, tr("Delete an SQLite cache safely"));
        if (path.isEmpty())
            return;
    }
    DeleteDialog dialog(path, m_window);
    if (dialog.exec() == QDialog::Accepted) {
        m_window->statusBar()->showMessage(tr("Deleted %1 file(s) of %2.").arg(dialog.deleted().size()).arg(path));
        return;
    }
    if (wasOpen)
        m_window->openDatabase(path, mode);
}

void MaintenanceMenu::scanFolder()
{
    ScanDialog dialog(m_window);
    if (m_window->database())
        dialog.setDirectory(QFileInfo(m_window->database()->path()).absolutePath());
    dialog.exec();
}
