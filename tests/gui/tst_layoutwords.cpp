// SPDX-License-Identifier: GPL-3.0-or-later
// Issue #28, a new user's review at the window's default size (MainWindow::DefaultSize) and maximised: the Entries
// columns fill the table's width (the value column taking what is left) and a width the user drags stays theirs;
// an empty table, an unmatched search and a statement with no rows say so; names in the table list are whole
// or whole on hover; the Delete dialog says which files really reach the trash (read back from the trash folder).
// Real caches (tests/support/make_caches.py, real SQLite files), the real window and dialogs, QTest input.
#include "dialogs/deletedialog.h"
#include "openedwindow.h"
#include "pages/emptyviewhint.h"
#include "pages/entriespage.h"
#include "pages/entrycolumnchooser.h"
#include "pages/entrycolumnfit.h"
#include "pages/sqlpage.h"
#include "testsupport.h"
#include "window/maintenancemenu.h"
#include "window/mainwindow.h"

#include <QApplication>
#include <QDir>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QPushButton>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

class TestLayoutWords : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void entriesColumnsFillTheView();
    void diskcacheColumnsFitAndComeBack();
    void emptyViewsSayWhy();
    void searchTotalFollowsWrites();
    void tableListNamesAreWhole();
    void deleteSaysWhatReachesTheTrash();

private:
    // The window at its default size with the diskcache of make_caches.py open, Entries shown and its first rows read.
    static bool openDiskcache(MainWindow& window, const QString& path);
    static QTableView* rowsView(MainWindow& window)
    {
        return window.entriesPage()->findChild<QTableView*>(u"rowsView"_s);
    }
    QTemporaryDir m_dir;
};

void TestLayoutWords::initTestCase()
{
    QCoreApplication::setOrganizationName(u"CacheScopeTests"_s);
    QCoreApplication::setApplicationName(u"tst_layoutwords"_s);
    QVERIFY(m_dir.isValid());
    qputenv("XDG_DATA_HOME", QFile::encodeName(m_dir.filePath(u"data"_s))); // the trash
    const auto made = runPythonFile(
        QStringLiteral(CACHESCOPE_SOURCE_DIR) + u"/tests/support/make_caches.py"_s, { m_dir.filePath(u"real"_s) });
    QVERIFY2(made.exitCode == 0, made.err.constData());
}

bool TestLayoutWords::openDiskcache(MainWindow& window, const QString& path)
{
    window.resize(MainWindow::DefaultSize);
    if (!showAndOpen(window, path, Database::Mode::ReadOnly, MainWindow::Remember::No))
        return false;
    window.pages()->setCurrentWidget(window.entriesPage());
    EntriesPage* page = window.entriesPage();
    if (!QTest::qWaitFor(
            [page] {
                return page->entryModel() && page->entryModel()->rowCount() > 0
                    && page->entryModel()->rowAt(0).has_value();
            },
            30000))
        return false;
    settleEvents();
    return true;
}

// Columns in sight wholly (their right edge inside the viewport), and the width of the blank band right of the
// last column (0: none).
struct ColumnsSeen {
    int whole = 0;
    int count = 0;
    int blank = 0;
    QString widths;
};

static ColumnsSeen columnsSeen(QTableView* view)
{
    QHeaderView* header = view->horizontalHeader();
    ColumnsSeen seen;
    seen.count = header->count();
    for (int visual = 0; visual < header->count(); ++visual) {
        const int logical = header->logicalIndex(visual);
        const int right = header->sectionViewportPosition(logical) + header->sectionSize(logical);
        seen.whole += right <= view->viewport()->width() ? 1 : 0;
        seen.widths += u"%1=%2 "_s.arg(view->model()->headerData(logical, Qt::Horizontal).toString())
                           .arg(header->sectionSize(logical));
    }
    seen.blank = std::max(0, view->viewport()->width() - header->length());
    seen.widths += u"in %1 px"_s.arg(view->viewport()->width());
    return seen;
}

