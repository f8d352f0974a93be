// SPDX-License-Identifier: GPL-3.0-or-later
// The Entries detail pane shows what the CLI's decoder shows (#23.1), on caches written by
// Debian's python3-diskcache, python3-requests-cache and python3-sqlitedict: pickled values
// as plain data and as a JSON tree, a requests-cache response as status, headers and body,
// "Copy entry as JSON" equal to `entries --key K --json`. Screenshots of each library's detail.
#include "entrycells.h"
#include "librarycaches.h"
#include "models/entrycells.h"
#include "models/entrymodel.h"
#include "openedwindow.h"
#include "pages/entriespage.h"
#include "pages/entrycolumnfit.h"
#include "pages/entrydetail.h"
#include "pages/overviewpage.h"
#include "pages/relativetimeticker.h"
#include "prunecaches.h"
#include "shownentry.h"
#include "testsupport.h"
#include "window/mainwindow.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QFile>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPointer>
#include <QRegularExpression>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <QDateTime>
#include <QTextBrowser>
#include <QTextDocument>
#include <QTreeWidget>

#include <ctime>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

class TestEntryDetail : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void requestsCacheResponse();
    void diskcachePickles();
    void diskcacheNeverExpiresInTheTable();
    void sqlitedictPickles();
    void bigTreesWaitBehindShowAll();
    void llmCachesShowTheQuestion();
    void longKeyCopiedWhole();
    void detailIsAForm();
    void relativeTimesTick();

private:
    // Sized for the screenshots, shown and exposed.
    static bool showWindow(MainWindow& window);
    // The detail's JSON tree, an item a line: "name = value", depth first.
    static QStringList treeTexts(MainWindow& window);
    // What "Copy entry as JSON" copies for the selected entry.
    static QJsonObject copiedJson(MainWindow& window);
    static QJsonObject cliRow(const QString& file, const QString& key, const QString& table = QString());
    QTemporaryDir m_dir;
};

void TestEntryDetail::initTestCase()
{
    // Not UTC, so a time shown in the machine's zone differs from one shown in UTC (every panel says UTC, #23.4).
    qputenv("TZ", "Europe/Berlin");
    tzset();
    QVERIFY(QDateTime::fromSecsSinceEpoch(1700000000).toString(u"HH"_s) != u"22"_s); // the zone took
    QCoreApplication::setOrganizationName(u"CacheScopeTests"_s);
    QVERIFY(m_dir.isValid());
    const auto made = makeLibraryCaches(m_dir.path());
    QVERIFY2(made.exitCode == 0, made.err.constData());
}

bool TestEntryDetail::showWindow(MainWindow& window)
{
    window.resize(1300, 850);
    window.show();
    return QTest::qWaitForWindowExposed(&window);
}

QJsonObject TestEntryDetail::copiedJson(MainWindow& window)
{
    return QJsonDocument::fromJson(copiedEntry(window.entriesPage()).toUtf8()).object();
}

QStringList TestEntryDetail::treeTexts(MainWindow& window)
{
    const auto* tree = window.entriesPage()->findChild<QTreeWidget*>(u"jsonTree"_s);
    QStringList texts;
    std::function<void(const QTreeWidgetItem*)> walk = [&](const QTreeWidgetItem* item) {
        texts << item->text(0) + u" = "_s + item->text(1);
        for (int i = 0; i < item->childCount(); ++i)
            walk(item->child(i));
    };
    for (int i = 0; i < tree->topLevelItemCount(); ++i)
        walk(tree->topLevelItem(i));
    return texts;
}

QJsonObject TestEntryDetail::cliRow(const QString& file, const QString& key, const QString& table)
{
    QStringList args { u"entries"_s, file, u"--key"_s, key, u"--json"_s };
    if (!table.isEmpty())
        args << u"--table"_s << table;
    const auto out = runCli(args);
    return QJsonDocument::fromJson(out.out)[u"rows"_s].toArray().first().toObject();
}

