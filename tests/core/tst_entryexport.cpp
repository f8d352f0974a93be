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
            "INSERT INTO e VALUES (4, 'long', printf('%.2000c', 'x'));"
            "INSERT INTO e VALUES (5, 'big blob', CAST(zeroblob(5000) || x'0102' AS BLOB));"_s);
    }
    void jsonLines();
    void csv();
    void filteredAndCancelled();
    void base64AndChosenEntries();

private:
    QByteArray run(EntryExport::Format format, const EntryFilter& filter = {}, bool cancelled = false)
    {
        EntryExport::Options options;
        options.format = format;
        return run(options, filter, cancelled);
    }
    QByteArray run(const EntryExport::Options& options, const EntryFilter& filter = {}, bool cancelled = false)
    {
        QBuffer buffer;
        buffer.open(QIODevice::WriteOnly);
        std::atomic_bool cancel { cancelled };
        auto written = EntryExport::run(m_file, u"e"_s, filter, options, &buffer, cancel);
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
    QCOMPARE(lines.size(), 6); // 5 objects and the empty string after the last newline
    QList<QJsonObject> rows;
    for (int i = 0; i < 5; ++i) {
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

void TestEntryExport::base64AndChosenEntries()
{
    // Issue #28: "binary as base64" writes every BLOB whole ({"blob_bytes", "base64"}; the base64
    // text in CSV), also one longer than the column's preview; a selection exports its entries in
    // its order, read again whole, and leaves out one removed since.
    const QByteArray blob = QByteArray(5000, '\0') + QByteArray("\x01\x02", 2);
    EntryExport::Options options;
    options.binary = EntryExport::Binary::Base64;
    options.keys = { { qint64(5) }, { qint64(2) }, { qint64(99) } };
    const QList<QByteArray> lines = run(options).split('\n');
    QCOMPARE(lines.size(), 3);
    const QJsonObject big = QJsonDocument::fromJson(lines[0]).object();
    QCOMPARE(big[u"id"_s].toInt(), 5);
    QCOMPARE(big[u"value"_s][u"blob_bytes"_s].toInt(), 5002);
    QCOMPARE(QByteArray::fromBase64(big[u"value"_s][u"base64"_s].toString().toLatin1()), blob);
    const QJsonObject small = QJsonDocument::fromJson(lines[1]).object();
    QCOMPARE(small[u"id"_s].toInt(), 2);
    QCOMPARE(small[u"value"_s][u"base64"_s].toString(), QString::fromLatin1(QByteArray("\x00\xff\x41", 3).toBase64()));
    QCOMPARE(small[u"key"_s].toString(), u"with \"quotes\", commas"_s); // text stays text
    options.format = EntryExport::Format::Csv;
    options.keys = { { qint64(2) } };
    QCOMPARE(run(options), QByteArray("id,key,value\r\n2,\"with \"\"quotes\"\", commas\",AP9B\r\n"));
    // Without base64 the same BLOB is its size and a preview, as before.
    options.binary = EntryExport::Binary::Preview;
    QVERIFY(run(options).endsWith(",..A\r\n"));
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
