// SPDX-License-Identifier: GPL-3.0-or-later
// #23.3, new-user defect 14: a value the Entries detail shows cut — past the 131,072 characters
// it reads, or past what its form lays out — has "Show all (N characters / N bytes)". Clicking
// it reads the value whole off the GUI thread and shows it whole in a tab of its own (a BLOB as
// a hex dump of every byte); another entry selected drops it. A value past what is shown whole
// (EntryWholeValue::MaxChars) says so and is saved to a file whole instead.
#include "entrycells.h"
#include "openedwindow.h"
#include "pages/entriespage.h"
#include "pages/entrydetailpane.h"
#include "pages/entrywholevalue.h"
#include "tasks/backgroundtask.h"
#include "testsupport.h"
#include "window/mainwindow.h"

#include <QFile>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>
#include <QTextBrowser>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

class TestShowAll : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cutValuesShownWholeAndDroppedWithTheEntry();
    void valuePastTheLimitIsSavedToAFile();
    void savedTextAndBlobAreTheStoredBytes();
    void saveReadsOnlyItsColumn();
    void characterCountsAreCodePoints();
    void pickleShownUnpickled();

private:
    QTemporaryDir m_dir;
    QString m_file;
    QString m_text; // 300,000 characters in lines
    QByteArray m_blob; // 1 MiB
};

namespace {

// The text of a QTextBrowser's link whose href is `href`, and where to click it; empty if none.
QPoint linkPoint(QTextBrowser* browser, const QString& href)
{
    for (QTextBlock block = browser->document()->begin(); block.isValid(); block = block.next()) {
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            const QTextFragment fragment = it.fragment();
            if (fragment.charFormat().anchorHref() != href)
                continue;
            QTextCursor cursor(browser->document());
            cursor.setPosition(fragment.position() + 1);
            return browser->cursorRect(cursor).center();
        }
    }
    return QPoint(-1, -1);
}

QString sqlText(const QString& text)
{
    return u"'"_s + QString(text).replace(u"'"_s, u"''"_s) + u"'"_s;
}

// Opens file in window (read-only), shows its Entries page and selects row `row` once it is read; the page.
EntriesPage* showRow(MainWindow& window, const QString& file, int rows, int row)
{
    window.resize(1000, 708);
    if (!showAndOpen(window, file, Database::Mode::ReadOnly, MainWindow::Remember::No))
        return nullptr;
    window.pages()->setCurrentWidget(window.entriesPage());
    EntriesPage* page = window.entriesPage();
    if (!QTest::qWaitFor([page, rows] { return page->entryModel()->rowCount() == rows; }, 10000))
        return nullptr;
    page->findChild<QTableView*>(u"rowsView"_s)->selectRow(row);
    shownDetail(page);
    return page;
}

// Saves `column` of the page's row `row` to `path` as the form's "Save … to a file…" does: what it said.
QString saveColumn(EntriesPage* page, int row, const QString& column, const QString& path)
{
    auto* pane = page->findChild<EntryDetailPane*>();
    if (!pane)
        return u"no detail pane"_s;
    QSignalSpy done(pane->wholeValue(), &EntryWholeValue::saved);
    pane->wholeValue()->save(page->entryModel(), row, column, path);
    return done.wait(60000) ? done.first().first().toString() : u"not saved"_s;
}

// A field of /proc/self/status in KiB ("VmHWM:").
qint64 statusKb(const QByteArray& field)
{
    QFile status(u"/proc/self/status"_s);
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : status.readAll().split('\n')) {
        if (line.startsWith(field))
            return line.mid(field.size()).trimmed().split(' ').first().toLongLong();
    }
    return -1;
}

} // namespace

