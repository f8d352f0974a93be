// SPDX-License-Identifier: GPL-3.0-or-later
// EntryModel and EntriesPage offscreen: QAbstractItemModelTester, jumps to the end before the
// index exists, live rows from a real writer process inserted without a reset (selection and
// scroll position kept), INSERT OR REPLACE reconciled, detail pane, filter, export.
#include "entrycells.h"
#include "models/entrymodel.h"
#include "openedwindow.h"
#include "pages/entriespage.h"
#include "testsupport.h"
#include "window/mainwindow.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QElapsedTimer>
#include <QLabel>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

class TestEntryModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(u"CacheScopeTests"_s);
        QVERIFY(m_dir.isValid());
    }
    void modelTesterWithLiveInserts();
    void lastRowBeforeIndex_data();
    void lastRowBeforeIndex();
    void liveInsertionKeepsSelection();
    void insertOrReplaceIsReconciled();
    void detailFilterAndExport();
    void diskcacheInItsOwnTerms();
    void selectionFollowsItsEntryAfterReplace();
    void hostileNamesAndValuesAreShownVisibly();
    void hugeCellIsShownCut();
    void filterFirstPageIsReadOnAWorker();
    void heldLockIsNeverWaitedFor();

private:
    QTemporaryDir m_dir;
};

void TestEntryModel::modelTesterWithLiveInserts()
{
    const QString file = m_dir.filePath(u"tester.db"_s);
    makeCache(file, u"wal"_s, 3000);
    auto db = Database::open(file, Database::Mode::ReadWrite);
    QVERIFY(db);
    EntryModel model(db->get(), u"entries"_s);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 3000);
    QCOMPARE(cell(&model, 2999, 1).toString(), u"key-3000"_s);
    QTRY_VERIFY_WITH_TIMEOUT(model.isIndexReady(), 30000);
    for (int row = 0; row < model.rowCount(); row += 97) // scroll everywhere: the cache stays bounded
        QCOMPARE(cell(&model, row, 1).toString(), u"key-%1"_s.arg(row + 1));
    QVERIFY(model.cachedPages() <= EntryModel::MaxCachedPages);
    exec(file, u"INSERT INTO entries(key, value) VALUES ('late-1', 'x'), ('late-2', 'y')"_s);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.checkForChanges(); // the new rows are counted off the GUI thread
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 3002, 10000);
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(inserted[0][1].toInt(), 3000);
    QCOMPARE(inserted[0][2].toInt(), 3001);
    QCOMPARE(cell(&model, 3001, 1).toString(), u"late-2"_s);
    QTRY_VERIFY_WITH_TIMEOUT(model.isCountExact() && model.isIndexReady(), 30000);
    QCOMPARE(model.rowCount(), 3002);
    QCOMPARE(reset.size(), 0);
}

void TestEntryModel::lastRowBeforeIndex_data()
{
    QTest::addColumn<QString>("ddl");
    QTest::addColumn<bool>("approximate");
    QTest::newRow("rowid") << u"CREATE TABLE e(id INTEGER PRIMARY KEY, k TEXT)"_s << true;
    QTest::newRow("without rowid") << u"CREATE TABLE e(k TEXT PRIMARY KEY, id INTEGER) WITHOUT ROWID"_s << false;
}

