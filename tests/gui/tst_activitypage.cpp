// SPDX-License-Identifier: GPL-3.0-or-later
// Activity page offscreen, fed with samples measured from real processes: the writer, the pinning
// reader highlighted, the warning banner, the chart; screenshots to look at. The sample parser and
// ProcessModel alone: tst_processmodel; the processes' roles and this window's own lock: tst_activityroles.
#include "live/sampler.h"
#include "live/warningcatalog.h"
#include "livecachetest.h"
#include "maintenance/checkpoint.h"
#include "measuredsample.h"
#include "models/activityfeed.h"
#include "models/activitysample.h"
#include "models/processmodel.h"
#include "pages/activitychart.h"
#include "pages/activitypage.h"
#include "pages/activitytimeline.h"
#include "pages/activitywording.h"
#include "pages/emptyviewhint.h"
#include "shownwords.h"
#include "testsupport.h"
#include "window/mainwindow.h"
#include "writerscripts.h"

#include <QAbstractAxis>
#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCoreApplication>
#include <QFileInfo>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QLegend>
#include <QLineSeries>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QTreeWidget>

#include <memory>
#include <optional>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

namespace {
// Presses `button` in the next message box that opens (modal: its question runs its own loop).
void answerNextQuestion(QMessageBox::StandardButton button)
{
    auto* timer = new QTimer(qApp);
    QObject::connect(timer, &QTimer::timeout, timer, [timer, button] {
        if (auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget())) {
            timer->deleteLater();
            timer->stop();
            box->button(button)->click();
        }
    });
    timer->start(20);
}
} // namespace

class TestActivityPage : public LiveCacheTest {
    Q_OBJECT
private Q_SLOTS:
    void showsWriterAndPinningReader();
    void idleCache();
    void namesSubMillisecondWriters();
    void bannerLinkConvertsToWal();
    void rollbackCacheHasNoWalFacts();
    void saysTermsInPlainWords();
    void explainsColumnsLocksAndCounts();
};

void TestActivityPage::showsWriterAndPinningReader()
{
    PythonChild* reader = startPinningReader();
    QVERIFY(reader);
    PythonChild* writer = start(WriterScripts::holdWriteLock, { db() });
    QVERIFY(writer);

    ActivityPage page;
    page.resize(1000, 700);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    Sampler sampler(db());
    ActivitySample last;
    for (int i = 0; i < 5; ++i) {
        last = measure(sampler, i * 1000);
        page.applySample(last);
        QCoreApplication::processEvents(); // the layout it posted
    }
    QCOMPARE(page.shownWriterPid(), writer->pid());
    // #28: the checkpoint line says the pin in core's words, as the CLI's checkpoint note does (one definition).
    const ActivitySample::Reader* pin = last.pinningReader();
    QVERIFY(pin && pin->pid == reader->pid());
    const QString checkpointText = shownWords(page.findChild<QLabel*>(u"checkpointText"_s));
    QVERIFY2(checkpointText.endsWith(u' ' + Checkpoint::pinnedText(pin->pid, pin->name, pin->readMark)),
        qPrintable(checkpointText));
    QVERIFY2(checkpointText.contains(u"Reader PID %1"_s.arg(reader->pid())), qPrintable(checkpointText));
    auto* writerValue = page.findChild<QLabel*>(u"writerValue"_s);
    QVERIFY(shownWords(writerValue).contains(QString::number(writer->pid())));
    auto* readers = page.findChild<QTreeWidget*>(u"readersTree"_s);
    QTreeWidgetItem* pinning = nullptr;
    for (int i = 0; i < readers->topLevelItemCount(); ++i) {
        if (readers->topLevelItem(i)->text(0) == QString::number(reader->pid()))
            pinning = readers->topLevelItem(i);
    }
    QVERIFY(pinning);
    QCOMPARE(pinning->text(3), u"pins the checkpoint"_s);
    QVERIFY(pinning->font(0).bold());
    QVERIFY2(page.warningText().contains(QString::number(reader->pid())), qPrintable(page.warningText()));
    QVERIFY(page.warningText().contains(WarningCatalog::title(WarningCode::CheckpointStarved)));
    auto* bar = page.findChild<QProgressBar*>(u"checkpointBar"_s);
    QVERIFY(bar->isEnabled());
    QVERIFY(bar->maximum() >= 1200);
    QVERIFY(bar->value() < bar->maximum());
    QCOMPARE(page.findChild<ActivityChart*>()->pointCount(), 5);
    QCOMPARE(page.processModel()->roleOf(reader->pid()), u"pins the checkpoint"_s);
    QVERIFY(page.grab().save(screenshotPath(u"activity-pinning-reader.png"_s)));
    // Laid out for the default window (#28): at 1000×700, with three warnings, a writer and a
    // pinning reader, no fact is squeezed below the height its wrapped text needs, the readers'
    // columns are as wide as their contents, and the page scrolls rather than cutting.
    QTRY_VERIFY(page.isVisible());
    // Checked once the page has laid out the last sample it took (a sample that wraps a value one
    // line more is laid out in an event after it).
    page.feed()->stop();
    const auto squeezed = [&page]() -> QString {
        for (const char* group : { "writerGroup", "checkpointGroup", "walGroup" }) {
            for (QLabel* label : page.findChild<QWidget*>(QString::fromLatin1(group))->findChildren<QLabel*>()) {
                const int needed
                    = label->hasHeightForWidth() ? label->heightForWidth(label->width()) : label->sizeHint().height();
                if (label->height() < needed)
                    return u"%1 is %2 px high, needs %3: %4"_s.arg(label->objectName())
                        .arg(label->height())
                        .arg(needed)
                        .arg(shownWords(label));
            }
        }
        return {};
    };
    QTRY_VERIFY2(squeezed().isEmpty(), qPrintable(squeezed()));
    const QFontMetrics metrics(readers->font());
    QVERIFY(readers->columnWidth(3) >= metrics.horizontalAdvance(u"the writer's own snapshot"_s));
    QCOMPARE(readers->header()->sectionResizeMode(0), QHeaderView::ResizeToContents);
}

