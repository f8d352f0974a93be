// SPDX-License-Identifier: GPL-3.0-or-later
// Issue #28 (7): a new user finds the ways in without the docs — the welcome page, Open Folder,
// a scan result that opens on a double-click, Help with the guide and the shortcuts, and the
// keyboard: Alt+1…4 for the tabs, Ctrl+F for the filter, Tab leaving the rows.
#include "common/format.h"
#include "dialogs/scandialog.h"
#include "live/thresholds.h"
#include "openedwindow.h"
#include "pages/entriespage.h"
#include "testsupport.h"
#include "window/documentdialog.h"
#include "window/mainwindow.h"
#include "window/recentfiles.h"
#include "window/welcomepage.h"
#include "window/windowmenus.h"

#include <QApplication>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenuBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>
#include <QTextBrowser>
#include <QTextDocument>
#include <QTreeWidget>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

class TestDiscoverable : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(u"CacheScopeTests"_s);
        QCoreApplication::setApplicationName(u"tst_discoverable"_s);
        QVERIFY(m_dir.isValid());
        m_db = m_dir.filePath(u"cache.db"_s);
        makeCache(m_db, u"wal"_s, 300);
    }
    void welcomePageOpensARecentCache();
    void keyboardReachesTabsFilterAndLeavesTheTable();
    void scanResultOpensOnDoubleClick();
    void openFolderOpensACacheFolderAndScansAnyOther();
    void helpShowsTheGuideAndTheShortcuts();
    void wordsAreOneVocabulary();

private:
    QTemporaryDir m_dir;
    QString m_db;
};

void TestDiscoverable::welcomePageOpensARecentCache()
{
    QSettings().remove(u"recentFiles"_s);
    RecentFiles().add(m_db);
    MainWindow window;
    window.resize(1000, 708);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto* welcome = window.findChild<WelcomePage*>();
    QVERIFY(welcome && welcome->isVisible());
    for (const QString& name : { u"welcomeOpen"_s, u"welcomeOpenReadOnly"_s, u"welcomeOpenFolder"_s, u"welcomeDemo"_s })
        QVERIFY2(welcome->findChild<QPushButton*>(name) && welcome->findChild<QPushButton*>(name)->isVisible(),
            qPrintable(name));
    QListWidget* recent = welcome->recentList();
    QCOMPARE(recent->count(), 1);
    QCOMPARE(recent->item(0)->text(), m_db);
    QVERIFY(window.grab().save(screenshotPath(u"welcome-page.png"_s)));
    QSignalSpy finished(&window, &MainWindow::openFinished);
    recent->setFocus();
    recent->setCurrentRow(0);
    QTest::keyClick(recent, Qt::Key_Return);
    QVERIFY(finished.wait(60000));
    QVERIFY(finished.first().first().toBool());
    QCOMPARE(window.database()->path(), m_db);
    QVERIFY(!welcome->isVisible());
    window.closeDatabase();
    QVERIFY(welcome->isVisible()); // back to the ways in
}

void TestDiscoverable::keyboardReachesTabsFilterAndLeavesTheTable()
{
    MainWindow window;
    window.resize(1000, 708);
    QVERIFY(showAndOpen(window, m_db, Database::Mode::ReadWrite));
    window.activateWindow();
    QTRY_VERIFY(window.isActiveWindow());
    for (int tab : { 2, 4, 3, 1 }) {
        QTest::keyClick(&window, Qt::Key(Qt::Key_0 + tab), Qt::AltModifier);
        QCOMPARE(window.pages()->currentIndex(), tab - 1);
    }
    QTest::keyClick(&window, Qt::Key_F, Qt::ControlModifier);
    QCOMPARE(window.pages()->currentWidget(), window.entriesPage());
    auto* filter = window.entriesPage()->findChild<QLineEdit*>(u"filterEdit"_s);
    QTRY_VERIFY(filter->hasFocus());
    auto* rows = window.entriesPage()->findChild<QTableView*>(u"rowsView"_s);
    QTRY_VERIFY_WITH_TIMEOUT(rows->model() && rows->model()->rowCount() > 0, 20000);
    rows->setFocus();
    rows->setCurrentIndex(rows->model()->index(0, 0));
    QTRY_VERIFY(rows->hasFocus());
    QTest::keyClick(rows, Qt::Key_Tab);
    QVERIFY2(!rows->hasFocus(), "Tab walked into the next cell instead of leaving the table");
    QCOMPARE(rows->currentIndex().column(), 0);
}