void TestEntryModel::lastRowBeforeIndex()
{
    QFETCH(QString, ddl);
    QFETCH(bool, approximate);
    const QString file
        = m_dir.filePath(u"last-%1.db"_s.arg(QString::fromUtf8(QTest::currentDataTag())).replace(u' ', u'-'));
    exec(file,
        ddl
            + u"; WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000) "
              "INSERT INTO e(id, k) SELECT i, printf('k%05d', i) FROM n"_s);
    auto db = Database::open(file, Database::Mode::ReadOnly);
    QVERIFY(db);
    EntryModel model(db->get(), u"e"_s);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const int k = model.view().columnNames().indexOf(u"k"_s);
    if (approximate) {
        QCOMPARE(model.rowCount(), 5000);
        QCOMPARE(cell(&model, 4999, k).toString(), u"k05000"_s);
    } else {
        // No count without a scan: pages come by fetchMore (the tester may fetch some too), each
        // read off the GUI thread, the first one as soon as the model exists.
        // (On a fast machine the exact count of 5,000 rows may come first and end the chain.)
        QTRY_VERIFY_WITH_TIMEOUT(!model.isFiltering() && (model.canFetchMore({}) || model.isCountExact()), 10000);
        if (!model.isCountExact()) {
            const int before = model.rowCount();
            QVERIFY(before > 0 && before < 5000 && before % EntryModel::PageRows == 0);
            model.fetchMore({});
            QVERIFY(!model.canFetchMore({})); // one read at a time
            QTRY_VERIFY_WITH_TIMEOUT(model.rowCount() >= before + EntryModel::PageRows || model.isCountExact(), 10000);
        }
    }
    QTRY_VERIFY_WITH_TIMEOUT(model.isCountExact() && model.isIndexReady(), 30000);
    QCOMPARE(model.rowCount(), 5000);
    QCOMPARE(cell(&model, 4999, k).toString(), u"k05000"_s);
    QCOMPARE(cell(&model, 2500, k).toString(), u"k02501"_s);
}

void TestEntryModel::liveInsertionKeepsSelection()
{
    const QString file = m_dir.filePath(u"live.db"_s);
    makeCache(file, u"wal"_s, 600);
    MainWindow window;
    window.resize(1100, 700);
    QVERIFY(openAndWait(window, file, Database::Mode::ReadWrite));
    window.pages()->setCurrentWidget(window.entriesPage());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    EntryModel* model = window.entriesPage()->entryModel();
    QVERIFY(model);
    QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    auto* view = window.entriesPage()->findChild<QTableView*>(u"rowsView"_s);
    QVERIFY(view);
    QTRY_VERIFY_WITH_TIMEOUT(model->isIndexReady(), 30000);
    view->selectRow(300);
    view->scrollTo(model->index(300, 0), QAbstractItemView::PositionAtCenter);
    const QVariant selectedKey = cell(model, 300, 0, EntryModel::KeyRole);
    const int scroll = view->verticalScrollBar()->value();
    QSignalSpy reset(model, &QAbstractItemModel::modelReset);
    PythonChild writer(uR"PY(
import sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
for i in range(40):
    c.execute("INSERT INTO entries(key, value) VALUES (?, ?)", ("live-%d" % i, '{"live": %d}' % i))
print("ready", flush=True)
sys.stdin.read()
)PY"_s,
        { file });
    QVERIFY(writer.waitReady());
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 640, 20000);
    QCOMPARE(reset.size(), 0);
    QCOMPARE(view->currentIndex().row(), 300);
    QCOMPARE(view->selectionModel()->selectedRows().size(), 1);
    QCOMPARE(view->selectionModel()->selectedRows().first().row(), 300);
    QCOMPARE(cell(model, 300, 0, EntryModel::KeyRole), selectedKey);
    QCOMPARE(view->verticalScrollBar()->value(), scroll);
    QCOMPARE(cell(model, 639, 1).toString(), u"live-39"_s);
    QVERIFY2(shownDetail(window.entriesPage()).contains(u"key-301"_s), qPrintable(shownDetail(window.entriesPage())));
    writer.stop();
    window.grab().save(screenshotPath(u"entries-live.png"_s));
}

void TestEntryModel::insertOrReplaceIsReconciled()
{
    const QString file = m_dir.filePath(u"replace.db"_s);
    exec(file,
        u"PRAGMA journal_mode=WAL; CREATE TABLE kv(key TEXT UNIQUE, value TEXT);"
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 700) "
        "INSERT INTO kv SELECT 'key-' || i, 'old' FROM n"_s);
    auto db = Database::open(file, Database::Mode::ReadWrite);
    QVERIFY(db);
    EntryModel model(db->get(), u"kv"_s);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QTRY_VERIFY_WITH_TIMEOUT(model.isIndexReady(), 30000);
    QCOMPARE(cell(&model, 4, 0).toString(), u"key-5"_s);
    // INSERT OR REPLACE on a UNIQUE key deletes row 5 and appends it with a new rowid.
    exec(file, u"INSERT OR REPLACE INTO kv(key, value) VALUES ('key-5', 'new')"_s);
    model.checkForChanges();
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 700, 30000);
    QTRY_COMPARE_WITH_TIMEOUT(cell(&model, 4, 0).toString(), u"key-6"_s, 30000);
    QTRY_COMPARE_WITH_TIMEOUT(cell(&model, 699, 0).toString(), u"key-5"_s, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(cell(&model, 699, 1).toString(), u"new"_s, 10000);
}