void TestShowAll::initTestCase()
{
    QCoreApplication::setOrganizationName(u"CacheScopeTests"_s);
    QVERIFY(m_dir.isValid());
    m_file = m_dir.filePath(u"notes.db"_s);
    for (int line = 0; m_text.size() < 300000; ++line)
        m_text += u"line %1: the quick brown fox jumps over the lazy dog, and then it rests a while\n"_s.arg(
            line, 6, 10, QChar(u'0'));
    m_text.truncate(300000 - 4);
    m_text += u"END."_s; // the last characters, after the last break
    for (int i = 0; i < (1 << 20); ++i)
        m_blob += char((quint32(i) * 7919u + (quint32(i) >> 8)) & 0xffu);
    exec(m_file,
        u"CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT, data BLOB);"
        "INSERT INTO notes VALUES (1, %1, X'%2'), (2, 'a short note', X'00ff');"_s.arg(
            sqlText(m_text), QString::fromLatin1(m_blob.toHex())));
}

void TestShowAll::cutValuesShownWholeAndDroppedWithTheEntry()
{
    MainWindow window;
    window.resize(1000, 708);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(openAndWait(window, m_file, Database::Mode::ReadOnly, MainWindow::Remember::No));
    window.pages()->setCurrentWidget(window.entriesPage());
    EntriesPage* page = window.entriesPage();
    EntryModel* model = page->entryModel();
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 2, 10000);
    auto* rows = page->findChild<QTableView*>(u"rowsView"_s);
    auto* form = page->findChild<QTextBrowser*>(u"detailText"_s);
    auto* tabs = page->findChild<QTabWidget*>(u"detailTabs"_s);
    QVERIFY(rows && form && tabs);
    rows->selectRow(0);
    const QString detail = shownDetail(page);
    // The form says each value is cut, and offers it whole.
    QVERIFY2(detail.contains(u"body holds 300,000 characters"_s), qPrintable(detail.left(600)));
    QVERIFY2(detail.contains(u"Show all (300,000 characters)"_s), qPrintable(detail.left(600)));
    QVERIFY2(detail.contains(u"data holds 1,048,576 bytes"_s), qPrintable(detail.left(600)));
    QVERIFY2(detail.contains(u"Show all (1,048,576 bytes)"_s), qPrintable(detail.left(600)));
    QVERIFY(!detail.contains(u"END."_s)); // the text's end is not in the form

    settleEvents();
    QVERIFY(window.grab().save(screenshotPath(u"entries-show-all-form.png"_s)));
    // Show all of the text: clicked as a user clicks it.
    const QPoint text = linkPoint(form, EntryWholeValue::showLink(u"body"_s));
    QVERIFY(text.x() >= 0);
    QTest::mouseClick(form->viewport(), Qt::LeftButton, {}, text);
    QPlainTextEdit* whole = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((whole = page->findChild<QPlainTextEdit*>(u"wholeValue"_s)) != nullptr, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(whole->toPlainText().size(), m_text.size(), 20000);
    QCOMPARE(whole->toPlainText(), m_text);
    QVERIFY(whole->toPlainText().endsWith(u"END."_s));
    QCOMPARE(tabs->currentWidget(), whole->parentWidget());
    QVERIFY(window.grab().save(screenshotPath(u"entries-show-all-text.png"_s)));

    // Show all of the BLOB: a hex dump of every byte, the last line the last 16.
    tabs->setCurrentWidget(form);
    const QPoint blob = linkPoint(form, EntryWholeValue::showLink(u"data"_s));
    QVERIFY(blob.x() >= 0);
    QTest::mouseClick(form->viewport(), Qt::LeftButton, {}, blob);
    const QString lastLine = u"0ffff0  "_s + QString::fromLatin1(m_blob.right(16).toHex(' '));
    const auto shownLastLine = [page] {
        const auto* shown = page->findChild<QPlainTextEdit*>(u"wholeValue"_s);
        return shown ? shown->toPlainText().trimmed().section(u'\n', -1) : QString();
    };
    QTRY_VERIFY_WITH_TIMEOUT(shownLastLine().startsWith(lastLine), 20000);
    whole = page->findChild<QPlainTextEdit*>(u"wholeValue"_s);
    QCOMPARE(whole->toPlainText().count(u'\n') + 1, (1 << 20) / 16);

    // The same entry shown again at its row (as EntriesPage::followCurrentEntry does when rows above it go): its
    // whole value stays (review of stop 49: it went with every re-show).
    auto* pane = page->findChild<EntryDetailPane*>();
    QVERIFY(pane);
    pane->show(0);
    QVERIFY(shownDetail(page).contains(u"Show all (300,000 characters)"_s));
    settleEvents();
    QVERIFY(page->findChild<QPlainTextEdit*>(u"wholeValue"_s));

    // Another entry: the whole value goes, and nothing of it comes back — not even from a Show all
    // still being read when the row changed.
    tabs->setCurrentWidget(form);
    QTest::mouseClick(form->viewport(), Qt::LeftButton, {}, linkPoint(form, EntryWholeValue::showLink(u"body"_s)));
    rows->selectRow(1);
    const QString other = shownDetail(page);
    QVERIFY2(other.contains(u"a short note"_s), qPrintable(other));
    QTRY_COMPARE_WITH_TIMEOUT(BackgroundTask::pool()->activeThreadCount(), 0, 20000); // every read is done
    settleEvents(); // and delivered
    QVERIFY(!page->findChild<QPlainTextEdit*>(u"wholeValue"_s));
    for (int i = 0; i < tabs->count(); ++i)
        QVERIFY2(!tabs->tabText(i).contains(u"whole"_s), qPrintable(tabs->tabText(i)));
    QVERIFY(!shownDetail(page).contains(u"END."_s));
    QCOMPARE(tabs->currentWidget(), form);
}

