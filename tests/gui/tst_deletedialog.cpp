// SPDX-License-Identifier: GPL-3.0-or-later
// Issue #28, the Delete dialog's words: its file list in the order its totals line says them
// (the database, then its -wal and -shm), the label above the list saying what happens to them
// (moved to the trash or deleted for good, with the trash box), and "-wal", "-shm", "-wal's"
// never broken at their hyphen when a label wraps. Against a real cache with a real -wal and -shm.
#include "dialogs/deletedialog.h"
#include "scratchdir.h"
#include "testsupport.h"

#include <QCheckBox>
#include <QFileInfo>
#include <QFontMetrics>
#include <QLabel>
#include <QLayout>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>
#include <QTextDocument>
#include <QTextLayout>
#include <QTreeWidget>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

class TestDeleteDialog : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void listsFilesInTheOrderItSaysThem();
    void saysWhatHappensAboveTheList_data();
    void saysWhatHappensAboveTheList();
    void suffixesNeverBreakAtTheirHyphen();
    void holdersFilesAreFilesAndLocksAreWords_data();
    void holdersFilesAreFilesAndLocksAreWords();

private:
    // The dialog on a real cache whose -wal and -shm a killed writer left, checked once.
    std::unique_ptr<DeleteDialog> openChecked(bool foldedOnClose = false);

    QTemporaryDir m_dataHome;
    ScratchDir m_dir;
    QString m_db;
};

void TestDeleteDialog::initTestCase()
{
    QVERIFY(m_dataHome.isValid()); // a trash of the test's own
    qputenv("XDG_DATA_HOME", QFile::encodeName(m_dataHome.path()));
}

void TestDeleteDialog::init()
{
    QVERIFY(m_dir.renew());
    m_db = m_dir.filePath(u"cache.db"_s);
    makeCache(m_db, u"wal"_s, 200);
    writeLeavingWal(m_db, 300);
    QVERIFY(QFileInfo(m_db + u"-wal"_s).size() > 0 && QFileInfo(m_db + u"-shm"_s).size() > 0);
}

std::unique_ptr<DeleteDialog> TestDeleteDialog::openChecked(bool foldedOnClose)
{
    auto dialog = std::make_unique<DeleteDialog>(m_db);
    dialog->setFoldedOnClose(foldedOnClose);
    dialog->resize(1000, 708);
    dialog->show();
    if (!QTest::qWaitForWindowExposed(dialog.get())
        || !QTest::qWaitFor([&] { return dialog->deleteButton()->isEnabled(); }, 20000))
        return nullptr;
    dialog->layout()->activate(); // the labels' heights for their new words, before a screenshot
    return dialog;
}

namespace {
// The lines of a label's text laid out as the label lays it out: its font, its width.
QStringList linesOf(const QLabel& label, int width)
{
    QTextDocument document;
    document.setDefaultFont(label.font());
    document.setDocumentMargin(0);
    if (Qt::mightBeRichText(label.text()))
        document.setHtml(label.text());
    else
        document.setPlainText(label.text());
    document.setTextWidth(width);
    document.size(); // lays it out: a block has no lines before
    QStringList lines;
    for (QTextBlock block = document.begin(); block.isValid(); block = block.next()) {
        const QTextLayout* layout = block.layout();
        for (int i = 0; i < layout->lineCount(); ++i) {
            const QTextLine line = layout->lineAt(i);
            lines << block.text().mid(line.textStart(), line.textLength());
        }
    }
    return lines;
}

// The line ends inside "-wal", "-shm" or "-journal", after the hyphen that begins the word (a hyphen within a word,
// as in the path's "tst_deletedialog-AbCdEf", may end a line: the path is shown as it is).
bool endsWithWordHyphen(const QString& line)
{
    const QString text = line.trimmed();
    if (!text.endsWith(u'-') && !text.endsWith(QChar(0x2011)))
        return false;
    return text.size() == 1 || !text[text.size() - 2].isLetterOrNumber();
}
} // namespace

// The totals line said "the database …, its -wal … and its -shm …" below a list of the -wal, the
// -shm, then the database (the removal order): one order, the database first, in both.
void TestDeleteDialog::listsFilesInTheOrderItSaysThem()
{
    auto dialog = openChecked();
    QVERIFY(dialog);
    auto* tree = dialog->findChild<QTreeWidget*>(u"filesTree"_s);
    QStringList shown;
    for (int i = 0; i < tree->topLevelItemCount(); ++i)
        shown << tree->topLevelItem(i)->text(0);
    QCOMPARE(shown, QStringList({ m_db, m_db + u"-wal"_s, m_db + u"-shm"_s }));
    const QString totals = dialog->totalsText();
    const qsizetype db = totals.indexOf(u"the database ("_s), wal = totals.indexOf(u"its -wal ("_s),
                    shm = totals.indexOf(u"its -shm ("_s);
    QVERIFY2(db >= 0 && db < wal && wal < shm, qPrintable(totals));
}

void TestDeleteDialog::saysWhatHappensAboveTheList_data()
{
    QTest::addColumn<bool>("foldedOnClose");
    QTest::newRow("no connection of this window") << false;
    QTest::newRow("this window's connection the last") << true;
}