void TestLayoutWords::entriesColumnsFillTheView()
{
    MainWindow window;
    QVERIFY(openDiskcache(window, m_dir.filePath(u"real/diskcache/cache.db"_s)));
    QTableView* view = rowsView(window);
    const int value = window.entriesPage()->entryModel()->view().columnIndex(EntryColumn::Role::Value);
    QVERIFY(value >= 0);
    QTRY_VERIFY(EntryColumnFit::of(view)->stretchColumn() == value);
    settleEvents();
    QVERIFY(window.grab().save(screenshotPath(u"layout-entries-default.png"_s)));
    // At the default size the key and storage give way (a time stays whole) so that more columns show (main: key and
    // value only of 11, the rest pushed off); no blank band.
    ColumnsSeen seen = columnsSeen(view);
    QVERIFY2(seen.whole >= std::max(3, seen.count / 2) && seen.blank == 0, qPrintable(seen.widths));
    QVERIFY2(view->horizontalHeader()->sectionSize(value) >= EntryColumnFit::StretchFloor, qPrintable(seen.widths));

    // Maximised: the value column takes the room (main: ~500 px blank right of the last column).
    window.resize(1920, 1050); // a maximised window's size on a 1920×1080 desktop (offscreen's screen is smaller)
    QTRY_COMPARE(window.size(), QSize(1920, 1050));
    settleEvents();
    QTRY_VERIFY2(columnsSeen(view).blank == 0, qPrintable(columnsSeen(view).widths));
    seen = columnsSeen(view);
    QVERIFY2(seen.whole == seen.count, qPrintable(seen.widths));
    QVERIFY(window.grab().save(screenshotPath(u"layout-entries-maximised.png"_s)));

    // A column the user drags wider keeps its width when the window changes size again.
    QHeaderView* header = view->horizontalHeader();
    const int first = header->logicalIndex(0);
    const int before = header->sectionSize(first);
    const int edge = header->sectionViewportPosition(first) + before - 1;
    const int y = header->height() / 2;
    QTest::mousePress(header->viewport(), Qt::LeftButton, {}, QPoint(edge, y));
    QTest::mouseMove(header->viewport(), QPoint(edge + 60, y));
    QTest::mouseRelease(header->viewport(), Qt::LeftButton, {}, QPoint(edge + 60, y));
    QTRY_VERIFY2(header->sectionSize(first) > before + 30, qPrintable(columnsSeen(view).widths));
    QVERIFY(EntryColumnFit::of(view)->userSized());
    const int dragged = header->sectionSize(first);
    const int valueWidth = header->sectionSize(value);
    window.resize(MainWindow::DefaultSize);
    QTRY_COMPARE(window.size(), MainWindow::DefaultSize);
    settleEvents();
    QCOMPARE(header->sectionSize(first), dragged);
    QCOMPARE(header->sectionSize(value), valueWidth);
}

// Issue #28: at the default window the diskcache table's last columns were off to the right (a horizontal scroll
// bar; mode, tag and hits never seen). Its rarely needed columns are hidden until asked for: the rest fit; the
// header's menu "Show column ▸ mode" brings one back, remembered for diskcache caches in a new window.
void TestLayoutWords::diskcacheColumnsFitAndComeBack()
{
    QSettings().remove(EntryColumnChooser::settingsKey(u"diskcache"_s));
    const QString path = m_dir.filePath(u"real/diskcache/cache.db"_s);
    {
        MainWindow window;
        QVERIFY(openDiskcache(window, path));
        QTableView* view = rowsView(window);
        QHeaderView* header = view->horizontalHeader();
        settleEvents();
        QVERIFY(window.grab().save(screenshotPath(u"layout-entries-diskcache-columns.png"_s)));
        const ColumnsSeen seen = columnsSeen(view);
        QVERIFY2(view->horizontalScrollBar()->maximum() == 0, qPrintable(seen.widths));
        QVERIFY2(header->hiddenSectionCount() > 0, qPrintable(seen.widths));
        const auto column = [view](const QString& name) {
            for (int i = 0; i < view->model()->columnCount(); ++i) {
                if (view->model()->headerData(i, Qt::Horizontal).toString() == name)
                    return i;
            }
            return -1;
        };
        for (const QString& shown : { u"key"_s, u"value"_s, u"size"_s, u"created"_s, u"expires"_s })
            QVERIFY2(column(shown) >= 0 && !header->isSectionHidden(column(shown)), qPrintable(shown));
        const int mode = column(u"mode"_s);
        QVERIFY(mode >= 0 && header->isSectionHidden(mode));
        // The header's context menu, as a right click opens it.
        Q_EMIT header->customContextMenuRequested(QPoint(10, header->height() / 2));
        QMenu* menu = nullptr;
        QTRY_VERIFY((menu = header->findChild<QMenu*>()) && menu->isVisible());
        QAction* showColumn = nullptr;
        for (QAction* action : menu->actions())
            showColumn = action->text() == u"Show column"_s ? action : showColumn;
        QVERIFY(showColumn && showColumn->menu());
        QAction* modeAction = nullptr;
        for (QAction* action : showColumn->menu()->actions())
            modeAction = action->text() == u"mode"_s ? action : modeAction;
        QVERIFY(modeAction && modeAction->isCheckable() && !modeAction->isChecked());
        modeAction->trigger();
        menu->close();
        QVERIFY(!header->isSectionHidden(mode));
        settleEvents();
        QVERIFY2(header->sectionSize(mode) > 0, qPrintable(columnsSeen(view).widths));
        QVERIFY(window.grab().save(screenshotPath(u"layout-entries-diskcache-mode-shown.png"_s)));
    }
    // A new window on the same format: mode shown, the others still hidden.
    MainWindow again;
    QVERIFY(openDiskcache(again, path));
    QHeaderView* header = rowsView(again)->horizontalHeader();
    QStringList hidden;
    for (int i = 0; i < header->count(); ++i) {
        if (header->isSectionHidden(i))
            hidden << rowsView(again)->model()->headerData(i, Qt::Horizontal).toString();
    }
    QVERIFY2(!hidden.contains(u"mode"_s) && hidden.contains(u"tag"_s), qPrintable(hidden.join(u", "_s)));
    QSettings().remove(EntryColumnChooser::settingsKey(u"diskcache"_s));
}