// An axis of whole numbers steps by 1, 2 or 5 × 10^n (0, 2, 4 … not 0, 6, 13, 20, 27) with at
// most six intervals; an empty table says why it is empty.
void TestActivityPage::idleCache()
{
    ActivityPage page;
    Sampler sampler(db());
    page.applySample(measure(sampler, 0));
    QCOMPARE(page.shownWriterPid(), 0);
    QCOMPARE(shownWords(page.findChild<QLabel*>(u"writerValue"_s)), u"nobody is writing right now"_s);
    // Nobody connected: no -wal (SQLite removed it at the last close), so no empty bar — not even "0 / 1 frames
    // backfilled" beside "Valid frames: 0" — but a sentence saying there is nothing to checkpoint (#28).
    QVERIFY(!QFileInfo::exists(db() + u"-wal"_s));
    QVERIFY(page.findChild<QProgressBar*>(u"checkpointBar"_s)->isHidden());
    const QString checkpoint = shownWords(page.findChild<QLabel*>(u"checkpointText"_s));
    QVERIFY2(checkpoint == u"No -wal file: nothing to checkpoint."_s, qPrintable(checkpoint));
    // No size, frames or restarts for the file that is not there (main: "File size: 0 B", "Valid frames: 0 (0 B
    // of content)", "Restarts of this -wal: 0" beside that sentence).
    page.resize(MainWindow::DefaultSize);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    QVERIFY(page.grab().save(screenshotPath(u"activity-no-wal.png"_s)));
    const QString size = shownWords(page.findChild<QLabel*>(u"highWaterValue"_s));
    QVERIFY2(size == u"no file"_s, qPrintable(size));
    const QString frames = shownWords(page.findChild<QLabel*>(u"validFramesValue"_s));
    QVERIFY2(frames == u"none"_s, qPrintable(frames));
    QCOMPARE(shownWords(page.findChild<QLabel*>(u"checkpointSeqValue"_s)), u"—"_s); // read from the -wal's header
    // At rest says what the missing -shm proves — nobody in WAL mode — not "no connection open" beside a process
    // table that lists this CacheScope (or a DELETE-mode client) holding the database.
    const QString filesState = shownWords(page.findChild<QLabel*>(u"filesStateValue"_s));
    QVERIFY2(filesState.startsWith(u"at rest"_s) && !filesState.contains(u"no connection"_s), qPrintable(filesState));
    QVERIFY(page.warningText().isEmpty());
    page.clear();
    QCOMPARE(page.samplesShown(), 0);
}