void TestShowAll::valuePastTheLimitIsSavedToAFile()
{
    const QString file = m_dir.filePath(u"huge.db"_s);
    const qint64 huge = EntryWholeValue::MaxChars + 1000;
    exec(file,
        u"CREATE TABLE big(id INTEGER PRIMARY KEY, body TEXT);"
        "INSERT INTO big VALUES (1, printf('%.*c', %1, 'x') || 'THE END')"_s.arg(huge - 7));
    MainWindow window;
    window.resize(1000, 708);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(openAndWait(window, file, Database::Mode::ReadOnly, MainWindow::Remember::No));
    window.pages()->setCurrentWidget(window.entriesPage());
    EntriesPage* page = window.entriesPage();
    QTRY_COMPARE_WITH_TIMEOUT(page->entryModel()->rowCount(), 1, 10000);
    page->findChild<QTableView*>(u"rowsView"_s)->selectRow(0);
    const QString detail = shownDetail(page);
    QVERIFY2(detail.contains(u"more than is shown whole here"_s), qPrintable(detail.left(600)));
    QVERIFY2(detail.contains(u"Save body to a file…"_s), qPrintable(detail.left(600)));
    QVERIFY(!detail.contains(u"Show all"_s));
    auto* form = page->findChild<QTextBrowser*>(u"detailText"_s);
    QVERIFY(linkPoint(form, EntryWholeValue::saveLink(u"body"_s)).x() >= 0);
    // The file dialog is the desktop's: the pane's save is what it calls with the path chosen.
    auto* pane = page->findChild<EntryDetailPane*>();
    QVERIFY(pane);
    const QString saved = m_dir.filePath(u"body.txt"_s);
    QSignalSpy done(pane->wholeValue(), &EntryWholeValue::saved);
    pane->wholeValue()->save(page->entryModel(), 0, u"body"_s, saved);
    QVERIFY(done.wait(60000));
    QVERIFY2(done.first().first().toString().startsWith(u"Saved "_s), qPrintable(done.first().first().toString()));
    QCOMPARE(QFileInfo(saved).size(), huge);
    QFile written(saved);
    QVERIFY(written.open(QIODevice::ReadOnly));
    written.seek(huge - 10);
    QCOMPARE(written.readAll(), QByteArray("xxxTHE END"));
}

