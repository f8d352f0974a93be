// SPDX-License-Identifier: GPL-3.0-or-later
// save_memory_probe DB TABLE COLUMN MODE OUT: the peak memory of one "Save … to a file…" or
// "Show all" of row 1's COLUMN, and prints "peak_growth_kib G". The peak is VmHWM
// after the read minus the RSS before it (writing 5 to /proc/self/clear_refs sets VmHWM to the
// RSS, after the table's first page and before the read). MODE:
//   save      EntryWholeValue::save: the column alone, raw (#23 leftovers)
//   entry     the same file written from EntryTableModel::readEntry (every column of the row, raw
//             and decoded; the value as QString, then UTF-8): how Save read before, the baseline
//   show      EntryWholeValue::show, until its tab shows the value (OUT unused)
//   entryshow the same document made from readEntry(MaxChars): how Show all read before
// Driven by tests/bench/bench_save_memory.
#include "common/format.h"
#include "models/entrymodel.h"
#include "pages/entrywholevalue.h"
#include "procstatus.h"

#include <QApplication>
#include <QFile>
#include <QFontDatabase>
#include <QSaveFile>
#include <QTabWidget>
#include <QTest>
#include <QTextDocument>

#include <cstdio>

using namespace Qt::Literals::StringLiterals;

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    if (argc < 6) {
        std::fprintf(stderr, "usage: save_memory_probe DB TABLE COLUMN save|entry|show|entryshow OUT\n");
        return 2;
    }
    const QString column = QString::fromLocal8Bit(argv[3]);
    const QByteArray mode = argv[4];
    const QString out = QString::fromLocal8Bit(argv[5]);
    auto database = Database::open(QString::fromLocal8Bit(argv[1]), Database::Mode::ReadOnly);
    if (!database) {
        std::fprintf(stderr, "%s\n", qPrintable(database.error().message));
        return 1;
    }
    EntryModel model(database->get(), QString::fromLocal8Bit(argv[2]));
    if (!QTest::qWaitFor([&model] { return model.rowAt(0).has_value(); }, 60000))
        return 1;
    QTest::qWait(500); // the count's walk and the page reads are over
    QFile clear(u"/proc/self/clear_refs"_s);
    if (!clear.open(QIODevice::WriteOnly) || clear.write("5") != 1)
        return 1;
    clear.close();
    const qint64 before = statusKb("VmRSS:");
    QTabWidget tabs;
    EntryWholeValue whole(&tabs);
    bool done = false;
    QObject::connect(&whole, &EntryWholeValue::saved, &app, [&done](const QString& message) {
        std::fprintf(stderr, "%s\n", qPrintable(message));
        done = true;
    });
    QObject::connect(&whole, &EntryWholeValue::shown, &app, [&done] { done = true; });
    if (mode == "save") {
        whole.save(&model, 0, column, out);
    } else if (mode == "show") {
        whole.show(&model, 0, column);
    } else if (mode == "entry") {
        model.readEntry(
            0, 0, &app, [&done](const Result<EntryTableModel::WholeEntry>&) { done = true; },
            [column, out](const EntryTableModel::WholeEntry& entry) {
                const QVariant value = entry.values.value(column);
                const QByteArray bytes
                    = value.typeId() == QMetaType::QByteArray ? value.toByteArray() : value.toString().toUtf8();
                QSaveFile file(out);
                if (file.open(QIODevice::WriteOnly))
                    file.write(bytes);
                file.commit();
                return QString();
            });
    } else if (mode == "entryshow") {
        const QFont font = QFontDatabase::systemFont(QFontDatabase::FixedFont);
        model.readEntry(
            0, EntryWholeValue::MaxChars, &app, [&done](const Result<EntryTableModel::WholeEntry>&) { done = true; },
            [column, font](const EntryTableModel::WholeEntry& entry) {
                const QString text = Format::escapeControl(entry.values.value(column).toString(), true);
                delete EntryWholeValue::document(text, font);
                return QString();
            });
    } else {
        return 2;
    }
    if (!QTest::qWaitFor([&done] { return done; }, 600000))
        return 1;
    std::printf("peak_growth_kib %lld\n", statusKb("VmHWM:") - before);
    return 0;
}
