// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>

class MainWindow;
class QMenu;

// MaintenanceMenu: the "Maintenance" menu of the main window — checkpoint, vacuum, safe
// delete and folder scan — and the glue that opens their dialogs for the open cache. For a
// safe delete it closes the window's own connection first (a process must hold none while it
// locks and unlinks the files) and reopens the cache if the user cancels. GUI thread.
class MaintenanceMenu : public QObject {
    Q_OBJECT
public:
    MaintenanceMenu(MainWindow* window, QMenu* menu);

    void checkpoint();
    void vacuum();
    void deleteCache();
    void scanFolder();

private:
    void updateActions();

    MainWindow* m_window = nullptr;
    QMenu* m_menu = nullptr;
};
