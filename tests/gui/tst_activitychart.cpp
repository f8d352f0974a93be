// SPDX-License-Identifier: GPL-3.0-or-later
// The Activity page's chart offscreen (moved from tst_activitypage): its integer tick steps, the
// empty tables' hints, its time axis the same as the timeline's, its compact form beside the
// tables at the default window size; screenshots to look at. Live: its commits line against the rate the page says
// (moved from tst_activityagree).
#include "livecache.h"
#include "models/activityfeed.h"
#include "pages/activitychart.h"
#include "pages/activitypage.h"
#include "pages/activitytimeline.h"
#include "pages/emptyviewhint.h"
#include "testsupport.h"
#include "window/mainwindow.h"
#include "writerscripts.h"

#include <QAbstractAxis>
#include <QLabel>
#include <QLegend>
#include <QLineSeries>
#include <QTest>
#include <QValueAxis>

#include <cmath>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

class TestActivityChart : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { qputenv("CACHESCOPE_CLI", QByteArrayLiteral(CACHESCOPE_CLI_PATH)); }
    void chartTicksAndEmptyTables();
    void chartTimeAxisIsTheTimelines();
    void chartWaitsForTheFirstRate();
    void walAxisRoundTicksNoGrid_data();
    void walAxisRoundTicksNoGrid();
};

void TestActivityChart::chartTicksAndEmptyTables()
{
    QCOMPARE(ActivityChart::tickStep(10), 2.0);
    QCOMPARE(ActivityChart::tickStep(27), 5.0);
    QCOMPARE(ActivityChart::tickStep(300), 50.0);
    QCOMPARE(ActivityChart::tickStep(0.5), 1.0);
    QCOMPARE(ActivityChart::tickStep(4400), 1000.0);
    ActivityPage page;
    page.resize(1000, 700);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    const auto hints = page.findChildren<EmptyViewHint*>();
    QCOMPARE(hints.size(), 2);
    for (const EmptyViewHint* hint : hints) {
        QVERIFY(hint->isShown());
        QVERIFY(!hint->text().isEmpty());
    }
    QVERIFY(page.grab().save(screenshotPath(u"activity-empty.png"_s)));
}

void TestActivityChart::chartTimeAxisIsTheTimelines()
{
    QCOMPARE(ActivityChart::WindowSeconds, ActivityTimeline::WindowSeconds);
    ActivityChart chart;
    chart.resize(600, 300);
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    QCOMPARE(chart.timeLabels(),
        QStringList({ u"−60 s"_s, u"−50 s"_s, u"−40 s"_s, u"−30 s"_s, u"−20 s"_s, u"−10 s"_s, u"now"_s }));
    chart.addSample(100, 1, 0);
    QCOMPARE(chart.lastPointSeconds(), 0.0);
    chart.addSample(130, 2, 0);
    chart.addSample(170, 3, 1 << 20);
    QCOMPARE(chart.pointCount(), 2); // 100 s is more than a minute before 170 s
    QCOMPARE(chart.lastPointSeconds(), 0.0);
    QCOMPARE(chart.lastCommitsPerSecond(), 3.0);
    const auto* series = static_cast<const QLineSeries*>(chart.chart()->series().first());
    QCOMPARE(series->at(0).x(), -40.0);
    // Hidden (another tab shown), samples are kept but the lines are not laid out again until shown.
    chart.hide();
    chart.addSample(175, 4, 0);
    QCOMPARE(chart.pointCount(), 3);
    QCOMPARE(chart.lastCommitsPerSecond(), 4.0);
    QCOMPARE(series->count(), 2);
    chart.show();
    QCOMPARE(series->count(), 3);
    QCOMPARE(series->at(0).x(), -45.0);
    // #28: as narrow as beside the tables at 1000×708 (280 px), the axis titles go (the legend
    // names both lines) and a label every 30 s is left, each read whole (they read "−…").
    const auto axes = chart.chart()->axes(Qt::Vertical);
    QCOMPARE(axes.size(), 2);
    QVERIFY(axes[0]->isTitleVisible() && axes[1]->isTitleVisible());
    chart.resize(280, 260);
    QTRY_VERIFY(chart.isCompact());
    QCOMPARE(chart.timeLabels(), QStringList({ u"−60 s"_s, u"−30 s"_s, u"now"_s }));
    QVERIFY(!axes[0]->isTitleVisible() && !axes[1]->isTitleVisible());
    QVERIFY(chart.chart()->legend()->isVisible());
    QVERIFY(chart.grab().save(screenshotPath(u"activity-chart-compact.png"_s)));
    chart.resize(600, 300);
    QTRY_VERIFY(!chart.isCompact());
    QCOMPARE(chart.timeLabels().size(), 7);
    QVERIFY(axes[0]->isTitleVisible());
}

