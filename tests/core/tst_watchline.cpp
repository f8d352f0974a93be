// SPDX-License-Identifier: GPL-3.0-or-later
// WatchLine is the one definition of `watch --json`'s line (issue #21): what `watch` writes reads
// back into the same value and writes out again key for key, and every health warning code
// HealthCheck can emit has a title and a remedy in WarningCatalog.
#include "live/warningcatalog.h"
#include "live/watchline.h"
#include "testsupport.h"
#include "writerscripts.h"

#include <QFile>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

class TestWatchLine : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void linesReadBackKeyForKey();
    void everyWarningCodeIsInTheCatalog();
};

void TestWatchLine::linesReadBackKeyForKey()
{
    QTemporaryDir dir;
    const QString db = dir.filePath(u"line.db"_s);
    makeCache(db, u"wal"_s, 1);
    PythonChild writer(QString::fromLatin1(WriterScripts::writeContinuously), { db, u"0.002"_s, u"0"_s });
    QVERIFY(writer.waitReady());
    const CliResult result = runCli({ u"watch"_s, u"--json"_s, u"--interval-ms"_s, u"100"_s, u"--duration-s"_s, u"2"_s,
        u"--processes"_s, u"3"_s, db });
    QCOMPARE(result.exitCode, 0);
    int lines = 0, withWriters = 0, withProcesses = 0;
    for (const QByteArray& text : result.out.trimmed().split('\n')) {
        const QJsonObject written = QJsonDocument::fromJson(text).object();
        const std::optional<WatchLine> line = WatchLine::fromJson(text);
        QVERIFY(line);
        const QJsonObject again = line->toJson();
        for (auto it = written.begin(); it != written.end(); ++it)
            QVERIFY2(
                again.value(it.key()) == it.value(), qPrintable(it.key() + u" differs: "_s + QString::fromUtf8(text)));
        QCOMPARE(again.keys(), written.keys());
        ++lines;
        withWriters += line->writers.isEmpty() ? 0 : 1;
        withProcesses += line->processes ? 1 : 0;
    }
    qInfo("%d lines, %d with writers, %d with processes", lines, withWriters, withProcesses);
    QVERIFY(lines >= 10);
    QVERIFY(withWriters > 0);
    QVERIFY(withProcesses > 0);
}

void TestWatchLine::everyWarningCodeIsInTheCatalog()
{
    QFile source(QStringLiteral(CACHESCOPE_SOURCE_DIR) + u"/src/core/live/healthcheck.cpp"_s);
    QVERIFY(source.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(source.readAll());
    const QRegularExpression appended(uR"re(out\.append\(\{ u"([a-z_]+)"_s)re"_s);
    int codes = 0;
    for (auto it = appended.globalMatch(text); it.hasNext();) {
        const QString code = it.next().captured(1);
        ++codes;
        QVERIFY2(WarningCatalog::find(code), qPrintable(code));
        QVERIFY2(WarningCatalog::title(code) != code, qPrintable(code));
        QVERIFY2(!WarningCatalog::remedy(code).isEmpty(), qPrintable(code));
    }
    QVERIFY(codes >= 8);
    QVERIFY(WarningCatalog::find(u"sqlite_wal_reset_bug"_s));
    QVERIFY(WarningCatalog::offersWal(u"rollback_writers_collide"_s));
}

QTEST_GUILESS_MAIN(TestWatchLine)
#include "tst_watchline.moc"