void TestDiscoverable::scanResultOpensOnDoubleClick()
{
    ScanDialog dialog;
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QSignalSpy open(&dialog, &ScanDialog::openRequested);
    dialog.setDirectory(m_dir.path());
    dialog.startScan();
    QTRY_VERIFY_WITH_TIMEOUT(!dialog.isScanning(), 30000);
    QTreeWidgetItem* found = dialog.databaseItem(0);
    QVERIFY(found);
    QCOMPARE(found->text(1), u"WAL"_s); // one vocabulary: never "wal" or "rollback"
    auto* tree = dialog.findChild<QTreeWidget*>(u"resultsTree"_s);
    const QRect rect = tree->visualItemRect(found);
    QTest::mouseClick(tree->viewport(), Qt::LeftButton, {}, rect.center());
    QCOMPARE(open.count(), 0); // a click selects
    QTest::mouseDClick(tree->viewport(), Qt::LeftButton, {}, rect.center());
    QCOMPARE(open.count(), 1);
    QCOMPARE(open.first().first().toString(), m_db);
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
}

void TestDiscoverable::openFolderOpensACacheFolderAndScansAnyOther()
{
    const QString folder = m_dir.filePath(u"dc"_s);
    const auto made = runPythonScript(
        u"import diskcache, sys\nc = diskcache.Cache(sys.argv[1])\nc['k'] = 'v'\nc.close()\n"_s, { folder });
    QVERIFY2(made.exitCode == 0, made.err.constData());
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto* menus = window.findChild<WindowMenus*>();
    QVERIFY(menus);
    QSignalSpy finished(&window, &MainWindow::openFinished);
    menus->openFolder(folder);
    QVERIFY(finished.wait(60000));
    QVERIFY(finished.first().first().toBool());
    QCOMPARE(window.database()->path(), folder + u"/cache.db"_s);
    // Any other folder: the scan dialog opens on it, already scanning.
    const QString several = m_dir.filePath(u"several"_s);
    QVERIFY(QDir().mkpath(several));
    makeCache(several + u"/a.db"_s, u"wal"_s, 1);
    makeCache(several + u"/b.sqlite"_s, u"delete"_s, 1);
    bool sawScan = false;
    QTimer::singleShot(0, this, [&] {
        auto* scan = qobject_cast<ScanDialog*>(QApplication::activeModalWidget());
        sawScan = scan != nullptr;
        if (!scan)
            return;
        QTRY_VERIFY_WITH_TIMEOUT(!scan->isScanning() && scan->databaseCount() >= 2, 30000);
        scan->reject();
    });
    menus->openFolder(several);
    QVERIFY(sawScan);
}

void TestDiscoverable::helpShowsTheGuideAndTheShortcuts()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    const QString shortcuts = window.findChild<WindowMenus*>()->shortcutsMarkdown();
    for (const QString& key : { u"Alt+1"_s, u"Alt+4"_s, u"Ctrl+F"_s, u"F5"_s, u"Ctrl+O"_s, u"F1"_s })
        QVERIFY2(shortcuts.contains(u"| %1 |"_s.arg(key)), qPrintable(key + u" missing in\n"_s + shortcuts));
    QMenu* help = nullptr;
    for (QAction* menu : window.menuBar()->actions())
        if (menu->text() == u"&Help"_s)
            help = menu->menu();
    QVERIFY(help);
    QStringList titles;
    for (QAction* action : help->actions())
        titles << action->text();
    QVERIFY2(titles.contains(u"CacheScope &Guide"_s) && titles.contains(u"&Keyboard Shortcuts"_s),
        qPrintable(titles.join(u", "_s)));
    QTest::keyClick(&window, Qt::Key_F1);
    DocumentDialog* guide = nullptr;
    QTRY_VERIFY((guide = window.findChild<DocumentDialog*>()) != nullptr);
    QVERIFY2(
        guide->text().contains(u"CacheScope"_s) && guide->text().size() > 2000, qPrintable(guide->text().left(200)));
    // A user's guide (#28 review): it starts with opening a cache, not with building the program,
    // says what the words mean, and every image it shows loads (the README's screenshot did not).
    const QString text = guide->text();
    const qsizetype open = text.indexOf(u"Open a cache"_s);
    QVERIFY2(open >= 0 && open < 400, qPrintable(text.left(400)));
    for (const QString& developerWord : { u"apt-get"_s, u"cmake"_s, u"setup.sh"_s, u"Set up"_s })
        QVERIFY2(!text.contains(developerWord), qPrintable(developerWord + u" in the user guide"_s));
    for (const QString& part : { u"Browse the entries"_s, u"Watch the programs"_s, u"Clean it up"_s,
             u"The words used"_s, u"Keyboard shortcuts"_s })
        QVERIFY2(text.contains(part), qPrintable(part + u" missing in the guide"_s));
    auto* browser = guide->findChild<QTextBrowser*>(u"documentText"_s);
    QVERIFY(browser);
    int images = 0;
    for (QTextBlock block = browser->document()->begin(); block.isValid(); block = block.next())
        for (auto fragment = block.begin(); !fragment.atEnd(); ++fragment) {
            const QTextImageFormat image = fragment.fragment().charFormat().toImageFormat();
            if (!image.isValid())
                continue;
            ++images;
            const QVariant loaded = browser->loadResource(QTextDocument::ImageResource, QUrl(image.name()));
            const QImage decoded = loaded.typeId() == QMetaType::QImage ? loaded.value<QImage>()
                : loaded.typeId() == QMetaType::QPixmap                 ? loaded.value<QPixmap>().toImage()
                                                                        : QImage::fromData(loaded.toByteArray());
            QVERIFY2(!decoded.isNull(), qPrintable(u"the guide's image "_s + image.name() + u" does not load"_s));
        }
    qInfo("the guide shows %d images, each loads", images);
    guide->resize(MainWindow::DefaultSize);
    QVERIFY(guide->grab().save(screenshotPath(u"help-guide.png"_s)));
}