void TestEntryModel::detailFilterAndExport()
{
    const QString file = m_dir.filePath(u"detail.db"_s);
    makeCache(file, u"wal"_s, 1000);
    exec(file,
        u"CREATE TABLE blobs(id INTEGER PRIMARY KEY, data BLOB, created REAL);"
        "INSERT INTO blobs VALUES (1, x'80049501ff00414243', 1700000000.5)"_s);
    MainWindow window;
    window.resize(1100, 700);
    QVERIFY(openAndWait(window, file, Database::Mode::ReadOnly));
    window.pages()->setCurrentWidget(window.entriesPage());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    EntriesPage* page = window.entriesPage();
    auto* view = page->findChild<QTableView*>(u"rowsView"_s);
    view->selectRow(41);
    QVERIFY2(shownDetail(page).contains(u"\"answer\": 42"_s), qPrintable(shownDetail(page))); // pretty JSON
    QVERIFY(shownDetail(page).contains(u"TEXT, 14 characters, JSON"_s));
    QCOMPARE(copiedEntry(page).contains(u"\"key\": \"key-42\""_s), true);
    page->setFilterText(u"key-99"_s);
    QTRY_VERIFY_WITH_TIMEOUT(page->entryModel()->isCountExact(), 30000);
    QCOMPARE(page->entryModel()->rowCount(), 11); // key-99, key-990 … key-999
    const QString csv = m_dir.filePath(u"out.csv"_s);
    QSignalSpy exported(page, &EntriesPage::exportFinished);
    page->exportTo(csv, true); // in the background: the window keeps its event loop
    QVERIFY(page->isExporting());
    QVERIFY(exported.wait(30000));
    QVERIFY2(exported.at(0).at(2).toString().isEmpty(), qPrintable(exported.at(0).at(2).toString()));
    QCOMPARE(exported.at(0).at(1).toLongLong(), 11);
    QCOMPARE(fileBytes(csv).count('\n'), 12);
    QVERIFY(fileBytes(csv).startsWith("id,key,value\r\n"));
    const QString jsonl = m_dir.filePath(u"out.jsonl"_s);
    view->selectRow(2);
    page->exportTo(jsonl, false); // the selection, read again whole in the background
    QVERIFY(exported.wait(30000));
    QCOMPARE(exported.size(), 2);
    QCOMPARE(exported.at(1).at(1).toLongLong(), 1);
    QVERIFY2(fileBytes(jsonl).contains("\"key\":\"key-991\""), fileBytes(jsonl).constData());
    // Export options (#28): every entry whatever the filter shows.
    const QString all = m_dir.filePath(u"all.jsonl"_s);
    page->exportTo(all, EntriesPage::ExportScope::All);
    QVERIFY(exported.wait(30000));
    QVERIFY2(exported.at(2).at(2).toString().isEmpty(), qPrintable(exported.at(2).at(2).toString()));
    QCOMPARE(exported.at(2).at(1).toLongLong(), 1000);
    QCOMPARE(fileBytes(all).count('\n'), 1000);
    window.grab().save(screenshotPath(u"entries-detail.png"_s));
    page->selectTable(u"blobs"_s);
    view->selectRow(0);
    QVERIFY2(shownDetail(page).contains(u"not decodable as a pickle"_s), qPrintable(shownDetail(page)));
    QVERIFY(shownDetail(page).contains(u"80 04 95 01 ff 00 41 42 43"_s));
    QVERIFY(shownDetail(page).contains(u"2023-11-14 22:13:20"_s));
    // Binary values whole in base64, in JSON Lines and in CSV; a preview otherwise.
    const QString base64 = m_dir.filePath(u"blobs.jsonl"_s);
    page->exportTo(base64, EntriesPage::ExportScope::Selection, EntryExport::Binary::Base64);
    QVERIFY(exported.wait(30000));
    QVERIFY2(fileBytes(base64).contains("\"data\":{\"base64\":\"gASVAf8AQUJD\",\"blob_bytes\":9}"),
        fileBytes(base64).constData());
    const QString base64Csv = m_dir.filePath(u"blobs.csv"_s);
    page->exportTo(base64Csv, EntriesPage::ExportScope::All, EntryExport::Binary::Base64);
    QVERIFY(exported.wait(30000));
    QVERIFY2(fileBytes(base64Csv).contains(",gASVAf8AQUJD,"), fileBytes(base64Csv).constData());
    const QString preview = m_dir.filePath(u"preview.jsonl"_s);
    page->exportTo(preview, EntriesPage::ExportScope::All);
    QVERIFY(exported.wait(30000));
    QVERIFY2(!fileBytes(preview).contains("base64"), fileBytes(preview).constData());
    QVERIFY2(fileBytes(preview).contains("\"blob_bytes\":9"), fileBytes(preview).constData());
    window.grab().save(screenshotPath(u"entries-blob.png"_s));
}

