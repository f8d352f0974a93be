// SPDX-License-Identifier: GPL-3.0-or-later
// What `checkpoint` says it copied back (#28, helper N's defect 18): after a TRUNCATE (or RESTART)
// SQLite reports the new, empty log, and the text printed "log frames: 0 / checkpointed: 0" beside
// "-wal size: went from 4.0 MiB to 0 B". It now says the frames that were waiting as it began,
// counted from the -shm header through its own connection, in the words the Checkpoint dialog
// uses (Checkpoint::Outcome::copiedWords). Real cachescope-cli processes, real python3 children,
// real files; the count checked against the -wal's own commit frames (WalFile, read by the test).
#include "common/format.h"
#include "os/cacheholders.h"
#include "scratchdir.h"
#include "testsupport.h"
#include "wal/walfile.h"

#include <QDeadlineTimer>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

class TestCliCheckpointWords : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void truncateSaysWhatItCopiedBack_data();
    void truncateSaysWhatItCopiedBack();
    void nothingWaitingIsSaidSo();
    void fullCountsFramesCommittedWhileItWaited();
    void restartedLogCountedWhileItWaited();

private:
    // The frames a fresh -wal holds up to its last commit (all of them waiting: nothing was copied back yet).
    qint64 committedFrames() const;
    // A FULL checkpoint run while a python3 writer holds its write lock over `rows` uncommitted rows, the writer told
    // to commit once the run holds SQLite's checkpoint lock: the run's JSON (empty when a step failed).
    QJsonObject fullWhileWriterCommits(int rows) const;
    ScratchDir m_dir;
    QString m_db;
};

void TestCliCheckpointWords::init()
{
    QVERIFY(m_dir.renew());
    m_db = m_dir.filePath(u"cache.db"_s);
    makeCache(m_db, u"wal"_s, 100); // closed cleanly: no -wal yet
    QVERIFY(!QFileInfo::exists(m_db + u"-wal"_s));
}

qint64 TestCliCheckpointWords::committedFrames() const
{
    WalFile wal(m_db + u"-wal"_s); // this process has no connection to the cache: its fd may close
    return wal.update().lastCommitFrame;
}

void TestCliCheckpointWords::truncateSaysWhatItCopiedBack_data()
{
    QTest::addColumn<QString>("mode");
    QTest::newRow("truncate") << u"truncate"_s;
    QTest::newRow("restart") << u"restart"_s;
}

void TestCliCheckpointWords::truncateSaysWhatItCopiedBack()
{
    QFETCH(QString, mode);
    PythonChild idle(holderScript(), { m_db, u"idle"_s }); // keeps the -wal when the CLI's connection closes
    QVERIFY(idle.waitReady());
    writeLeavingWal(m_db, 300);
    const qint64 frames = committedFrames();
    QVERIFY2(frames > 10, qPrintable(QString::number(frames)));
    const auto text = runCli({ u"checkpoint"_s, m_db, u"--mode"_s, mode, u"--watch-ms"_s, u"0"_s });
    QCOMPARE(text.exitCode, 0);
    const QString said = QString::fromUtf8(text.out);
    QVERIFY2(said.contains(u"  frames:        %1 frames copied back\n"_s.arg(Format::count(frames))), qPrintable(said));
    QVERIFY2(!said.contains(u"log frames:"_s) && !said.contains(u"checkpointed:"_s), qPrintable(said));
    // The JSON keeps SQLite's counts (after TRUNCATE those of the new, empty log) and gives the count waiting before
    // and the count copied beside them.
    writeLeavingWal(m_db, 200);
    const qint64 again = committedFrames();
    const auto json = runCli({ u"checkpoint"_s, m_db, u"--mode"_s, mode, u"--watch-ms"_s, u"0"_s, u"--json"_s });
    QCOMPARE(json.exitCode, 0);
    const QJsonObject out = json.json();
    QCOMPARE(out[u"frames_waiting_before"_s].toInteger(), again);
    QCOMPARE(out[u"frames_copied"_s].toInteger(), again);
    QCOMPARE(out[u"checkpointed_frames"_s].toInteger(), out[u"log_frames"_s].toInteger()); // complete
}

// A -wal whose frames a PASSIVE checkpoint already copied back: the TRUNCATE after it copies nothing and says so,
// beside the size it gave back.
void TestCliCheckpointWords::nothingWaitingIsSaidSo()
{
    PythonChild idle(holderScript(), { m_db, u"idle"_s });
    QVERIFY(idle.waitReady());
    writeLeavingWal(m_db, 300);
    const qint64 walBefore = QFileInfo(m_db + u"-wal"_s).size();
    const auto passive = runCli({ u"checkpoint"_s, m_db, u"--watch-ms"_s, u"0"_s });
    QCOMPARE(passive.exitCode, 0);
    QVERIFY2(passive.out.contains(u"%1 frames copied back"_s.arg(Format::count(committedFrames())).toUtf8()),
        passive.out.constData());
    const auto truncate = runCli({ u"checkpoint"_s, m_db, u"--mode"_s, u"truncate"_s, u"--watch-ms"_s, u"0"_s });
    QCOMPARE(truncate.exitCode, 0);
    const QString said = QString::fromUtf8(truncate.out);
    QVERIFY2(said.contains(u"  frames:        nothing was waiting to be copied back (every frame was already in the "
                           "database)\n"_s),
        qPrintable(said));
    QVERIFY2(
        said.contains(u"  -wal size:     went from %1 to 0 B\n"_s.arg(Format::bytes(walBefore))), qPrintable(said));
}

