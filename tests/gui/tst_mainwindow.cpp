// SPDX-License-Identifier: GPL-3.0-or-later
// MainWindow offscreen: open a real cache, see the Overview and Entries, errors inline.
#include "backgroundwork.h"
#include "dialogs/inplacereadquestion.h"
#include "entrycells.h"
#include "models/entrymodel.h"
#include "openedwindow.h"
#include "pages/entriespage.h"
#include "pages/overviewpage.h"
#include "testsupport.h"
#include "window/mainwindow.h"
#include "window/recentfiles.h"
#include "writerscripts.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QLabel>
#include <QPushButton>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

class TestMainWindow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(u"CacheScopeTests"_s);
        QVERIFY(m_dir.isValid());
    }
    void opensCacheAndShowsOverview();
    void entriesPageReadsInBatches();
    void badFileShowsInlineError();
    void readOnlyOpenKeepsDeleteMode();
    void recentFilesSkipTemporaryCaches();
    void helpAndVersionNeedNoDisplay();
    void remembersGeometryAndTab();
    void heldCacheFailsFastWithItsReason();
    void readOnlyFollowsWritersThatStartLater();
    void opensCacheFolders();
    void largestEntryLinksToEntries();
    void opensOnAWorkerAndLaterOpensWin();
    void cacheThatCannotBeCopiedOffersReadInPlace();

private:
    QTemporaryDir m_dir;
};

void TestMainWindow::opensOnAWorkerAndLaterOpensWin()
{
    // Issue #13: opening can take seconds (a private copy of a cache whose -wal was left
    // behind, a lock waited for); it runs on a worker and the window says "Opening…" meanwhile.
    const QString left = m_dir.filePath(u"left.db"_s);
    makeCache(left, u"wal"_s, 2000);
    writeLeavingWal(left, 10);
    const QString other = m_dir.filePath(u"other.db"_s);
    makeCache(other, u"wal"_s, 20);
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QSignalSpy finished(&window, &MainWindow::openFinished);
    window.openDatabase(left, Database::Mode::ReadOnly, MainWindow::Remember::No);
    QVERIFY(window.isOpening());
    QVERIFY(!window.database()); // returned before the open did
    auto* opening = window.findChild<QLabel*>(u"openingState"_s);
    QVERIFY(opening && opening->isVisible());
    QVERIFY2(opening->text().contains(u"left.db"_s), qPrintable(opening->text()));
    QVERIFY(finished.wait(30000));
    QCOMPARE(finished.size(), 1);
    QCOMPARE(finished.first().first().toBool(), true);
    QVERIFY(window.database());
    QVERIFY2(
        window.database()->notes().join(u' ').contains(u"copy"_s), qPrintable(window.database()->notes().join(u' ')));
    QTRY_COMPARE_WITH_TIMEOUT(window.entriesPage()->entryModel()->rowCount(), 2010, 10000);

    // A second open before the first ended replaces it: only the second reaches the window.
    finished.clear();
    window.openDatabase(left, Database::Mode::ReadOnly, MainWindow::Remember::No);
    window.openDatabase(other, Database::Mode::ReadOnly, MainWindow::Remember::No);
    QVERIFY(finished.wait(30000));
    QVERIFY(waitForBackgroundWork()); // the first open's end, were it not dropped, has come by now
    QCOMPARE(finished.size(), 1);
    QVERIFY(window.database());
    QCOMPARE(window.database()->path(), other);

    // Closing while opening: nothing opens afterwards, and nothing stays open in this process.
    finished.clear();
    window.openDatabase(left, Database::Mode::ReadOnly, MainWindow::Remember::No);
    window.closeDatabase();
    QVERIFY(!window.isOpening());
    QVERIFY(waitForBackgroundWork()); // the open that was running has ended
    QCOMPARE(finished.size(), 0);
    QVERIFY(!window.database());
    QVERIFY(!opening->isVisible());
    QVERIFY(!Database::isOpenInProcess(left));
}