void TestEntryModel::diskcacheInItsOwnTerms()
{
    const QString dir = m_dir.filePath(u"diskcache"_s);
    const auto made = runPythonScript(u"import diskcache, sys\n"
                                      "c = diskcache.Cache(sys.argv[1])\n"
                                      "c.set('small', 'v')\nc.set(('pickled', 1), 2)\n"
                                      "c.set('big', 'x' * 40000)\nc.set('old', 'gone', expire=0.001)\nc.close()"_s,
        { dir });
    QVERIFY2(made.exitCode == 0, made.err.constData());
    MainWindow window;
    window.resize(1100, 700);
    QVERIFY(openAndWait(window, dir + u"/cache.db"_s, Database::Mode::ReadOnly));
    window.pages()->setCurrentWidget(window.entriesPage());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    EntryModel* model = window.entriesPage()->entryModel();
    QCOMPARE(model->view().table, u"Cache"_s); // the format's main table is shown first
    QCOMPARE(model->view().profile, u"diskcache"_s);
    QCOMPARE(model->headerData(0, Qt::Horizontal).toString(), u"key"_s);
    // The pickled tuple key is decoded (nothing executed), the text value read from its file.
    QCOMPARE(cell(model, 1, 0).toString(), u"('pickled', 1)"_s);
    const int value = model->view().columnIndex(EntryColumn::Role::Value);
    QVERIFY(cell(model, 2, value).toString().startsWith(u"xxxx"_s));
    // Times in local time with the stored value in the tooltip; expired entries dimmed.
    const int created = model->view().columnIndex(EntryColumn::Role::Created);
    QVERIFY2(cell(model, 0, created, Qt::ToolTipRole).toString().contains(u"stored: "_s),
        qPrintable(cell(model, 0, created, Qt::ToolTipRole).toString()));
    QVERIFY(!cell(model, 0, created).toString().contains(u"e+09"_s));
    QCOMPARE(cell(model, 3, 0).toString(), u"old"_s);
    QVERIFY(cell(model, 3, 0, Qt::ForegroundRole).isValid());
    QVERIFY(!cell(model, 0, 0, Qt::ForegroundRole).isValid());
    auto* view = window.entriesPage()->findChild<QTableView*>(u"rowsView"_s);
    view->selectRow(2);
    QCOMPARE(cell(model, 2, 0).toString(), u"big"_s);
    QVERIFY2(shownDetail(window.entriesPage()).contains(u"kept in the value file "_s)
            && shownDetail(window.entriesPage()).contains(u" on disk)"_s),
        qPrintable(shownDetail(window.entriesPage())));
    window.grab().save(screenshotPath(u"entries-diskcache.png"_s));
    // "Expired only" / "Live only" (issue #10), run in SQLite like every filter.
    auto* expiry = window.entriesPage()->findChild<QComboBox*>(u"expiryFilter"_s);
    QVERIFY(expiry && !expiry->isHidden());
    expiry->setCurrentIndex(2); // Expired only
    QTRY_VERIFY_WITH_TIMEOUT(!model->isFiltering() && model->isCountExact() && model->rowCount() == 1, 30000);
    QCOMPARE(cell(model, 0, 0).toString(), u"old"_s);
    QTRY_VERIFY_WITH_TIMEOUT(
        window.entriesPage()->findChild<QLabel*>(u"statusLabel"_s)->text().contains(u"1 expired entry"_s), 30000);
    expiry->setCurrentIndex(1); // Live only
    QTRY_VERIFY_WITH_TIMEOUT(!model->isFiltering() && model->isCountExact() && model->rowCount() == 3, 30000);
    for (int row = 0; row < 3; ++row)
        QVERIFY(cell(model, row, 0).toString() != u"old"_s);
    window.grab().save(screenshotPath(u"entries-diskcache-live-only.png"_s));
    window.entriesPage()->selectTable(u"Settings"_s); // no expiry there: no such filter
    QVERIFY(expiry->isHidden());
}

