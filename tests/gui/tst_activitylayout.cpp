// SPDX-License-Identifier: GPL-3.0-or-later
// Issue #28: the Activity page laid out without overlap at any width down to its minimum. In a 673 px
// RemoteWindow the WAL box's wrapped labels drew over the readers table: the facts grew as samples
// wrapped their values onto more lines, and the splitter under them kept the height it had measured
// before, so the tables were placed over the facts. A real writer keeps the values changing; the
// page's widgets are compared by their rects mapped to the page.
#include "livecache.h"
#include "models/activityfeed.h"
#include "openedwindow.h"
#include "pages/activitypage.h"
#include "pages/commandlinecolumn.h"
#include "testsupport.h"
#include "window/mainwindow.h"
#include "writerscripts.h"

#include <memory>

#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QRegularExpression>
#include <QScrollBar>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTest>
#include <QTextLayout>
#include <QTimer>
#include <QTreeWidget>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

class TestActivityLayout : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { qputenv("CACHESCOPE_CLI", QByteArrayLiteral(CACHESCOPE_CLI_PATH)); }
    void nothingOverlaps_data();
    void nothingOverlaps();
    void commandLinesReadable_data();
    void commandLinesReadable();
    void numbersKeptWithUnits_data();
    void numbersKeptWithUnits();
};

namespace {
QRect rectOn(const QWidget* widget, const QWidget* page)
{
    return QRect(widget->mapTo(page, QPoint(0, 0)), widget->size());
}

// What of the widget can be seen: its rect clipped by every ancestor up to the page (a scroll area's viewport too).
QRect visibleOn(const QWidget* widget, const QWidget* page)
{
    QRect rect = rectOn(widget, page);
    for (const QWidget* up = widget->parentWidget(); up && up != page; up = up->parentWidget())
        rect &= rectOn(up, page);
    return rect;
}
} // namespace

void TestActivityLayout::nothingOverlaps_data()
{
    QTest::addColumn<int>("width");
    QTest::addColumn<bool>("settled");
    for (bool settled : { false, true }) {
        const char* when = settled ? "settled" : "first frame";
        QTest::addRow("600 px, %s", when) << 600 << settled;
        QTest::addRow("673 px (RemoteWindow), %s", when) << 673 << settled;
        QTest::addRow("minimum, %s", when) << 0 << settled;
    }
}

void TestActivityLayout::nothingOverlaps()
{
    QFETCH(int, width);
    LiveCache live;
    QVERIFY(live.create(20));
    const QString db = live.db();
    // Commits without checkpoints: the WAL box's values (frames waiting, sizes) change at every sample.
    QVERIFY(live.start(WriterScripts::writeContinuously, { db, u"0.005"_s, u"0"_s }));
    // As in a window: a tab among others, its samples coming while another tab is shown (RemoteWindow opens on
    // the Overview), then brought to the front.
    QTabWidget window;
    auto* page = new ActivityPage;
    window.addTab(new QLabel(u"Overview"_s), u"Overview"_s);
    window.addTab(page, u"Activity"_s);
    window.resize(width > 0 ? width : window.minimumSizeHint().width(), 533);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    page->showDatabase(db);
    QTRY_VERIFY_WITH_TIMEOUT(page->samplesShown() >= 20, 60000);
    window.setCurrentWidget(page);
    QFETCH(bool, settled);
    if (settled) {
        const qint64 shownAt = page->samplesShown();
        QTRY_VERIFY_WITH_TIMEOUT(page->samplesShown() >= shownAt + 5, 60000); // values that change while in front
        QApplication::processEvents();
    } // else as the first frame after the tab is brought to the front is painted (tst_remotewindow's screenshot)
    const QList<const QWidget*> below { page->findChild<QTreeWidget*>(u"readersTree"_s),
        page->findChild<QTableView*>(u"processView"_s), page->findChild<QWidget*>(u"chartTabs"_s) };
    QStringList overlaps;
    for (const char* group : { "writerGroup", "walGroup" }) {
        const auto* box = page->findChild<QGroupBox*>(QLatin1StringView(group));
        QVERIFY(box);
        QList<const QWidget*> facts;
        for (const QLabel* label : box->findChildren<QLabel*>())
            facts << label;
        facts << box->findChildren<QProgressBar*>().value(0);
        for (const QWidget* fact : std::as_const(facts)) {
            if (!fact || !fact->isVisible())
                continue;
            const QRect seen = visibleOn(fact, page);
            // Nor cut: a wrapped value as tall as its lines, the progress bar as tall as its text.
            const auto* label = qobject_cast<const QLabel*>(fact);
            const int needed
                = label && label->wordWrap() ? label->heightForWidth(label->width()) : fact->minimumSizeHint().height();
            if (fact->height() < needed)
                overlaps << u"%1 cut: %2 px of %3 (%4)"_s.arg(fact->objectName())
                                .arg(fact->height())
                                .arg(needed)
                                .arg(label ? label->text() : QString());
            for (const QWidget* table : below) {
                QVERIFY(table);
                if (table->isVisible() && seen.intersects(visibleOn(table, page)))
                    overlaps << u"%1 %2 over %3 %4 (%5)"_s.arg(fact->objectName(), QDebug::toString(seen),
                        table->objectName(), QDebug::toString(visibleOn(table, page)),
                        qobject_cast<const QLabel*>(fact) ? qobject_cast<const QLabel*>(fact)->text() : QString());
            }
        }
    }
    QVERIFY(window.grab().save(
        screenshotPath(u"activity-layout-%1%2.png"_s.arg(width).arg(settled ? QString() : u"-first"_s))));
    QVERIFY2(overlaps.isEmpty(), qPrintable(u"%1 px: "_s.arg(window.width()) + overlaps.join(u'\n')));
}

