// SPDX-License-Identifier: GPL-3.0-or-later
// The SQL tab on real caches: rows off the GUI thread with the cap on screen, refusals shown,
// an endless query cancelled, hostile cells escaped, JSON/CSV copies, history and ready queries.
#include "models/queryresultmodel.h"
#include "pages/entrycolumnfit.h"
#include "pages/sqlpage.h"
#include "scratchdir.h"
#include "testsupport.h"
#include "window/mainwindow.h"

#include <QAbstractItemModelTester>
#include <QClipboard>
#include <QComboBox>
#include <QFile>
#include <QGuiApplication>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTest>
#include <QTextBlock>
#include <QTextLayout>
#include <QTreeWidget>

#include <memory>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

class TestSqlPage : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(u"CacheScopeTests"_s);
        QCoreApplication::setApplicationName(u"tst_sqlpage"_s);
    }
    void init()
    {
        QSettings().remove(u"sql/history"_s);
        QVERIFY(m_dir.renew());
        m_db = m_dir.filePath(u"cache.db"_s);
        makeCache(m_db, u"wal"_s, 30);
        m_page = std::make_unique<SqlPage>([this] { return m_db; });
        m_tester = std::make_unique<QAbstractItemModelTester>(
            m_page->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    }
    void cleanup()
    {
        m_tester.reset();
        m_page.reset();
    }
    void runsOffTheGuiThreadAndShowsTheCap();
    void refusalShownInline();
    void endlessQueryCancelled();
    void hostileCellsEscaped();
    void copiesAsJsonAndCsv();
    void historyKeptInSettings();
    void readyQueriesForDiskcache();
    void mainWindowHasTheTab();
    void highlightsListsSchemaDrawsNullApart();
    void schemaListFitsItsNames();
    void schemaListSaysWhyItIsEmpty();
    void numbersGroupedColumnsAsWideAsTheirCells();

private:
    bool runAndWait(const QString& sql)
    {
        QSignalSpy finished(m_page.get(), &SqlPage::queryFinished);
        m_page->setSql(sql);
        m_page->run();
        return finished.count() > 0 || finished.wait(30000);
    }
    ScratchDir m_dir;
    QString m_db;
    std::unique_ptr<SqlPage> m_page;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

void TestSqlPage::runsOffTheGuiThreadAndShowsTheCap()
{
    QVERIFY(m_page->statusText().contains(u"capped at 10,000 rows"_s));
    QSignalSpy finished(m_page.get(), &SqlPage::queryFinished);
    m_page->setSql(u"SELECT id, key FROM entries ORDER BY id"_s);
    m_page->run();
    QVERIFY(m_page->isRunning()); // the GUI thread came back before the rows did
    QVERIFY(finished.wait(30000));
    QVERIFY(!m_page->isRunning());
    QCOMPARE(m_page->model()->rowCount(), 30);
    QCOMPARE(m_page->model()->columnCount(), 2);
    QCOMPARE(m_page->model()->headerData(1, Qt::Horizontal).toString(), u"key"_s);
    QVERIFY2(m_page->statusText().contains(u"30 rows in "_s), qPrintable(m_page->statusText()));
    QVERIFY(m_page->statusText().contains(u"capped at 10,000 rows"_s));
}

void TestSqlPage::refusalShownInline()
{
    QVERIFY(runAndWait(u"DELETE FROM entries"_s));
    QVERIFY2(m_page->statusText().startsWith(u"refused: "_s), qPrintable(m_page->statusText()));
    QVERIFY(m_page->showsError()); // styled as an error (#28)
    QCOMPARE(m_page->model()->rowCount(), 0);
    QCOMPARE(queryInt(m_db, u"SELECT count(*) FROM entries"_s), 30);
    QVERIFY(!SqlPage::history().contains(u"DELETE FROM entries"_s)); // a refused statement is not kept
    QVERIFY(runAndWait(u"SELECT key FROM entries LIMIT 1"_s));
    QVERIFY(!m_page->showsError());
    QCOMPARE(SqlPage::history().value(0), u"SELECT key FROM entries LIMIT 1"_s);
}

void TestSqlPage::endlessQueryCancelled()
{
    QSignalSpy finished(m_page.get(), &SqlPage::queryFinished);
    m_page->setSql(u"WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT count(*) FROM c"_s);
    m_page->run();
    QVERIFY(m_page->isRunning());
    m_page->cancel();
    QVERIFY(finished.wait(30000));
    QCOMPARE(m_page->statusText(), u"cancelled"_s);
    QVERIFY(!m_page->showsError()); // asked for: no error
    QVERIFY(!m_page->isRunning());
    QVERIFY(runAndWait(u"SELECT 1"_s)); // the page runs queries again
    QCOMPARE(m_page->model()->rowCount(), 1);
}

void TestSqlPage::hostileCellsEscaped()
{
    exec(m_db, u"INSERT INTO entries(key, value) VALUES('\x1b[31mred\nline\u202e', 'v')"_s);
    QVERIFY(runAndWait(u"SELECT key AS \"k\x1b[1m\" FROM entries WHERE value = 'v'"_s));
    QCOMPARE(m_page->model()->rowCount(), 1);
    const QString cell = m_page->model()->index(0, 0).data().toString();
    QCOMPARE(cell, u"\\e[31mred\\nline\\u202E"_s);
    QCOMPARE(m_page->model()->headerData(0, Qt::Horizontal).toString(), u"k\\e[1m"_s);
}

void TestSqlPage::copiesAsJsonAndCsv()
{
    QVERIFY(runAndWait(u"SELECT id, key, x'0102' AS b FROM entries ORDER BY id LIMIT 2"_s));
    const QJsonObject json = QJsonDocument::fromJson(m_page->resultJson().toUtf8()).object();
    QCOMPARE(json[u"columns"_s].toArray().size(), 3);
    QCOMPARE(json[u"rows"_s].toArray().size(), 2);
    QCOMPARE(json[u"truncated"_s].toBool(true), false);
    const QByteArray csv = m_page->resultCsv();
    QVERIFY(csv.startsWith("id,key,b\r\n1,"));
    QCOMPARE(csv.count("\r\n"), 3);
}

void TestSqlPage::historyKeptInSettings()
{
    QVERIFY(runAndWait(u"SELECT 1"_s));
    QVERIFY(runAndWait(u"SELECT 2"_s));
    QVERIFY(runAndWait(u"SELECT 1"_s));
    QCOMPARE(SqlPage::history(), (QStringList { u"SELECT 1"_s, u"SELECT 2"_s }));
    for (int i = 0; i < SqlPage::HistorySize + 5; ++i)
        QVERIFY(runAndWait(u"SELECT %1"_s.arg(i + 10)));
    QCOMPARE(SqlPage::history().size(), SqlPage::HistorySize);
}

void TestSqlPage::readyQueriesForDiskcache()
{
    const QString path = m_dir.filePath(u"diskcache"_s);
    const auto made
        = runPythonScript(u"import diskcache, sys\nc = diskcache.Cache(sys.argv[1])\nc.set('b', b'y' * 5000)\n"
                          "c.set('a', 'x' * 100, expire=0.001)\nc.close()"_s,
            { path });
    QCOMPARE(made.exitCode, 0);
    m_db = path + u"/cache.db"_s;
    QSignalSpy ready(m_page.get(), &SqlPage::readyQueriesChanged);
    m_page->refreshReadyQueries();
    QVERIFY(ready.wait(30000));
    const QStringList titles = m_page->readyQueryTitles();
    QVERIFY2(titles.contains(u"diskcache: largest entries"_s), qPrintable(titles.join(u", "_s)));
    QVERIFY(titles.contains(u"diskcache: expired entries"_s));
    // Every ready query runs on a real diskcache file.
    const QStringList sqls = [&] {
        QStringList list;
        auto* combo = m_page->findChild<QComboBox*>(u"readyCombo"_s);
        for (int i = 1; i < combo->count(); ++i)
            list << combo->itemData(i).toString();
        return list;
    }();
    for (const QString& sql : sqls) {
        QVERIFY(runAndWait(sql));
        static const QRegularExpression rows(u"^(1 row|[\\d,]+ rows) in \\d+ ms\\."_s);
        QVERIFY2(rows.match(m_page->statusText()).hasMatch(), qPrintable(sql + u": "_s + m_page->statusText()));
    }
    QVERIFY(runAndWait(sqls.at(titles.indexOf(u"diskcache: expired entries"_s))));
    QCOMPARE(m_page->model()->rowCount(), 1);
    QVERIFY2(m_page->statusText().startsWith(u"1 row in "_s), qPrintable(m_page->statusText())); // not "1 rows"
}

void TestSqlPage::mainWindowHasTheTab()
{
    MainWindow window;
    QStringList titles;
    for (int i = 0; i < window.pages()->count(); ++i)
        titles << window.pages()->tabText(i);
    QVERIFY(titles.contains(u"SQL"_s));
}

// Issue #28: SQL coloured as typed, the cache's tables and columns beside the editor (a
// double-click inserts a quoted name), and NULL drawn apart from the text "NULL".
void TestSqlPage::highlightsListsSchemaDrawsNullApart()
{
    m_page->resize(1000, 640);
    m_page->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_page.get()));
    auto* edit = m_page->findChild<QPlainTextEdit*>(u"sqlEdit"_s);
    m_page->setSql(u"SELECT 'it''s', \"key\", 42 FROM entries -- note\n/* a\nb */ WHERE id > 1"_s);
    const auto formatAt = [edit](int blockNumber, int position) {
        const QTextBlock block = edit->document()->findBlockByNumber(blockNumber);
        for (const QTextLayout::FormatRange& range : block.layout()->formats()) {
            if (position >= range.start && position < range.start + range.length)
                return range.format;
        }
        return QTextCharFormat();
    };
    const QColor keyword = formatAt(0, 0).foreground().color();
    QCOMPARE(formatAt(0, 0).fontWeight(), int(QFont::Bold)); // SELECT
    QVERIFY(formatAt(0, 8).foreground().color() != keyword); // 'it''s' as one string
    QCOMPARE(formatAt(0, 11).foreground().color(), formatAt(0, 8).foreground().color()); // past the doubled quote
    QVERIFY(formatAt(0, 16).foreground().color() != keyword); // "key", an identifier
    QVERIFY(formatAt(0, 16).foreground().color() != formatAt(0, 8).foreground().color());
    QVERIFY(formatAt(0, 40).fontItalic()); // -- note
    QVERIFY(!formatAt(0, 33).fontItalic()); // entries, before it
    QVERIFY(formatAt(1, 0).fontItalic()); // /* a
    QVERIFY(formatAt(2, 1).fontItalic()); // b */ — the comment spans lines
    QCOMPARE(formatAt(2, 5).foreground().color(), keyword); // WHERE after it
    QTRY_COMPARE_WITH_TIMEOUT(m_page->schemaTables(), QStringList { u"entries"_s }, 30000);
    auto* schema = m_page->findChild<QTreeWidget*>(u"schemaTree"_s);
    QTreeWidgetItem* table = schema->topLevelItem(0);
    QVERIFY(table->childCount() >= 2);
    QVERIFY2(table->child(0)->text(0).startsWith(u"id"_s), qPrintable(table->child(0)->text(0)));
    m_page->setSql(u"SELECT * FROM "_s);
    edit->moveCursor(QTextCursor::End);
    Q_EMIT schema->itemDoubleClicked(table, 0);
    QCOMPARE(edit->toPlainText(), u"SELECT * FROM \"entries\""_s);
    QVERIFY(runAndWait(u"SELECT NULL, 'NULL'"_s));
    const QModelIndex null = m_page->model()->index(0, 0);
    const QModelIndex text = m_page->model()->index(0, 1);
    QCOMPARE(null.data().toString(), text.data().toString()); // both read NULL…
    QVERIFY(null.data(Qt::FontRole).value<QFont>().italic()); // …but the NULL is drawn apart
    QVERIFY(!text.data(Qt::FontRole).isValid());
    QVERIFY(null.data(Qt::ForegroundRole).isValid());
    QVERIFY(!text.data(Qt::ForegroundRole).isValid());
    QVERIFY(m_page->grab().save(screenshotPath(u"sql-page.png"_s)));
}