void TestEntryDetail::requestsCacheResponse()
{
    const QString file = m_dir.filePath(u"http_cache.sqlite"_s);
    MainWindow window;
    QVERIFY(showWindow(window));
    const QString detail = detailOf(window, file, u"url"_s, u"https://example.org/a?x=1"_s);
    // Status, request, headers and the body as text — not "BLOB … (pickle: not unpickled)".
    QVERIFY2(detail.contains(u"HTTP 200\nGET https://example.org/a?x=1"_s), qPrintable(detail));
    QVERIFY2(detail.contains(u"  Content-Type: text/plain; charset=utf-8"_s), qPrintable(detail));
    // Its times in the detail's one time format, then as stored (#28 review: "2026-…T21:06:48.470565Z" above
    // the form's "2026-… 21:06:48 UTC").
    QVERIFY2(
        QRegularExpression(
            u"\\nCached: \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(\\.\\d{3})? UTC \\(stored as \"[^\"]+\"\\)\\n"_s)
            .match(detail)
            .hasMatch(),
        qPrintable(detail));
    QVERIFY2(!detail.contains(u"Z (stored"_s), qPrintable(detail));
    // The body's size as every size reads (#28 review: "Body: 38 B" beside "38 bytes").
    QVERIFY2(detail.contains(u"Body: 38 bytes, text\nKühlschrank https://example.org/a?x=1"_s), qPrintable(detail));
    QVERIFY(!detail.contains(u"not unpickled"_s));
    const QStringList tree = treeTexts(window);
    QVERIFY2(tree.contains(u"status_code = 200"_s), qPrintable(tree.join(u'\n')));
    // #28: the response's elapsed time, seconds as requests-cache stores them (requests measured it: 3.1e-05 in JSON's
    // notation), as a person reads them.
    static const QRegularExpression plainElapsed(u"^elapsed = 0\\.\\d+$"_s);
    QVERIFY2(!tree.filter(plainElapsed).isEmpty(), qPrintable(tree.join(u'\n')));
    QVERIFY2(tree.contains(u"Content-Type = text/plain; charset=utf-8"_s), qPrintable(tree.join(u'\n')));
    // "Copy entry as JSON" is the decoded entry, as `entries --key K --json` prints it.
    const EntryModel* model = window.entriesPage()->entryModel();
    const int row = window.entriesPage()->findChild<QTableView*>(u"rowsView"_s)->currentIndex().row();
    const QString key = cell(model, row, int(model->view().columnNames().indexOf(u"key"_s))).toString();
    const QJsonObject copied = copiedJson(window);
    QCOMPARE(copied, cliRow(file, key));
    QCOMPARE(copied[u"value"_s][u"status_code"_s].toInt(), 200);
    // The table's time is the detail's, in UTC (in Berlin it said 11:33:13 beside the detail's 10:33:13 UTC).
    const QString created = model->index(row, int(model->view().columnNames().indexOf(u"created"_s))).data().toString();
    QVERIFY2(created.endsWith(u" UTC"_s) && detail.contains(created), qPrintable(created));
    // #23.8: columns sized to their content once the first rows are shown: no URL cut.
    auto* rows = window.entriesPage()->findChild<QTableView*>(u"rowsView"_s);
    const int url = int(model->view().columnNames().indexOf(u"url"_s));
    QVERIFY(rows->horizontalHeader()->sectionSize(url)
        > rows->fontMetrics().horizontalAdvance(u"https://example.org/missing"_s));
    // Nor a time (they are given way first: "2026-12-05 11:14:1…").
    const int createdColumn = int(model->view().columnNames().indexOf(u"created"_s));
    QVERIFY(rows->horizontalHeader()->sectionSize(createdColumn) > rows->fontMetrics().horizontalAdvance(created));
    auto* tabs = window.entriesPage()->findChild<QTabWidget*>(u"detailTabs"_s);
    QVERIFY(window.grab().save(screenshotPath(u"entries-detail-requests-cache.png"_s)));
    tabs->setCurrentIndex(1);
    QVERIFY(window.grab().save(screenshotPath(u"entries-detail-requests-cache-tree.png"_s)));
    // A 404 response with a POST body.
    const QString missing = detailOf(window, file, u"url"_s, u"https://example.org/missing"_s);
    QVERIFY2(missing.contains(u"HTTP 404\nPOST https://example.org/missing"_s), qPrintable(missing));
    // The response saved as make_caches.py made it: elapsed 30 µs (3e-05 in JSON's notation).
    detailOf(window, file, u"url"_s, u"https://example.org/old"_s);
    QVERIFY2(treeTexts(window).contains(u"elapsed = 0.00003"_s), qPrintable(treeTexts(window).join(u'\n')));
    // #28: the search is named in requests-cache's terms — the url, not the key (a hash) — and
    // typing a URL finds its response.
    auto* column = window.entriesPage()->findChild<QComboBox*>(u"filterColumn"_s);
    auto* search = window.entriesPage()->findChild<QLineEdit*>(u"filterEdit"_s);
    QCOMPARE(column->itemText(0), u"url"_s);
    QCOMPARE(search->placeholderText(), u"Search the url… (Ctrl+F)"_s);
    QTest::keyClicks(search, u"example.org/missing"_s);
    QTRY_VERIFY_WITH_TIMEOUT(!model->isFiltering() && model->rowCount() == 1, 20000);
    QCOMPARE(cell(model, 0, url).toString(), u"https://example.org/missing"_s);
}

