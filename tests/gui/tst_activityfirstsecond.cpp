// SPDX-License-Identifier: GPL-3.0-or-later
// Issue #28: the Activity page's first second of watching. The write lock's share was said over the first samples
// ("Write lock busy: 100% of the last 98 ms" beside the rates' "measuring…"): over a tenth of a second one sample more
// swings it by tens of percent. Now the share waits for the rates' span (≥ 1 s, the same samples), and no panel shows
// a share beside "measuring…". A real python3 child holds the write lock (BEGIN IMMEDIATE) the whole time.
#include "livecachetest.h"
#include "measuredsample.h"
#include "models/activityfeed.h"
#include "pages/activitypage.h"
#include "pages/activitywording.h"
#include "shownwords.h"
#include "testsupport.h"
#include "writerscripts.h"

#include <QElapsedTimer>
#include <QLabel>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

class TestActivityFirstSecond : public LiveCacheTest {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { qputenv("CACHESCOPE_CLI", QByteArrayLiteral(CACHESCOPE_CLI_PATH)); }
    void noShareBesideMeasuring();
    void watchedPageNeverShowsAShareBesideMeasuring();

private:
    // The spacing of the samples until the rates came, for the skip's reason: an early share needs them ~100 ms apart
    // (the share is known from the fifth sample on, the rates from 1 s on); under heavy load they come further apart
    // and no share comes before the rates. Then nothing was tried, and the test skips saying so — but a share that
    // came and was said wrongly fails it.
    struct Spacing {
        qint64 lastMs = -1;
        qint64 minGapMs = -1;
        qint64 maxGapMs = -1;
        int samples = 0;
        void add(qint64 tMs)
        {
            if (lastMs >= 0) {
                const qint64 gap = tMs - lastMs;
                minGapMs = minGapMs < 0 ? gap : std::min(minGapMs, gap);
                maxGapMs = std::max(maxGapMs, gap);
            }
            lastMs = tMs;
            ++samples;
        }
        QByteArray noEarlyShare() const
        {
            return u"no write-lock share came before the rates, so the first second was not seen: the %1 samples "
                   "until the rates came %2–%3 ms apart (an early share needs them ~100 ms apart; a loaded machine)"_s
                       .arg(samples)
                       .arg(minGapMs)
                       .arg(maxGapMs)
                       .toUtf8();
        }
    };
    // What the page and the Overview's Writers box (ActivityWording::writersText) say of one sample, when a share is
    // said beside "measuring…" or before a second of samples; empty when they agree.
    static QString shareBesideMeasuring(const ActivityPage& page, const ActivitySample& sample);
};

QString TestActivityFirstSecond::shareBesideMeasuring(const ActivityPage& page, const ActivitySample& sample)
{
    const QString rates = shownWords(page.findChild<QLabel*>(u"ratesValue"_s));
    const QString contention = shownWords(page.findChild<QLabel*>(u"contentionValue"_s));
    const QString tip = page.findChild<QLabel*>(u"contentionValue"_s)->toolTip();
    const QString writers = ActivityWording::writersText(sample);
    const bool measuring = rates.startsWith(u"measuring…"_s);
    const bool shareSaid
        = contention.contains(u'%') || tip.contains(u'%') || writers.contains(u"write lock was held"_s);
    if (measuring && shareSaid)
        return u"rates \"%1\" beside write lock busy \"%2\" (tooltip \"%3\"); Overview \"%4\""_s.arg(
            rates, contention, tip, writers);
    if (shareSaid && sample.rateSpanMs < WatchLine::MinShownRateSpanMs)
        return u"a share over %1 ms: \"%2\""_s.arg(sample.rateSpanMs).arg(contention);
    // Rates over a second with the share not yet known (fewer than five samples, far apart under load) is no share
    // said wrongly: only a known share must be shown once the rates are.
    if (measuring != contention.startsWith(u"measuring…"_s) && (measuring || sample.writeLockBusy))
        return u"rates \"%1\", write lock busy \"%2\""_s.arg(rates, contention);
    return QString();
}

