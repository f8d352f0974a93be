// SPDX-License-Identifier: GPL-3.0-or-later
#include "window/firstframe.h"

#include "models/entrytablemodel.h"
#include "pages/entriespage.h"
#include "pages/overviewpage.h"
#include "window/mainwindow.h"

#include <QEventLoop>
#include <QTabWidget>
#include <QTimer>

namespace {
// The tab the window shows has its content: the Entries' first rows (or their error, or the
// news that there are none), the Overview's summary (summaryShown), any other tab once open.
bool hasContent(const MainWindow& window, bool summaryShown)
{
    if (!window.database())
        return false;
    QWidget* page = window.pages()->currentWidget();
    if (page == window.entriesPage()) {
        const EntryTableModel* model = window.entriesPage()->tableModel();
        return !model || model->rowAt(0) || !model->errorText().isEmpty()
            || (model->isCountExact() && model->totalCount() == 0);
    }
    if (page == window.overviewPage())
        return summaryShown;
    return true; // Activity, SQL: drawn from the open database alone
}
} // namespace

void FirstFrame::openAndShow(MainWindow& window, const QString& path, Database::Mode mode, int graceMs)
{
    QEventLoop loop;
    bool shown = false;
    bool summaryShown = false;
    const auto show = [&] {
        if (shown)
            return;
        shown = true;
        window.show();
        loop.quit();
    };
    const auto showIfReady = [&] {
        if (hasContent(window, summaryShown))
            show();
    };
    QTimer deadline;
    deadline.setSingleShot(true);
    // Shown from the timer itself: a question the open asks (read in place?) runs its own loop.
    QObject::connect(&deadline, &QTimer::timeout, &loop, show);
    QObject::connect(&window, &MainWindow::openFinished, &loop, [&](bool opened) {
        if (!opened) {
            show(); // the window says why
            return;
        }
        showIfReady();
        if (EntryTableModel* model = window.entriesPage()->tableModel()) {
            QObject::connect(model, &EntryTableModel::pageLoaded, &loop, showIfReady);
            QObject::connect(model, &EntryTableModel::rowsAppended, &loop, showIfReady);
            QObject::connect(model, &EntryTableModel::countFinished, &loop, showIfReady);
        }
    });
    QObject::connect(window.overviewPage(), &OverviewPage::summaryShown, &loop, [&] {
        summaryShown = true;
        showIfReady();
    });
    deadline.start(graceMs);
    window.openDatabase(path, mode);
    if (!shown)
        loop.exec();
}