void TestActivityLayout::commandLinesReadable_data()
{
    QTest::addColumn<int>("width");
    QTest::addRow("600 px") << 600;
    QTest::addRow("1000x708") << 1000;
}

// Issue #28: at 600 px the tables' other columns, each as wide as its contents, left the command line a few pixels:
// its title read "Command l…" and its cells nothing. Now it keeps its title whole and a program's name, and the table
// scrolls sideways; each cell is cut in its middle with the whole line on hover. A real writer and its snapshot give
// both tables a row.
void TestActivityLayout::commandLinesReadable()
{
    QFETCH(int, width);
    LiveCache live;
    QVERIFY(live.create(20));
    QVERIFY(live.start(WriterScripts::writeContinuously, { live.db(), u"0.005"_s, u"0"_s }));
    ActivityPage page;
    page.resize(width, 708);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    page.showDatabase(live.db());
    auto* readers = page.findChild<QTreeWidget*>(u"readersTree"_s);
    auto* processes = page.findChild<QTableView*>(u"processView"_s);
    QVERIFY(readers && processes);
    QTRY_VERIFY_WITH_TIMEOUT(readers->topLevelItemCount() > 0 && processes->model()->rowCount() > 0, 60000);
    page.feed()->stop();
    QApplication::processEvents();
    QVERIFY(page.grab().save(screenshotPath(u"activity-command-lines-%1.png"_s.arg(width))));
    const QList<std::pair<QAbstractItemView*, QHeaderView*>> views { { readers, readers->header() },
        { processes, processes->horizontalHeader() } };
    for (const auto& [view, header] : views) {
        const int column = header->count() - 1; // the command line, last in both
        QCOMPARE(header->model()->headerData(column, Qt::Horizontal).toString(), u"Command line"_s);
        const int least = CommandLineColumn::leastWidth(header, column);
        QVERIFY2(header->sectionSize(column) >= least,
            qPrintable(u"%1 at %2 px: the command line %3 px of the %4 its title needs"_s.arg(view->objectName())
                           .arg(width)
                           .arg(header->sectionSize(column))
                           .arg(least)));
        // Reached by scrolling sideways when the table is narrower than its columns.
        const int all = header->length();
        QVERIFY2(all <= view->viewport()->width()
                || view->horizontalScrollBar()->maximum() >= all - view->viewport()->width(),
            qPrintable(view->objectName()));
        QCOMPARE(view->textElideMode(), Qt::ElideMiddle);
        const QModelIndex first = view->model()->index(0, column);
        QVERIFY2(!first.data(Qt::ToolTipRole).toString().isEmpty(), qPrintable(view->objectName()));
    }
}

