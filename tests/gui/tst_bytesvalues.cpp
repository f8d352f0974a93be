// SPDX-License-Identifier: GPL-3.0-or-later
// Bytes values read alike everywhere (#28): "N bytes: hex |ascii|" in the Entries table and on the SQL
// page, the same size and hex dump in the detail form and the tooltips; on a cache written by Debian's
// python3-diskcache (bytes stored raw) and on a plain table's BLOB. Screenshots of each. LLM caches' sizes are bytes
// of UTF-8 in the CLI and the GUI, not characters.
#include "entrycells.h"
#include "models/entrymodel.h"
#include "shownentry.h"
#include "testsupport.h"
#include "window/mainwindow.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPlainTextEdit>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

class TestBytesValues : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void bytesValuesReadAsBytes();
    void bytesReadAlikeOnEveryPage();
    void oneCharacterIsOneCharacter();
    void diskcacheColumnsInWords();
    void llmSizesAreBytes_data();
    void llmSizesAreBytes();

private:
    // A diskcache folder `name` written by Debian's python3-diskcache running `sets` ("c.set(…)\n"
    // lines); its cache.db, or empty (and a failed check) when Python failed.
    QString writeDiskcache(const QString& name, const QString& sets);
    QTemporaryDir m_dir;
};

QString TestBytesValues::writeDiskcache(const QString& name, const QString& sets)
{
    const QString folder = m_dir.filePath(name);
    const auto made = runPythonScript(
        u"import diskcache, sys\nc = diskcache.Cache(sys.argv[1])\n"_s + sets + u"c.close()\n"_s, { folder });
    if (made.exitCode != 0) {
        qWarning("%s", made.err.constData());
        return QString();
    }
    return folder + u"/cache.db"_s;
}

void TestBytesValues::initTestCase()
{
    QCoreApplication::setOrganizationName(u"CacheScopeTests"_s);
    QVERIFY(m_dir.isValid());
}

// #28: a diskcache value stored as bytes read "<7 B> ..bytes" in the table. It reads as sizes read ("7 bytes"), then
// its first bytes in hex and as ASCII, as a hex dump shows them; the detail the same size and a hex dump. Debian's
// python3-diskcache stores bytes raw (mode 1).
void TestBytesValues::bytesValuesReadAsBytes()
{
    const QString file = writeDiskcache(
        u"bytes-diskcache"_s, u"c.set('seven', b'\\x00\\x01bytes')\nc.set('binary', bytes(range(256)) * 8)\n"_s);
    QVERIFY(!file.isEmpty());
    MainWindow window;
    QVERIFY(showAndOpen(window, file, Database::Mode::ReadOnly, MainWindow::Remember::No));
    QString detail = detailOf(window, file, u"key"_s, u"seven"_s);
    const EntryModel* model = window.entriesPage()->entryModel();
    const auto* rows = window.entriesPage()->findChild<QTableView*>(u"rowsView"_s);
    const int value = int(model->view().columnNames().indexOf(u"value"_s));
    QVERIFY(value >= 0);
    QModelIndex shown = model->index(rows->currentIndex().row(), value);
    QCOMPARE(shown.data().toString(), u"7 bytes: 00 01 62 79 74 65 73 |..bytes|"_s);
    QVERIFY2(shown.data(Qt::ToolTipRole).toString().contains(u"000000  00 01 62 79 74 65 73"_s),
        qPrintable(shown.data(Qt::ToolTipRole).toString()));
    QVERIFY2(detail.contains(u"7 bytes\n000000  00 01 62 79 74 65 73"_s), qPrintable(detail));
    QVERIFY(window.grab().save(screenshotPath(u"entries-bytes-value-default.png"_s)));
    detail = detailOf(window, file, u"key"_s, u"binary"_s);
    shown = model->index(rows->currentIndex().row(), value);
    QCOMPARE(shown.data().toString(), u"2,048 bytes: 00 01 02 03 04 05 06 07 |........| …"_s);
    QVERIFY2(detail.contains(u"2,048 bytes (2.0"_s), qPrintable(detail.left(500)));
}

