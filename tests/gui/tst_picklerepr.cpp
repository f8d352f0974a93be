// SPDX-License-Identifier: GPL-3.0-or-later
// #28 defect 13: a pickle is shown as Python wrote it — the Entries table, the detail and
// `entries --key` in text show what Python's own repr() prints for the same key and value
// (a dict in its insertion order, a tuple as a tuple, 0.0 as 0.0, 1e20 as 1e+20, strings
// and bytes quoted and escaped as Python does), on a cache written by Debian's python3-diskcache.
// The JSON (`--json`, "Copy entry as JSON") stays as docs/CLI.md describes it.
#include "entrycells.h"
#include "openedwindow.h"
#include "pages/entriespage.h"
#include "shownentry.h"
#include "testsupport.h"
#include "window/mainwindow.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

class TestPickleRepr : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void tableAndDetailShowPythonsRepr();
    void cliKeyTextShowsPythonsRepr();
    void jsonTreeInStoredOrderAndPythonsWords();

private:
    QTemporaryDir m_dir;
    QString m_file;
    QList<QPair<QString, QString>> m_reprs; // (repr(key), repr(value)) as Python printed them
};

// Each entry's key and value, set by diskcache and printed by repr() in the same script.
static const char* const kScript = R"(
import sys, json, diskcache
c = diskcache.Cache(sys.argv[1])
entries = [
    (('user', 3), {'b': 1, 'a': 0.0, 'c': (1, 2)}),
    (('floats',), [1.0, 1e20, 1.5e-05, 0.1, -0.0, 1e16, 1e15, 123456.789, 2.5e-300, float('inf')]),
    (('strings', 1.0), {'z': "it's", 'y': 'say "hi"', 'x': 'a\nb\tc\\', 'w': 'caf\u00e9 \u200b \x7f', 'v': b"\x00ab'", 't': (7,), 's': ()}),
]
for key, value in entries:
    c[key] = value
    print(json.dumps([repr(key), repr(value)]))
c.close()
)";

void TestPickleRepr::initTestCase()
{
    QCoreApplication::setOrganizationName(u"CacheScopeTests"_s);
    QVERIFY(m_dir.isValid());
    m_file = m_dir.filePath(u"repr/cache.db"_s);
    const auto out = runPythonScript(QString::fromLatin1(kScript), { m_dir.filePath(u"repr"_s) });
    QVERIFY2(out.exitCode == 0, out.err.constData());
    for (const QByteArray& line : out.out.trimmed().split('\n')) {
        const QJsonArray pair = QJsonDocument::fromJson(line).array();
        m_reprs << qMakePair(pair[0].toString(), pair[1].toString());
    }
    QCOMPARE(m_reprs.size(), 3);
    QCOMPARE(m_reprs[0].second, u"{'b': 1, 'a': 0.0, 'c': (1, 2)}"_s); // the script is the one meant
}

void TestPickleRepr::tableAndDetailShowPythonsRepr()
{
    MainWindow window;
    window.resize(1000, 708);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(openAndWait(window, m_file, Database::Mode::ReadOnly, MainWindow::Remember::No));
    window.pages()->setCurrentWidget(window.entriesPage());
    EntriesPage* page = window.entriesPage();
    EntryModel* model = page->entryModel();
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 3, 10000);
    const int key = int(model->view().columnNames().indexOf(u"key"_s));
    const int value = int(model->view().columnNames().indexOf(u"value"_s));
    QVERIFY(key >= 0 && value >= 0);
    for (const auto& [keyRepr, valueRepr] : std::as_const(m_reprs)) {
        int row = 0;
        while (row < model->rowCount() && cell(model, row, key).toString() != keyRepr)
            ++row;
        QVERIFY2(row < model->rowCount(), qPrintable(u"no row shows the key "_s + keyRepr));
        QCOMPARE(cell(model, row, value).toString(), valueRepr);
        QCOMPARE(cell(model, row, value, Qt::ToolTipRole).toString(), valueRepr);
        page->findChild<QTableView*>(u"rowsView"_s)->selectRow(row);
        const QString detail = shownDetail(page);
        QVERIFY2(detail.contains(valueRepr), qPrintable(detail));
        QVERIFY2(detail.contains(keyRepr), qPrintable(detail));
    }
    QVERIFY(window.grab().save(screenshotPath(u"entries-pickle-repr.png"_s)));
}