void TestEntryModel::selectionFollowsItsEntryAfterReplace()
{
    const QString file = m_dir.filePath(u"follow.db"_s);
    exec(file,
        u"PRAGMA journal_mode=WAL; CREATE TABLE kv(key TEXT UNIQUE, value TEXT);"
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500) "
        "INSERT INTO kv SELECT 'key-' || i, 'old' FROM n"_s);
    MainWindow window;
    window.resize(1100, 700);
    QVERIFY(openAndWait(window, file, Database::Mode::ReadWrite));
    window.pages()->setCurrentWidget(window.entriesPage());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    EntryModel* model = window.entriesPage()->entryModel();
    QTRY_VERIFY_WITH_TIMEOUT(model->isIndexReady(), 30000);
    auto* view = window.entriesPage()->findChild<QTableView*>(u"rowsView"_s);
    view->selectRow(9);
    QCOMPARE(cell(model, 9, 0).toString(), u"key-10"_s);
    // Another process replaces key-5: SQLite deletes it above the selection and appends it.
    PythonChild writer(uR"PY(
import sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
c.execute("INSERT OR REPLACE INTO kv(key, value) VALUES ('key-5', 'new')")
print("ready", flush=True)
sys.stdin.read()
)PY"_s,
        { file });
    QVERIFY(writer.waitReady());
    QTRY_COMPARE_WITH_TIMEOUT(cell(model, 499, 0).toString(), u"key-5"_s, 30000);
    QTRY_COMPARE_WITH_TIMEOUT(view->currentIndex().row(), 8, 30000);
    QCOMPARE(model->rowCount(), 500);
    QTRY_COMPARE_WITH_TIMEOUT(model->data(view->currentIndex()).toString(), u"key-10"_s, 10000);
    QCOMPARE(view->selectionModel()->selectedRows().size(), 1);
    writer.stop();
    window.grab().save(screenshotPath(u"entries-replace.png"_s));
}

void TestEntryModel::hostileNamesAndValuesAreShownVisibly()
{
    // Issue #12.3: U+202E made "rtl\u202Eevil.exe" read as "rtlexe.live"; escapes and bidi
    // controls from the file must be visible in cells and headers, the raw text kept as data.
    const QString file = m_dir.filePath(u"hostile-names.db"_s);
    exec(file, u"CREATE TABLE \"t\u202Eab\"(id INTEGER PRIMARY KEY, \"col\x1b[2J\" TEXT)"_s);
    exec(file, u"INSERT INTO \"t\u202Eab\" VALUES(1, 'rtl\u202Eevil.exe \x1b]0;title\x07')"_s);
    auto db = Database::open(file, Database::Mode::ReadOnly);
    QVERIFY2(db, qPrintable(db.error().message));
    EntryModel model(db->get(), u"t\u202Eab"_s);
    QVERIFY2(model.errorText().isEmpty(), qPrintable(model.errorText()));
    QCOMPARE(model.rowCount(), 1);
    const QString header = model.headerData(1, Qt::Horizontal, Qt::DisplayRole).toString();
    const QString shownCell = cell(&model, 0, 1).toString();
    QCOMPARE(header, u"col\\e[2J"_s);
    QVERIFY2(shownCell.startsWith(u"rtl\\u202Eevil.exe \\e]0;title\\x07"_s), qPrintable(shownCell));
    for (const QString& shown : { header, shownCell }) {
        for (const QChar c : shown)
            QVERIFY2(c.unicode() >= 0x20 && c.unicode() != 0x202E, qPrintable(shown));
    }
}

