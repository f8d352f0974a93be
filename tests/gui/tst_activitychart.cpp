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

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

class TestActivityChart : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { qputenv("CACHESCOPE_CLI", QByteArrayLiteral(CACHESCOPE_CLI_PATH)); }
    void chartTicksAndEmptyTables();
    void chartTimeAxisIsTheTimelines();
    void chartWaitsForTheFirstRate();
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

QTEST_MAIN(TestActivityChart)
#include "tst_activitychart.moc"
