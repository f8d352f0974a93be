// SPDX-License-Identifier: GPL-3.0-or-later
// The entry detail of a table no cache library wrote (#28 item 5, new-user review): a REAL time column
// read "ts 1.7e+09 = 2023-11-14 22:13:20.000 UTC" while the table's cell said 1700000000; numbers read in the
// detail as the table shows them, with the date they stand for.
#include "shownentry.h"
#include "testsupport.h"
#include "window/mainwindow.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

class TestGenericDetail : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void realTimesReadAsStored();
    void cutTextSaysItsStoredLength();
};

void TestGenericDetail::realTimesReadAsStored()
{
    QCoreApplication::setOrganizationName(u"CacheScopeTests"_s);
    QCoreApplication::setApplicationName(u"tst_genericdetail"_s);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString file = dir.filePath(u"plain.db"_s);
    const auto made = runPythonScript(u"import sqlite3, sys\n"
                                      "c = sqlite3.connect(sys.argv[1])\n"
                                      "c.execute('CREATE TABLE notes(id INTEGER PRIMARY KEY, title TEXT, ts REAL, "
                                      "score REAL)')\n"
                                      "c.execute(\"INSERT INTO notes(title, ts, score) VALUES ('first', 1700000000.0, "
                                      "2.5e-07), ('second', 1700000001.25, 123456789.5)\")\n"
                                      "c.commit()\n"_s,
        { file });
    QVERIFY2(made.exitCode == 0, made.err.constData());

    MainWindow window;
    window.resize(1000, 708);
    QVERIFY(showAndOpen(window, file, Database::Mode::ReadOnly, MainWindow::Remember::No));
    const QString first = detailOf(window, file, u"title"_s, u"first"_s, u"notes"_s);
    QVERIFY2(first.contains(u"1700000000   = 2023-11-14 22:13:20 UTC"_s), qPrintable(first));
    QVERIFY2(!first.contains(u"e+09"_s), qPrintable(first));
    QVERIFY2(first.contains(u"2.5e-07"_s), qPrintable(first)); // only tiny numbers in exponent form
    const QString second = detailOf(window, file, u"title"_s, u"second"_s, u"notes"_s);
    QVERIFY2(second.contains(u"1700000001.25   = 2023-11-14 22:13:21.250 UTC"_s), qPrintable(second));
    QVERIFY2(second.contains(u"123456789.5"_s) && !second.contains(u"e+08"_s), qPrintable(second));
}

void TestGenericDetail::cutTextSaysItsStoredLength()
{
    // A 300,000-character TEXT (with 1,000 emoji: characters are code points) and a 300,000-byte
    // BLOB: the detail reads their first 131,072 and said "TEXT, 131,072 characters" as if that were all.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString file = dir.filePath(u"long.db"_s);
    const auto made = runPythonScript(u"import sqlite3, sys\n"
                                      "c = sqlite3.connect(sys.argv[1])\n"
                                      "c.execute('CREATE TABLE notes(id INTEGER PRIMARY KEY, title TEXT, body TEXT, "
                                      "data BLOB)')\n"
                                      "body = '\\U0001F600' * 1000 + ('word ' * 60000)[:299000]\n"
                                      "c.execute('INSERT INTO notes(title, body, data) VALUES (?, ?, ?)', "
                                      "('long', body, bytes(300000)))\n"
                                      "c.commit()\n"
                                      "print(len(body))\n"_s,
        { file });
    QVERIFY2(made.exitCode == 0, made.err.constData());
    QCOMPARE(made.out.trimmed(), QByteArray("300000"));
    MainWindow window;
    window.resize(1000, 708);
    QVERIFY(showAndOpen(window, file, Database::Mode::ReadOnly, MainWindow::Remember::No));
    const QString detail = detailOf(window, file, u"title"_s, u"long"_s, u"notes"_s);
    QVERIFY2(detail.contains(u"TEXT, 300,000 characters (the first 131,072 shown)"_s), qPrintable(detail.left(2000)));
    QVERIFY2(!detail.contains(u"TEXT, 131,072 characters"_s), qPrintable(detail.left(2000)));
    QVERIFY2(detail.contains(u"… 299488 more bytes"_s), qPrintable(detail.right(200))); // after the dump's 512
    QVERIFY2(detail.contains(u"300,000 bytes (293 KiB) (the first 131,072 shown)"_s),
        qPrintable(detail.split(u"\n"_s).filter(u"300,000"_s).join(u" | "_s)));
}

QTEST_MAIN(TestGenericDetail)
#include "tst_genericdetail.moc"