void TestActivityPage::namesSubMillisecondWriters()
{
    const QString dir = m_live.filePath(u"diskcache"_s);
    QList<qint64> pids;
    for (int i = 0; i < 4; ++i) {
        PythonChild* writer = start(WriterScripts::diskcacheWriter, { dir });
        QVERIFY(writer);
        pids << writer->pid();
    }
    ActivityPage page;
    page.resize(1100, 760);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    Sampler sampler(dir + u"/cache.db"_s);
    auto* writers = page.findChild<QLabel*>(u"writersValue"_s);
    auto* contention = page.findChild<QLabel*>(u"contentionValue"_s);
    auto* rates = page.findChild<QLabel*>(u"ratesValue"_s);
    const auto allNamed = [&] {
        for (qint64 pid : pids) {
            if (!shownWords(writers).contains(u"PID %1 ("_s.arg(pid)))
                return false;
        }
        return true;
    };
    // 10 samples a second, as the Activity page's watch child takes them.
    qint64 t = 0;
    ActivitySample last;
    QString firstRates;
    for (; t < 30000 && (t < 3000 || !allNamed()); t += 100) {
        last = measure(sampler, t, t % 1000 == 0);
        page.applySample(last);
        if (firstRates.isEmpty() && last.ratesKnown) {
            if (!last.ratesShown()) // a rate over less than a second is not shown (#28: "over 0.1 s")
                QCOMPARE(shownWords(rates), u"measuring…"_s);
            else
                firstRates = shownWords(rates);
        }
        QTest::qWait(100); // the measurement's interval: the real writers commit between two samples
    }
    QVERIFY2(allNamed(), qPrintable(shownWords(writers)));
    // The first rate shown covers the second or so watched by then, not the 10 s window; later ones longer.
    static const QRegularExpression span(u"\\(over the last ([0-9.]+) s\\)"_s);
    const double firstSpan = span.match(firstRates).captured(1).toDouble();
    QVERIFY2(firstSpan >= 1.0 && firstSpan < 2.0, qPrintable(firstRates));
    QVERIFY2(span.match(shownWords(rates)).captured(1).toDouble() > firstSpan, qPrintable(shownWords(rates)));
    // Named by their write calls (the sampled method here), said in words in the tooltip.
    QVERIFY2(writers->toolTip().contains(u"its write calls grew"_s), qPrintable(writers->toolTip()));
    // The lock's share over the same span as the rates beside it (#28: "100% of the last 10 s" after 1 s watched).
    const QString lastSpan = span.match(shownWords(rates)).captured(1);
    QVERIFY2(shownWords(contention).contains(u"% of the last %1 s"_s.arg(lastSpan)),
        qPrintable(shownWords(contention) + u" / "_s + shownWords(rates)));
    // The text and the chart show the same smoothed figure.
    QVERIFY(last.ratesKnown);
    QVERIFY(last.commitsPerSecond > 0);
    QCOMPARE(page.findChild<ActivityChart*>()->lastCommitsPerSecond(), last.commitsPerSecond);
    QVERIFY2(shownWords(rates).contains(QString::number(last.commitsPerSecond, 'f', 1)), qPrintable(shownWords(rates)));
    // This sampler counts no commits from events (the rate is the -shm's counter): the total is
    // said to be not counted — never "≥ 0 commits since watching began" beside hundreds a second.
    QVERIFY(!last.commitsExact);
    QCOMPARE(last.commitsTotal, 0);
    QVERIFY2(shownWords(rates).contains(u"not counted"_s) && !shownWords(rates).contains(u"≥ 0 "_s),
        qPrintable(shownWords(rates)));
    QVERIFY2(page.shownAttributionText().startsWith(u"Commits since watching began are not counted"_s),
        qPrintable(page.shownAttributionText()));
    // Between two commits the lock is free: never "nobody is writing" beside this rate (#28 review).
    ActivitySample between = last;
    between.writer.reset();
    page.applySample(between);
    const QString lock = shownWords(page.findChild<QLabel*>(u"writerValue"_s));
    QVERIFY2(lock.startsWith(u"free at this instant"_s) && !lock.contains(u"nobody"_s), qPrintable(lock));
    ActivitySample partly = last; // counted, some missed
    partly.commitsTotal = 1204;
    QCOMPARE(ActivityWording::commitsSinceText(partly), u"≥ 1,204 commits since watching began"_s); // as counts read
    ActivitySample one = last; // every one counted, and only one: never "1 commits"
    one.commitsExact = true;
    one.commitsTotal = 1;
    QCOMPARE(ActivityWording::commitsSinceText(one), u"1 commit since watching began"_s);
    // The per-process timeline has a lane for each writer, marked as having written.
    auto* timeline = page.findChild<ActivityTimeline*>(u"timeline"_s);
    QVERIFY(timeline);
    for (qint64 pid : pids) {
        QVERIFY(timeline->lanes().contains(pid));
        QVERIFY(timeline->marksOf(pid) & ActivityTimeline::Wrote);
    }
    QVERIFY(page.grab().save(screenshotPath(u"activity-diskcache-writers.png"_s)));
}

