// SPDX-License-Identifier: GPL-3.0-or-later
// The Activity page, offscreen, watching the seed scenario: `cachescope-cli simulate` runs four
// worker processes, and the page shows one of those workers as the write-lock holder.
#include "models/activityfeed.h"
#include "pages/activitypage.h"
#include "testsupport.h"
#include "window/mainwindow.h"

#include <QFile>
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
    void showsWriterOfRunningSimulator();
};

void TestActivitySimulator::showsWriterOfRunningSimulator()
{
    QTemporaryDir dir;
    const QString db = dir.filePath(u"simulated.db"_s);
    QProcess simulator;
    simulator.start(QStringLiteral(CACHESCOPE_CLI_PATH),
        { u"simulate"_s, db, u"--workers"_s, u"4"_s, u"--duration-s"_s, u"120"_s, u"--rate-per-worker"_s, u"100"_s,
            u"--json"_s });
    QVERIFY(simulator.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(db + u"-wal"_s).exists(), 60000);
    MainWindow window;
    window.resize(1100, 760);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(window.openDatabase(db, Database::Mode::ReadWrite));
    window.pages()->setCurrentWidget(window.activityPage());
    ActivityPage* page = window.activityPage();
    const auto workerIsWriting = [&] {
        const qint64 pid = page->shownWriterPid();
        return pid > 0 && parentOf(pid) == simulator.processId();
    };
    QTRY_VERIFY_WITH_TIMEOUT(workerIsWriting() && page->samplesShown() >= 30, 120000);
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
