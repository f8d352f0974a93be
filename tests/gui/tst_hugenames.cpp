// SPDX-License-Identifier: GPL-3.0-or-later
// Issue #22.13: a cache with a 1 MiB table name, a 1 MiB column name, at a deep path, shown in
// the real window (offscreen): every page visited, then nothing on screen may carry the whole
// name — the title, every label, tab, header and the status bar are elided — and the window
// never grows wider than the screen.
#include "backgroundwork.h"
#include "openedwindow.h"
#include "testsupport.h"
#include "window/mainwindow.h"

#include <QAbstractButton>
#include <QApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QLabel>
#include <QProcess>
#include <QScreen>
#include <QSet>
#include <QStatusBar>
#include <QTabBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <sqlite3.h>

#include <csignal>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

namespace {
constexpr int HugeBytes = 1 << 20;
constexpr int LongestShownText = 2000; // characters: any text on screen longer carries the name
} // namespace

class TestHugeNames : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(u"CacheScopeTests"_s);
        QCoreApplication::setApplicationName(u"tst_hugenames"_s);
        QVERIFY(m_dir.isValid());
        qputenv("CACHESCOPE_CLI", QByteArrayLiteral(CACHESCOPE_CLI_PATH));
    }
    void everyPageFitsTheScreen_data();
    void everyPageFitsTheScreen();
    void sigtermEndsTheGuiCleanly_data();
    void sigtermEndsTheGuiCleanly();

private:
    QString makeHugeCache(const QString& mode);
    // Every text a widget shows that is longer than LongestShownText, with where it is.
    static QStringList overlongTexts(QWidget& window);
    QTemporaryDir m_dir;
};

QString TestHugeNames::makeHugeCache(const QString& mode)
{
    static int made = 0;
    QString folder = m_dir.filePath(mode + QString::number(++made));
    for (int i = 0; i < 3; ++i)
        folder += u'/' + QString(200, u'p');
    if (!QDir().mkpath(folder))
        return {};
    const QString db = folder + u"/huge.db"_s;
    const QString table = u"T"_s + QString(HugeBytes, u'x');
    const QString column = u"c"_s + QString(HugeBytes, u'y');
    sqlite3* handle = nullptr;
    // The folder path is 600+ bytes: create it through a short one, then move it in.
    const QString shortDb = m_dir.filePath(mode + QString::number(made) + u".db"_s);
    if (sqlite3_open(QFile::encodeName(shortDb).constData(), &handle) != SQLITE_OK)
        return {};
    const QString sql = u"PRAGMA journal_mode=%1; CREATE TABLE \"%2\"(k TEXT PRIMARY KEY, \"%3\" TEXT); "
                        "INSERT INTO \"%2\" VALUES('key-1', 'value'); CREATE INDEX \"i%2\" ON \"%2\"(\"%3\");"_s.arg(
                            mode, table, column);
    const bool ok = sqlite3_exec(handle, sql.toUtf8().constData(), nullptr, nullptr, nullptr) == SQLITE_OK;
    sqlite3_close(handle);
    if (!ok || !QFile::rename(shortDb, db))
        return {};
    return db;
}

QStringList TestHugeNames::overlongTexts(QWidget& window)
{
    QStringList found;
    const auto check = [&found](const QString& where, const QString& text) {
        if (text.size() > LongestShownText)
            found << u"%1 (%2 characters)"_s.arg(where).arg(text.size());
    };
    check(u"window title"_s, window.windowTitle());
    for (QLabel* label : window.findChildren<QLabel*>()) {
        if (label->isVisibleTo(&window))
            check(u"label %1"_s.arg(label->objectName()), label->text());
    }
    for (QAbstractButton* button : window.findChildren<QAbstractButton*>()) {
        if (button->isVisibleTo(&window))
            check(u"button %1"_s.arg(button->objectName()), button->text());
    }
    for (QTabBar* tabs : window.findChildren<QTabBar*>()) {
        for (int i = 0; i < tabs->count(); ++i)
            check(u"tab %1"_s.arg(i), tabs->tabText(i));
    }
    if (auto* status = window.findChild<QStatusBar*>())
        check(u"status bar message"_s, status->currentMessage());
    return found;
}

void TestHugeNames::everyPageFitsTheScreen_data()
{
    QTest::addColumn<QString>("mode");
    QTest::addRow("wal") << u"wal"_s;
    QTest::addRow("delete") << u"delete"_s;
}