// A rollback-mode cache: the banner's "Convert this cache to WAL…" link asks first (No leaves the
// file alone), then switches it through `cachescope-cli enable-wal` while the feed keeps watching.
void TestActivityPage::bannerLinkConvertsToWal()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"rollback.db"_s);
    makeCache(path, u"delete"_s, 3);
    ActivityPage page;
    page.feed()->setProgram(QStringLiteral(CACHESCOPE_CLI_PATH));
    page.showDatabase(path);
    QTRY_VERIFY_WITH_TIMEOUT(page.warningText().contains(u"href=\"convert-to-wal\""_s), 30000);
    QVERIFY(page.warningText().contains(WarningCatalog::title(WarningCode::NotWal)));
    auto* banner = page.findChild<QLabel*>(u"warningBanner"_s);
    QVERIFY(banner);
    QSignalSpy finished(&page, &ActivityPage::conversionFinished);

    answerNextQuestion(QMessageBox::No);
    Q_EMIT banner->linkActivated(u"convert-to-wal"_s);
    QCOMPARE(finished.count(), 0);
    QCOMPARE(headerVersions(path), qMakePair(1, 1));

    answerNextQuestion(QMessageBox::Yes);
    Q_EMIT banner->linkActivated(u"convert-to-wal"_s);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
    QVERIFY2(finished.first().first().toBool(), qPrintable(shownWords(page.findChild<QLabel*>(u"feedStatus"_s))));
    QCOMPARE(headerVersions(path), qMakePair(2, 2));
    page.feed()->stop();
}