void TestEntryDetail::diskcachePickles()
{
    const QString file = m_dir.filePath(u"diskcache/cache.db"_s);
    MainWindow window;
    QVERIFY(showWindow(window));
    // A 1 MB pickle in a value file: decoded whole on the worker, shown as plain data (indented JSON, its long
    // string cut in the form so that "n" shows; a pickle that fits the form reads as Python's repr()).
    QString detail = detailOf(window, file, u"key"_s, u"megabyte"_s);
    QVERIFY2(detail.contains(u"\"n\": 7"_s), qPrintable(detail.left(2000)));
    QVERIFY2(detail.contains(u"\"blob\": \"yyyy"_s), qPrintable(detail.left(2000)));
    QVERIFY(!detail.contains(u"not decoded"_s));
    QStringList tree = treeTexts(window);
    QVERIFY2(tree.contains(u"n = 7"_s), qPrintable(tree.join(u'\n').left(2000)));
    QCOMPARE(copiedJson(window), cliRow(file, u"megabyte"_s));
    // An inline pickle and a pickled tuple key.
    detail = detailOf(window, file, u"key"_s, u"pickled-inline"_s);
    QVERIFY2(detail.contains(u"'drei'"_s), qPrintable(detail));
    tree = treeTexts(window);
    QVERIFY2(tree.contains(u"3 = drei"_s), qPrintable(tree.join(u'\n')));
    detail = detailOf(window, file, u"key"_s, u"('tuple', 1)"_s);
    QVERIFY2(detail.contains(u"'pickled': True"_s), qPrintable(detail));
    // #23.6: "Copy key" offers the form the CLI takes, and the CLI finds the entry by it.
    const QString option = window.entriesPage()->copyText(u"cli-key"_s);
    QCOMPARE(option, u"--key-json '[\"tuple\",1]'"_s);
    const auto found = runCli({ u"entries"_s, file, u"--key-json"_s, u"[\"tuple\",1]"_s, u"--json"_s });
    QCOMPARE(QJsonDocument::fromJson(found.out)[u"rows"_s][0][u"value"_s][u"pickled"_s].toBool(), true);
    detailOf(window, file, u"key"_s, u"12345"_s);
    QCOMPARE(window.entriesPage()->copyText(u"cli-key"_s), u"--key-json '12345'"_s);
    detailOf(window, file, u"key"_s, u"text-key"_s);
    QCOMPARE(window.entriesPage()->copyText(u"cli-key"_s), u"--key 'text-key'"_s);
    QVERIFY(window.grab().save(screenshotPath(u"entries-detail-diskcache.png"_s)));
}

