// SPDX-License-Identifier: GPL-3.0-or-later
#include "window/windowmenus.h"

#include "maintenance/cachefolder.h"
#include "window/documentdialog.h"
#include "window/maintenancemenu.h"
#include "window/recentfiles.h"

#include <QApplication>
#include <QFileDialog>
#include <QMainWindow>
#include <QMenuBar>
#include <QMessageBox>
#include <QTabWidget>

using namespace Qt::Literals::StringLiterals;

WindowMenus::WindowMenus(QMainWindow* window, QTabWidget* tabs)
    : QObject(window)
    , m_window(window)
    , m_tabs(tabs)
    , m_recent(std::make_unique<RecentFiles>())
{
    createFileMenu();
    createViewMenu();
    m_maintenance = new MaintenanceMenu(window, window->menuBar()->addMenu(tr("&Maintenance")));
    connect(m_maintenance, &MaintenanceMenu::cacheDeleted, this, &WindowMenus::forgetRecent);
    createHelpMenu();
}

WindowMenus::~WindowMenus()
{
    RecentFiles::waitForWrites(); // the last open is remembered before the application ends
}

void WindowMenus::createFileMenu()
{
    QMenu* file = m_window->menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Open…"), QKeySequence::Open, this, [this] { chooseAndOpen(Database::Mode::ReadWrite); });
    file->addAction(tr("Open &Read-Only…"), QKeySequence(u"Ctrl+Shift+O"_s), this,
        [this] { chooseAndOpen(Database::Mode::ReadOnly); });
    file->addAction(tr("Open &Folder…"), QKeySequence(u"Ctrl+Shift+D"_s), this, &WindowMenus::chooseFolder)
        ->setToolTip(tr("A diskcache or FanoutCache folder; any other folder is scanned for caches"));
    m_recentMenu = file->addMenu(tr("Open Re&cent"));
    rebuildRecentMenu();
    file->addAction(tr("Open Re&mote…"), QKeySequence(u"Ctrl+Shift+R"_s), this, &WindowMenus::openRemoteRequested)
        ->setStatusTip(tr("A cache on another host (ssh) or in a container, read by cachescope-cli there"));
    file->addAction(tr("Start the &Demo"), this, &WindowMenus::demoRequested)
        ->setStatusTip(tr("A temporary LLM cache written by four simulated worker processes"));
    m_stopDemoWriters = file->addAction(tr("Stop the Demo's &Writers"), this, &WindowMenus::stopDemoWritersRequested);
    m_stopDemoWriters->setObjectName(QStringLiteral("stopDemoWritersAction"));
    m_stopDemoWriters->setStatusTip(tr("The demo's cache stays open, written by nobody: it can then be deleted"));
    m_stopDemoWriters->setEnabled(false);
    file->addSeparator();
    file->addAction(tr("&Close"), QKeySequence::Close, this, &WindowMenus::closeRequested);
    file->addSeparator();
    file->addAction(tr("&Preferences…"), QKeySequence::Preferences, this, &WindowMenus::preferencesRequested)
        ->setObjectName(QStringLiteral("preferencesAction"));
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, qApp, &QApplication::closeAllWindows);
}

void WindowMenus::setDemoRunning(bool running)
{
    m_stopDemoWriters->setEnabled(running);
}

void WindowMenus::createViewMenu()
{
    QMenu* view = m_window->menuBar()->addMenu(tr("&View"));
    QTabWidget* tabs = m_tabs;
    for (int i = 0; i < tabs->count(); ++i) {
        QAction* go = view->addAction(tabs->tabText(i).remove(u'&'), this, [tabs, i] { tabs->setCurrentIndex(i); });
        go->setShortcut(QKeySequence(u"Alt+%1"_s.arg(i + 1)));
        go->setObjectName(u"showTab%1"_s.arg(i + 1));
    }
    view->addSeparator();
    view->addAction(tr("&Find in Entries"), QKeySequence::Find, this, &WindowMenus::findRequested);
    view->addAction(tr("Re&fresh"), QKeySequence::Refresh, this, &WindowMenus::refreshRequested)
        ->setToolTip(tr("Read the cache's facts and entry counts again"));
}