// Issue #28, one truth on screen: a rollback-journal (DELETE) cache has no -wal, so the page does
// not show "Valid frames: 0", "Checkpoint sequence: 0", "0 frames/s" or a checkpoint bar beside its
// real commits (as the Overview's Writers box, ee1524e): it says the WAL figures do not apply.
// Switched to WAL (enable-wal, as the banner's link does), they come back.
void TestActivityPage::rollbackCacheHasNoWalFacts()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"rollback.db"_s);
    makeCache(path, u"delete"_s, 3);
    auto writer = std::make_unique<PythonChild>(
        QString::fromLatin1(WriterScripts::writeContinuously), QStringList { path, u"0.02"_s });
    QVERIFY(writer->waitReady());
    ActivityPage page;
    page.resize(1000, 640);
    page.show();
    page.feed()->setProgram(QStringLiteral(CACHESCOPE_CLI_PATH));
    std::optional<ActivitySample> last;
    connect(page.feed(), &ActivityFeed::sampleReceived, &page, [&last](const ActivitySample& s) { last = s; });
    page.showDatabase(path);
    const auto label = [&page](const char* name) { return page.findChild<QLabel*>(QLatin1String(name)); };
    const QStringList walOnly { u"validFramesValue"_s, u"highWaterValue"_s, u"checkpointSeqValue"_s, u"resetsValue"_s };
    auto* checkpointGroup = page.findChild<QWidget*>(u"checkpointGroup"_s);
    QVERIFY(checkpointGroup);
    // Commits of the rollback writer counted, shown in a rollback sample.
    QTRY_VERIFY_WITH_TIMEOUT(
        last && last->journalMode == u"rollback"_s && last->ratesShown() && last->commitsPerSecond > 0, 60000);
    const QString rates = shownWords(label("ratesValue"));
    QVERIFY2(rates.contains(u"commits/s"_s) && !rates.contains(u"frame"_s), qPrintable(rates));
    for (const QString& name : walOnly)
        QVERIFY2(page.findChild<QLabel*>(name)->isHidden(), qPrintable(name));
    QVERIFY(checkpointGroup->isHidden());
    QVERIFY(!page.findChild<ActivityChart*>()->isWalShown()); // no "-wal size (MiB)" line at 0
    QVERIFY2(shownWords(label("filesStateValue")).contains(u"do not apply"_s),
        qPrintable(shownWords(label("filesStateValue"))));
    settleEvents(); // the chart's axis laid out for the sample's range (grabbed before, it read "…" at every label)
    QVERIFY(page.grab().save(screenshotPath(u"activity-rollback.png"_s)));

    // Switched to WAL (the writer stopped meanwhile: the switch needs the database to itself).
    writer.reset();
    QSignalSpy finished(&page, &ActivityPage::conversionFinished);
    page.convertToWal(false);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
    QVERIFY(finished.first().first().toBool());
    writer = std::make_unique<PythonChild>(
        QString::fromLatin1(WriterScripts::writeContinuously), QStringList { path, u"0.02"_s });
    QVERIFY(writer->waitReady());
    QTRY_VERIFY_WITH_TIMEOUT(last && last->journalMode == u"wal"_s && last->committedFrame, 60000);
    for (const QString& name : walOnly)
        QVERIFY2(!page.findChild<QLabel*>(name)->isHidden(), qPrintable(name));
    QVERIFY(!checkpointGroup->isHidden());
    QVERIFY(page.findChild<ActivityChart*>()->isWalShown());
    QVERIFY2(shownWords(label("ratesValue")).contains(u"frames/s"_s), qPrintable(shownWords(label("ratesValue"))));
    QVERIFY(!shownWords(label("filesStateValue")).contains(u"do not apply"_s));
    page.feed()->stop();
}