void TestMainWindow::opensCacheAndShowsOverview()
{
    const QString file = m_dir.filePath(u"gui.db"_s);
    makeCache(file, u"delete"_s, 1200);
    MainWindow window;
    QVERIFY(showAndOpen(window, file, Database::Mode::ReadWrite));
    QVERIFY(window.errorText().isEmpty());
    auto* journal = window.overviewPage()->findChild<QLabel*>(u"journalValue"_s);
    QVERIFY(journal);
    QVERIFY2(journal->text().startsWith(u"WAL"_s), qPrintable(journal->text()));
    QVERIFY2(journal->text().contains(u"converted from DELETE"_s), qPrintable(journal->text()));
    QCOMPARE(window.overviewPage()->shownBytes(CacheFiles::Kind::Db), QFileInfo(file).size());
    // Our own connection keeps -wal and -shm alive once it has read; the page shows their real sizes.
    QTRY_VERIFY_WITH_TIMEOUT(window.overviewPage()->shownBytes(CacheFiles::Kind::Shm) > 0, 10000);
    QCOMPARE(window.overviewPage()->shownBytes(CacheFiles::Kind::Wal), QFileInfo(file + u"-wal"_s).size());
    // Sizes refresh on their own: another process writes, the -wal grows, the page follows.
    exec(file,
        u"PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0; INSERT INTO entries(key, value) "
        "SELECT 'more-' || value, randomblob(2000) FROM generate_series(1, 50)"_s.replace(
            u"SELECT 'more-' || value, randomblob(2000) FROM generate_series(1, 50)"_s,
            u"SELECT 'more-' || id, randomblob(2000) FROM entries LIMIT 50"_s));
    const qint64 walNow = QFileInfo(file + u"-wal"_s).size();
    QVERIFY(walNow > 0);
    QTRY_COMPARE_WITH_TIMEOUT(window.overviewPage()->shownBytes(CacheFiles::Kind::Wal), walNow, 3000);
    window.grab().save(screenshotPath(u"overview.png"_s));
}

void TestMainWindow::entriesPageReadsInBatches()
{
    const QString file = m_dir.filePath(u"entries.db"_s);
    makeCache(file, u"wal"_s, 1000);
    MainWindow window;
    QVERIFY(openAndWait(window, file, Database::Mode::ReadOnly));
    QCOMPARE(window.entriesPage()->tableNames(), QStringList { u"entries"_s });
    EntryModel* model = window.entriesPage()->entryModel();
    QVERIFY(model);
    QCOMPARE(model->columnCount(), 3);
    QCOMPARE(model->rowCount(), 1000); // the approximate count (rowid range), no COUNT(*) scan
    QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(cell(model, 999, 1).toString(), u"key-1000"_s);
    QVERIFY(model->cachedPages() <= EntryModel::MaxCachedPages);
    QTRY_VERIFY_WITH_TIMEOUT(model->isCountExact(), 30000);
    QCOMPARE(model->rowCount(), 1000);
    window.pages()->setCurrentWidget(window.entriesPage());
    window.resize(1000, 600);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.grab().save(screenshotPath(u"entries.png"_s));
}

void TestMainWindow::badFileShowsInlineError()
{
    const QString file = m_dir.filePath(u"notes.txt"_s);
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QByteArray("plain text, certainly not SQLite\n").repeated(10));
    f.close();
    const QByteArray before = fileBytes(file);
    MainWindow window;
    window.show();
    QVERIFY(!openAndWait(window, file, Database::Mode::ReadWrite));
    QVERIFY2(window.errorText().contains(u"not an SQLite database"_s), qPrintable(window.errorText()));
    QVERIFY(!window.database());
    QCOMPARE(fileBytes(file), before);
    window.grab().save(screenshotPath(u"error.png"_s));
    // A good file afterwards clears the error.
    const QString good = m_dir.filePath(u"good.db"_s);
    makeCache(good, u"wal"_s, 1);
    QVERIFY(openAndWait(window, good, Database::Mode::ReadWrite));
    QVERIFY(window.errorText().isEmpty());
}

void TestMainWindow::readOnlyOpenKeepsDeleteMode()
{
    const QString file = m_dir.filePath(u"ro.db"_s);
    makeCache(file, u"delete"_s, 5);
    const QByteArray before = fileBytes(file);
    {
        MainWindow window;
        QVERIFY(openAndWait(window, file, Database::Mode::ReadOnly));
        auto* journal = window.overviewPage()->findChild<QLabel*>(u"journalValue"_s);
        QVERIFY2(journal->text().startsWith(u"DELETE"_s), qPrintable(journal->text()));
    }
    QCOMPARE(fileBytes(file), before);
    QVERIFY(!exists(file + u"-wal"_s));
}

void TestMainWindow::recentFilesSkipTemporaryCaches()
{
    const QString kept = m_dir.filePath(u"kept.db"_s);
    const QString temporary = m_dir.filePath(u"temporary.db"_s);
    makeCache(kept, u"wal"_s, 1);
    makeCache(temporary, u"wal"_s, 1);
    MainWindow window;
    QVERIFY(openAndWait(window, temporary, Database::Mode::ReadOnly, MainWindow::Remember::No));
    QVERIFY(!RecentFiles().paths().contains(QFileInfo(temporary).absoluteFilePath()));
    QVERIFY(openAndWait(window, kept, Database::Mode::ReadOnly));
    QCOMPARE(RecentFiles().paths().value(0), QFileInfo(kept).absoluteFilePath());
    QVERIFY(!RecentFiles().paths().contains(QFileInfo(temporary).absoluteFilePath()));
}