void TestPickleRepr::cliKeyTextShowsPythonsRepr()
{
    const auto text = runCli({ u"entries"_s, m_file, u"--key-json"_s, u"[\"user\", 3]"_s });
    QCOMPARE(text.exitCode, 0);
    QVERIFY2(QString::fromUtf8(text.out).contains(m_reprs[0].second), text.out.constData());
    // The JSON is as docs/CLI.md says: a tuple is a list, keys as JSON keeps them.
    const auto json = runCli({ u"entries"_s, m_file, u"--key-json"_s, u"[\"user\", 3]"_s, u"--json"_s });
    QCOMPARE(json.exitCode, 0);
    const QJsonObject row = json.json()[u"rows"_s].toArray().first().toObject();
    QCOMPARE(row[u"key"_s].toArray(), (QJsonArray { u"user"_s, 3 }));
    QCOMPARE(row[u"value"_s].toObject()[u"c"_s].toArray(), (QJsonArray { 1, 2 }));
    QCOMPARE(row[u"value"_s].toObject()[u"a"_s].toDouble(), 0.0);
}

void TestPickleRepr::jsonTreeInStoredOrderAndPythonsWords()
{
    // The detail's tree of {'b': 1, 'a': 0.0, 'c': (1, 2)}: b, a, c as stored (a QJsonObject
    // sorted them a, b, c), 0.0 as Python writes it (JSON: 0), the tuple as a tuple.
    MainWindow window;
    window.resize(1000, 708);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    EntriesPage* page = window.entriesPage();
    const QString detail = detailOf(window, m_file, u"key"_s, m_reprs[0].first);
    QVERIFY2(detail.contains(m_reprs[0].second), qPrintable(detail));
    auto* tree = page->findChild<QTreeWidget*>(u"jsonTree"_s);
    QVERIFY(tree);
    QTreeWidgetItem* value = nullptr;
    for (int i = 0; i < tree->topLevelItemCount(); ++i)
        if (tree->topLevelItem(i)->text(0) == u"value"_s)
            value = tree->topLevelItem(i);
    QVERIFY(value && value->childCount() == 1);
    QTreeWidgetItem* dict = value->child(0);
    QCOMPARE(dict->text(1), u"{3}"_s);
    QStringList names;
    QStringList texts;
    for (int i = 0; i < dict->childCount(); ++i) {
        names << dict->child(i)->text(0);
        texts << dict->child(i)->text(1);
    }
    QCOMPARE(names, (QStringList { u"b"_s, u"a"_s, u"c"_s }));
    QCOMPARE(texts, (QStringList { u"1"_s, u"0.0"_s, u"(2)"_s }));
    QTreeWidgetItem* tuple = dict->child(2);
    QCOMPARE(tuple->childCount(), 2);
    QCOMPARE(tuple->child(0)->text(1), u"1"_s);
    QCOMPARE(tuple->child(1)->text(1), u"2"_s);
    // The key ('user', 3) is a tuple too, and the strings entry's values are Python's repr.
    const QString strings = detailOf(window, m_file, u"key"_s, m_reprs[2].first);
    QVERIFY2(strings.contains(m_reprs[2].second), qPrintable(strings));
    QTreeWidgetItem* stringsValue = nullptr;
    for (int i = 0; i < tree->topLevelItemCount(); ++i)
        if (tree->topLevelItem(i)->text(0) == u"value"_s)
            stringsValue = tree->topLevelItem(i)->child(0);
    QVERIFY(stringsValue);
    QStringList stringNames;
    for (int i = 0; i < stringsValue->childCount(); ++i)
        stringNames << stringsValue->child(i)->text(0);
    QCOMPARE(stringNames, (QStringList { u"z"_s, u"y"_s, u"x"_s, u"w"_s, u"v"_s, u"t"_s, u"s"_s }));
    QCOMPARE(stringsValue->child(0)->text(1), u"it's"_s); // text as the tree shows text: unquoted
    QCOMPARE(stringsValue->child(4)->text(1), u"b\"\\x00ab'\""_s); // bytes as Python writes them
    QCOMPARE(stringsValue->child(5)->text(1), u"(1)"_s);
}

QTEST_MAIN(TestPickleRepr)
#include "tst_picklerepr.moc"
