// SPDX-License-Identifier: GPL-3.0-or-later
// The Activity page, offscreen, watching the seed scenario: `cachescope-cli simulate` runs four
// worker processes, and the page names every one of those workers as a writer.
#include "models/activityfeed.h"
#include "openedwindow.h"
#include "pages/activitypage.h"
#include "testsupport.h"
#include "window/mainwindow.h"

#include <QFile>
#include <QRegularExpression>
#include <QSet>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

namespace {
qint64 parentOf(qint64 pid)
{
    QFile stat(u"/proc/%1/stat"_s.arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray text = stat.readAll();
    // "pid (comm) state ppid …": comm may contain spaces, so parse after the last ')'.
    const QList<QByteArray> fields = text.mid(text.lastIndexOf(')') + 2).split(' ');
    return fields.size() > 1 ? fields.at(1).toLongLong() : 0;
}
} // namespace

class TestActivitySimulator : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(u"CacheScopeTests"_s);
        qputenv("CACHESCOPE_CLI", QByteArrayLiteral(CACHESCOPE_CLI_PATH));
    }
    void showsWritersOfRunningSimulator();
};

void TestActivitySimulator::showsWritersOfRunningSimulator()
{
    // Closing the window reaps the watch child it killed: Qt's "QProcess: Destroyed while process
    // … is still running" was printed at every close (and on a user's terminal at Ctrl-C).
    QTest::failOnWarning(QRegularExpression(u"Destroyed while process"_s));
    QTemporaryDir dir;
    const QString db = dir.filePath(u"simulated.db"_s);
    QProcess simulator;
    simulator.start(QStringLiteral(CACHESCOPE_CLI_PATH),
        { u"simulate"_s, db, u"--workers"_s, u"4"_s, u"--duration-s"_s, u"120"_s, u"--rate-per-worker"_s, u"50"_s,
            u"--json"_s });
    QVERIFY(simulator.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(db + u"-wal"_s).exists(), 60000);
    MainWindow window;
    window.resize(1100, 760);
    QVERIFY(showAndOpen(window, db, Database::Mode::ReadWrite));
    window.pages()->setCurrentWidget(window.activityPage());
    ActivityPage* page = window.activityPage();
    // Counted in samples, not seconds: every 100 ms interval holds commits of every worker (50
    // commits/s each), so each worker is named by its write() calls (io evidence) in the next
    // sample whatever the machine's load; only the wait for samples depends on the clock. The
    // momentary write-lock holder is not asserted: a sub-millisecond hold is caught by chance.
    QSet<qint64> named;
    int samples = 0;
    connect(page->feed(), &ActivityFeed::sampleReceived, this, [&] {
        ++samples;
        for (qint64 pid : page->shownWriterPids()) {
            if (parentOf(pid) == simulator.processId())
                named.insert(pid);
        }
    });
    QTRY_VERIFY_WITH_TIMEOUT(named.size() == 4 || samples >= 40, 120000);
    QCOMPARE(named.size(), 4);
    QVERIFY2(samples <= 20, qPrintable(u"all four workers named only after %1 samples"_s.arg(samples)));
    QVERIFY(window.grab().save(screenshotPath(u"activity-simulator.png"_s)));
    window.closeDatabase();
    simulator.terminate(); // asks the simulator to stop its workers cleanly
    if (!simulator.waitForFinished(30000)) {
        simulator.kill();
        simulator.waitForFinished();
    }
}

QTEST_MAIN(TestActivitySimulator)
#include "tst_activitysimulator.moc"
