// SPDX-License-Identifier: GPL-3.0-or-later
// Issue #28.4, "every panel of a page from the same sample and the same count (with its time)": the Overview's Writers
// box, the Activity tab's "Wrote lately" and its lanes give a writer's commits over the rates' window, and only from a
// second of samples on. Before, the first samples gave one sample's count (over ~0.1 s: "1 process wrote in the first
// samples: PID 7 (python3, ≈3 commits)") beside the rates' "measuring…". A real python3 writer commits from before
// the watch starts; every sample is compared as the pages show it.
#include "livecachetest.h"
#include "models/activityfeed.h"
#include "pages/activitypage.h"
#include "pages/activitytimeline.h"
#include "pages/activitywording.h"
#include "pages/overviewpage.h"
#include "shownwords.h"
#include "sqlite/database.h"
#include "testsupport.h"
#include "window/mainwindow.h"
#include "writerscripts.h"

#include <QLabel>
#include <QRegularExpression>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

class TestWriterCounts : public LiveCacheTest {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { qputenv("CACHESCOPE_CLI", QByteArrayLiteral(CACHESCOPE_CLI_PATH)); }
    void overviewCountsAreActivitysOverItsWindow();
};

void TestWriterCounts::overviewCountsAreActivitysOverItsWindow()
{
    PythonChild* writer = start(WriterScripts::writeContinuously, { db(), u"0.01"_s });
    QVERIFY(writer);
    const qint64 pid = writer->pid();
    // The pages of the window, the Overview fed the Activity tab's samples as the window feeds it, with the GUI's own
    // read-only connection open.
    auto database = Database::open(db(), Database::Mode::ReadOnly);
    QVERIFY2(database, qPrintable(database ? QString() : database.error().message));
    ActivityPage activity;
    OverviewPage overview;
    overview.showDatabase(database->get());
    connect(activity.feed(), &ActivityFeed::sampleReceived, &overview, &OverviewPage::applySample);
    auto* wroteLately = activity.findChild<QLabel*>(u"writersValue"_s);
    auto* timeline = activity.findChild<ActivityTimeline*>(u"timeline"_s);
    QVERIFY(wroteLately && timeline);
    const QRegularExpression onActivity(u"PID %1 \\([^)]*\\) — (≈?\\d+) commits?"_s.arg(pid));
    const QRegularExpression onOverview(u"PID %1 \\([^,]*, (≈?\\d+) commits?\\)"_s.arg(pid));
    int early = 0; // samples naming the writer before a second of samples: no count on any panel
    int compared = 0;
    int overOneSample = 0; // compared samples whose count is more than the one sample's
    QStringList wrong;
    // Connected after the pages' own connections: runs once every panel has taken the sample.
    connect(activity.feed(), &ActivityFeed::sampleReceived, this, [&](const ActivitySample& sample) {
        const auto it = std::find_if(sample.recentWriters.begin(), sample.recentWriters.end(),
            [pid](const ActivitySample::Writer& w) { return w.pid == pid; });
        if (it == sample.recentWriters.end())
            return;
        const QString activityText = shownWords(wroteLately);
        const QString overviewText = QString(overview.writersText()).replace(QChar(0x00A0), u' ');
        const auto a = onActivity.match(activityText);
        const auto o = onOverview.match(overviewText);
        const QString at = u"t=%1 ms, span %2 ms: Activity \"%3\" | Overview \"%4\""_s.arg(sample.tMs)
                               .arg(sample.rateSpanMs)
                               .arg(activityText, overviewText);
        if (!sample.ratesShown()) {
            ++early;
            if (a.hasMatch() || o.hasMatch() || timeline->commitsOf(pid))
                wrong << u"a count over less than a second: "_s + at;
            return;
        }
        if (!it->commits)
            return; // some of its commits not attributed in this window: no count said anywhere
        ++compared;
        const QString commits
            = (ActivityWording::exactNames(sample) ? QString() : u"≈"_s) + QString::number(*it->commits);
        const QString window = ActivityWording::rateSpanText(sample);
        if (!a.hasMatch() || !o.hasMatch() || a.captured(1) != commits || o.captured(1) != commits
            || timeline->commitsOf(pid) != it->commits)
            wrong << u"not the window's %1 commits on every panel: "_s.arg(commits) + at;
        // Over the same stated window on both pages.
        if (!activityText.contains(u"(in "_s + window + u')') || !overviewText.contains(u"wrote in "_s + window))
            wrong << u"not said over %1: "_s.arg(window) + at;
        // Not one sample's count: the window's, which holds this sample's commits and those before.
        for (const ActivitySample::Writer& now : sample.writers) {
            if (now.pid == pid && now.commits && *now.commits > *it->commits)
                wrong << u"fewer than this one sample's %1: "_s.arg(*now.commits) + at;
            if (now.pid == pid && now.commits && *it->commits > *now.commits)
                ++overOneSample;
        }
    });
    activity.resize(MainWindow::DefaultSize);
    activity.show();
    activity.showDatabase(db());
    QTRY_VERIFY_WITH_TIMEOUT(compared >= 20, 60000);
    activity.feed()->stop();
    qInfo("%d early samples named the writer, %d compared, %d over more than one sample's count", early, compared,
        overOneSample);
    QVERIFY2(wrong.isEmpty(), qPrintable(wrong.mid(0, 5).join(u'\n')));
    QVERIFY(overOneSample > 0);
    QVERIFY(activity.grab().save(screenshotPath(u"activity-writer-counts.png"_s)));
}

QTEST_MAIN(TestWriterCounts)
#include "tst_writercounts.moc"
