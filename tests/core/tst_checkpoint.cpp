// SPDX-License-Identifier: GPL-3.0-or-later
// Checkpoint against real WAL files written by real Python processes.
#include "live/walresetbug.h"
#include "live/warningcatalog.h"
#include "maintenance/checkpoint.h"
#include "scratchdir.h"
#include "sqlite/database.h"
#include "testsupport.h"

#include <QFileInfo>
#include <QJsonObject>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

class TestCheckpoint : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // What copiedWords says from the counts a run gathered: this run's count first; frames that were waiting but that
    // another process copied back before it ran are not "nothing was waiting" (review of stop 48).
    void copiedWordsFromTheCounts()
    {
        Checkpoint::Outcome outcome;
        outcome.framesWaitingBefore = 9;
        outcome.framesCopied = 45;
        QCOMPARE(outcome.copiedWords(), u"45 frames copied back"_s);
        outcome.framesCopied = 0;
        QCOMPARE(outcome.copiedWords(),
            u"nothing left to copy back (another process had copied the waiting frames back first)"_s);
        outcome.framesWaitingBefore = 0;
        QCOMPARE(outcome.copiedWords(),
            u"nothing was waiting to be copied back (every frame was already in the database)"_s);
        // A report from an older CLI, without frames_copied: the count waiting before, as it said.
        outcome = Checkpoint::Outcome::fromJson(QJsonObject { { u"frames_waiting_before"_s, 1 } });
        QCOMPARE(outcome.copiedWords(), u"1 frame copied back"_s);
        // Unknown (a log restarted at a time the counts leave open): SQLite's own counts, not the count waiting.
        outcome.framesCopied = -1;
        outcome.logFrames = 40;
        outcome.checkpointedFrames = 40;
        QCOMPARE(outcome.copiedWords(), u"all 40 frames of the log are in the database"_s);
    }
    void init()
    {
        QVERIFY(m_dir.renew());
        m_db = m_dir.filePath(u"cache.db"_s);
        makeCache(m_db, u"wal"_s, 100);
    }
    void modes_data();
    void modes();
    void pinnedReaderMakesItBusyAndIsNamed();
    void activeWriterBlocksFullAndTriggersWalResetWarning();
    void refusesRollbackDatabase();
    void walResetBugVersions_data();
    void walResetBugVersions();
    void parseMode_data();
    void parseMode();

private:
    ScratchDir m_dir;
    QString m_db;
};

void TestCheckpoint::modes_data()
{
    QTest::addColumn<QString>("mode");
    QTest::addColumn<bool>("emptiesWal");
    QTest::addRow("passive") << u"passive"_s << false;
    QTest::addRow("full") << u"full"_s << false;
    QTest::addRow("restart") << u"restart"_s << false;
    QTest::addRow("truncate") << u"truncate"_s << true;
}

void TestCheckpoint::modes()
{
    QFETCH(QString, mode);
    QFETCH(bool, emptiesWal);
    writeLeavingWal(m_db, 300);
    const qint64 walBefore = QFileInfo(m_db + u"-wal"_s).size();
    QVERIFY(walBefore > 300 * 200);
    // An idle connection elsewhere keeps our close from checkpointing and removing the -wal,
    // so the sizes show what the checkpoint itself did.
    PythonChild idle(holderScript(), { m_db, u"idle"_s });
    QVERIFY(idle.waitReady());
    auto outcome = Checkpoint::run(m_db, { *Checkpoint::parseMode(mode), 5000 });
    QVERIFY2(outcome.ok(), qPrintable(outcome.error().message));
    QVERIFY(!outcome->busy);
    QVERIFY(!outcome->incomplete());
    QCOMPARE(outcome->walBytesBefore, walBefore);
    QCOMPARE(outcome->walBytesAfter, emptiesWal ? 0 : walBefore);
    QCOMPARE(QFileInfo(m_db + u"-wal"_s).size(), outcome->walBytesAfter);
    if (!emptiesWal) {
        QVERIFY(outcome->logFrames > 0);
        QCOMPARE(outcome->checkpointedFrames, outcome->logFrames);
    }
    idle.stop();
    QCOMPARE(queryInt(m_db, u"SELECT count(*) FROM entries"_s), 400);
    QCOMPARE(queryInt(m_db, u"SELECT count(*) FROM entries WHERE key LIKE 'wal-%'"_s), 300);
}