// Issue #28: a diskcache entry without expiry showed a bare NULL under "expires" while the detail said "never
// expires". The table says "never", grey and italic as NULL is; a NULL elsewhere (no tag) is still "NULL".
void TestEntryDetail::diskcacheNeverExpiresInTheTable()
{
    const QString file = m_dir.filePath(u"diskcache/cache.db"_s);
    MainWindow window;
    QVERIFY(showWindow(window));
    window.resize(MainWindow::DefaultSize);
    const QString detail = detailOf(window, file, u"key"_s, u"text-key"_s);
    QVERIFY2(detail.contains(u"never expires"_s), qPrintable(detail)); // what the detail said already
    auto* view = window.entriesPage()->findChild<QTableView*>(u"rowsView"_s);
    EntryModel* model = window.entriesPage()->entryModel();
    const int expires = int(model->view().columnNames().indexOf(u"expires"_s));
    const int tag = int(model->view().columnNames().indexOf(u"tag"_s));
    QVERIFY(expires >= 0 && tag >= 0);
    const QModelIndex never = model->index(view->currentIndex().row(), expires);
    view->scrollTo(never);
    settleEvents();
    QVERIFY(window.grab().save(screenshotPath(u"entries-diskcache-never.png"_s)));
    QCOMPARE(never.data().toString(), u"never"_s);
    QCOMPARE(never.data(Qt::ForegroundRole).value<QColor>(), QColor(Qt::gray));
    QVERIFY(never.data(Qt::FontRole).value<QFont>().italic());
    QCOMPARE(never.data(Qt::ToolTipRole).toString(), u"never expires"_s);
    const QModelIndex noTag = model->index(view->currentIndex().row(), tag);
    QCOMPARE(noTag.data().toString(), u"NULL"_s); // NULL elsewhere: still drawn apart from the text "NULL"
    QVERIFY(noTag.data(Qt::FontRole).value<QFont>().italic());
    // An entry that expires shows its time, in the table's time format.
    const QString expiringDetail = detailOf(window, file, u"key"_s, u"expiring"_s);
    const QString when = model->index(view->currentIndex().row(), expires).data().toString();
    // The same time in the table as in the detail, in a zone other than UTC (initTestCase; the table said local time:
    // an hour apart from the detail in Berlin).
    QVERIFY2(expiringDetail.contains(when), qPrintable(when + u" | "_s + expiringDetail));
    QVERIFY2(
        QRegularExpression(u"^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(\\.\\d{3})? UTC$"_s).match(when).hasMatch(),
        qPrintable(when));
}

void TestEntryDetail::sqlitedictPickles()
{
    const QString file = m_dir.filePath(u"dict.sqlite"_s);
    MainWindow window;
    QVERIFY(showWindow(window));
    QString detail = detailOf(window, file, u"key"_s, u"gamma"_s);
    QVERIFY2(detail.contains(u"'Kühlschrank'"_s), qPrintable(detail));
    const QStringList tree = treeTexts(window);
    QVERIFY2(tree.contains(u"1 = Kühlschrank"_s), qPrintable(tree.join(u'\n')));
    QCOMPARE(copiedJson(window), cliRow(file, u"gamma"_s));
    QVERIFY(window.grab().save(screenshotPath(u"entries-detail-sqlitedict.png"_s)));
    // #23.8: after a search the selection is gone, and so is the entry shown in the detail.
    window.entriesPage()->setFilterText(u"alpha"_s);
    QVERIFY(window.entriesPage()->detailText().isEmpty());
    // #28: the empty detail says what goes there.
    const auto* detailEdit = window.entriesPage()->findChild<QTextBrowser*>(u"detailText"_s);
    QVERIFY2(detailEdit->placeholderText().startsWith(u"Select an entry"_s), qPrintable(detailEdit->placeholderText()));
    detail = detailOf(window, file, u"key"_s, u"word"_s, u"json"_s);
    QVERIFY2(detail.contains(u"\"de\": \"Kühlschrank\""_s), qPrintable(detail));
}