// #28: one wording for bytes. A plain table's BLOB read "23 bytes: 00 01 …" in the Entries table but "BLOB, 23 B" in
// the detail form, and "<23 B> ..bytes…" on the SQL page with "BLOB, 23 bytes" as its tooltip. All three say what the
// table says, the tooltips the same hex dump; the SQL page's column is as wide as the line.
void TestBytesValues::bytesReadAlikeOnEveryPage()
{
    const QString file = m_dir.filePath(u"plain-blob.db"_s);
    exec(file,
        u"CREATE TABLE blobs(id INTEGER PRIMARY KEY, data BLOB);"
        "INSERT INTO blobs VALUES(1, x'000162797465730102030405060708090a0b0c0d0e0f10');"_s);
    MainWindow window;
    QCOMPARE(window.size(), MainWindow::DefaultSize);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    const QString table = u"23 bytes: 00 01 62 79 74 65 73 01 |..bytes.| …"_s;
    const QString detail = detailOf(window, file, u"data"_s, table);
    QVERIFY2(detail.contains(u"23 bytes\n000000  00 01 62 79 74 65 73 01"_s), qPrintable(detail));
    QVERIFY2(!detail.contains(u"BLOB"_s), qPrintable(detail));
    const EntryModel* model = window.entriesPage()->entryModel();
    const auto* rows = window.entriesPage()->findChild<QTableView*>(u"rowsView"_s);
    const QModelIndex entry
        = model->index(rows->currentIndex().row(), int(model->view().columnNames().indexOf(u"data"_s)));
    settleEvents();
    QVERIFY(window.grab().save(screenshotPath(u"bytes-entries-default.png"_s)));

    // The SQL page, typed and run as a user does.
    window.pages()->setCurrentIndex(window.pages()->count() - 1);
    QCOMPARE(window.pages()->tabText(window.pages()->currentIndex()), u"SQL"_s);
    auto* edit = window.pages()->currentWidget()->findChild<QPlainTextEdit*>(u"sqlEdit"_s);
    auto* results = window.pages()->currentWidget()->findChild<QTableView*>(u"resultView"_s);
    QVERIFY(edit && results);
    edit->setFocus();
    edit->selectAll();
    QTest::keyClicks(edit, u"SELECT id, data FROM blobs"_s);
    QTest::keyClick(edit, Qt::Key_Return, Qt::ControlModifier);
    QTRY_COMPARE_WITH_TIMEOUT(results->model()->rowCount(), 1, 30000);
    const QModelIndex cell = results->model()->index(0, 1);
    QCOMPARE(cell.data().toString(), table);
    QCOMPARE(cell.data(Qt::ToolTipRole).toString(), entry.data(Qt::ToolTipRole).toString());
    QVERIFY2(cell.data(Qt::ToolTipRole).toString().contains(u"000000  00 01 62 79 74 65 73 01"_s),
        qPrintable(cell.data(Qt::ToolTipRole).toString()));
    QVERIFY2(results->columnWidth(1) >= results->fontMetrics().horizontalAdvance(table),
        qPrintable(u"%1 px for a %2 px line"_s.arg(results->columnWidth(1))
                       .arg(results->fontMetrics().horizontalAdvance(table))));
    settleEvents();
    QVERIFY(window.grab().save(screenshotPath(u"bytes-sql-default.png"_s)));
}

// #28 review: a one-letter text read "TEXT, 1 characters" in the detail. Counts agree with their noun, and are
// grouped: "1 character", "1,200 characters".
void TestBytesValues::oneCharacterIsOneCharacter()
{
    const QString file = m_dir.filePath(u"one-letter.db"_s);
    exec(file,
        u"CREATE TABLE notes(id INTEGER PRIMARY KEY, note TEXT);"
        "INSERT INTO notes VALUES(1, 'x'), (2, printf('%.1200c', 'y'));"_s);
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    const QString one = detailOf(window, file, u"id"_s, u"1"_s);
    QVERIFY2(one.contains(u"1 character\n"_s) && !one.contains(u"1 characters"_s), qPrintable(one));
    const QString many = detailOf(window, file, u"id"_s, u"2"_s);
    QVERIFY2(many.contains(u"1,200 characters"_s), qPrintable(many.left(300)));
}