void TestLayoutWords::emptyViewsSayWhy()
{
    // What the file holds, read by Python's sqlite3 before the window opens it (another process opening it later
    // would have the window reopen it live): every entry, and those whose key holds "expir".
    const QStringList counted
        = QString::fromUtf8(runPython(u"import sqlite3, sys\n"
                                      "c = sqlite3.connect(sys.argv[1])\n"
                                      "print(c.execute('SELECT count(*) FROM Cache').fetchone()[0], "
                                      "c.execute(\"SELECT count(*) FROM Cache WHERE key LIKE "
                                      "'%expir%'\").fetchone()[0])"_s,
                                { m_dir.filePath(u"real/diskcache/cache.db"_s) }))
              .split(u' ');
    QCOMPARE(counted.size(), 2);
    const QString total = counted.at(0).trimmed();
    MainWindow window;
    QVERIFY(openDiskcache(window, m_dir.filePath(u"real/diskcache/cache.db"_s)));
    // A search that matches nothing says so, with what was searched (main: an empty white table).
    EntriesPage* page = window.entriesPage();
    auto* filter = page->findChild<QLineEdit*>(u"filterEdit"_s);
    QVERIFY(filter);
    QTRY_VERIFY_WITH_TIMEOUT(page->entryModel()->isCountExact(), 30000);
    auto* footer = page->findChild<QLabel*>(u"statusLabel"_s); // its whole text (an ElidedLabel paints what fits)
    filter->setFocus();
    QTest::keyClicks(filter, u"no-such-key"_s);
    QTRY_VERIFY_WITH_TIMEOUT(
        page->entryModel()->filter().text == u"no-such-key"_s && !page->entryModel()->isFiltering(), 30000);
    QCOMPARE(page->entryModel()->rowCount(), 0);
    auto* hint = rowsView(window)->findChild<EmptyViewHint*>(u"emptyViewHint"_s);
    QVERIFY(hint);
    QTRY_VERIFY2(
        hint->isShown() && hint->text().startsWith(u"No entry matches “no-such-key”."_s), qPrintable(hint->text()));
    // The footer says how many of the table's entries match (main: "Cache — diskcache (0 entries; …)" above the
    // hint, while the table holds 10).
    settleEvents();
    QVERIFY(window.grab().save(screenshotPath(u"layout-entries-no-match.png"_s)));
    QVERIFY2(footer->text().startsWith(u"Cache — diskcache (0 of %1 entries match;"_s.arg(total)),
        qPrintable(footer->text()));
    filter->clear();
    QTest::keyClicks(filter, u"expir"_s);
    QTRY_VERIFY_WITH_TIMEOUT(
        page->entryModel()->filter().text == u"expir"_s && !page->entryModel()->isFiltering(), 30000);
    QTRY_VERIFY2_WITH_TIMEOUT(page->entryModel()->isCountExact(), qPrintable(footer->text()), 30000);
    QVERIFY2(
        footer->text().startsWith(u"Cache — diskcache (%1 of %2 entries match;"_s.arg(counted.at(1).trimmed(), total)),
        qPrintable(footer->text()));
    QVERIFY(window.grab().save(screenshotPath(u"layout-entries-some-match.png"_s)));
    filter->clear();
    QTRY_VERIFY_WITH_TIMEOUT(page->entryModel()->rowCount() > 0, 30000);
    QVERIFY(!hint->isShown());

    // The SQL page's results: before any statement, and for one that returns no rows (main: nothing said).
    auto* sql = window.findChild<SqlPage*>();
    QVERIFY(sql);
    window.pages()->setCurrentWidget(sql);
    auto* results = sql->findChild<QTableView*>(u"resultView"_s);
    auto* resultHint = results->findChild<EmptyViewHint*>(u"emptyViewHint"_s);
    QVERIFY(resultHint);
    QVERIFY2(resultHint->isShown() && resultHint->text().startsWith(u"No statement run yet"_s),
        qPrintable(resultHint->text()));
    sql->setSql(u"SELECT key FROM Cache WHERE 0"_s);
    QSignalSpy finished(sql, &SqlPage::queryFinished);
    sql->findChild<QPushButton*>(u"runButton"_s)->click();
    QVERIFY(finished.wait(30000));
    QVERIFY2(sql->statusText().startsWith(u"0 rows"_s), qPrintable(sql->statusText()));
    QVERIFY2(resultHint->isShown() && resultHint->text() == u"The statement returned no rows."_s,
        qPrintable(resultHint->text()));
    settleEvents();
    QVERIFY(window.grab().save(screenshotPath(u"layout-sql-no-rows.png"_s)));
}

