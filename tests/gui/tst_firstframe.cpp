// SPDX-License-Identifier: GPL-3.0-or-later
// A cache given at launch (#23.9, "first frame"): the window appears with the content of the tab
// it shows — a small diskcache's first entries, the Overview's summary — not as an empty
// "Opening…" page filled a moment later; an open that fails shows the window at once with why.
#include "models/entrytablemodel.h"
#include "pages/entriespage.h"
#include "pages/overviewpage.h"
#include "scratchdir.h"
#include "testsupport.h"
#include "window/firstframe.h"
#include "window/mainwindow.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

namespace {
// Generous: the window shows as soon as its content is in; the grace only caps a slow open,
// and this machine may be loaded.
constexpr int GraceMs = 20000;
} // namespace

class TestFirstFrame : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void entriesAreInTheFirstFrame();
    void overviewSummaryIsInTheFirstFrame();
    void failedOpenShowsTheWindowAtOnce();

private:
    ScratchDir m_dir;
    QString m_folder;
};

void TestFirstFrame::initTestCase()
{
    QVERIFY(m_dir.renew());
    m_folder = m_dir.filePath(u"dc"_s);
    const auto made = runPythonScript(u"import diskcache, sys\n"
                                      "c = diskcache.Cache(sys.argv[1])\n"
                                      "for i in range(40): c.set('key%02d' % i, {'n': i})\n"
                                      "c.close()\n"_s,
        { m_folder });
    QVERIFY2(made.exitCode == 0, made.err.constData());
}

void TestFirstFrame::entriesAreInTheFirstFrame()
{
    MainWindow window;
    window.resize(1000, 700);
    window.pages()->setCurrentWidget(window.entriesPage());
    FirstFrame::openAndShow(window, m_folder, Database::Mode::ReadOnly, GraceMs);
    QVERIFY(window.isVisible());
    const EntryTableModel* model = window.entriesPage()->tableModel();
    QVERIFY2(model, "the cache is open when the window appears");
    const auto first = model->rowAt(0);
    QVERIFY2(first.has_value(), "the first rows are read when the window appears");
    QVERIFY(window.grab().save(screenshotPath(u"first-frame-entries.png"_s)));
}

void TestFirstFrame::overviewSummaryIsInTheFirstFrame()
{
    MainWindow window;
    window.resize(1000, 700);
    window.pages()->setCurrentWidget(window.overviewPage());
    QSignalSpy summary(window.overviewPage(), &OverviewPage::summaryShown);
    FirstFrame::openAndShow(window, m_folder, Database::Mode::ReadOnly, GraceMs);
    QVERIFY(window.isVisible());
    QVERIFY(window.database());
    QCOMPARE(summary.count(), 1);
}

void TestFirstFrame::failedOpenShowsTheWindowAtOnce()
{
    MainWindow window;
    QElapsedTimer clock;
    clock.start();
    FirstFrame::openAndShow(window, m_dir.filePath(u"no-such.db"_s), Database::Mode::ReadOnly, GraceMs);
    QVERIFY(window.isVisible());
    QVERIFY2(clock.elapsed() < GraceMs, "not after the grace: as soon as the open failed");
    QVERIFY(!window.database());
    QVERIFY2(!window.errorText().isEmpty(), "the window says why");
}

QTEST_MAIN(TestFirstFrame)
#include "tst_firstframe.moc"
