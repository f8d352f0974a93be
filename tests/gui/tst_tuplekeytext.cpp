// SPDX-License-Identifier: GPL-3.0-or-later
// #23/#28: a diskcache key ('user', 3) read as ["user", 3] in the Overview's largest entries and
// in the Prune plan's sample keys (Pickle::text writes the JSON, where a tuple is a list). Text
// shown to people writes it as Python does (PythonRepr); a str key stays as it is. `--key-json`
// still takes the JSON form, and the JSON contract of `entries` is unchanged (tst_picklerepr).
#include "openedwindow.h"
#include "pages/overviewpage.h"
#include "testsupport.h"
#include "window/mainwindow.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

class TestTupleKeyText : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void overviewLargestEntriesWriteTheTuple();
    void prunePlanWritesTheTuple();

private:
    QTemporaryDir m_dir;
    QString m_file;
};

void TestTupleKeyText::initTestCase()
{
    QCoreApplication::setOrganizationName(u"CacheScopeTests"_s);
    QVERIFY(m_dir.isValid());
    m_file = m_dir.filePath(u"tuples/cache.db"_s);
    const auto out = runPythonScript(uR"(
import sys, diskcache
c = diskcache.Cache(sys.argv[1])
c[('user', 3)] = 'x' * 5000          # the largest
c[('page', 'home', 2.5)] = 'y' * 3000
c['plain'] = 'z' * 1000              # a str key reads as it is
print(repr(('user', 3)), repr(('page', 'home', 2.5)))
c.close()
)"_s,
        { m_dir.filePath(u"tuples"_s) });
    QVERIFY2(out.exitCode == 0, out.err.constData());
    QCOMPARE(out.out.trimmed(), QByteArray("('user', 3) ('page', 'home', 2.5)")); // Python's own repr
}

void TestTupleKeyText::overviewLargestEntriesWriteTheTuple()
{
    MainWindow window;
    window.resize(1000, 708);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(openAndWait(window, m_file, Database::Mode::ReadOnly, MainWindow::Remember::No));
    window.pages()->setCurrentWidget(window.overviewPage());
    OverviewPage* overview = window.overviewPage();
    QTRY_VERIFY2_WITH_TIMEOUT(
        overview->contentsText().contains(u"('user', 3)"_s), qPrintable(overview->contentsText()), 30000);
    const QString text = overview->contentsText();
    QVERIFY2(text.contains(u"('page', 'home', 2.5)"_s), qPrintable(text));
    QVERIFY2(text.contains(u"plain"_s) && !text.contains(u"'plain'"_s), qPrintable(text));
    QVERIFY2(!text.contains(u"[&quot;user&quot;, 3]"_s) && !text.contains(u"[\"user\", 3]"_s), qPrintable(text));
    // info --json's largest keys are that text too (as their users read them, docs/CLI.md).
    const auto info = runCli({ u"info"_s, m_file, u"--json"_s });
    QCOMPARE(info.exitCode, 0);
    const QJsonArray largest = info.json()[u"contents"_s].toObject()[u"largest"_s].toArray();
    QCOMPARE(largest.first().toObject()[u"key"_s].toString(), u"('user', 3)"_s);
}

void TestTupleKeyText::prunePlanWritesTheTuple()
{
    // The plan of a prune that would take every entry: its sample keys, in text and JSON.
    const auto text = runCli({ u"prune"_s, m_file, u"--max-bytes"_s, u"0"_s, u"--dry-run"_s });
    QCOMPARE(text.exitCode, 0);
    QVERIFY2(text.out.contains("('user', 3)"), text.out.constData());
    QVERIFY2(!text.out.contains("[\"user\", 3]"), text.out.constData());
    const auto json = runCli({ u"prune"_s, m_file, u"--max-bytes"_s, u"0"_s, u"--dry-run"_s, u"--json"_s });
    QCOMPARE(json.exitCode, 0);
    const QStringList keys = json.json()[u"sample_keys"_s].toVariant().toStringList();
    QVERIFY2(keys.contains(u"('user', 3)"_s), qPrintable(keys.join(u" | "_s)));
    QVERIFY2(keys.contains(u"('page', 'home', 2.5)"_s), qPrintable(keys.join(u" | "_s)));
    QVERIFY2(keys.contains(u"plain"_s), qPrintable(keys.join(u" | "_s)));
    // And the key is still given back to the CLI in its JSON form.
    const auto found = runCli({ u"entries"_s, m_file, u"--key-json"_s, u"[\"user\", 3]"_s, u"--json"_s });
    QCOMPARE(found.exitCode, 0);
    QCOMPARE(found.json()[u"rows"_s].toArray().size(), 1);
}

QTEST_MAIN(TestTupleKeyText)
#include "tst_tuplekeytext.moc"