// #28: under a search, the footer's "of N" was the count taken when the search was set; it now follows
// the writes, as the footer without a search does.
void TestLayoutWords::searchTotalFollowsWrites()
{
    const QString dir = m_dir.filePath(u"follows"_s);
    const QString setKeys = u"import diskcache, sys\n"
                            "c = diskcache.Cache(sys.argv[1])\n"
                            "for i in range(int(sys.argv[3])):\n"
                            "    c.set(sys.argv[2] + str(i), i)\n"
                            "c.close()\n"_s;
    runPython(setKeys, { dir, u"k"_s, u"20"_s }); // k0 … k19: "k1" matches k1 and k10 … k19
    MainWindow window;
    window.resize(MainWindow::DefaultSize);
    QVERIFY(showAndOpen(window, dir + u"/cache.db"_s, Database::Mode::ReadWrite, MainWindow::Remember::No));
    window.pages()->setCurrentWidget(window.entriesPage());
    EntriesPage* page = window.entriesPage();
    auto* filter = page->findChild<QLineEdit*>(u"filterEdit"_s);
    auto* footer = page->findChild<QLabel*>(u"statusLabel"_s);
    QTRY_VERIFY_WITH_TIMEOUT(page->entryModel() && page->entryModel()->isCountExact(), 30000);
    QTest::keyClicks(filter, u"k1"_s);
    QTRY_VERIFY2_WITH_TIMEOUT(
        footer->text().startsWith(u"Cache — diskcache (11 of 20 entries match;"_s), qPrintable(footer->text()), 30000);
    // Another process (Debian's python3-diskcache) adds 5 entries the search does not match.
    runPython(setKeys, { dir, u"new"_s, u"5"_s });
    const QString total = QString::fromUtf8(runPython(u"import sqlite3, sys\n"
                                                      "print(sqlite3.connect(sys.argv[1]).execute("
                                                      "'SELECT count(*) FROM Cache').fetchone()[0])"_s,
                                                { dir + u"/cache.db"_s }))
                              .trimmed();
    QCOMPARE(total, u"25"_s);
    QTRY_VERIFY2_WITH_TIMEOUT(footer->text().startsWith(u"Cache — diskcache (11 of %1 entries match;"_s.arg(total)),
        qPrintable(footer->text()), 30000);
    settleEvents();
    QVERIFY(window.grab().save(screenshotPath(u"layout-entries-search-total-follows.png"_s)));
}