// Issue #28 (8): one number format, the format's own name for its key, no claim of "live".
void TestDiscoverable::wordsAreOneVocabulary()
{
    QCOMPARE(Format::count(1000000), u"1,000,000"_s); // the tests run in the C locale, which groups nothing
    QCOMPARE(Format::count(999), u"999"_s);
    // Percents whole everywhere: the limits' messages too, with a decimal only where whole ones would read the same.
    QCOMPARE(Format::percent(0.524), u"52%"_s);
    Thresholds limits;
    limits.maxWriteLockBusy = 0.5;
    ThresholdReading reading;
    reading.writeLockBusy = 0.524;
    reading.writeLockBusySpanMs = 10020; // the window full: whole seconds
    QCOMPARE(limits.crossedBy(reading).value(0).message(),
        u"the write lock was held 52% of the last 10 s, over the limit 50% (--max-write-lock-busy)"_s);
    limits.maxWriteLockBusy = 0.8;
    reading.writeLockBusy = 0.804;
    QCOMPARE(limits.crossedBy(reading).value(0).message(),
        u"the write lock was held 80.4% of the last 10 s, over the limit 80.0% (--max-write-lock-busy)"_s);
    // The window says it without the CLI's option name (#28); message() is description with the option's name.
    QCOMPARE(limits.crossedBy(reading).value(0).description,
        u"the write lock was held 80.4% of the last 10 s, over the limit 80.0%"_s);
    // Over the span the share covers, the rates' (#28: never "of the last 10 s" after 3.4 s of watching).
    reading.writeLockBusySpanMs = 3400;
    QCOMPARE(limits.crossedBy(reading).value(0).description,
        u"the write lock was held 80.4% of the last 3.4 s, over the limit 80.0%"_s);
    MainWindow window;
    QVERIFY(showAndOpen(window, m_db, Database::Mode::ReadWrite));
    auto* filter = window.entriesPage()->findChild<QLineEdit*>(u"filterEdit"_s);
    QCOMPARE(filter->placeholderText(), u"Search the key… (Ctrl+F)"_s);
    auto* status = window.entriesPage()->findChild<QLabel*>(u"statusLabel"_s);
    QTRY_VERIFY2_WITH_TIMEOUT(status->text().contains(u"(300 entries; new rows appear as they are written)"_s),
        qPrintable(status->text()), 20000);
    QVERIFY(!status->text().contains(u"updated live"_s));
    // One entry is "1 entry", in the Entries status line and in the Overview's words.
    QCOMPARE(Format::entries(1), u"1 entry"_s);
    QCOMPARE(Format::entries(1000), u"1,000 entries"_s);
    window.entriesPage()->setFilterText(u"key-299"_s);
    QTRY_VERIFY2_WITH_TIMEOUT(
        status->text().contains(u"(1 of 300 entries matches; "_s), qPrintable(status->text()), 20000);
}

QTEST_MAIN(TestDiscoverable)
#include "tst_discoverable.moc"