void TestCheckpoint::pinnedReaderMakesItBusyAndIsNamed()
{
    writeLeavingWal(m_db, 50);
    PythonChild reader(holderScript(), { m_db, u"reader"_s });
    QVERIFY(reader.waitReady());
    writeLeavingWal(m_db, 50); // frames after the reader's snapshot
    auto outcome = Checkpoint::run(m_db, { Checkpoint::Mode::Truncate, 300 });
    QVERIFY2(outcome.ok(), qPrintable(outcome.error().message));
    QVERIFY(outcome->busy);
    QVERIFY(outcome->incomplete());
    QVERIFY(outcome->walBytesAfter > 0);
    QCOMPARE(outcome->busyTimeoutMs, 300);
    QVERIFY(outcome->toText().contains(u"300 ms"_s));
    bool named = false;
    for (const auto& blocker : outcome->blockers)
        named = named || (blocker.pid == reader.pid() && blocker.cmdline.contains(u"python3"_s));
    QVERIFY2(named, qPrintable(outcome->toText()));
    reader.stop();
    QCOMPARE(queryInt(m_db, u"SELECT count(*) FROM entries"_s), 200);
}

void TestCheckpoint::activeWriterBlocksFullAndTriggersWalResetWarning()
{
    writeLeavingWal(m_db, 20);
    QVERIFY(Checkpoint::warningsBefore(m_db).isEmpty()); // nobody writes
    PythonChild writer(holderScript(), { m_db, u"writer"_s });
    QVERIFY(writer.waitReady());
    const HealthWarnings before = Checkpoint::warningsBefore(m_db);
    if (WalResetBug::affects(Database::runtimeVersion())) {
        QCOMPARE(before.size(), 1);
        QCOMPARE(before.first().code, WarningCode::SqliteWalResetBug);
        QVERIFY(before.first().message.contains(QString::number(writer.pid())));
    } else {
        QVERIFY(before.isEmpty());
    }
    auto outcome = Checkpoint::run(m_db, { Checkpoint::Mode::Full, 300 });
    QVERIFY2(outcome.ok(), qPrintable(outcome.error().message));
    QVERIFY(outcome->busy);
    QCOMPARE(outcome->warnings, before);
    bool named = false;
    for (const auto& blocker : outcome->blockers)
        named = named || (blocker.pid == writer.pid() && blocker.locks.contains(u"write"_s));
    QVERIFY2(named, qPrintable(outcome->toText()));
    writer.stop();
    QCOMPARE(queryInt(m_db, u"SELECT count(*) FROM entries"_s), 120); // the uncommitted insert is gone
}

void TestCheckpoint::refusesRollbackDatabase()
{
    const QString file = m_dir.filePath(u"rollback.db"_s);
    makeCache(file, u"delete"_s, 5);
    auto outcome = Checkpoint::run(file, { Checkpoint::Mode::Truncate, 100 });
    QVERIFY(!outcome.ok());
    QCOMPARE(outcome.error().kind, Error::Kind::Invalid);
    QVERIFY2(outcome.error().message.contains(u"not in WAL mode"_s), qPrintable(outcome.error().message));
    QCOMPARE(headerVersions(file), qMakePair(1, 1)); // not switched
    QVERIFY(!exists(file + u"-wal"_s));
}

void TestCheckpoint::walResetBugVersions_data()
{
    QTest::addColumn<QString>("version");
    QTest::addColumn<bool>("affected");
    QTest::addRow("3.6.23") << u"3.6.23"_s << false;
    QTest::addRow("3.7.0") << u"3.7.0"_s << true;
    QTest::addRow("3.40.1") << u"3.40.1"_s << true;
    QTest::addRow("3.51.2") << u"3.51.2"_s << true;
    QTest::addRow("3.51.3") << u"3.51.3"_s << false;
    QTest::addRow("3.52.0") << u"3.52.0"_s << false;
}

void TestCheckpoint::walResetBugVersions()
{
    QFETCH(QString, version);
    QFETCH(bool, affected);
    QCOMPARE(WalResetBug::affects(version), affected);
}

void TestCheckpoint::parseMode_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("valid");
    QTest::addRow("PASSIVE") << u"PASSIVE"_s << true;
    QTest::addRow("truncate") << u"truncate"_s << true;
    QTest::addRow("empty") << QString() << false;
    QTest::addRow("bogus") << u"fast"_s << false;
}

void TestCheckpoint::parseMode()
{
    QFETCH(QString, name);
    QFETCH(bool, valid);
    QCOMPARE(Checkpoint::parseMode(name).has_value(), valid);
}

QTEST_GUILESS_MAIN(TestCheckpoint)
#include "tst_checkpoint.moc"