void TestMainWindow::helpAndVersionNeedNoDisplay()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(u"DISPLAY"_s);
    env.remove(u"WAYLAND_DISPLAY"_s);
    env.remove(u"QT_QPA_PLATFORM"_s);
    auto result = runProgram(QStringLiteral(CACHESCOPE_GUI_PATH), { u"--help"_s }, 20000, env);
    QCOMPARE(result.exitCode, 0);
    QVERIFY2(result.out.contains("--read-only"), result.out.constData());
    result = runProgram(QStringLiteral(CACHESCOPE_GUI_PATH), { u"--version"_s }, 20000, env);
    QCOMPARE(result.exitCode, 0);
    QVERIFY2(result.out.contains(CACHESCOPE_VERSION), result.out.constData());
}

void TestMainWindow::remembersGeometryAndTab()
{
    const QString file = m_dir.filePath(u"layout.db"_s);
    makeCache(file, u"wal"_s, 10);
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.resize(811, 577);
        QVERIFY(openAndWait(window, file, Database::Mode::ReadOnly, MainWindow::Remember::No));
        window.pages()->setCurrentWidget(window.entriesPage());
        auto* splitter = window.entriesPage()->findChild<QSplitter*>(u"splitter"_s);
        QVERIFY(splitter);
        QTRY_VERIFY(splitter->isVisible());
        splitter->setSizes({ 123, 600 });
        window.pages()->setCurrentIndex(2);
        QVERIFY(window.close()); // closeEvent saves to QSettings
    }
    MainWindow again;
    QCOMPARE(again.pages()->currentIndex(), 2);
    QCOMPARE(again.width(), 811);
    again.show();
    QVERIFY(openAndWait(again, file, Database::Mode::ReadOnly, MainWindow::Remember::No));
    again.pages()->setCurrentWidget(again.entriesPage());
    auto* splitter = again.entriesPage()->findChild<QSplitter*>(u"splitter"_s);
    QVERIFY(splitter);
    QTRY_VERIFY(splitter->isVisible());
    QCOMPARE(splitter->sizes().value(0), 123); // splitter positions too (#13)
    again.pages()->setCurrentIndex(0);
    again.close();
}

void TestMainWindow::heldCacheFailsFastWithItsReason()
{
    // A rollback-journal cache another process holds EXCLUSIVE cannot even be read. The window
    // must not wait out a 30 s busy timeout on its GUI thread: it says why, at once.
    const QString file = m_dir.filePath(u"held.db"_s);
    makeCache(file, u"delete"_s, 10);
    PythonChild holder(holderScript(), { file, u"exclusive"_s });
    QVERIFY(holder.waitReady());
    MainWindow window;
    QElapsedTimer timer;
    timer.start();
    QVERIFY(!openAndWait(window, file, Database::Mode::ReadOnly));
    QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed()))); // 100 ms + margin for a loaded CI
    QVERIFY2(window.errorText().contains(u"locked"_s), qPrintable(window.errorText()));
    // It waits for the cache and tries again by itself, as a user would; Close stops that.
    QVERIFY2(window.errorText().contains(u"Trying again"_s), qPrintable(window.errorText()));
    QVERIFY2(window.errorText().contains(u"held by PID %1 "_s.arg(holder.pid())), qPrintable(window.errorText()));
    auto* opening = window.findChild<QLabel*>(u"openingState"_s);
    QVERIFY(opening && opening->text().contains(u"Waiting for the cache"_s));
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.grab().save(screenshotPath(u"open-waiting-for-lock.png"_s));
    QSignalSpy finished(&window, &MainWindow::openFinished);
    QVERIFY(finished.wait(MainWindow::RetryOpenMs + 5000)); // the retry, still refused
    QCOMPARE(finished.last().first().toBool(), false);
    QVERIFY(!window.database());
    holder.stop();
    QVERIFY(finished.wait(MainWindow::RetryOpenMs + 5000)); // and opens once it is free
    QCOMPARE(finished.last().first().toBool(), true);
    QVERIFY(window.database());
    QVERIFY(window.errorText().isEmpty());
    // Close while waiting: no retry opens it behind the user's back.
    PythonChild again(holderScript(), { file, u"exclusive"_s });
    QVERIFY(again.waitReady());
    QVERIFY(!openAndWait(window, file, Database::Mode::ReadOnly));
    window.closeDatabase();
    again.stop();
    finished.clear();
    QVERIFY(!finished.wait(MainWindow::RetryOpenMs + 1000));
    QVERIFY(!window.database());
}

