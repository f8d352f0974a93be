// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/format.h"

#include <QDateTime>
#include <QTest>

#include <ctime>

using namespace Qt::Literals::StringLiterals;

// #23.4: every panel says a time in UTC, as the CLI does, with its milliseconds when it has any — whatever the
// machine's zone (the Entries table said Berlin's 11:33:13 beside the detail's 10:33:13 UTC).
class TestTimeText : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void utcWhateverTheZone_data();
    void utcWhateverTheZone();
    void notATime();
};

void TestTimeText::initTestCase()
{
    qputenv("TZ", "Europe/Berlin"); // an hour (or two) from UTC: a local time cannot pass for UTC here
    tzset();
    QVERIFY(QDateTime::fromSecsSinceEpoch(1700000000).toString(u"HH"_s) != u"22"_s);
}

void TestTimeText::utcWhateverTheZone_data()
{
    QTest::addColumn<double>("stored");
    QTest::addColumn<QString>("expected");
    QTest::newRow("seconds") << 1700000000.0 << u"2023-11-14 22:13:20 UTC"_s;
    QTest::newRow("milliseconds") << 1700000000250.0 << u"2023-11-14 22:13:20.250 UTC"_s;
    QTest::newRow("sub-second seconds") << 1700000001.25 << u"2023-11-14 22:13:21.250 UTC"_s;
    // Never rounded up to the next second (requests-cache's 12:59:58.9997 said 12:59:59).
    QTest::newRow("just before a second") << 1700000000.9997 << u"2023-11-14 22:13:20.999 UTC"_s;
    // A millisecond a binary fraction keeps just under itself (review of stop 50: shown as .000).
    QTest::newRow("seconds, one millisecond") << 1077777770.001 << u"2004-02-26 06:42:50.001 UTC"_s;
    QTest::newRow("milliseconds, one millisecond") << 1077777770001.0 << u"2004-02-26 06:42:50.001 UTC"_s;
}

void TestTimeText::utcWhateverTheZone()
{
    QFETCH(double, stored);
    QFETCH(QString, expected);
    QCOMPARE(Format::epochText(stored), expected);
    // The same moment as a local QDateTime (a decoder's), made from the text expected.
    QDateTime utc = QDateTime::fromString(expected.chopped(4), Qt::ISODateWithMs);
    utc.setTimeSpec(Qt::UTC);
    const QDateTime local = utc.toLocalTime();
    QCOMPARE(local.timeSpec(), Qt::LocalTime);
    QCOMPARE(Format::utcText(local), expected); // a local QDateTime (a decoder's) said in UTC too
}

void TestTimeText::notATime()
{
    QCOMPARE(Format::epochText(42), QString());
    QCOMPARE(Format::epochText(1e15), QString());
}

QTEST_MAIN(TestTimeText)
#include "tst_timetext.moc"