void TestShowAll::savedTextAndBlobAreTheStoredBytes()
{
    // Written and read back by Python's sqlite3 (a connection of its own): text of 1-, 2-, 3- and
    // 4-byte UTF-8 characters, longer than the form reads, and a BLOB of every byte value.
    const QString file = m_dir.filePath(u"stored.db"_s);
    QCOMPARE(runPython(u"import sqlite3, sys\n"
                       "db = sqlite3.connect(sys.argv[1])\n"
                       "db.execute('CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT, data BLOB)')\n"
                       "text = ''.join(f'line {i}: caf\\u00e9 \\u20ac \\U0001F600 ok\\n' for i in range(10000))\n"
                       "blob = bytes((i * 7919 + (i >> 8)) & 255 for i in range(300000))\n"
                       "db.execute('INSERT INTO notes VALUES (1, ?, ?)', (text, blob))\n"
                       "db.commit()\n"
                       "print(len(text))\n"_s,
                 { file }),
        QByteArray("228890"));
    MainWindow window;
    EntriesPage* page = showRow(window, file, 1, 0);
    QVERIFY(page);
    const QString text = m_dir.filePath(u"body.txt"_s);
    const QString blob = m_dir.filePath(u"data.bin"_s);
    QCOMPARE(saveColumn(page, 0, u"body"_s, text), u"Saved 228,890 characters of “body” to %1."_s.arg(text));
    QCOMPARE(saveColumn(page, 0, u"data"_s, blob), u"Saved 300,000 bytes (293\u00a0KiB) of “data” to %1."_s.arg(blob));
    const QString asRead = m_dir.filePath(u"asread"_s);
    QCOMPARE(runPython(u"import sqlite3, sys\n"
                       "body, data = sqlite3.connect(sys.argv[1]).execute('SELECT body, data FROM notes').fetchone()\n"
                       "open(sys.argv[2] + '.txt', 'wb').write(body.encode())\n"
                       "open(sys.argv[2] + '.bin', 'wb').write(data)\n"
                       "print('ok')\n"_s,
                 { file, asRead }),
        QByteArray("ok"));
    QCOMPARE(fileBytes(text), fileBytes(asRead + u".txt"_s));
    QCOMPARE(fileBytes(blob), fileBytes(asRead + u".bin"_s));
}

void TestShowAll::saveReadsOnlyItsColumn()
{
    // A row whose other column holds 128 MiB: saving its 200,000-character text must not read
    // that column too (it read every column of the row, raw and decoded: ~4 copies of the row).
    const QString file = m_dir.filePath(u"wide.db"_s);
    const qint64 otherBytes = qint64(128) << 20;
    exec(file,
        u"CREATE TABLE wide(id INTEGER PRIMARY KEY, body TEXT, other BLOB);"
        "INSERT INTO wide VALUES (1, printf('%.*c', 200000, 'x'), zeroblob(%1))"_s.arg(otherBytes));
    MainWindow window;
    EntriesPage* page = showRow(window, file, 1, 0);
    QVERIFY(page);
    QTRY_COMPARE_WITH_TIMEOUT(BackgroundTask::pool()->activeThreadCount(), 0, 20000); // the form's reads are done
    settleEvents();
    // The peak from here on (Linux: writing 5 to clear_refs sets VmHWM to the RSS now).
    {
        QFile clear(u"/proc/self/clear_refs"_s);
        if (!clear.open(QIODevice::WriteOnly) || clear.write("5") != 1)
            QSKIP("/proc/self/clear_refs cannot reset the peak RSS here");
    }
    const qint64 before = statusKb("VmHWM:");
    const QString text = m_dir.filePath(u"wide.txt"_s);
    QCOMPARE(saveColumn(page, 0, u"body"_s, text), u"Saved 200,000 characters of “body” to %1."_s.arg(text));
    const qint64 grew = statusKb("VmHWM:") - before;
    QCOMPARE(QFileInfo(text).size(), 200000);
    QVERIFY2(before > 0 && grew < (otherBytes >> 10) / 4,
        qPrintable(u"the peak grew by %1 KiB while saving 200,000 characters beside %2 KiB"_s.arg(grew).arg(
            otherBytes >> 10)));
}