// Issue #28: "[fanotify]", "Checkpoint sequence", "Resets seen" and "frames backfilled" were shown
// unexplained. A line as watch writes it for a fanotify-named writer and a -wal half copied back.
void TestActivityPage::saysTermsInPlainWords()
{
    const auto sample = WatchLine::fromJson(
        QByteArray(R"({"t_ms":100,"wal_bytes":500000,"journal_mode":"wal",)"
                   R"("files_state":"live","committed_frame":120,"backfilled":60,)"
                   R"("lag_frames":60,"checkpoint_seq":7,"resets_seen":2,"commits_per_s":3.5,"rate_span_ms":3400,)"
                   R"("attribution":"fanotify","writers_exact":true,"recent_writers":[{"pid":4242,)"
                   R"("name":"python3","evidence":["fanotify"],"commits":12}]})"));
    QVERIFY(sample);
    ActivityPage page;
    page.resize(1000, 660);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    page.applySample(*sample);
    const auto* writers = page.findChild<QLabel*>(u"writersValue"_s);
    // Its commits over the rates' window, said once after the list (#28: never one sample's count).
    QCOMPARE(shownWords(writers), u"PID 4242 (python3) — 12 commits (in the last 3.4 s)"_s);
    // Several writers at once (watch's writers_exact false): the commits are an estimate, and said so.
    auto estimated = *sample;
    estimated.writersExact = false;
    page.applySample(estimated);
    QCOMPARE(shownWords(writers), u"PID 4242 (python3) — ≈12 commits (in the last 3.4 s)"_s);
    QVERIFY2(shownWords(page.findChild<QLabel*>(u"feedStatus"_s)).contains(u"commits per writer estimated"_s),
        qPrintable(shownWords(page.findChild<QLabel*>(u"feedStatus"_s))));
    page.applySample(*sample);
    QVERIFY2(writers->toolTip().contains(u"the kernel reported it writing the cache's files (fanotify)"_s),
        qPrintable(writers->toolTip()));
    const auto* bar = page.findChild<QProgressBar*>(u"checkpointBar"_s);
    QCOMPARE(shownWords(bar), u"60 / 120 frames copied back"_s);
    QVERIFY(bar->toolTip().contains(u"backfilled"_s)); // the term stays, explained, in the tooltip
    for (const QString& name : { u"checkpointSeq"_s, u"resets"_s }) {
        const auto* label = page.findChild<QLabel*>(name + u"Label"_s);
        const auto* value = page.findChild<QLabel*>(name + u"Value"_s);
        QVERIFY2(shownWords(label).startsWith(u"Restarts"_s), qPrintable(shownWords(label)));
        QVERIFY2(label->toolTip().contains(u"from its beginning"_s), qPrintable(label->toolTip()));
        QCOMPARE(value->toolTip(), label->toolTip());
    }
    QCOMPARE(shownWords(page.findChild<QLabel*>(u"checkpointSeqValue"_s)), u"7"_s);
    // No label or value on the page says the jargon unexplained.
    for (const QLabel* label : page.findChildren<QLabel*>()) {
        if (!label->isVisibleTo(&page))
            continue;
        for (const QString& jargon : { u"[fanotify]"_s, u"Checkpoint sequence"_s, u"Resets seen"_s, u"backfilled"_s })
            QVERIFY2(
                !shownWords(label).contains(jargon), qPrintable(label->objectName() + u": "_s + shownWords(label)));
    }
    QVERIFY(page.grab().save(screenshotPath(u"activity-plain-words.png"_s)));
    // #28: one number format. Rates of 1,000 and more grouped as every count is.
    const auto fast = WatchLine::fromJson(QByteArray(R"({"t_ms":2100,"journal_mode":"wal","files_state":"live",)"
                                                     R"("committed_frame":120,"commits_per_s":1204.25,)"
                                                     R"("frames_per_s":1866.66,"rate_span_ms":2000})"));
    QVERIFY(fast);
    page.applySample(*fast);
    const QString rates = shownWords(page.findChild<QLabel*>(u"ratesValue"_s));
    QVERIFY2(rates.startsWith(u"1,204.3 commits/s, 1,866.7 frames/s (over the last 2 s)"_s), qPrintable(rates));
    QVERIFY(page.grab().save(screenshotPath(u"activity-grouped-rates.png"_s)));
    // Said once: a line whose commits are not counted, with no reason given, read "Commits since watching began are
    // not counted: not counted."
    const auto uncounted
        = WatchLine::fromJson(QByteArray(R"({"t_ms":200,"journal_mode":"wal","attribution":"fanotify"})"));
    QVERIFY(uncounted);
    page.applySample(*uncounted);
    const auto* status = page.findChild<QLabel*>(u"feedStatus"_s);
    QVERIFY2(status->toolTip().startsWith(u"Commits since watching began are not counted. "_s),
        qPrintable(status->toolTip()));
    // Nothing counted: nothing says the writers are exact either (writers_exact is null).
    QVERIFY2(shownWords(status).startsWith(u"Commits not counted; writers named from the kernel's write events"_s),
        qPrintable(shownWords(status)));
}