void TestSqlPage::schemaListFitsItsNames()
{
    // #28: at the default window size the schema list cut "access_count INTE…": it is as wide
    // as its longest "column TYPE", within a third of the page.
    exec(m_db, u"CREATE TABLE visits(id INTEGER PRIMARY KEY, access_count_of_the_day INTEGER)"_s);
    m_page->resize(1000, 640);
    m_page->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_page.get()));
    QTRY_VERIFY_WITH_TIMEOUT(m_page->schemaTables().contains(u"visits"_s), 30000);
    settleEvents();
    auto* schema = m_page->findChild<QTreeWidget*>(u"schemaTree"_s);
    QVERIFY(schema->topLevelItem(int(m_page->schemaTables().indexOf(u"visits"_s)))->isExpanded());
    const int needed = static_cast<const QAbstractItemView*>(schema)->sizeHintForColumn(0); // with indentation
    QVERIFY2(
        schema->viewport()->width() >= needed, qPrintable(u"%1 < %2"_s.arg(schema->viewport()->width()).arg(needed)));
    QVERIFY(schema->width() <= m_page->width() / 3);
    QVERIFY(m_page->grab().save(screenshotPath(u"sql-schema-1000x640.png"_s)));
}

// #28 review: at the default size the SQL page's table list said "No cache open." beside a cache that was open
// (tour-diskcache-default-sql.png): the list was still being read. It says what it waits for, and why it stays
// empty: a file that is no database, a database with no table.
void TestSqlPage::schemaListSaysWhyItIsEmpty()
{
    m_page->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_page.get()));
    QTRY_COMPARE_WITH_TIMEOUT(m_page->schemaTables(), QStringList { u"entries"_s }, 30000);
    const QString notSqlite = m_dir.filePath(u"notes.txt"_s);
    QFile text(notSqlite);
    QVERIFY(text.open(QIODevice::WriteOnly));
    QVERIFY(text.write(QByteArray("these are notes, not a database\n").repeated(200)) > 0);
    text.close();
    m_db = notSqlite;
    m_page->refreshReadyQueries();
    QCOMPARE(m_page->schemaHintText(), u"Reading the tables…"_s); // at once, not "No cache open."
    QVERIFY(m_page->schemaTables().isEmpty());
    QTRY_VERIFY2_WITH_TIMEOUT(m_page->schemaHintText().startsWith(u"The tables could not be read: "_s),
        qPrintable(m_page->schemaHintText()), 30000);
    QVERIFY(m_page->schemaTables().isEmpty());
    m_db = m_dir.filePath(u"empty.db"_s);
    exec(m_db, u"PRAGMA user_version = 1"_s);
    m_page->refreshReadyQueries();
    QTRY_COMPARE_WITH_TIMEOUT(m_page->schemaHintText(), u"This database has no tables."_s, 30000);
    m_db.clear();
    m_page->refreshReadyQueries();
    QCOMPARE(m_page->schemaHintText(), u"No cache open."_s);
}