void TestHugeNames::everyPageFitsTheScreen()
{
    QFETCH(QString, mode);
    const QString db = makeHugeCache(mode);
    QVERIFY(!db.isEmpty());
    const QString plain = m_dir.filePath(mode + u"-plain.db"_s);
    makeCache(plain, mode, 3);
    MainWindow window;
    window.resize(760, 560);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    const int screenWidth = window.screen()->availableGeometry().width();
    auto* pages = window.findChild<QTabWidget*>();
    QVERIFY(pages);
    // What each page needs with ordinary names (the Activity page's charts need their own
    // width): huge names may not add to it.
    QVERIFY(openAndWait(window, plain, Database::Mode::ReadOnly));
    int needed = screenWidth; // the window's minimum counts every page once it was shown
    for (int i = 0; i < pages->count(); ++i) {
        pages->setCurrentIndex(i);
        QVERIFY(waitForBackgroundWork()); // what showing the page started has come in
        needed = qMax(needed, window.minimumSizeHint().width());
    }
    openAndWait(window, db, Database::Mode::ReadOnly); // shown, or refused with the reason: both must fit
    for (int i = 0; i < pages->count(); ++i) {
        pages->setCurrentIndex(i);
        QVERIFY(waitForBackgroundWork()); // what showing the page started has come in
        QApplication::processEvents(); // and is laid out
        const QStringList overlong = overlongTexts(window);
        QVERIFY2(overlong.isEmpty(), qPrintable(u"page %1: %2"_s.arg(i).arg(overlong.join(u"; "_s))));
        QVERIFY2(window.minimumSizeHint().width() <= needed,
            qPrintable(u"page %1: the window needs %2 px (%3 with ordinary names)"_s.arg(i)
                           .arg(window.minimumSizeHint().width())
                           .arg(needed)));
    }
    QVERIFY(window.grab().save(screenshotPath(u"window-huge-names-%1.png"_s.arg(mode))));
}

void TestHugeNames::sigtermEndsTheGuiCleanly_data()
{
    QTest::addColumn<QString>("when");
    QTest::addRow("at once") << u"at once"_s;
    QTest::addRow("while copying the cache") << u"copying"_s;
    QTest::addRow("once it watches the cache") << u"watching"_s;
}

void TestHugeNames::sigtermEndsTheGuiCleanly()
{
    // The real GUI process on the huge cache at a path SQLite cannot open (read through a
    // private copy in its own TMPDIR), sent a real SIGTERM at the moment under test.
    QFETCH(QString, when);
    const QString db = makeHugeCache(u"wal"_s);
    QVERIFY(!db.isEmpty());
    const QString before = cacheFingerprint(db);
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    QProcess gui;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"TMPDIR"_s, tmp.path());
    env.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
    gui.setProcessEnvironment(env);
    gui.start(QStringLiteral(CACHESCOPE_GUI_PATH), { u"--read-only"_s, db });
    QVERIFY(gui.waitForStarted(10000));
    const qint64 pid = gui.processId();
    QSet<qint64> children;
    const auto reached = [&] {
        for (qint64 child : childPids(pid))
            children.insert(child);
        if (when == u"copying"_s)
            return !QDir(tmp.path()).entryList({ u"cachescope-read-*"_s }, QDir::Dirs).isEmpty();
        if (when == u"watching"_s)
            return !children.isEmpty();
        return true;
    };
    QDeadlineTimer deadline(60000);
    while (!reached() && !deadline.hasExpired() && gui.state() == QProcess::Running)
        QThread::usleep(500);
    QVERIFY2(gui.state() == QProcess::Running && !deadline.hasExpired(), "the moment under test was not reached");
    ::kill(pid_t(pid), SIGTERM);
    QVERIFY2(gui.waitForFinished(15000), "SIGTERM did not end the GUI");
    for (qint64 child : std::as_const(children))
        QTRY_VERIFY2_WITH_TIMEOUT(!isRunning(child), "a child process outlived the GUI", 10000);
    // (Qt puts its runtime-root fallback there too: only our own folders count.)
    QCOMPARE(
        QDir(tmp.path()).entryList({ u"cachescope-*"_s }, QDir::AllEntries | QDir::Hidden).join(u", "_s), QString());
    QCOMPARE(cacheFingerprint(db), before);
}

QTEST_MAIN(TestHugeNames)
#include "tst_hugenames.moc"