void TestMainWindow::readOnlyFollowsWritersThatStartLater()
{
    // Issue #9: a read-only window on a cache at rest must not stay on its snapshot when
    // a connection-per-call writer adds rows later.
    const QString file = m_dir.filePath(u"later.db"_s);
    makeCache(file, u"wal"_s, 100);
    MainWindow window;
    QVERIFY(openAndWait(window, file, Database::Mode::ReadOnly, MainWindow::Remember::No));
    QVERIFY(window.entriesPage()->entryModel());
    QCOMPARE(window.entriesPage()->entryModel()->rowCount(), 100);
    // The Overview's counts and the SQL tab's ready queries open their own read-only
    // Databases meanwhile: they too must read the snapshot, not create sidecars.
    window.pages()->setCurrentIndex(3);
    QVERIFY(waitForBackgroundWork()); // what they started has read the cache
    QVERIFY(!exists(file + u"-wal"_s));
    QVERIFY(!exists(file + u"-shm"_s));
    const auto writer = runPythonScript(
        u"import sqlite3, sys\nc = sqlite3.connect(sys.argv[1])\nc.executemany(\"INSERT INTO entries(key) "
        u"VALUES(?)\", "
        "[('late-%d' % i,) for i in range(50)])\nc.commit()\nc.close()"_s,
        { file });
    QCOMPARE(writer.exitCode, 0);
    QTRY_VERIFY_WITH_TIMEOUT(
        window.entriesPage()->entryModel() && window.entriesPage()->entryModel()->rowCount() == 150, 10000);
    QCOMPARE(window.entriesPage()->currentTable(), u"entries"_s);
    QVERIFY(!exists(file + u"-wal"_s)); // still no sidecar of ours
    QVERIFY(!exists(file + u"-shm"_s));
}

void TestMainWindow::opensCacheFolders()
{
    // Issue #11: a diskcache folder opens its cache.db; a FanoutCache folder its first shard.
    const QString dc = m_dir.filePath(u"dcfolder"_s), fc = m_dir.filePath(u"fcfolder"_s);
    const auto made
        = runPythonScript(u"import diskcache, sys\nc = diskcache.Cache(sys.argv[1])\nc.set('k', 'v')\nc.close()\n"
                          "f = diskcache.FanoutCache(sys.argv[2], shards=2)\nf.set('f', 1)\nf.close()"_s,
            { dc, fc });
    QVERIFY2(made.exitCode == 0, made.err.constData());
    MainWindow window;
    QVERIFY(openAndWait(window, dc, Database::Mode::ReadOnly, MainWindow::Remember::No));
    QCOMPARE(window.database()->path(), dc + u"/cache.db"_s);
    QCOMPARE(window.entriesPage()->entryModel()->view().profile, u"diskcache"_s);
    QVERIFY(openAndWait(window, fc, Database::Mode::ReadOnly, MainWindow::Remember::No));
    QCOMPARE(window.database()->path(), fc + u"/000/cache.db"_s);
    QVERIFY(!openAndWait(window, m_dir.path(), Database::Mode::ReadOnly, MainWindow::Remember::No));
    QVERIFY2(!window.errorText().isEmpty(), "a plain folder is an error with its reason");
}

namespace {
// Answers the next InPlaceReadQuestion (read in place, or cancel) once it is shown, after
// saving its text and a screenshot.
void answerInPlaceQuestion(bool readInPlace, QString* text, const QString& screenshot)
{
    auto* timer = new QTimer(qApp);
    QObject::connect(timer, &QTimer::timeout, timer, [=] {
        auto* question = qobject_cast<InPlaceReadQuestion*>(QApplication::activeModalWidget());
        if (!question)
            return;
        timer->stop();
        timer->deleteLater();
        *text = question->text() + u'\n' + question->informativeText() + u'\n' + question->detailedText();
        question->grab().save(screenshotPath(screenshot));
        if (readInPlace)
            question->readInPlaceButton()->click();
        else
            question->button(QMessageBox::Cancel)->click();
    });
    timer->start(20);
}
} // namespace

