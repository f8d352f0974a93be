// SPDX-License-Identifier: GPL-3.0-or-later
// bench_entrymodel DB TABLE: times an EntryModel on a big cache: first rows, jump to the last
// page before and after the background index, the index itself, and peak RSS while reading
// every row of the table top to bottom (it must stay flat). Prints "name: value unit" lines.
#include "models/entrymodel.h"
#include "procstatus.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>

#include <cstdio>

using namespace Qt::Literals::StringLiterals;

namespace {
void report(const char* name, double value, const char* unit)
{
    std::printf("%s: %.2f %s\n", name, value, unit);
    std::fflush(stdout);
}

double msSince(const QElapsedTimer& timer)
{
    return double(timer.nsecsElapsed()) / 1e6;
}
} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    if (argc < 3) {
        std::fprintf(stderr, "usage: bench_entrymodel DB TABLE\n");
        return 2;
    }
    const QString path = QString::fromLocal8Bit(argv[1]);
    const QString table = QString::fromLocal8Bit(argv[2]);
    QElapsedTimer timer;
    timer.start();
    auto db = Database::open(path, Database::Mode::ReadOnly);
    if (!db) {
        std::fprintf(stderr, "%s\n", qPrintable(db.error().message));
        return 1;
    }
    EntryModel model(db->get(), table);
    const QVariant first = model.data(model.index(0, 0));
    report("open_and_first_row_ms", msSince(timer), "ms");
    std::printf("rows_shown_at_once: %d (exact: %s)\n", model.rowCount(), model.isCountExact() ? "yes" : "no");

    timer.restart();
    const QVariant lastBefore = model.data(model.index(model.rowCount() - 1, 0));
    report("jump_to_last_page_before_index_ms", msSince(timer), "ms");

    timer.restart();
    while (!model.isIndexReady())
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    report("background_index_and_exact_count_ms", msSince(timer), "ms");
    std::printf("exact_rows: %d\n", model.rowCount());

    timer.restart();
    const QVariant lastAfter = model.data(model.index(model.rowCount() - 1, 0));
    report("jump_to_last_page_after_index_ms", msSince(timer), "ms");
    timer.restart();
    const QVariant middle = model.data(model.index(model.rowCount() / 2 + 77, 0));
    report("jump_to_middle_after_index_ms", msSince(timer), "ms");
    if (lastBefore.toString() == u"…"_s || lastAfter.toString() == u"…"_s || middle.toString() == u"…"_s)
        std::printf("warning: a jumped-to row was not loaded\n");

    const qint64 rssStart = statusKb("VmRSS:");
    timer.restart();
    const int rows = model.rowCount();
    const int columns = model.columnCount();
    for (int row = 0; row < rows; ++row) {
        for (int column = 0; column < columns; ++column)
            model.data(model.index(row, column));
        if (row % (rows / 4 + 1) == 0)
            std::printf("rss_at_row_%d: %lld kB\n", row, statusKb("VmRSS:"));
    }
    report("scroll_whole_table_s", msSince(timer) / 1000.0, "s");
    std::printf("rss_before_scroll: %lld kB\nrss_after_scroll: %lld kB\npeak_rss: %lld kB\ncached_pages: %d\n",
        rssStart, statusKb("VmRSS:"), statusKb("VmHWM:"), model.cachedPages());
    return 0;
}
