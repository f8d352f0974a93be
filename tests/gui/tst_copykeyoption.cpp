// SPDX-License-Identifier: GPL-3.0-or-later
// "Copy key as a cachescope-cli option" gives what `cachescope-cli entries` takes (#23.6), for
// every kind of key Debian's python3-diskcache stores — a tuple ('user', 3) as memoize makes,
// an int, a float, a text key that reads like that int, a text key with a quote — and the copied
// text, given to a POSIX shell as it is, makes the real CLI find exactly that entry.
#include "entrycells.h"
#include "models/entrymodel.h"
#include "openedwindow.h"
#include "pages/entriespage.h"
#include "scratchdir.h"
#include "testsupport.h"

#include <QApplication>
#include <QClipboard>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTableView>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

class TestCopyKeyOption : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void copiedKeyFindsExactlyItsEntry();

private:
    ScratchDir m_dir;
    QString m_cache;
};

void TestCopyKeyOption::initTestCase()
{
    QCoreApplication::setOrganizationName(u"CacheScopeTests"_s);
    QCoreApplication::setApplicationName(u"tst_copykeyoption"_s);
    QVERIFY(m_dir.renew());
    m_cache = m_dir.filePath(u"dc"_s);
    const auto made = runPythonScript(u"import diskcache, sys\n"
                                      "c = diskcache.Cache(sys.argv[1])\n"
                                      "c[('user', 3)] = 'the tuple'\n"
                                      "c[('user', 4)] = 'another tuple'\n"
                                      "c[7] = 'the int'\n"
                                      "c['7'] = 'the text that reads 7'\n"
                                      "c[7.5] = 'the float'\n"
                                      "c[\"it's\"] = 'the quoted text'\n"
                                      "c[b'it'] = 'the bytes that read it'\n"
                                      "c[b'\\x00\\xff'] = 'the binary bytes'\n"
                                      "c.close()\n"_s,
        { m_cache });
    QVERIFY2(made.exitCode == 0, made.err.constData());
}

void TestCopyKeyOption::copiedKeyFindsExactlyItsEntry()
{
    // What the library returns for each of its keys: the values, each once.
    const auto read = runPythonScript(
        u"import diskcache, json, sys\nc = diskcache.Cache(sys.argv[1])\nprint(json.dumps([c[k] for k in c]))"_s,
        { m_cache });
    QVERIFY2(read.exitCode == 0, read.err.constData());
    QStringList libraryValues;
    for (const QJsonValue& value : QJsonDocument::fromJson(read.out).array())
        libraryValues << value.toString();
    QCOMPARE(libraryValues.size(), 8);

    MainWindow window;
    QVERIFY(openAndWait(window, m_cache, Database::Mode::ReadOnly, MainWindow::Remember::No));
    EntriesPage* page = window.entriesPage();
    EntryModel* model = page->entryModel();
    QVERIFY(model);
    QTRY_COMPARE_WITH_TIMEOUT(model->totalCount(), qint64(libraryValues.size()), 30000);
    const int valueColumn = model->view().columnIndex(EntryColumn::Role::Value);
    auto* rows = page->findChild<QTableView*>(u"rowsView"_s);
    QStringList found;
    QStringList options;
    for (int row = 0; row < model->rowCount(); ++row) {
        const QString shown = cell(model, row, valueColumn).toString();
        rows->selectRow(row);
        QSignalSpy copied(page, &EntriesPage::keyCopied);
        page->copyKey();
        QVERIFY(copied.count() == 1 || copied.wait(10000));
        const QString option = copied.first().first().toString();
        QCOMPARE(QApplication::clipboard()->text(), option);
        options << option;
        // The copied text as a user pastes it into a shell.
        const auto cli = runProgram(u"/bin/sh"_s,
            { u"-c"_s, u"\"$0\" entries \"$1\" %1 --json"_s.arg(option), QStringLiteral(CACHESCOPE_CLI_PATH),
                m_cache });
        QVERIFY2(cli.exitCode == 0, qPrintable(option + u": "_s + QString::fromUtf8(cli.err)));
        const QJsonArray rowsFound = QJsonDocument::fromJson(cli.out)[u"rows"_s].toArray();
        QVERIFY2(rowsFound.size() == 1, qPrintable(option + u": "_s + QString::fromUtf8(cli.out)));
        const QString value = rowsFound.at(0).toObject().value(u"value"_s).toString();
        QCOMPARE(value, shown);
        found << value;
    }
    // The forms the CLI documents: --key-json for a tuple and a number, --key for text.
    QVERIFY2(options.contains(u"--key-json '[\"user\",3]'"_s), qPrintable(options.join(u" | "_s)));
    QVERIFY2(options.contains(u"--key-json '7'"_s), qPrintable(options.join(u" | "_s)));
    // A text that reads as a number goes as JSON text: --key '7' would find the int 7 too.
    QVERIFY2(options.contains(u"--key-json '\"7\"'"_s), qPrintable(options.join(u" | "_s)));
    QVERIFY2(options.contains(u"--key 'it'\\''s'"_s), qPrintable(options.join(u" | "_s)));
    // A bytes key by its bytes (--key would find a text key that reads the same first).
    QVERIFY2(options.contains(u"--key-json '{\"base64\":\"aXQ=\"}'"_s), qPrintable(options.join(u" | "_s)));
    QVERIFY2(options.contains(u"--key-json '{\"base64\":\"AP8=\"}'"_s), qPrintable(options.join(u" | "_s)));
    found.sort();
    libraryValues.sort();
    QCOMPARE(found, libraryValues); // each entry found by its own key, none by another's
}

QTEST_MAIN(TestCopyKeyOption)
#include "tst_copykeyoption.moc"