void TestEntryDetail::bigTreesWaitBehindShowAll()
{
    // A pickled list of 20,000 dicts: the tree makes EntryDetail::TreeItems items at once and
    // puts the rest behind "Show all", which shows every remaining item of that node.
    const QString file = m_dir.filePath(u"bigdict.sqlite"_s);
    const auto made = runPythonScript(u"import sys\nfrom sqlitedict import SqliteDict\n"
                                      "with SqliteDict(sys.argv[1], autocommit=True) as d:\n"
                                      "    d['rows'] = [{'i': i, 'name': 'row %d' % i} for i in range(20000)]\n"_s,
        { file });
    QVERIFY2(made.exitCode == 0, made.err.constData());
    MainWindow window;
    window.resize(1300, 850);
    QVERIFY(!detailOf(window, file, u"key"_s, u"rows"_s).isEmpty());
    auto* tree = window.entriesPage()->findChild<QTreeWidget*>(u"jsonTree"_s);
    QTreeWidgetItem* list = tree->topLevelItem(0)->child(0);
    QCOMPARE(list->text(1), u"[20,000]"_s); // grouped as every count (#28)
    QCOMPARE(list->childCount(), EntryDetail::TreeChildren + 1);
    QTreeWidgetItem* more = list->child(EntryDetail::TreeChildren);
    QCOMPARE(more->text(0), u"… 19,500 more items"_s);
    QCOMPARE(more->text(1), u"Show all"_s);
    EntryDetail::showAll(more);
    QCOMPARE(list->childCount(), 20000);
    QCOMPARE(list->child(19999)->text(0), u"19999"_s);
    QCOMPARE(list->child(19999)->childCount(), 2);
}

void TestEntryDetail::llmCachesShowTheQuestion()
{
    // #23.5: a LangChain chat row is listed by its last human message, with its model; the
    // detail holds the whole serialised prompt. #23.4: times as ISO 8601 UTC, as stored beside.
    MainWindow window;
    QVERIFY(showWindow(window));
    const QString langchain = m_dir.filePath(u"langchain.db"_s);
    QString detail = detailOf(window, langchain, u"message"_s, u"And of Peru?"_s);
    QVERIFY2(detail.contains(u"\nmodel\ngpt-4o-mini\n"_s), qPrintable(detail));
    QVERIFY2(detail.contains(u"HumanMessage"_s), qPrintable(detail)); // the whole prompt
    QVERIFY(window.grab().save(screenshotPath(u"entries-detail-langchain.png"_s)));
    detail = detailOf(window, m_dir.filePath(u"logs.db"_s), u"prompt"_s, u"hello"_s);
    // A time as a date in UTC, how long ago, and the value as stored.
    QVERIFY2(detail.contains(u"2026-08-03 13:32:07.270 UTC"_s), qPrintable(detail)); // its milliseconds kept
    QVERIFY2(detail.contains(u"stored as 2026-08-03T13:32:07.270826"_s), qPrintable(detail));
    // #28 review: "size 13 bytes" for the 8-character "hi there" said nothing of what it counts: the prompt "hello"
    // and the response, in bytes of UTF-8.
    QVERIFY2(detail.contains(u"text, 8 characters"_s), qPrintable(detail));
    QVERIFY2(detail.contains(u"\nsize\nthe prompt and the response together, in bytes of UTF-8"_s)
            && detail.contains(u"\n13 bytes\n"_s),
        qPrintable(detail));
    QVERIFY(window.grab().save(screenshotPath(u"entries-detail-llm-logs.png"_s)));
}