// #28 review: the detail of a diskcache entry said "expires NULL", "tag NULL", "mode raw" with no word of what
// they mean. Each says it: "never expires", "no tag", "raw: stored as it was given …", and the rows above "As
// stored in the table" show no bare NULL. A cache written by Debian's python3-diskcache.
void TestBytesValues::diskcacheColumnsInWords()
{
    const QString file = writeDiskcache(
        u"words-diskcache"_s, u"c.set('plain', 'a value')\nc.set('tagged', 'b', expire=3600, tag='batch-7')\n"_s);
    QVERIFY(!file.isEmpty());
    MainWindow window;
    QVERIFY(showAndOpen(window, file, Database::Mode::ReadOnly, MainWindow::Remember::No));
    const QString plain = detailOf(window, file, u"key"_s, u"plain"_s);
    const QString shown = plain.section(u"As stored in the table"_s, 0, 0);
    QVERIFY2(shown.size() < plain.size(), qPrintable(plain));
    for (const QString& words : { u"never expires"_s, u"no tag"_s, u"raw: stored as it was given"_s,
             u"when diskcache stops returning it"_s, u"how diskcache stored the value"_s })
        QVERIFY2(shown.contains(words), qPrintable(words + u" missing in\n"_s + shown));
    QVERIFY2(!shown.contains(u"NULL"_s), qPrintable(shown));
    settleEvents();
    QVERIFY(window.grab().save(screenshotPath(u"entries-diskcache-words-default.png"_s)));
    const QString tagged = detailOf(window, file, u"key"_s, u"tagged"_s).section(u"As stored in the table"_s, 0, 0);
    QVERIFY2(tagged.contains(u"batch-7"_s) && !tagged.contains(u"never expires"_s) && !tagged.contains(u"no tag"_s),
        qPrintable(tagged));
}

void TestBytesValues::llmSizesAreBytes_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("schema");
    QTest::addColumn<QString>("row");
    QTest::addColumn<QString>("column"); // the column that shows the prompt
    QTest::newRow("langchain") << u"langchain-utf8.db"_s
                               << u"CREATE TABLE full_llm_cache (prompt VARCHAR NOT NULL, llm VARCHAR NOT NULL, idx "
                                  "INTEGER NOT NULL, response VARCHAR, PRIMARY KEY (prompt, llm, idx))"_s
                               << u"INSERT INTO full_llm_cache VALUES ('é漢字', 'llm', 0, 'é漢字')"_s << u"message"_s;
    QTest::newRow("hand-written llm cache")
        << u"llm-cache-utf8.db"_s
        << u"CREATE TABLE analysis_cache(cache_key TEXT PRIMARY KEY, model TEXT, prompt TEXT, response TEXT, "
           "created_at REAL)"_s
        << u"INSERT INTO analysis_cache VALUES ('k1', 'llama3.1:8b', 'é漢字', 'é漢字', 1795840212.5)"_s << u"prompt"_s;
}

// #28c: the size of a LangChain or hand-written LLM cache's response was SQLite's length() of its TEXT, characters
// shown as bytes ("3 bytes" for "é漢字", 8 bytes of UTF-8). CLI and GUI say the bytes, and the detail says so.
void TestBytesValues::llmSizesAreBytes()
{
    QFETCH(QString, name);
    QFETCH(QString, schema);
    QFETCH(QString, row);
    QFETCH(QString, column);
    const QString file = m_dir.filePath(name);
    exec(file, schema + u";"_s + row);
    const qint64 utf8 = QStringLiteral("é漢字").toUtf8().size();
    QCOMPARE(utf8, 8);
    const auto listed = runCli({ u"entries"_s, file, u"--json"_s });
    QCOMPARE(listed.exitCode, 0);
    const QJsonArray rows = QJsonDocument::fromJson(listed.out)[u"rows"_s].toArray();
    QCOMPARE(rows.size(), 1);
    QCOMPARE(rows[0][u"size"_s].toInteger(), utf8);
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    const QString detail = detailOf(window, file, column, u"é漢字"_s);
    QVERIFY2(detail.contains(u"in bytes of UTF-8"_s), qPrintable(detail));
    const EntryModel* model = window.entriesPage()->entryModel();
    const auto* view = window.entriesPage()->findChild<QTableView*>(u"rowsView"_s);
    const int size = model->view().columnIndex(EntryColumn::Role::Size);
    QVERIFY(size >= 0);
    QCOMPARE(model->index(view->currentIndex().row(), size).data().toString(), u"8 bytes"_s);
    settleEvents();
    QVERIFY(
        window.grab().save(screenshotPath(u"entries-llm-size-%1-default.png"_s.arg(name.section(u"-utf8"_s, 0, 0)))));
}

QTEST_MAIN(TestBytesValues)
#include "tst_bytesvalues.moc"