// #28: "Activity: measuring…" stood beside a chart that already plotted commits/s (0, or a rate over 0.1 s the text
// would not say). One truth: the commits line starts with the first rate the text says. A python3 writer commits every
// 5 ms under the real watch; after every sample the page took, while the text says "measuring…" the chart has no
// commits point, and once it gives a figure the chart's last point is that figure.
void TestActivityChart::chartWaitsForTheFirstRate()
{
    LiveCache live;
    QVERIFY(live.create(20));
    QVERIFY(live.start(WriterScripts::writeContinuously, { live.db(), u"0.005"_s }));
    ActivityPage activity;
    activity.resize(MainWindow::DefaultSize);
    activity.show();
    const auto* chart = activity.findChild<ActivityChart*>();
    const auto* rates = activity.findChild<QLabel*>(u"ratesValue"_s);
    QVERIFY(chart && rates);
    int measuring = 0; // samples the text said "measuring…" for
    int figures = 0; // samples with a rate said
    QStringList wrong;
    // After the page's own connection: what the page shows of each sample.
    QObject::connect(activity.feed(), &ActivityFeed::sampleReceived, &activity, [&](const ActivitySample& sample) {
        if (rates->text() == u"measuring…"_s) {
            ++measuring;
            if (chart->commitPointCount() != 0)
                wrong << u"measuring… beside %1 commits/s points (t %2 ms)"_s.arg(chart->commitPointCount())
                             .arg(sample.tMs);
            return;
        }
        ++figures;
        if (chart->commitPointCount() == 0 || chart->lastCommitsPerSecond() != sample.commitsPerSecond)
            wrong << u"\"%1\" beside %2 points, the last %3"_s.arg(rates->text())
                         .arg(chart->commitPointCount())
                         .arg(chart->lastCommitsPerSecond());
    });
    activity.showDatabase(live.db());
    QTRY_VERIFY_WITH_TIMEOUT(figures >= 5, 60000);
    activity.feed()->stop();
    qInfo("%d samples measuring, %d with a rate; %lld points in all", measuring, figures, qint64(chart->pointCount()));
    QVERIFY2(wrong.isEmpty(), qPrintable(wrong.join(u'\n')));
    QVERIFY2(measuring >= 2, qPrintable(QString::number(measuring))); // the first samples: the case of the issue
    QVERIFY(chart->pointCount() > chart->commitPointCount()); // the -wal line plots from the first sample on
    QVERIFY(chart->lastCommitsPerSecond() > 0);
}

void TestActivityChart::walAxisRoundTicksNoGrid_data()
{
    // Rows of 3,000 bytes, one page each: a -wal of about 0.3, 2.5 and 40 MiB (commits never copied back).
    QTest::addColumn<int>("rows");
    QTest::addColumn<double>("leastMib");
    QTest::addRow("0.3 MiB") << 70 << 0.25;
    QTest::addRow("2.5 MiB") << 600 << 2.3;
    QTest::addRow("40 MiB") << 9800 << 38.0;
}