void TestSqlPage::numbersGroupedColumnsAsWideAsTheirCells()
{
    // #28 defect 20, on the SQL tab at its size in the default window: "16721" where every other panel says
    // "16,721", and a one-column result stretched across the whole width.
    exec(m_db,
        u"CREATE TABLE big(n INTEGER); WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x < 16721) "
        "INSERT INTO big SELECT x FROM c;"_s);
    m_page->resize(976, 600); // the page's room in the window at 1000×708
    m_page->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_page.get()));
    QVERIFY(runAndWait(u"SELECT count(*) FROM big"_s));
    settleEvents();
    QVERIFY(m_page->grab().save(screenshotPath(u"sql-one-column.png"_s)));
    const QModelIndex cell = m_page->model()->index(0, 0);
    QCOMPARE(cell.data().toString(), u"16,721"_s); // main: 16721
    QCOMPARE(cell.data(Qt::ToolTipRole).toString(), u"16721"_s); // the number as stored
    QVERIFY2(m_page->resultCsv().contains("\r\n16721\r\n"), m_page->resultCsv().constData()); // copies stay raw
    QCOMPARE(QJsonDocument::fromJson(m_page->resultJson().toUtf8())[u"rows"_s][0][0].toInteger(), 16721);
    auto* view = m_page->findChild<QTableView*>(u"resultView"_s);
    QVERIFY(view);
    // Ctrl+C on the cell copies the number as stored (the view's own copy took the grouped text; review of stop 48).
    view->setFocus();
    view->setCurrentIndex(cell);
    QGuiApplication::clipboard()->clear();
    QTest::keySequence(view, QKeySequence::Copy);
    QCOMPARE(QGuiApplication::clipboard()->text(), u"16721"_s);
    QHeaderView* header = view->horizontalHeader();
    // As wide as its header and cell need (EntryColumnFit::MinWidth at least), not the view's width (main: 937 px).
    const int wanted
        = std::max<int>(EntryColumnFit::MinWidth, static_cast<QAbstractItemView*>(view)->sizeHintForColumn(0));
    QVERIFY2(header->sectionSize(0) >= static_cast<QAbstractItemView*>(view)->sizeHintForColumn(0),
        qPrintable(QString::number(header->sectionSize(0))));
    QVERIFY2(header->sectionSize(0) <= std::max(wanted, header->sectionSizeHint(0)) + 2,
        qPrintable(
            u"%1 px, wanted %2, viewport %3"_s.arg(header->sectionSize(0)).arg(wanted).arg(view->viewport()->width())));
    // Two narrow columns: together narrower than the view, the last not stretched either.
    QVERIFY(runAndWait(u"SELECT min(n) AS first, max(n) AS last FROM big"_s));
    settleEvents();
    QCOMPARE(m_page->model()->index(0, 1).data().toString(), u"16,721"_s);
    QVERIFY2(header->length() < view->viewport()->width() / 2,
        qPrintable(u"%1 of %2 px"_s.arg(header->length()).arg(view->viewport()->width())));
}

QTEST_MAIN(TestSqlPage)
#include "tst_sqlpage.moc"
