// SPDX-License-Identifier: GPL-3.0-or-later
#include "live/watchline.h"
#include "models/activitysample.h"
#include "pages/activitywording.h"

#include <QTest>

using namespace Qt::Literals::StringLiterals;

// ActivityWording's sentences, from lines as `cachescope-cli watch` writes them (pure functions of one sample).
class TestActivityWording : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void countsWindowSaidForTheWholeList_data();
    void countsWindowSaidForTheWholeList();
};

void TestActivityWording::countsWindowSaidForTheWholeList_data()
{
    QTest::addColumn<QByteArray>("writers");
    QTest::addColumn<QString>("expected");
    QTest::newRow("one writer") << QByteArray(R"([{"pid":7,"name":"python3","evidence":["fanotify"],"commits":12}])")
                                << u"PID 7 (python3) — 12 commits (in the last 3.4 s)"_s;
    // The window after the last of several read as that writer's own, even when it had no count (review of stop 49).
    QTest::newRow("several, the last without a count")
        << QByteArray(R"([{"pid":7,"name":"python3","evidence":["fanotify"],"commits":9},)"
                      R"({"pid":9,"name":"python3","evidence":["lock"]}])")
        << u"In the last 3.4 s: PID 7 (python3) — 9 commits, PID 9 (python3)"_s;
    QTest::newRow("no count") << QByteArray(R"([{"pid":7,"name":"python3","evidence":["lock"]}])")
                              << u"PID 7 (python3)"_s;
    QTest::newRow("nobody") << QByteArray("[]") << QString();
}

void TestActivityWording::countsWindowSaidForTheWholeList()
{
    QFETCH(QByteArray, writers);
    QFETCH(QString, expected);
    const auto sample
        = WatchLine::fromJson(QByteArray(R"({"t_ms":3500,"journal_mode":"wal","commits_per_s":3.5,"rate_span_ms":3400,)"
                                         R"("attribution":"fanotify","writers_exact":true,"recent_writers":)")
            + writers + '}');
    QVERIFY(sample);
    QCOMPARE(ActivityWording::wroteLatelyList(*sample), expected);
}

QTEST_MAIN(TestActivityWording)
#include "tst_activitywording.moc"