void WindowMenus::createHelpMenu()
{
    QMenu* help = m_window->menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("CacheScope &Guide"), QKeySequence::HelpContents, this, [this] {
        (new DocumentDialog(tr("CacheScope Guide"), DocumentDialog::builtIn(u":/guide/GUIDE.md"_s), m_window))->show();
    });
    help->addAction(tr("&WAL, Locks and Sidecar Files"), this, [this] {
        (new DocumentDialog(tr("WAL, locks and sidecar files"), DocumentDialog::builtIn(u":/guide/WAL.md"_s), m_window))
            ->show();
    });
    help->addAction(tr("&Keyboard Shortcuts"), QKeySequence(u"Ctrl+/"_s), this,
        [this] { (new DocumentDialog(tr("Keyboard shortcuts"), shortcutsMarkdown(), m_window))->show(); });
    help->addSeparator();
    help->addAction(tr("&About CacheScope"), this, [this] {
        QMessageBox::about(m_window, tr("About CacheScope"),
            tr("<b>CacheScope %1</b><p>Inspect live SQLite caches written by several processes: "
               "journal mode, WAL and sidecar sizes, entries.</p><p>SQLite runtime %2.</p>")
                .arg(QStringLiteral(CACHESCOPE_VERSION), Database::runtimeVersion()));
    });
}

QString WindowMenus::shortcutsMarkdown() const
{
    QString text = tr("# Keyboard shortcuts\n\n| Keys | Action |\n|---|---|\n");
    const auto row
        = [&text](const QString& keys, const QString& action) { text += u"| %1 | %2 |\n"_s.arg(keys, action); };
    for (QAction* menu : m_window->menuBar()->actions()) {
        if (!menu->menu())
            continue;
        for (QAction* action : menu->menu()->actions()) {
            if (!action->shortcut().isEmpty())
                row(action->shortcut().toString(QKeySequence::NativeText),
                    menu->text().remove(u'&') + u" › "_s + action->text().remove(u'&').remove(u'…'));
        }
    }
    row(tr("Tab / Shift+Tab"), tr("Move between the table list, the filter, the rows and the detail"));
    row(tr("Enter"), tr("In a dialog: its default button — never Delete"));
    row(tr("Ctrl+C"), tr("Entries: copy the selected cell"));
    return text;
}

void WindowMenus::rememberRecent(const QString& path)
{
    m_recent->add(path);
    rebuildRecentMenu();
}

void WindowMenus::forgetRecent(const QString& path)
{
    m_recent->remove(path);
    rebuildRecentMenu();
}

void WindowMenus::rebuildRecentMenu()
{
    m_recentMenu->clear();
    const QStringList paths = m_recent->paths();
    for (const QString& path : paths)
        m_recentMenu->addAction(path, this, [this, path] { Q_EMIT openRequested(path, Database::Mode::ReadWrite); });
    m_recentMenu->setEnabled(!paths.isEmpty());
    Q_EMIT recentChanged(paths);
}

void WindowMenus::chooseAndOpen(Database::Mode mode)
{
    const QString path = QFileDialog::getOpenFileName(m_window,
        mode == Database::Mode::ReadOnly ? tr("Open an SQLite cache read-only") : tr("Open an SQLite cache"), QString(),
        tr("SQLite databases (*.db *.sqlite *.sqlite3 *.db3);;All files (*)"));
    if (!path.isEmpty())
        Q_EMIT openRequested(path, mode);
}

void WindowMenus::chooseFolder()
{
    const QString folder = QFileDialog::getExistingDirectory(m_window, tr("Open a cache folder"));
    if (!folder.isEmpty())
        openFolder(folder);
}

void WindowMenus::openFolder(const QString& folder)
{
    if (CacheFolder::resolve(folder)) // lstat and readdir only
        Q_EMIT openRequested(folder, Database::Mode::ReadWrite);
    else
        m_maintenance->scanFolder(folder); // not a cache itself: which caches are in it
}