void TestEntryModel::hugeCellIsShownCut()
{
    // Issue #12.11: a 100 MiB cell froze the window ~10 s at 1.27 GB. The detail pane shows
    // the first EntriesPage::DetailMaxLength of a value, says so, and copying gives it whole.
    const QString file = m_dir.filePath(u"huge.db"_s);
    const qint64 huge = 6 * EntriesPage::DetailMaxLength;
    exec(file,
        u"CREATE TABLE big(id INTEGER PRIMARY KEY, body TEXT, data BLOB);"
        "INSERT INTO big VALUES (1, 'head' || printf('%.*c', %1, 'x'), zeroblob(%1))"_s.arg(huge - 4));
    MainWindow window;
    QVERIFY(openAndWait(window, file, Database::Mode::ReadOnly, MainWindow::Remember::No));
    window.pages()->setCurrentWidget(window.entriesPage());
    EntriesPage* page = window.entriesPage();
    auto* view = page->findChild<QTableView*>(u"rowsView"_s);
    QVERIFY(view);
    view->selectRow(0);
    const QString detail = shownDetail(page);
    QVERIFY2(detail.size() < 4 * EntriesPage::DetailMaxLength, qPrintable(QString::number(detail.size())));
    QVERIFY2(detail.contains(u"body holds %1"_s.arg(QLocale().toString(huge - 0))), qPrintable(detail.left(400)));
    QVERIFY2(detail.contains(u"data holds %1"_s.arg(QLocale().toString(huge - 4))), qPrintable(detail.left(400)));
    QVERIFY(detail.contains(u"headxxx"_s));
    // "Copy entry as JSON" reads the whole entry on the reader: copyEntry() returns first.
    QSignalSpy copied(page, &EntriesPage::entryCopied);
    page->copyEntry();
    QCOMPARE(copied.size(), 0);
    QVERIFY(copied.wait(30000));
    QVERIFY(copied.first().first().toString().size() > huge); // the copy is whole
    QCOMPARE(QApplication::clipboard()->text(), copied.first().first().toString());
}

void TestEntryModel::filterFirstPageIsReadOnAWorker()
{
    // Issue #13: a filter that matches nothing scans the whole table; the GUI thread only
    // starts it. The model is empty and "filtering" at once, then has the answer.
    const QString file = m_dir.filePath(u"filter.db"_s);
    makeCache(file, u"wal"_s, 20000);
    auto db = Database::open(file, Database::Mode::ReadOnly);
    QVERIFY(db);
    EntryModel model(db->get(), u"entries"_s);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    EntryFilter none;
    none.text = u"zz-no-such-entry-zz"_s;
    model.setFilter(none);
    QVERIFY(model.isFiltering());
    QCOMPARE(model.rowCount(), 0);
    QTRY_VERIFY_WITH_TIMEOUT(!model.isFiltering() && model.isCountExact(), 30000);
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(model.errorText().isEmpty());
    EntryFilter some;
    some.text = u"key-1999"_s; // key-1999 and key-19990 … key-19999
    model.setFilter(some);
    QVERIFY(model.isFiltering());
    QTRY_VERIFY_WITH_TIMEOUT(!model.isFiltering() && model.rowCount() > 0, 30000);
    QTRY_VERIFY_WITH_TIMEOUT(model.isCountExact(), 30000);
    QCOMPARE(model.rowCount(), 11);
    QCOMPARE(cell(&model, 0, 1).toString(), u"key-1999"_s);
}

