// SPDX-License-Identifier: GPL-3.0-or-later
// WatchLine is the one definition of `watch --json`'s line (issue #21): what `watch` writes reads
// back into the same value and writes out again key for key, and every health warning code
// HealthCheck can emit has a title and a remedy in WarningCatalog.
#include "live/healthcheck.h"
#include "live/snapshot.h"
#include "live/thresholds.h"
#include "live/walresetbug.h"
#include "live/warningcatalog.h"
#include "live/watchline.h"
#include "live/writertracker.h"
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
    void lockShareIsOneNumber();
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
    const QStringList codes { WarningCode::NotWal, WarningCode::RollbackWritersCollide, WarningCode::NetworkFilesystem,
        WarningCode::CheckpointStarved, WarningCode::WalMuchLargerThanContent, WarningCode::StaleShm,
        WarningCode::WritingToDeletedFile, WarningCode::WriteLockContention, WarningCode::SqliteWalResetBug,
        WarningCode::ValueFilesMissing, WarningCode::ValueFilesOrphaned, WarningCode::ForeignWal,
        WarningCode::WritersActive, WarningCode::ValueFilesLost };
    for (const QString& code : codes) {
        QVERIFY2(WarningCatalog::find(code), qPrintable(code));
        QVERIFY2(WarningCatalog::title(code) != code, qPrintable(code));
        QVERIFY2(!WarningCatalog::remedy(code).isEmpty(), qPrintable(code));
    }
    QCOMPARE(WarningCatalog::all().size(), codes.size()); // nothing in the catalog without its constant
    QCOMPARE(WalResetBug::Code, WarningCode::SqliteWalResetBug);
    QVERIFY(WarningCatalog::offersWal(WarningCode::RollbackWritersCollide));
    QVERIFY(WarningCatalog::offersWal(WarningCode::NotWal));
    // The codes are spelled once: whoever raises a warning uses the constant, never a literal.
    const QRegularExpression literal(uR"re((\.(append|prepend)\(\{|HealthWarning \{) u"[a-z_]+"_s)re"_s);
    for (const QString& file : { u"src/core/live/healthcheck.cpp"_s, u"src/core/report/cachereport.cpp"_s,
             u"src/core/maintenance/checkpoint.cpp"_s, u"src/core/maintenance/vacuum.cpp"_s,
             u"src/cli/cmd_enablewal.cpp"_s }) {
        QFile source(QStringLiteral(CACHESCOPE_SOURCE_DIR) + u"/"_s + file);
        QVERIFY(source.open(QIODevice::ReadOnly));
        const QRegularExpressionMatch match = literal.match(QString::fromUtf8(source.readAll()));
        QVERIFY2(!match.hasMatch(), qPrintable(file + u": "_s + match.captured(0)));
    }
}

QTEST_GUILESS_MAIN(TestWatchLine)
// #28: the Overview's Health said "Limit crossed: the write lock was held 56% of the last 2.2 s" right above the
// warning's "57% of the last 2.2 s", for one sample: the warning was worded from the tracker's share (13 of 23 samples:
// 0.5652…) and the limit from the same share as the watch line carries it (0.565, which reads 56%). One number: the
// warning, `check`'s reading and the line's reading name the same percent and span.
void TestWatchLine::lockShareIsOneNumber()
{
    WriterTracker tracker;
    WriterTracker::Result result;
    for (int i = 0; i < 23; ++i) {
        WriterTracker::Input input;
        input.tMs = 100 * i;
        input.heldByUnseen = i < 13; // a lock /proc/locks names no process for: busy, nobody to read io of
        result = tracker.add(input, false);
    }
    QVERIFY(result.writeLockBusy);
    Snapshot s;
    s.path = u"/nonexistent/share.db"_s;
    s.journalMode = u"wal"_s;
    s.writeLockBusy = result.writeLockBusy;
    s.ratesValid = true;
    s.rateSpanMs = 2200;
    s.warnings = HealthCheck::evaluate(s, nullptr);
    const auto contention = std::find_if(s.warnings.begin(), s.warnings.end(),
        [](const HealthWarning& w) { return w.code == WarningCode::WriteLockContention; });
    QVERIFY(contention != s.warnings.end());
    static const QRegularExpression warned(u"^(\\d+%) of (the last [\\d.]+ m?s)\\."_s);
    const QRegularExpressionMatch said = warned.match(contention->message);
    QVERIFY2(said.hasMatch(), qPrintable(contention->message));
    Thresholds limits;
    limits.maxWriteLockBusy = 0.5;
    limits.warnings = false;
    const WatchLine line = WatchLine::fromJson(WatchLine::of(s, 0).toJson());
    for (const ThresholdReading& reading : { ThresholdReading::of(s), ThresholdReading::of(s.path, line) }) {
        const QList<ThresholdCrossing> crossed = limits.crossedBy(reading);
        QCOMPARE(crossed.size(), 1);
        const QString held = u"the write lock was held %1 of %2, "_s.arg(said.captured(1), said.captured(2));
        QVERIFY2(crossed.first().description.contains(held),
            qPrintable(crossed.first().description + u" | "_s + contention->message));
    }
}

#include "tst_watchline.moc"
