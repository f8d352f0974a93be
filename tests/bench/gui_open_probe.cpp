// SPDX-License-Identifier: GPL-3.0-or-later
// gui_open_probe DB: opens DB in the real MainWindow (offscreen), on the Entries tab, as the app
// does with a cache given at launch (FirstFrame: shown with its first rows, or after a grace),
// and prints "window_shown_ms A opened_ms B window_drawn_ms X first_rows_ms Y
// rows_in_first_frame R peak_rss_kib Z …": the time until the window was shown, until the open
// (on a worker) returned and the pages took the cache, until the window's first frame was
// painted, until the first row of the main table was shown (the first frame's time when it had
// them: R 1), and the peak resident memory of the whole process, all from the start of main().
// Driven by tests/bench/bench_gui_rows.
#include "models/entrymodel.h"
#include "pages/entriespage.h"
#include "procstatus.h"
#include "window/firstframe.h"
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
    window.pages()->setCurrentWidget(window.entriesPage());
    qint64 opened = -1; // the worker's open returned and the pages took the cache
    bool openedOk = false;
    QObject::connect(&window, &MainWindow::openFinished, &window, [&](bool ok) {
        opened = clock.elapsed();
        openedOk = ok;
    });
    // As the app does with a cache given at launch: the window appears with its first rows, or
    // after FirstFrame::GraceMs with "Opening…".
    FirstFrame::openAndShow(window, QString::fromLocal8Bit(argv[1]), Database::Mode::ReadOnly);
    const qint64 shown = clock.elapsed();
    const auto hasRows = [&window] {
        const EntryTableModel* model = window.entriesPage()->tableModel();
        return model && model->data(model->index(0, 0), EntryModel::KeyRole).isValid();
    };
    const bool rowsInFirstFrame = hasRows();
    window.repaint(); // the window's first frame
    const qint64 drawn = clock.elapsed();
    if (!QTest::qWaitFor([&] { return opened >= 0; }, 60000) || !openedOk)
        return 1;
    EntryModel* model = window.entriesPage()->entryModel();
    if (!model || !QTest::qWaitFor(hasRows, 60000))
        return 1;
    window.repaint();
    const qint64 firstRows = rowsInFirstFrame ? drawn : clock.elapsed();
    std::printf("window_shown_ms %lld opened_ms %lld window_drawn_ms %lld first_rows_ms %lld rows_in_first_frame %d "
                "peak_rss_kib %lld rows_in_view %d total_rows %lld\n",
        static_cast<long long>(shown), static_cast<long long>(opened), static_cast<long long>(drawn),
        static_cast<long long>(firstRows), rowsInFirstFrame ? 1 : 0, static_cast<long long>(statusKb("VmHWM:")),
        model->rowCount(), static_cast<long long>(model->totalCount()));
    QElapsedTimer closing;
    closing.start();
    window.closeDatabase();
    std::printf("close_ms %lld\n", static_cast<long long>(closing.elapsed())); // on the GUI thread
    return 0;
}