namespace {
// A writer that holds its write lock over argv[2] uncommitted rows until told to commit.
const char* const holdThenCommit = R"PY(
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("PRAGMA journal_mode=WAL")
db.execute("PRAGMA wal_autocheckpoint=0")
db.execute("BEGIN IMMEDIATE")
for i in range(int(sys.argv[2])):
    db.execute("INSERT INTO entries(key, value) VALUES (?, ?)", ("held-%d" % i, "v" * 300))
print("ready", flush=True)
for line in sys.stdin:
    if line.strip() == "commit":
        db.execute("COMMIT")
        print("committed", flush=True)
)PY";
} // namespace

QJsonObject TestCliCheckpointWords::fullWhileWriterCommits(int rows) const
{
    PythonChild writer(QString::fromUtf8(holdThenCommit), { m_db, QString::number(rows) });
    if (!writer.waitReady())
        return {};
    QProcess cli;
    cli.setProcessEnvironment(QProcessEnvironment::systemEnvironment());
    cli.start(QStringLiteral(CACHESCOPE_CLI_PATH),
        { u"checkpoint"_s, m_db, u"--mode"_s, u"full"_s, u"--timeout-ms"_s, u"30000"_s, u"--watch-ms"_s, u"0"_s,
            u"--json"_s });
    if (!cli.waitForStarted())
        return {};
    // The CLI holds SQLite's checkpoint lock while it waits for the writer's (/proc/locks, nothing opened).
    const auto holdsCheckpointLock = [&] {
        for (const auto& process : CacheHolders::of(m_db)) {
            if (process.pid == cli.processId() && process.locks.contains(u"checkpoint"_s))
                return true;
        }
        return false;
    };
    QDeadlineTimer deadline(20000);
    while (!holdsCheckpointLock() && !deadline.hasExpired())
        QTest::qWait(20);
    if (!holdsCheckpointLock())
        return {};
    writer.send("commit");
    if (!writer.waitFor("committed", 20000) || !cli.waitForFinished(30000) || cli.exitCode() != 0)
        return {};
    return QJsonDocument::fromJson(cli.readAllStandardOutput()).object();
}

// A FULL checkpoint waits for the writer's lock, then copies back everything committed up to then: the frames a writer
// committed while it waited are copied too. The count once was the frames waiting as the run began (review of stop
// 47): "N frames copied back" left those out. Now it is nBackfill after less nBackfill before.
void TestCliCheckpointWords::fullCountsFramesCommittedWhileItWaited()
{
    PythonChild idle(holderScript(), { m_db, u"idle"_s }); // keeps the -wal when the CLI's connection closes
    QVERIFY(idle.waitReady());
    writeLeavingWal(m_db, 100);
    const qint64 waitingBefore = committedFrames();
    const QJsonObject out = fullWhileWriterCommits(400);
    QVERIFY(!out.isEmpty());
    const qint64 all = committedFrames(); // nothing was copied back before this run: every frame was waiting
    QVERIFY2(all > waitingBefore + 10, qPrintable(u"%1 vs %2"_s.arg(all).arg(waitingBefore)));
    QCOMPARE(out[u"frames_waiting_before"_s].toInteger(), waitingBefore);
    QCOMPARE(out[u"checkpointed_frames"_s].toInteger(), all);
    QCOMPARE(out[u"frames_copied"_s].toInteger(), all);
    QVERIFY(out[u"complete"_s].toBool());
}

// Every frame of the log was already copied back as the run began, so the writer's commit while the FULL checkpoint
// waited restarted the log (new salts, frames from 1 again): the run copied the new log's frames, fewer than the old
// log held. The count once subtracted the old log's nBackfill from the new log's (review of stop 48, finding 4), found
// them of different logs and said nothing was waiting.
void TestCliCheckpointWords::restartedLogCountedWhileItWaited()
{
    PythonChild idle(holderScript(), { m_db, u"idle"_s });
    QVERIFY(idle.waitReady());
    writeLeavingWal(m_db, 400);
    const qint64 oldLog = committedFrames();
    const auto passive = runCli({ u"checkpoint"_s, m_db, u"--watch-ms"_s, u"0"_s, u"--json"_s });
    QCOMPARE(passive.exitCode, 0);
    QCOMPARE(passive.json()[u"frames_copied"_s].toInteger(), oldLog); // the whole log is in the database now
    const QJsonObject out = fullWhileWriterCommits(40);
    QVERIFY(!out.isEmpty());
    const qint64 newLog = committedFrames();
    QVERIFY2(newLog > 0 && newLog < oldLog, qPrintable(u"new log %1, old %2"_s.arg(newLog).arg(oldLog)));
    QCOMPARE(out[u"frames_waiting_before"_s].toInteger(), 0);
    QCOMPARE(out[u"log_frames"_s].toInteger(), newLog);
    QCOMPARE(out[u"frames_copied"_s].toInteger(), newLog);
    QVERIFY(out[u"complete"_s].toBool());
}

QTEST_GUILESS_MAIN(TestCliCheckpointWords)
#include "tst_cli_checkpointwords.moc"
