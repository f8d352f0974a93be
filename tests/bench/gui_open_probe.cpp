// SPDX-License-Identifier: GPL-3.0-or-later
// gui_open_probe DB: opens DB in the real MainWindow (offscreen), on the Entries tab, and prints
// "window_shown_ms A opened_ms B window_drawn_ms X first_rows_ms Y peak_rss_kib Z …": the time
// until the empty window was up, until the open (on a worker) returned and the pages took the
// cache, until the window with the file open was painted, until the first row of the main
// table was read and shown, and the peak resident memory of the whole process, all from the
// start of main(). Driven by tests/bench/bench_gui_rows.
#include "../gui/openedwindow.h"
#include "models/entrymodel.h"
#include "pages/entriespage.h"
#include "procstatus.h"
#include "window/mainwindow.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QTableView>
#include <QTest>

#include <cstdio>

using namespace Qt::Literals::StringLiterals;

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(u"CacheScopeBench"_s);
    if (argc < 2) {
        std::fprintf(stderr, "usage: gui_open_probe DB\n");
        return 2;
    }
    QElapsedTimer clock;
    clock.start();
    MainWindow window;
    window.resize(1200, 800);
    window.show();
    const qint64 shown = clock.elapsed(); // the empty window is up
    if (!openAndWait(window, QString::fromLocal8Bit(argv[1]), Database::Mode::ReadOnly, MainWindow::Remember::No))
        return 1;
    const qint64 opened = clock.elapsed(); // the worker's open returned and the pages took it
    window.pages()->setCurrentWidget(window.entriesPage());
    window.repaint(); // painted now, with the file open and its row count known
    const qint64 drawn = clock.elapsed();
    EntryModel* model = window.entriesPage()->entryModel();
    if (!model
        || !QTest::qWaitFor([&] { return model->data(model->index(0, 0), EntryModel::KeyRole).isValid(); }, 60000))
        return 1;
    window.repaint();
    const qint64 firstRows = clock.elapsed();
    std::printf("window_shown_ms %lld opened_ms %lld window_drawn_ms %lld first_rows_ms %lld peak_rss_kib %lld "
                "rows_in_view %d total_rows %lld\n",
        static_cast<long long>(shown), static_cast<long long>(opened), static_cast<long long>(drawn),
        static_cast<long long>(firstRows), static_cast<long long>(statusKb("VmHWM:")), model->rowCount(),
        static_cast<long long>(model->totalCount()));
    QElapsedTimer closing;
    closing.start();
    window.closeDatabase();
    std::printf("close_ms %lld\n", static_cast<long long>(closing.elapsed())); // on the GUI thread
    return 0;
}