// "These files will be removed" stood above files that go to the trash. It says what happens to
// them now, as the totals line does, and follows the trash box.
void TestDeleteDialog::saysWhatHappensAboveTheList()
{
    QFETCH(bool, foldedOnClose);
    auto dialog = openChecked(foldedOnClose);
    QVERIFY(dialog);
    QVERIFY(dialog->movesToTrash());
    auto* label = dialog->findChild<QLabel*>(u"filesLabel"_s);
    const auto said = [label] { return label->text().replace(QChar(0x2011), u'-'); };
    QVERIFY2(!said().contains(u"removed"_s) || foldedOnClose, qPrintable(said()));
    if (foldedOnClose)
        QCOMPARE(said(),
            u"These files will go, and nothing else: the -wal and -shm are removed, the rest is moved to the trash "
            "(see below):"_s);
    else
        QCOMPARE(said(), u"These files will be moved to the trash, and nothing else:"_s);
    QVERIFY(dialog->grab().save(
        screenshotPath(foldedOnClose ? u"delete-dialog-words-folded.png"_s : u"delete-dialog-words-trash.png"_s)));
    auto* trash = dialog->findChild<QCheckBox*>(u"trashCheck"_s);
    QTest::mouseClick(trash, Qt::LeftButton, {}, QPoint(4, trash->height() / 2));
    QVERIFY(!dialog->movesToTrash());
    QCOMPARE(said(), u"These files will be deleted for good, and nothing else:"_s);
    QVERIFY(dialog->totalsText().startsWith(u"Will delete "_s)); // as the totals line says
    QVERIFY(exists(m_db));
}

// "-wal's" broke at its hyphen ("the -" | "wal's frames") where the status label wrapped. No
// line of the dialog's labels ends with a hyphen, at its default width or any narrower one, and
// the font draws the non-breaking hyphen that holds them together; the words the dialog gives to
// tests and callers (totalsText) keep the plain "-wal".
void TestDeleteDialog::suffixesNeverBreakAtTheirHyphen()
{
    auto dialog = openChecked(true); // the longest totals line: "-wal's", "-wal and -shm"
    QVERIFY(dialog);
    QVERIFY2(dialog->totalsText().contains(u"the -wal's frames"_s), qPrintable(dialog->totalsText()));
    auto* status = dialog->findChild<QLabel*>(u"statusLabel"_s);
    auto* intro = dialog->findChild<QLabel*>(u"introLabel"_s);
    auto* files = dialog->findChild<QLabel*>(u"filesLabel"_s);
    QVERIFY(QFontMetrics(status->font()).inFontUcs4(0x2011));
    dialog->resize(640, 708); // narrow: its minimum width is 620
    dialog->layout()->activate();
    QVERIFY(files->wordWrap()); // the longest of its words do not fit in one line there
    QVERIFY(dialog->grab().save(screenshotPath(u"delete-dialog-narrow.png"_s)));
    int laidOut = 0;
    for (QLabel* label : { status, intro, files }) {
        QVERIFY2(label->text().contains(QChar(0x2011)), qPrintable(label->text()));
        for (int width = 120; width <= 978; width += 3) { // up to its width in the 1000 px wide dialog
            const QStringList lines = linesOf(*label, width);
            QVERIFY(!lines.isEmpty());
            for (const QString& line : lines)
                QVERIFY2(!endsWithWordHyphen(line), qPrintable(u"%1 px: %2"_s.arg(width).arg(lines.join(u" | "_s))));
            ++laidOut;
        }
    }
    QVERIFY(laidOut > 100);
}

void TestDeleteDialog::holdersFilesAreFilesAndLocksAreWords_data()
{
    QTest::addColumn<QString>("kind"); // holderScript's
    QTest::addColumn<QString>("doing");
    QTest::newRow("idle connection") << u"idle"_s << u"connected, idle"_s;
    QTest::newRow("reader") << u"reader"_s << u"reading"_s;
    QTest::newRow("writer") << u"writer"_s << u"writing"_s;
}

// Helper N's defect 12 (#28): the holders' Files column said "db, wal, shm, dms, db_shared": SQLite's lock names
// mixed in with the files. The column names files ("database, -wal, -shm"); what the locks say the process does is
// a column of its own, in words, the lock names only in its tooltip. A real python3 child holds the cache open.
void TestDeleteDialog::holdersFilesAreFilesAndLocksAreWords()
{
    QFETCH(QString, kind);
    QFETCH(QString, doing);
    PythonChild holder(holderScript(), { m_db, kind });
    QVERIFY(holder.waitReady());
    DeleteDialog dialog(m_db);
    dialog.resize(1000, 708);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QTRY_VERIFY_WITH_TIMEOUT(dialog.holderCount() == 1, 20000);
    QVERIFY(!dialog.deleteButton()->isEnabled());
    const QTreeWidgetItem* row = dialog.findChild<QTreeWidget*>(u"holdersTree"_s)->topLevelItem(0);
    QCOMPARE(row->text(0), QString::number(holder.pid()));
    QCOMPARE(row->text(DeleteDialog::HolderFilesColumn), u"database, -wal, -shm"_s);
    QCOMPARE(row->text(DeleteDialog::HolderDoingColumn), doing);
    const QString tip = row->toolTip(DeleteDialog::HolderDoingColumn);
    QVERIFY2(tip.startsWith(u"SQLite's locks: "_s) && tip.contains(u"dms"_s), qPrintable(tip));
    for (const QString& lock : { u"dms"_s, u"db_shared"_s, u"read"_s, u"write"_s })
        QVERIFY2(!row->text(DeleteDialog::HolderFilesColumn).contains(lock), qPrintable(row->text(2)));
    if (kind == u"writer"_s)
        QVERIFY(dialog.grab().save(screenshotPath(u"delete-dialog-holder-words.png"_s)));
}

QTEST_MAIN(TestDeleteDialog)
#include "tst_deletedialog.moc"