// #28: the -wal's MiB axis read 0, 0.833, 1.67 (applyNiceNumbers over 1.1 × the largest size) beside the commits axis'
// round steps; and (defect 11) its grid lines were drawn over the commits axis' grid, two scales' lines at once. A real
// -wal of each size written by a python3 child, watched by the page: the axis' ticks are 1, 2 or 5 × 10^n MiB from 0,
// its top one of them and above the largest size, and it draws no grid.
void TestActivityChart::walAxisRoundTicksNoGrid()
{
    QFETCH(int, rows);
    QFETCH(double, leastMib);
    LiveCache live;
    QVERIFY(live.create(5));
    QVERIFY(
        live.start(WriterScripts::writeCommits, { live.db(), u"1"_s, QString::number(rows), u"3000"_s, u"none"_s }));
    ActivityPage activity;
    activity.resize(MainWindow::DefaultSize);
    activity.show();
    QVERIFY(QTest::qWaitForWindowExposed(&activity));
    double walMib = 0;
    connect(activity.feed(), &ActivityFeed::sampleReceived, &activity,
        [&walMib](const ActivitySample& sample) { walMib = double(sample.walBytes.value_or(0)) / (1024.0 * 1024.0); });
    activity.showDatabase(live.db());
    QTRY_VERIFY_WITH_TIMEOUT(activity.samplesShown() >= 5, 60000);
    activity.feed()->stop();
    QVERIFY2(walMib >= leastMib, qPrintable(QString::number(walMib)));
    auto* chart = activity.findChild<ActivityChart*>();
    QValueAxis* mib = nullptr;
    QValueAxis* commits = nullptr;
    for (QAbstractAxis* axis : chart->chart()->axes(Qt::Vertical))
        (axis->titleText() == u"MiB"_s ? mib : commits) = qobject_cast<QValueAxis*>(axis);
    QVERIFY(mib && commits);
    // At the default size and shorter (fewer ticks fit): ticks the page had 0.833, 1.67 for.
    for (const int height : { MainWindow::DefaultSize.height(), 560, 440 }) {
        activity.resize(MainWindow::DefaultSize.width(), height);
        QApplication::processEvents();
        QApplication::processEvents(); // the chart laid out at the new size, its ticks for its plot area
        QList<double> ticks;
        if (mib->tickType() == QValueAxis::TicksDynamic) {
            for (double at = mib->tickAnchor(); at <= mib->max() + 1e-9; at += mib->tickInterval())
                ticks << at;
        } else { // applyNiceNumbers' ticks: tickCount of them, evenly over the range
            for (int i = 0; i < mib->tickCount(); ++i)
                ticks << mib->min() + (mib->max() - mib->min()) * i / (mib->tickCount() - 1);
        }
        const QString said = u"%1 px, %2 MiB -wal: ticks %3"_s.arg(height).arg(walMib).arg(QDebug::toString(ticks));
        qInfo("%s", qPrintable(said));
        QVERIFY2(ticks.size() >= 2, qPrintable(said));
        QCOMPARE(ticks.first(), 0.0);
        const double step = ticks.at(1) - ticks.at(0);
        const double power = std::pow(10.0, std::floor(std::log10(step) + 1e-9));
        const double factor = step / power;
        QVERIFY2(std::abs(factor - 1) < 1e-6 || std::abs(factor - 2) < 1e-6 || std::abs(factor - 5) < 1e-6,
            qPrintable(said));
        QVERIFY2(ticks.size() - 1 <= ActivityChart::MaxTicks, qPrintable(said));
        QVERIFY2(std::abs(ticks.last() - mib->max()) < 1e-6 && mib->max() >= walMib, qPrintable(said)); // a tick on top
        // Its labels as its ticks: one decimal below a whole MiB step (0.5), none from one on (never "0.833").
        QVERIFY2(
            mib->labelFormat() == (step < 1 ? u"%.1f"_s : u"%.0f"_s), qPrintable(said + u" "_s + mib->labelFormat()));
    }
    // One grid, the commits axis'.
    QVERIFY(!mib->isGridLineVisible() && !mib->isMinorGridLineVisible());
    QVERIFY(commits->isGridLineVisible());
    QVERIFY(activity.grab().save(screenshotPath(u"activity-wal-axis-%1.png"_s.arg(rows))));
}

QTEST_MAIN(TestActivityChart)
#include "tst_activitychart.moc"