void TestLayoutWords::tableListNamesAreWhole()
{
    // A cache table with a long name and a search index (its shadow tables under the "Internal tables" heading).
    const QString path = m_dir.filePath(u"long-names.db"_s);
    const QString longName = u"responses_of_the_weather_service_for_every_city_and_every_hour_kept_for_a_week"_s;
    exec(path,
        u"PRAGMA journal_mode=wal; CREATE TABLE %1(key TEXT PRIMARY KEY, value BLOB); INSERT INTO %1 VALUES ('a', 'b');"
        "CREATE VIRTUAL TABLE search USING fts5(key);"_s.arg(longName));
    MainWindow window;
    window.resize(MainWindow::DefaultSize);
    QVERIFY(showAndOpen(window, path, Database::Mode::ReadOnly, MainWindow::Remember::No));
    window.pages()->setCurrentWidget(window.entriesPage());
    settleEvents();
    auto* list = window.entriesPage()->findChild<QListWidget*>(u"tableList"_s);
    QVERIFY(list && list->count() > 3);
    QVERIFY(window.grab().save(screenshotPath(u"layout-table-list.png"_s)));
    // Each line fits the list, or ends in "…" at its right edge and its tooltip holds the whole of it (main: the long
    // name and "Internal tables (no cache entr" cut, their tooltips without them).
    QStringList cut;
    for (int i = 0; i < list->count(); ++i) {
        const QListWidgetItem* item = list->item(i);
        const int needed = QFontMetrics(item->font()).horizontalAdvance(item->text());
        const QRect rect = list->visualItemRect(item);
        const int room = std::min(rect.right(), list->viewport()->width()) - rect.left() - 8; // the text's margins
        if (rect.right() >= list->viewport()->width()
            || (needed > room && !item->toolTip().contains(item->text().trimmed())))
            cut << u"'%1' (%2 px in %3)"_s.arg(item->text()).arg(needed).arg(room);
    }
    QVERIFY2(cut.isEmpty(), qPrintable(cut.join(u", "_s)));
}

void TestLayoutWords::deleteSaysWhatReachesTheTrash()
{
    // Open read-write in WAL mode (this window's connection the last): the dialog lists the -wal and -shm, yet they
    // never reach the trash — SQLite folds the -wal into the database and removes both as the window closes it.
    QVERIFY(QDir().mkpath(m_dir.filePath(u"delete"_s)));
    const QString db = m_dir.filePath(u"delete/cache.db"_s);
    makeCache(db, u"wal"_s, 200);
    MainWindow window;
    window.resize(MainWindow::DefaultSize);
    QVERIFY(showAndOpen(window, db, Database::Mode::ReadWrite, MainWindow::Remember::No));
    QVERIFY(exists(db + u"-wal"_s) && exists(db + u"-shm"_s));
    auto* maintenance = window.findChild<MaintenanceMenu*>();
    QVERIFY(maintenance);
    QString said;
    QStringList listed;
    bool toTrash = false;
    QTimer::singleShot(0, this, [&] {
        auto* dialog = qobject_cast<DeleteDialog*>(QApplication::activeModalWidget());
        if (!dialog)
            return;
        QTRY_VERIFY_WITH_TIMEOUT(dialog->deleteButton()->isEnabled(), 20000);
        settleEvents();
        QVERIFY(dialog->grab().save(screenshotPath(u"layout-delete-dialog.png"_s)));
        said = dialog->totalsText();
        listed = dialog->listed();
        toTrash = dialog->movesToTrash();
        dialog->deleteButton()->click();
    });
    maintenance->deleteCache();
    QVERIFY(toTrash); // the default, the test's trash being usable
    QCOMPARE(listed.size(), 3); // the database, its -wal and -shm
    QVERIFY(!exists(db));
    const QStringList trashed = QDir(m_dir.filePath(u"data/Trash/files"_s)).entryList(QDir::Files);
    QCOMPARE(trashed, QStringList { u"cache.db"_s }); // the database only
    // Said as it happened: the database to the trash, the -wal and -shm removed (not "546 KiB in all" to the trash).
    QVERIFY2(said.startsWith(u"Will move the database ("_s) && said.contains(u") to the trash. Its -wal ("_s)
            && said.contains(u"are removed, not kept"_s) && !said.contains(u"in all"_s),
        qPrintable(said));
}

QTEST_MAIN(TestLayoutWords)
#include "tst_layoutwords.moc"