namespace {
// A number, a space and its unit as the page's words write them ("5.2 s", "12 commits/s", "1.5 MiB").
const QRegularExpression& numberSpaceUnit()
{
    static const QRegularExpression pair(uR"(\d (ms|s|min|B|KiB|MiB|GiB|commits?|frames?)(?![\p{L}\p{N}]))"_s);
    return pair;
}

// The lines a word-wrapped label lays its text out in, at its width.
QStringList laidOutLines(const QLabel* label)
{
    QTextLayout layout(label->text(), label->font());
    QTextOption option(label->alignment());
    option.setWrapMode(QTextOption::WordWrap);
    layout.setTextOption(option);
    layout.beginLayout();
    QStringList lines;
    for (QTextLine line = layout.createLine(); line.isValid(); line = layout.createLine()) {
        line.setLineWidth(label->contentsRect().width());
        lines << label->text().mid(line.textStart(), line.textLength());
    }
    layout.endLayout();
    return lines;
}

// What is wrong with the page's wrapped values now: a line that ends on a number and the next that starts with its
// unit, and any number written with a plain space before its unit (where a line can break).
QStringList unitsCut(const QWidget* page)
{
    static const QRegularExpression endsOnNumber(uR"(\d[\s\x{00A0}]*$)"_s);
    static const QRegularExpression startsWithUnit(uR"(^(ms|s|min|B|KiB|MiB|GiB|commits?|frames?)(?![\p{L}\p{N}]))"_s);
    QStringList wrong;
    for (const QLabel* label : page->findChildren<QLabel*>()) {
        if (!label->isVisible() || !label->wordWrap() || label->text().isEmpty())
            continue;
        const QStringList lines = laidOutLines(label);
        for (qsizetype i = 1; i < lines.size(); ++i) {
            if (endsOnNumber.match(lines.at(i - 1)).hasMatch() && startsWithUnit.match(lines.at(i)).hasMatch())
                wrong << u"%1 broken at %2 px: \"%3 | %4\""_s.arg(label->objectName())
                             .arg(label->contentsRect().width())
                             .arg(lines.at(i - 1), lines.at(i));
        }
        const QRegularExpressionMatch plain = numberSpaceUnit().match(label->text());
        if (plain.hasMatch())
            wrong << u"%1: a plain space in \"%2\" (%3)"_s.arg(label->objectName(), plain.captured(), label->text());
    }
    return wrong;
}
} // namespace

void TestActivityLayout::numbersKeptWithUnits_data()
{
    QTest::addColumn<int>("width");
    QTest::addRow("600 px") << 600;
    QTest::addRow("1000x708") << 1000;
}

// Issue #28 defect 17: "(over the last 5.2 | s)" and "10 | s" broke over two lines in the WAL box at 1000×708. Every
// number is kept with its unit by a no-break space (U+00A0). A real writer's commits change the values at every
// sample, and the rates' span grows from 1 s to 10 s; each sample's wrapped labels are laid out at their widths: the
// page alone at 600 px, and in the window at its default size.
void TestActivityLayout::numbersKeptWithUnits()
{
    QFETCH(int, width);
    LiveCache live;
    QVERIFY(live.create(20));
    QVERIFY(live.start(WriterScripts::writeContinuously, { live.db(), u"0.005"_s, u"0"_s }));
    std::unique_ptr<MainWindow> window;
    std::unique_ptr<ActivityPage> alone;
    ActivityPage* page = nullptr;
    if (width == 1000) {
        window = std::make_unique<MainWindow>();
        window->resize(1000, 708);
        QVERIFY(showAndOpen(*window, live.db(), Database::Mode::ReadOnly, MainWindow::Remember::No));
        page = window->activityPage();
        window->pages()->setCurrentWidget(page);
    } else {
        alone = std::make_unique<ActivityPage>();
        page = alone.get();
        page->resize(width, 708);
        page->show();
        QVERIFY(QTest::qWaitForWindowExposed(page));
        page->showDatabase(live.db());
    }
    QStringList wrong;
    bool seenNoBreak = false;
    // Every sample from the first rates (1 s) to a full window (10 s) and a few more.
    connect(page->feed(), &ActivityFeed::sampleReceived, page, [&] {
        QTimer::singleShot(0, page, [&] { // once the page has shown it and fitted its panels
            for (const QString& line : unitsCut(page)) {
                if (!wrong.contains(line))
                    wrong << line;
            }
            const QString rates = page->findChild<QLabel*>(u"ratesValue"_s)->text();
            seenNoBreak = seenNoBreak || rates.contains(u" s)"_s.replace(u' ', QChar(0x00A0)));
        });
    });
    QTRY_VERIFY_WITH_TIMEOUT(page->samplesShown() >= 130, 90000);
    page->feed()->stop();
    QApplication::processEvents();
    QVERIFY(page->window()->grab().save(screenshotPath(u"activity-units-%1.png"_s.arg(width))));
    QVERIFY2(wrong.isEmpty(), qPrintable(wrong.mid(0, 12).join(u'\n')));
    // The rates' span written with the no-break space: "(over the last 5.2 s)".
    QVERIFY2(seenNoBreak, qPrintable(page->findChild<QLabel*>(u"ratesValue"_s)->text()));
}

QTEST_MAIN(TestActivityLayout)
#include "tst_activitylayout.moc"
