// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "sqlite/database.h"

#include <QObject>

#include <memory>

class MaintenanceMenu;
class QAction;
class QMainWindow;
class QMenu;
class QTabWidget;
class RecentFiles;

// WindowMenus: the window's menu bar — File (Open, Open Read-Only, Open Folder, Open Recent,
// the demo, Close, Quit), View (the tabs on Alt+1…4, Find Ctrl+F, Refresh F5), Maintenance
// (MaintenanceMenu) and Help (the guide, the WAL notes, the keyboard shortcuts, About) — acting
// on the window by signal only. GUI thread.
class WindowMenus : public QObject {
    Q_OBJECT
public:
    WindowMenus(QMainWindow* window, QTabWidget* tabs);
    ~WindowMenus() override;

    MaintenanceMenu* maintenance() const { return m_maintenance; }
    RecentFiles& recent() const { return *m_recent; }
    void rememberRecent(const QString& path); // adds it to Open Recent (and the welcome page)
    void forgetRecent(const QString& path); // takes it out of both (a cache deleted by Maintenance ▸ Delete)

    void chooseAndOpen(Database::Mode mode);
    // Asks for a folder: a diskcache or FanoutCache folder opens; any other is scanned for caches.
    void chooseFolder();
    void openFolder(const QString& folder);
    // Every menu action with a shortcut, as a Markdown table (Help › Keyboard Shortcuts).
    QString shortcutsMarkdown() const;
    // File ▸ Stop the Demo's Writers is enabled while the demo's simulated writers run.
    void setDemoRunning(bool running);

Q_SIGNALS:
    void recentChanged(const QStringList& paths);
    void openRequested(const QString& path, Database::Mode mode);
    void closeRequested();
    void demoRequested();
    void stopDemoWritersRequested(); // File ▸ Stop the Demo's Writers
    void openRemoteRequested(); // File ▸ Open Remote…
    void findRequested(); // Ctrl+F: the Entries tab's filter
    void refreshRequested();
    void preferencesRequested(); // File › Preferences…: the limits notified while a cache is open

private:
    void createFileMenu();
    void createViewMenu();
    void createHelpMenu();
    void rebuildRecentMenu();

    QMainWindow* m_window = nullptr;
    QTabWidget* m_tabs = nullptr;
    std::unique_ptr<RecentFiles> m_recent;
    QMenu* m_recentMenu = nullptr;
    QAction* m_stopDemoWriters = nullptr;
    MaintenanceMenu* m_maintenance = nullptr;
};
