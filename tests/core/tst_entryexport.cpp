// SPDX-License-Identifier: GPL-3.0-or-later
// EntryExport: JSON Lines and CSV of a whole (filtered) table with awkward values: quotes,
// commas, newlines, unicode, BLOBs and NULLs; whole values, not page previews; cancel.
#include "entries/entryexport.h"
#include "testsupport.h"

#include <QBuffer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

class TestEntryExport : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_file = m_dir.filePath(u"export.db"_s);
        exec(m_file,
            u"CREATE TABLE e(id INTEGER PRIMARY KEY, key TEXT, value BLOB);"
            "INSERT INTO e VALUES (1, 'plain', 'v');"
            "INSERT INTO e VALUES (2, 'with \"quotes\", commas', x'00ff41');"
            "INSERT INTO e VALUES (3, 'multi' || char(10) || 'line ü', NULL);"
            "INSERT INTO e VALUES (4, 'long', printf('%.2000c', 'x'));"_s);
    }
    void jsonLines();
    void csv();
    void filteredAndCancelled();

private:
    QByteArray run(EntryExport::Format format, const EntryFilter& filter = {}, bool cancelled = false)
    {
        QBuffer buffer;
        buffer.open(QIODevice::WriteOnly);
        std::atomic_bool cancel { cancelled };
        auto written = EntryExport::run(m_file, u"e"_s, filter, format, &buffer, cancel);
        if (!written)
            qFatal("export failed: %s", qPrintable(written.error().message));
        return buffer.data();
    }
    QTemporaryDir m_dir;
    QString m_file;
};

void TestEntryExport::jsonLines()
{
    const QList<QByteArray> lines = run(EntryExport::Format::JsonLines).split('\n');
    QCOMPARE(lines.size(), 5); // 4 objects and the empty string after the last newline
    QList<QJsonObject> rows;
    for (int i = 0; i < 4; ++i) {
        QJsonParseError error;
        rows << QJsonDocument::fromJson(lines[i], &error).object();
        QCOMPARE(error.error, QJsonParseError::NoError);
    }
    QCOMPARE(rows[1][u"key"_s].toString(), u"with \"quotes\", commas"_s);
    QCOMPARE(rows[1][u"value"_s][u"blob_bytes"_s].toInt(), 3);
    QCOMPARE(rows[2][u"key"_s].toString(), u"multi\nline ü"_s);
    QVERIFY(rows[2][u"value"_s].isNull());
    QCOMPARE(rows[3][u"value"_s].toString().size(), 2000); // whole value, not the 300-character preview
}

void TestEntryExport::csv()
{
    const QByteArray out = run(EntryExport::Format::Csv);
    QVERIFY(out.startsWith("id,key,value\r\n1,plain,v\r\n"));
    QVERIFY(out.contains("2,\"with \"\"quotes\"\", commas\",..A\r\n"));
    QVERIFY(out.contains(u"3,\"multi\nline ü\",\r\n"_s.toUtf8()));
    QCOMPARE(EntryExport::formatForFile(u"x.CSV"_s), EntryExport::Format::Csv);
    QCOMPARE(EntryExport::formatForFile(u"x.jsonl"_s), EntryExport::Format::JsonLines);
}

void TestEntryExport::filteredAndCancelled()
{
    EntryFilter filter;
    filter.text = u"\"quotes\""_s;
    QCOMPARE(run(EntryExport::Format::JsonLines, filter).count('\n'), 1);
    QCOMPARE(run(EntryExport::Format::JsonLines, {}, true), QByteArray());
}

QTEST_GUILESS_MAIN(TestEntryExport)
#include "tst_entryexport.moc"