void TestEntryDetail::longKeyCopiedWhole()
{
    // A GPTCache question of 5,000 characters: the row shows a 300-character preview, "Copy key"
    // copies all of it (it copied the preview and its "…").
    const QString file = m_dir.filePath(u"longkey.db"_s);
    QVERIFY(QFile::copy(m_dir.filePath(u"sqlite.db"_s), file));
    const QString question = u"why "_s + QString(4980, u'q') + u" isn't it?"_s;
    const auto made = runPythonScript(
        u"import sqlite3, sys\n"
        "db = sqlite3.connect(sys.argv[1])\n"
        "db.execute('DELETE FROM gptcache_question')\n"
        "db.execute('INSERT INTO gptcache_question VALUES (7, ?, NULL, NULL, NULL, 0)', (sys.argv[2],))\n"
        "db.commit()\n"_s,
        { file, question });
    QVERIFY2(made.exitCode == 0, made.err.constData());
    MainWindow window;
    window.resize(1000, 708);
    QVERIFY(showAndOpen(window, file, Database::Mode::ReadOnly, MainWindow::Remember::No));
    window.pages()->setCurrentWidget(window.entriesPage());
    EntriesPage* page = window.entriesPage();
    page->selectTable(u"gptcache_question"_s);
    QTRY_VERIFY_WITH_TIMEOUT(page->entryModel() && page->entryModel()->rowAt(0), 20000);
    page->findChild<QTableView*>(u"rowsView"_s)->selectRow(0);
    shownDetail(page);
    QVERIFY(page->entryModel()->rowAt(0)->isTruncated(page->entryModel()->view().columnIndex(EntryColumn::Role::Key)));
    QCOMPARE(page->copyText(u"cli-key"_s), QString()); // never the cut preview
    QSignalSpy copied(page, &EntriesPage::keyCopied);
    page->copyKey();
    QTRY_COMPARE_WITH_TIMEOUT(copied.size(), 1, 20000);
    const QString option = copied.first().first().toString();
    QCOMPARE(option, u"--key 'why "_s + QString(4980, u'q') + u" isn'\\''t it?'"_s);
    QCOMPARE(QApplication::clipboard()->text(), option);
    const auto found
        = runCli({ u"entries"_s, file, u"--table"_s, u"gptcache_question"_s, u"--key"_s, question, u"--json"_s });
    QCOMPARE(QJsonDocument::fromJson(found.out)[u"rows"_s].toArray().size(), 1);
}

void TestEntryDetail::detailIsAForm()
{
    // #28: the detail is a form at the default window size — the value first and wrapped, a
    // value file named with its size, times as dates, internal columns explained, NULL as NULL.
    const QString file = m_dir.filePath(u"diskcache/cache.db"_s);
    MainWindow window;
    window.resize(1000, 708);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    // "big": 40,000 x in a text value file, one line without a break.
    QString detail = detailOf(window, file, u"key"_s, u"big"_s);
    // #23.9: each form is a document parsed off the GUI thread and shown whole; the one before
    // is freed, never cleared in place, and the form keeps the browser's font.
    QPointer<QTextDocument> bigForm = window.entriesPage()->findChild<QTextBrowser*>(u"detailText"_s)->document();
    QVERIFY2(detail.startsWith(u"value"_s), qPrintable(detail.left(300))); // the value first
    QVERIFY2(detail.contains(u"kept in the value file "_s), qPrintable(detail.left(300)));
    QVERIFY2(detail.contains(u".val (39 KiB on disk)"_s), qPrintable(detail.left(300)));
    QVERIFY2(
        detail.contains(QString(4096, u'x') + u" … (this line has 40,000 characters"_s), qPrintable(detail.left(300)));
    // The table's size reads as sizes read elsewhere (#28: "40,000 bytes"), the exact count on hover and in the form.
    {
        const EntryModel* model = window.entriesPage()->entryModel();
        const int row = window.entriesPage()->findChild<QTableView*>(u"rowsView"_s)->currentIndex().row();
        const QModelIndex size = model->index(row, int(model->view().columnNames().indexOf(u"size"_s)));
        QCOMPARE(size.data().toString(), u"39\u00a0KiB"_s);
        QCOMPARE(size.data(Qt::ToolTipRole).toString(), u"40,000 bytes"_s);
        QVERIFY2(detail.contains(u"\nsize\n40,000 bytes (39 KiB)\n"_s), qPrintable(detail));
    }
    auto* browser = window.entriesPage()->findChild<QTextBrowser*>(u"detailText"_s);
    QTRY_COMPARE(browser->horizontalScrollBar()->maximum(), 0); // wrapped: nothing to scroll sideways
    // The stored value column is NULL, and says why; the mode is explained.
    QVERIFY2(detail.contains(u"\nvalue\nthe value inline; NULL when it is in a value file (filename)\nNULL\n"_s),
        qPrintable(detail));
    QVERIFY2(
        detail.contains(u"\nmode\nhow the value is stored: 1 raw (as it is), 2 binary (bytes), 3 text, 4 pickle\n3"_s),
        qPrintable(detail));
    QVERIFY2(detail.contains(u"\nraw\n1: the key is stored as it is; 0: the key is a pickle\n1"_s), qPrintable(detail));
    // Times: the decoded "created" a date with how long ago; the stored REAL with its date.
    static const QRegularExpression created(
        u"\ncreated\n20\\d\\d-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(\\.\\d{3})? UTC +(now|\\d+ "
        u"\\w+ ago) +stored as 17\\d{8}(\\.\\d+)? "
        "\\(Unix time, seconds\\)\n"_s);
    QVERIFY2(created.match(detail).hasMatch(), qPrintable(detail.right(3000)));
    static const QRegularExpression stored(u"\nstore_time\n[^\n]*\n17\\d{8}(\\.\\d+)? += 20\\d\\d-"_s);
    QVERIFY2(stored.match(detail).hasMatch(), qPrintable(detail.right(3000)));
    QVERIFY(!detail.contains(u"e+09"_s));
    // An inline value: the size the table shows is the size the form shows; the stored size
    // column is 0, and says that it counts value files only.
    detail = detailOf(window, file, u"key"_s, u"text-key"_s);
    QVERIFY(browser->document() != bigForm.data());
    QTRY_VERIFY(bigForm.isNull());
    QCOMPARE(browser->document()->defaultFont(), browser->font());
    const EntryModel* model = window.entriesPage()->entryModel();
    const int row = window.entriesPage()->findChild<QTableView*>(u"rowsView"_s)->currentIndex().row();
    const int sizeColumn = int(model->view().columnNames().indexOf(u"size"_s));
    QString tableSize = model->index(row, sizeColumn).data().toString();
    tableSize.remove(QRegularExpression(u"[^0-9]"_s));
    QCOMPARE(tableSize, u"12"_s); // "a text value"
    QVERIFY2(detail.contains(u"\nsize\n12 bytes\n"_s), qPrintable(detail));
    QVERIFY2(
        detail.contains(u"\nsize\nbytes of the value file; 0 when the value is inline, in the value column\n0\n"_s),
        qPrintable(detail));
    QVERIFY(window.grab().save(screenshotPath(u"entries-detail-form-1000x708.png"_s)));
}