// #28 review: the -shm view's Slot, Read mark and Valid frames, and a rollback journal's lock names, were shown with no
// word of what they mean, and "1 / 1240 frames" stood beside "1,239". Every header of the readers' and processes'
// tables has a tooltip, the lock is said in plain words, and every count is grouped.
void TestActivityPage::explainsColumnsLocksAndCounts()
{
    ActivityPage page;
    page.resize(1000, 660);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    const auto wal = WatchLine::fromJson(
        QByteArray(R"({"t_ms":100,"wal_bytes":5000000,"journal_mode":"wal","files_state":"live",)"
                   R"("committed_frame":1240,"backfilled":1,"lag_frames":1239,"wal_valid_frames":1240,)"
                   R"("checkpoint_seq":1200,"resets_seen":1001})"));
    QVERIFY(wal);
    page.applySample(*wal);
    QCOMPARE(page.findChild<QProgressBar*>(u"checkpointBar"_s)->text(), u"1 / 1,240 frames copied back"_s);
    QVERIFY2(shownWords(page.findChild<QLabel*>(u"checkpointText"_s)).startsWith(u"1,239 frames wait"_s),
        qPrintable(shownWords(page.findChild<QLabel*>(u"checkpointText"_s))));
    QVERIFY2(shownWords(page.findChild<QLabel*>(u"validFramesValue"_s)).startsWith(u"1,240 ("_s),
        qPrintable(shownWords(page.findChild<QLabel*>(u"validFramesValue"_s))));
    QCOMPARE(shownWords(page.findChild<QLabel*>(u"checkpointSeqValue"_s)), u"1,200"_s);
    QCOMPARE(shownWords(page.findChild<QLabel*>(u"resetsValue"_s)), u"1,001"_s);
    settleEvents();
    QVERIFY(page.grab().save(screenshotPath(u"activity-counts-grouped.png"_s)));
    const QString validFrames = page.findChild<QLabel*>(u"validFramesLabel"_s)->toolTip();
    QVERIFY2(
        validFrames.contains(u"one page of changes"_s) && !validFrames.contains(u"salt"_s), qPrintable(validFrames));
    const auto* readers = page.findChild<QTreeWidget*>(u"readersTree"_s);
    for (int c = 0; c < readers->columnCount(); ++c)
        QVERIFY2(!readers->headerItem()->toolTip(c).isEmpty(), qPrintable(readers->headerItem()->text(c)));
    QVERIFY(readers->headerItem()->toolTip(1).contains(u"reader places in the -shm"_s));
    QVERIFY(readers->headerItem()->toolTip(2).contains(u"The last -wal frame this reader sees"_s));
    // In plain words too, not SQLite's names (#28 review: "Slot read0", "Read mark", "checkpoint lag").
    QCOMPARE(readers->headerItem()->text(1), u"-shm slot"_s);
    QCOMPARE(readers->headerItem()->text(2), u"Sees up to frame"_s);
    const auto read = WatchLine::fromJson(
        QByteArray(R"({"t_ms":150,"wal_bytes":5000000,"journal_mode":"wal","files_state":"live",)"
                   R"("committed_frame":1240,"backfilled":1,"lag_frames":1239,"commits_per_s":2.5,"frames_per_s":5,)"
                   R"("rate_span_ms":3000,"rate_window_ms":10000,)"
                   R"("readers":[{"pid":4242,"slot":3,"read_mark":1200,"pinning":true}]})"));
    QVERIFY(read);
    page.applySample(*read);
    QCOMPARE(readers->topLevelItemCount(), 1);
    QCOMPARE(readers->topLevelItem(0)->text(1), u"3"_s);
    QCOMPARE(readers->topLevelItem(0)->text(2), u"1,200"_s);
    const QString writers = ActivityWording::writersText(*read);
    QVERIFY2(writers.contains(u"2.5 commits/s, 5.0 frames/s over the last 3 s; 1,239 frames not yet copied back "
                              "into the database."_s),
        qPrintable(writers));
    QVERIFY2(!writers.contains(u"lag"_s), qPrintable(writers));
    const auto* processes = page.findChild<QTableView*>(u"processView"_s);
    for (int c = 0; c < processes->model()->columnCount(); ++c)
        QVERIFY2(!processes->model()->headerData(c, Qt::Horizontal, Qt::ToolTipRole).toString().isEmpty(),
            qPrintable(processes->model()->headerData(c, Qt::Horizontal).toString()));
    const auto rollback = WatchLine::fromJson(QByteArray(
        R"({"t_ms":200,"journal_mode":"rollback","files_state":"live","rollback_lock":"reserved","write_lock_busy":0.1})"));
    QVERIFY(rollback);
    page.applySample(*rollback);
    const QString contention = shownWords(page.findChild<QLabel*>(u"contentionValue"_s));
    QVERIFY2(contention.contains(u"RESERVED lock held (a process is about to write; others can still read)"_s),
        qPrintable(contention));
    for (const QString& lock : { u"shared"_s, u"reserved"_s, u"pending"_s, u"exclusive"_s })
        QVERIFY2(!ActivityWording::lockMeaning(lock).isEmpty(), qPrintable(lock));
}

// Issue #28: the Role column was empty for writers and command lines were cut at the end. Real
// python3-diskcache writers and an idle holder, the page at the default window's size.

QTEST_MAIN(TestActivityPage)
#include "tst_activitypage.moc"