// Sampled in this process at the watch's pace (10 a second): the share is known from the fifth sample (~0.4 s), the
// rates from 1 s on.
void TestActivityFirstSecond::noShareBesideMeasuring()
{
    PythonChild* holder = start(WriterScripts::holdWriteLock, { db() });
    QVERIFY(holder);
    ActivityPage page;
    page.resize(1000, 708);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    Sampler sampler(db());
    QElapsedTimer watched;
    watched.start();
    ActivitySample sample;
    int earlyShares = 0; // samples whose share was known over less than a second
    Spacing spacing;
    QStringList disagreed;
    while (!(sample.ratesShown() && sample.writeLockBusy)) {
        QVERIFY2(watched.elapsed() < 30000, "no rates after 30 s");
        spacing.add(watched.elapsed());
        sample = measure(sampler, watched.elapsed(), false);
        page.applySample(sample);
        if (sample.writeLockBusy && !sample.ratesShown()) {
            if (++earlyShares == 1)
                QVERIFY(page.grab().save(screenshotPath(u"activity-first-second.png"_s)));
        }
        const QString wrong = shareBesideMeasuring(page, sample);
        if (!wrong.isEmpty())
            disagreed << wrong;
        QTest::qWait(100); // the watch's pace: the samples' span is what is measured here
    }
    QVERIFY2(disagreed.isEmpty(), qPrintable(disagreed.join(u'\n'))); // a share said wrongly fails, whatever the load
    // Then the share, over the rates' span: the holder held the lock the whole time.
    const QString contention = shownWords(page.findChild<QLabel*>(u"contentionValue"_s));
    QVERIFY2(contention.startsWith(u"100% of "_s + ActivityWording::rateSpanText(sample)), qPrintable(contention));
    QVERIFY2(ActivityWording::writersText(sample).contains(
                 u"The write lock was held 100% of "_s + ActivityWording::rateSpanText(sample)),
        qPrintable(ActivityWording::writersText(sample)));
    QVERIFY(page.grab().save(screenshotPath(u"activity-after-first-second.png"_s)));
    // The case the issue saw did come: a share known before the rates (else this test says nothing of it).
    if (earlyShares == 0)
        QSKIP(spacing.noEarlyShare().constData());
}

// The same through the page's own watch child (`cachescope-cli watch`), every sample checked as it is shown.
void TestActivityFirstSecond::watchedPageNeverShowsAShareBesideMeasuring()
{
    PythonChild* holder = start(WriterScripts::holdWriteLock, { db() });
    QVERIFY(holder);
    ActivityPage page;
    page.resize(1000, 708);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    int earlyShares = 0;
    bool shareShown = false;
    Spacing spacing;
    QStringList disagreed;
    // Connected after the page's own connection: runs once the page has shown the sample.
    connect(page.feed(), &ActivityFeed::sampleReceived, this, [&](const ActivitySample& sample) {
        if (!shareShown)
            spacing.add(sample.tMs);
        if (sample.writeLockBusy && !sample.ratesShown())
            ++earlyShares;
        shareShown = ActivityWording::busyShown(sample);
        const QString wrong = shareBesideMeasuring(page, sample);
        if (!wrong.isEmpty())
            disagreed << wrong;
    });
    page.showDatabase(db());
    QTRY_VERIFY_WITH_TIMEOUT(shareShown, 30000);
    page.feed()->stop();
    QVERIFY2(disagreed.isEmpty(), qPrintable(disagreed.join(u'\n')));
    if (earlyShares == 0) // the watch never gave a share before its rates
        QSKIP(spacing.noEarlyShare().constData());
}

QTEST_MAIN(TestActivityFirstSecond)
#include "tst_activityfirstsecond.moc"
