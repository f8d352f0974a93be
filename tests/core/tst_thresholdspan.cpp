// SPDX-License-Identifier: GPL-3.0-or-later
// #28: a write-lock share over less than a second is no evidence. At the start of watching the
// share covers the first few samples ("the write lock was held 95% of the last 400 ms"); one
// sample more swings it by tens of percent. Thresholds::crossedBy — used by `cachescope-cli
// check` and the GUI's ThresholdWatch alike — lets max-write-lock-busy be crossed only once the
// share covers at least a second, the span the Activity tab waits for before it shows one.
// Thresholds is a pure function of a ThresholdReading, so readings are built here.
#include "live/thresholds.h"
#include "live/watchline.h"

#include <QTest>

using namespace Qt::Literals::StringLiterals;

class TestThresholdSpan : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void shareOverLessThanASecondCrossesNothing_data();
    void shareOverLessThanASecondCrossesNothing();
};

void TestThresholdSpan::shareOverLessThanASecondCrossesNothing_data()
{
    QTest::addColumn<qint64>("spanMs");
    QTest::addColumn<bool>("crossed");
    QTest::addColumn<QString>("over");
    QTest::addRow("span not known") << qint64(0) << false << QString();
    QTest::addRow("first samples, 400 ms") << qint64(400) << false << QString();
    QTest::addRow("just under a second") << qint64(999) << false << QString();
    QTest::addRow("one second") << qint64(1000) << true << u"the last 1 s"_s;
    QTest::addRow("3.4 s") << qint64(3400) << true << u"the last 3.4 s"_s;
    QTest::addRow("the whole window") << qint64(10020) << true << u"the last 10 s"_s;
}

void TestThresholdSpan::shareOverLessThanASecondCrossesNothing()
{
    QFETCH(qint64, spanMs);
    QFETCH(bool, crossed);
    QFETCH(QString, over);
    static_assert(WatchLine::MinShownRateSpanMs == 1000, "the span the Activity tab shows a share from");
    Thresholds limits;
    limits.maxWriteLockBusy = 0.8;
    limits.warnings = false;
    ThresholdReading reading;
    reading.path = u"/nonexistent/busy.db"_s;
    reading.writeLockBusy = 0.95;
    reading.writeLockBusySpanMs = spanMs;
    const QList<ThresholdCrossing> found = limits.crossedBy(reading);
    QCOMPARE(found.size(), crossed ? 1 : 0);
    if (crossed)
        QCOMPARE(found.first().description, u"the write lock was held 95% of %1, over the limit 80%"_s.arg(over));
    // The other limits are not held back by the span: the -wal's size is one reading, not a share.
    limits.maxWalBytes = 100;
    reading.walBytes = 4096;
    QCOMPARE(limits.crossedBy(reading).size(), crossed ? 2 : 1);
}

QTEST_GUILESS_MAIN(TestThresholdSpan)
#include "tst_thresholdspan.moc"