void TestEntryDetail::relativeTimesTick()
{
    // #28: "12 seconds ago" in the detail does not stay 12 seconds ago while it is shown; the
    // words tick in place (the entry is not read again), and stop ticking when hidden.
    const QString folder = m_dir.filePath(u"fresh"_s);
    runPython(u"import sys, diskcache\nc = diskcache.Cache(sys.argv[1])\nc.set('fresh', 'just written')\nc.close()"_s,
        { folder });
    MainWindow window;
    QVERIFY(showWindow(window));
    const QString detail = detailOf(window, folder + u"/cache.db"_s, u"key"_s, u"fresh"_s);
    static const QRegularExpression ago(u"UTC +(now|(\\d+) seconds? ago) +stored as "_s);
    const auto first = ago.match(detail);
    QVERIFY2(first.hasMatch(), qPrintable(detail));
    const int firstSeconds = first.captured(2).toInt(); // 0 for "now"
    QSignalSpy reads(window.entriesPage(), &EntriesPage::detailShown);
    const auto later = [&] {
        const auto match = ago.match(window.entriesPage()->detailText());
        return match.hasMatch() && match.captured(2).toInt() > firstSeconds ? match.captured(0) : QString();
    };
    QTRY_VERIFY2_WITH_TIMEOUT(!later().isEmpty(), qPrintable(window.entriesPage()->detailText()), 10000);
    QCOMPARE(reads.count(), 0); // the words changed, the entry was not read again
    const auto* ticker = window.entriesPage()->findChild<RelativeTimeTicker*>();
    QVERIFY(ticker && ticker->isTicking());
    window.pages()->setCurrentWidget(window.overviewPage()); // the form is hidden: nothing ticks
    QVERIFY(!ticker->isTicking());
    window.pages()->setCurrentWidget(window.entriesPage());
    QVERIFY(ticker->isTicking());
}

QTEST_MAIN(TestEntryDetail)
#include "tst_entrydetail.moc"