void TestShowAll::characterCountsAreCodePoints()
{
    // 1,000 emoji and 5,000 ASCII letters on one line (longer than the form lays out): 6,000
    // characters for Python and SQLite, 7,000 UTF-16 units for QString::size().
    const QString file = m_dir.filePath(u"emoji.db"_s);
    QCOMPARE(runPython(u"import sqlite3, sys\n"
                       "db = sqlite3.connect(sys.argv[1])\n"
                       "db.execute('CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT)')\n"
                       "text = '\\U0001F600' * 1000 + 'x' * 5000\n"
                       "db.execute('INSERT INTO notes VALUES (1, ?)', (text,))\n"
                       "db.commit()\n"
                       "print(len(text), db.execute('SELECT length(body) FROM notes').fetchone()[0])\n"_s,
                 { file }),
        QByteArray("6000 6000"));
    MainWindow window;
    EntriesPage* page = showRow(window, file, 1, 0);
    QVERIFY(page);
    const QString detail = shownDetail(page);
    QVERIFY2(detail.contains(u"body holds 6,000 characters"_s), qPrintable(detail.left(300)));
    QVERIFY2(detail.contains(u"Show all (6,000 characters)"_s), qPrintable(detail.left(300)));
    auto* pane = page->findChild<EntryDetailPane*>();
    QVERIFY(pane);
    QSignalSpy shown(pane->wholeValue(), &EntryWholeValue::shown);
    pane->wholeValue()->show(page->entryModel(), 0, u"body"_s);
    QVERIFY(shown.wait(20000));
    auto* wholePage = page->findChild<QWidget*>(u"wholeValuePage"_s);
    QVERIFY(wholePage);
    const QString about = wholePage->findChild<QLabel*>()->text();
    QVERIFY2(about.startsWith(u"“body”, 6,000 characters, shown whole."_s), qPrintable(about));
    QString expected;
    for (int i = 0; i < 1000; ++i)
        expected += QString::fromUcs4(U"\U0001F600", 1);
    expected += QString(5000, u'x');
    QCOMPARE(pane->wholeValue()->shownText().remove(u'\n'), expected); // broken in blocks of 4,096
    const QString saved = m_dir.filePath(u"emoji.txt"_s);
    QCOMPARE(saveColumn(page, 0, u"body"_s, saved), u"Saved 6,000 characters of “body” to %1."_s.arg(saved));
}

// #23.3 (audit): "Show all" of a pickled value longer than the form shows (sqlitedict's 2,000 x 100 matrix, 876,807
// bytes of pickle) opened a hex dump of the pickle's bytes. The whole value as Python's repr() writes it, stored by the
// real library.
void TestShowAll::pickleShownUnpickled()
{
    const QString file = m_dir.filePath(u"matrix.sqlite"_s);
    const QString expected = m_dir.filePath(u"matrix.repr"_s);
    const CliResult made
        = runPythonScript(u"import sys\n"
                          "from sqlitedict import SqliteDict\n"
                          "matrix = [[i * 100 + j + 0.5 * (j % 2) for j in range(100)] for i in range(2000)]\n"
                          "with SqliteDict(sys.argv[1], autocommit=True) as d:\n"
                          "    d['matrix'] = matrix\n"
                          "open(sys.argv[2], 'w').write(repr(matrix))\n"_s,
            { file, expected });
    QVERIFY2(made.exitCode == 0, made.err.constData());
    QFile reprFile(expected);
    QVERIFY(reprFile.open(QIODevice::ReadOnly));
    const QString repr = QString::fromUtf8(reprFile.readAll());
    MainWindow window;
    EntriesPage* page = showRow(window, file, 1, 0);
    QVERIFY(page);
    auto* pane = page->findChild<EntryDetailPane*>();
    QVERIFY(pane);
    QSignalSpy shown(pane->wholeValue(), &EntryWholeValue::shown);
    pane->wholeValue()->show(page->entryModel(), 0, u"value"_s);
    QVERIFY(shown.wait(60000));
    const QString about = page->findChild<QWidget*>(u"wholeValuePage"_s)->findChild<QLabel*>()->text();
    QVERIFY2(about.contains(u"unpickled as Python's repr() writes it."_s), qPrintable(about));
    QCOMPARE(pane->wholeValue()->shownText().remove(u'\n'), repr); // broken in blocks of 4,096
}

QTEST_MAIN(TestShowAll)
#include "tst_showall.moc"