void TestMainWindow::cacheThatCannotBeCopiedOffersReadInPlace()
{
    // Issue #22.2: a cache at rest whose -wal holds changes, after a checkpoint killed midway (the
    // db file alone is inconsistent), that cannot be copied privately. The window asks; Cancel
    // writes nothing and says why; Read in Place shows the right rows and writes only a -shm.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString file = dir.filePath(u"half.db"_s);
    makeCache(file, u"wal"_s, 20);
    const auto made
        = runPythonScript(QString::fromLatin1(WriterScripts::halfCheckpointed), { file, u"400"_s, u"no-shm"_s });
    QVERIFY2(made.exitCode == 0, made.err.constData());
    QCOMPARE(made.out.trimmed(), QByteArray("alone damaged whole ok"));
    const QByteArray db = fileBytes(file);
    const QByteArray wal = fileBytes(file + u"-wal"_s);
    const QStringList filesBefore = QDir(dir.path()).entryList(QDir::Files | QDir::Hidden);
    qputenv("CACHESCOPE_PRIVATE_COPY_MAX_BYTES", "4096");
    const auto unset = qScopeGuard([] { qunsetenv("CACHESCOPE_PRIVATE_COPY_MAX_BYTES"); });
    MainWindow window;
    window.show();
    QString asked;
    answerInPlaceQuestion(false, &asked, u"read-in-place-question.png"_s);
    QVERIFY(!openAndWait(window, file, Database::Mode::ReadOnly, MainWindow::Remember::No));
    QVERIFY2(asked.contains(u"Read in place"_s) && asked.contains(u"-shm"_s) && asked.contains(u"TMPDIR"_s),
        qPrintable(asked));
    QVERIFY2(asked.contains(u"The cache is fine"_s), qPrintable(asked));
    QVERIFY(!window.database());
    QVERIFY2(window.errorText().contains(u"The cache is fine"_s), qPrintable(window.errorText()));
    QVERIFY2(!window.errorText().contains(u"corrupt"_s), qPrintable(window.errorText()));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), filesBefore);
    QCOMPARE(fileBytes(file), db);
    QCOMPARE(fileBytes(file + u"-wal"_s), wal);

    asked.clear();
    answerInPlaceQuestion(true, &asked, u"read-in-place-question.png"_s);
    QVERIFY(openAndWait(window, file, Database::Mode::ReadOnly, MainWindow::Remember::No));
    QVERIFY(!asked.isEmpty());
    QVERIFY(window.database());
    QCOMPARE(window.database()->rowCount(u"entries"_s).value(), 420);
    QVERIFY2(window.statusMessage().contains(u"Read in place"_s), qPrintable(window.statusMessage()));
    QVERIFY(waitForBackgroundWork());
    window.closeDatabase();
    QCOMPARE(fileBytes(file), db);
    QCOMPARE(fileBytes(file + u"-wal"_s), wal);
    QStringList expected = filesBefore + QStringList { u"half.db-shm"_s };
    expected.sort();
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), expected);
}

QTEST_MAIN(TestMainWindow)
void TestMainWindow::largestEntryLinksToEntries()
{
    // Issue #13: the Overview lists the largest entries; clicking one shows it in Entries,
    // selected, even when a filter was hiding it and its page was never read.
    const QString file = m_dir.filePath(u"largest.db"_s);
    makeCache(file, u"wal"_s, 3000);
    exec(file, u"UPDATE entries SET value = printf('%.*c', 200000, 'z') WHERE id = 2500"_s);
    MainWindow window;
    window.resize(1100, 800);
    QVERIFY(showAndOpen(window, file, Database::Mode::ReadOnly, MainWindow::Remember::No));
    window.entriesPage()->setFilterText(u"key-1"_s); // hides key-2500
    QTRY_VERIFY_WITH_TIMEOUT(window.overviewPage()->contentsText().contains(u"entry:2500"_s), 30000);
    auto* contents = window.overviewPage()->findChild<QLabel*>(u"contentsValue"_s);
    QVERIFY(contents);
    QVERIFY(QMetaObject::invokeMethod(contents, "linkActivated", Q_ARG(QString, u"entry:2500"_s)));
    QCOMPARE(window.pages()->currentWidget(), window.entriesPage());
    auto* view = window.entriesPage()->findChild<QTableView*>(u"rowsView"_s);
    QVERIFY(view);
    QTRY_VERIFY_WITH_TIMEOUT(view->currentIndex().isValid(), 30000);
    EntryModel* model = window.entriesPage()->entryModel();
    QCOMPARE(model->data(view->currentIndex(), EntryModel::KeyRole).toList().value(0).toLongLong(), 2500);
    QVERIFY(model->filter().isEmpty());
    QCOMPARE(view->currentIndex().row(), 2499);
}

#include "tst_mainwindow.moc"