QTEST_MAIN(TestEntryModel)
#include "tst_entrymodel.moc"

void TestEntryModel::heldLockIsNeverWaitedFor()
{
    // A rollback-journal cache (as a read-only open leaves it) whose EXCLUSIVE lock a real Python
    // writer holds: nobody can read it. Showing a table or filtering it reads on the GUI thread,
    // which must not wait for the lock (#23.9): the GUI connection's busy timeout is long here so
    // that a wait shows; the model says it waits for the cache and has no rows meanwhile.
    const QString file = m_dir.filePath(u"held-rollback.db"_s);
    makeCache(file, u"delete"_s, 50);
    Database::Options options;
    options.mode = Database::Mode::ReadWrite;
    options.busyTimeoutMs = 3000;
    options.switchToWal = false;
    auto db = Database::open(file, options);
    QVERIFY(db);
    QCOMPARE(db.value()->journalMode(), u"delete"_s);
    {
        EntryModel before(db->get(), u"entries"_s); // the schema read, as when the cache opened
        QCOMPARE(before.rowCount(), 50);
    }
    auto holder = std::make_unique<PythonChild>(holderScript(), QStringList { file, u"exclusive"_s });
    QVERIFY(holder->waitReady());
    QElapsedTimer timer;
    timer.start();
    auto model = std::make_unique<EntryModel>(db->get(), u"entries"_s);
    QVERIFY2(timer.elapsed() < 1500, qPrintable(u"showing the table waited %1 ms"_s.arg(timer.elapsed())));
    QVERIFY(model->waitsForLock());
    QCOMPARE(model->rowCount(), 0);
    QVERIFY2(model->errorText().contains(u"lock"_s), qPrintable(model->errorText()));
    holder.reset(); // the writer lets go: the table reads
    model = std::make_unique<EntryModel>(db->get(), u"entries"_s);
    QVERIFY(!model->waitsForLock());
    QCOMPARE(model->rowCount(), 50);
    // Filtering while the lock is held again: the first page is read on a worker, which waits.
    holder = std::make_unique<PythonChild>(holderScript(), QStringList { file, u"exclusive"_s });
    QVERIFY(holder->waitReady());
    timer.restart();
    model->setFilter(EntryFilter {});
    QVERIFY2(timer.elapsed() < 1500, qPrintable(u"clearing the filter waited %1 ms"_s.arg(timer.elapsed())));
    holder.reset();
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 50, 10000);
    model.reset();

    // The page: another table chosen while the lock is held says why it is empty, and shows
    // itself once the writer lets go, without the user asking again.
    exec(file, u"CREATE TABLE other(id INTEGER PRIMARY KEY, name TEXT); INSERT INTO other(name) VALUES ('a'), ('b')"_s);
    EntriesPage page;
    page.showDatabase(db->get());
    auto* view = page.findChild<QTableView*>(u"rowsView"_s);
    auto* status = page.findChild<QLabel*>(u"statusLabel"_s);
    QVERIFY(view && status);
    QTRY_COMPARE(view->model()->rowCount(), 50);
    holder = std::make_unique<PythonChild>(holderScript(), QStringList { file, u"exclusive"_s });
    QVERIFY(holder->waitReady());
    timer.restart();
    page.selectTable(u"other"_s);
    QVERIFY2(timer.elapsed() < 1500, qPrintable(u"choosing a table waited %1 ms"_s.arg(timer.elapsed())));
    QCOMPARE(view->model()->rowCount(), 0);
    QVERIFY2(status->text().contains(u"Waiting for the cache"_s), qPrintable(status->text()));
    QTest::qWait(3 * EntriesPage::LiveIntervalMs); // tried again meanwhile, still held
    QCOMPARE(view->model()->rowCount(), 0);
    QVERIFY2(status->text().contains(u"Waiting for the cache"_s), qPrintable(status->text()));
    holder.reset();
    QTRY_COMPARE_WITH_TIMEOUT(view->model()->rowCount(), 2, 10000);
    QVERIFY2(!status->text().contains(u"Waiting"_s), qPrintable(status->text()));
}
