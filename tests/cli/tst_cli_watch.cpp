// SPDX-License-Identifier: GPL-3.0-or-later
// `cachescope-cli watch` against real writers: the simulator, a Python connection that closes
// (the sidecars vanish) and reopens, and a WAL database without sidecars.
#include "live/warningcatalog.h"
#include "testsupport.h"
#include "writerscripts.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <signal.h>
#include <sys/stat.h>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

namespace {
// Keeps a WAL connection open and commits every 20 ms until stdin closes.
const char* committer = R"(
import sqlite3, sys, threading, time
db = sqlite3.connect(sys.argv[1], isolation_level=None, check_same_thread=False)
db.execute('PRAGMA journal_mode=WAL')
db.execute('CREATE TABLE IF NOT EXISTS t(id INTEGER PRIMARY KEY, v TEXT)')
done = threading.Event()
def write():
    while not done.is_set():
        db.execute('INSERT INTO t(v) VALUES (?)', ('x' * 200,))
        time.sleep(0.02)
thread = threading.Thread(target=write)
thread.start()
print('ready', flush=True)
sys.stdin.read()
done.set()
thread.join()
db.close()
)";

// The files a process has open, as /proc/<pid>/fd shows their targets.
// The files pid has open for writing (O_WRONLY or O_RDWR, from /proc/PID/fdinfo).
QStringList filesOpenForWriting(qint64 pid)
{
    QStringList files;
    const QDir fds(u"/proc/%1/fd"_s.arg(pid));
    for (const QString& fd : fds.entryList(QDir::Files | QDir::System | QDir::NoDotAndDotDot)) {
        QFile info(u"/proc/%1/fdinfo/%2"_s.arg(pid).arg(fd));
        if (!info.open(QIODevice::ReadOnly))
            continue;
        for (const QByteArray& line : info.readAll().split('\n')) {
            if (line.startsWith("flags:") && (line.mid(6).trimmed().toUInt(nullptr, 8) & 3) != 0)
                files.append(QFile::symLinkTarget(fds.filePath(fd)));
        }
    }
    return files;
}

bool holdsAnyLock(qint64 pid)
{
    QFile locks(u"/proc/locks"_s);
    if (!locks.open(QIODevice::ReadOnly))
        return false;
    for (const QByteArray& line : locks.readAll().split('\n')) {
        const QList<QByteArray> fields = line.simplified().split(' ');
        if (fields.size() > 4 && fields.at(4).toLongLong() == pid)
            return true;
    }
    return false;
}
} // namespace

class TestCliWatch : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init() { QVERIFY(m_dir.isValid()); }
    void followsTheSimulator();
    void noSidecars();
    void sidecarsVanishAndReturn();
    void textMode();
    void excludedWriterIsNeverNamed();
    void badArguments_data();
    void badArguments();

private:
    QTemporaryDir m_dir;
};

void TestCliWatch::followsTheSimulator()
{
    const QString db = m_dir.filePath(u"simulated.db"_s);
    QProcess simulator;
    simulator.start(QStringLiteral(CACHESCOPE_CLI_PATH),
        { u"simulate"_s, u"--duration-s"_s, u"0"_s, u"--rate-per-worker"_s, u"20"_s, u"--json"_s, db });
    QVERIFY(simulator.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(QFileInfo::exists(db + u"-shm"_s), 30000);
    WatchProcess watch(db);
    QTRY_VERIFY_WITH_TIMEOUT(watch.last().value(u"commits_per_s"_s).toDouble() > 0, 60000);
    const qint64 first = watch.last().value(u"commit_counter"_s).toInteger();
    QTRY_VERIFY_WITH_TIMEOUT(watch.last().value(u"commit_counter"_s).toInteger() > first, 60000);
    const QJsonObject sample = watch.last();
    QCOMPARE(sample.value(u"wal_index"_s).toString(), u"live"_s);
    QVERIFY(sample.value(u"wal_bytes"_s).toInteger() > 0);
    QVERIFY(sample.value(u"committed_frame"_s).toInteger() > 0);
    QVERIFY(sample.value(u"frames_per_s"_s).isDouble());
    for (const char* key : { "t_ms", "wal_bytes", "shm_bytes", "db_bytes", "committed_frame", "backfilled",
             "commit_counter", "commits_per_s", "frames_per_s", "writer_pid", "reader_pids", "lag_frames" })
        QVERIFY2(sample.contains(QLatin1String(key)), key);
    // It never disturbs the writers: no lock, and nothing of the cache open for writing (it keeps
    // the db and -wal open read-only to count commits; it holds no SQLite connection whose locks
    // closing them could drop).
    QVERIFY(!holdsAnyLock(watch.pid()));
    for (const QString& file : filesOpenForWriting(watch.pid()))
        QVERIFY2(!file.contains(u"simulated.db"_s), qPrintable(file));
    QCOMPARE(watch.interrupt(), 0);
    QVERIFY(!watch.malformed());
    ::kill(pid_t(simulator.processId()), SIGINT);
    QVERIFY(simulator.waitForFinished(60000));
    const QJsonObject summary = QJsonDocument::fromJson(simulator.readAllStandardOutput()).object();
    QCOMPARE(summary.value(u"errors"_s).toInteger(), 0);
    QVERIFY(summary.value(u"stored"_s).toInteger() > 0);
}

void TestCliWatch::noSidecars()
{
    const QString db = m_dir.filePath(u"quiet.db"_s);
    makeCache(db, u"wal"_s, 20);
    QVERIFY(!exists(db + u"-wal"_s));
    const auto result
        = runCli({ u"watch"_s, u"--json"_s, u"--interval-ms"_s, u"100"_s, u"--duration-s"_s, u"1"_s, db });
    QCOMPARE(result.exitCode, 0);
    const QList<QByteArray> lines = result.out.trimmed().split('\n');
    QVERIFY(lines.size() >= 5);
    for (const QByteArray& line : lines) {
        const QJsonObject sample = QJsonDocument::fromJson(line).object();
        QCOMPARE(sample.value(u"db_bytes"_s).toInteger(), QFileInfo(db).size());
        QVERIFY(sample.value(u"wal_bytes"_s).isNull());
        QVERIFY(sample.value(u"shm_bytes"_s).isNull());
        QVERIFY(sample.value(u"committed_frame"_s).isNull());
        QCOMPARE(sample.value(u"wal_index"_s).toString(), u"absent"_s);
    }
    QVERIFY(!exists(db + u"-wal"_s)); // watching created nothing
    QVERIFY(!exists(db + u"-shm"_s));
}

void TestCliWatch::sidecarsVanishAndReturn()
{
    const QString db = m_dir.filePath(u"comings.db"_s);
    makeCache(db, u"wal"_s, 1);
    WatchProcess watch(db);
    QTRY_VERIFY_WITH_TIMEOUT(!watch.samples().isEmpty(), 30000);
    for (int round = 0; round < 2; ++round) {
        {
            PythonChild writer(QString::fromLatin1(committer), { db });
            QVERIFY(writer.waitReady());
            QTRY_VERIFY_WITH_TIMEOUT(watch.last().value(u"commits_per_s"_s).toDouble() > 0, 60000);
        } // the last connection closes: SQLite deletes -wal and -shm
        QVERIFY(!exists(db + u"-shm"_s));
        QTRY_COMPARE_WITH_TIMEOUT(watch.last().value(u"wal_index"_s).toString(), u"absent"_s, 30000);
        QVERIFY(watch.last().value(u"wal_bytes"_s).isNull());
    }
    QCOMPARE(watch.interrupt(), 0);
    QVERIFY(!watch.malformed());
    QCOMPARE(queryInt(db, u"SELECT count(*) > 0 FROM t"_s), 1);
}

void TestCliWatch::textMode()
{
    const QString db = m_dir.filePath(u"text.db"_s);
    makeCache(db, u"wal"_s, 3);
    PythonChild writer(QString::fromLatin1(committer), { db });
    QVERIFY(writer.waitReady());
    const auto result = runCli({ u"watch"_s, u"--interval-ms"_s, u"200"_s, u"--duration-s"_s, u"1"_s, db });
    QCOMPARE(result.exitCode, 0);
    const QStringList lines = QString::fromUtf8(result.out).split(u'\n', Qt::SkipEmptyParts);
    QVERIFY(lines.size() >= 4);
    QVERIFY(lines.first().contains(u"commits/s"_s));
    // Aligned: every column ends where the header's does (up to the index column).
    const int indexColumn = lines.first().indexOf(u"index"_s);
    for (const QString& line : lines.mid(1)) {
        QCOMPARE(line.indexOf(u"  live"_s), indexColumn - 2);
        QVERIFY(!line.contains(u"%"_s));
    }
}

// --exclude-pid (the GUI passes its own pid, which writes when it checkpoints, vacuums or prunes)
// holds for fanotify too, which names whoever wrote: two processes write a DELETE-mode cache, one
// of them excluded. A second watch that excludes nobody names both and warns that several
// processes write a rollback cache: the one that excludes names one and does not warn, and says
// when the excluded one wrote.
void TestCliWatch::excludedWriterIsNeverNamed()
{
    const QString db = m_dir.filePath(u"excluded.db"_s);
    makeCache(db, u"delete"_s, 1);
    PythonChild excluded(QString::fromLatin1(WriterScripts::writeContinuously), { db, u"0.02"_s });
    PythonChild client(QString::fromLatin1(WriterScripts::writeContinuously), { db, u"0.02"_s });
    QVERIFY(excluded.waitReady(30000));
    QVERIFY(client.waitReady(30000));
    WatchProcess watch(db, 100, { u"--exclude-pid"_s, QString::number(excluded.pid()) });
    WatchProcess everyone(db, 100);
    QTRY_VERIFY_WITH_TIMEOUT(!watch.samples().isEmpty() && !everyone.samples().isEmpty(), 30000);
    if (watch.last().value(u"attribution"_s).toString() != u"fanotify"_s)
        QSKIP("fanotify is not permitted here: the sampled method never names an excluded pid (tst_cli_watchexact)");
    const auto names = [](const QJsonObject& sample, const char* key, qint64 pid) {
        for (const QJsonValue& w : sample.value(QLatin1String(key)).toArray()) {
            if (w.toObject().value(u"pid"_s).toInteger() == pid)
                return true;
        }
        return false;
    };
    const auto warns = [](const QJsonObject& sample) {
        for (const QJsonValue& w : sample.value(u"warnings"_s).toArray()) {
            if (w.toObject().value(u"code"_s).toString() == WarningCode::RollbackWritersCollide)
                return true;
        }
        return false;
    };
    // Without the exclusion both are writers, and that is a rollback cache's hazard.
    QTRY_VERIFY_WITH_TIMEOUT(
        everyone.last().value(u"writers_recently"_s).toInteger() == 2 && warns(everyone.last()), 30000);
    QVERIFY(names(everyone.last(), "recent_writers", excluded.pid()));
    QTRY_VERIFY_WITH_TIMEOUT(names(watch.last(), "recent_writers", client.pid()), 30000);
    const qsizetype seen = watch.samples().size();
    QTRY_VERIFY_WITH_TIMEOUT(watch.samples().size() >= seen + 20, 30000);
    for (const QJsonObject& sample : watch.samples()) {
        QVERIFY(!names(sample, "writers", excluded.pid()));
        QVERIFY(!names(sample, "recent_writers", excluded.pid()));
        QVERIFY(sample.value(u"writers_recently"_s).toInteger() <= 1);
        QVERIFY(!warns(sample));
    }
    const QJsonValue ago = watch.last().value(u"excluded_wrote_ms_ago"_s);
    QVERIFY2(
        ago.isDouble() && ago.toInteger() >= 0 && ago.toInteger() <= 10000, qPrintable(ago.toVariant().toString()));
    QVERIFY(!everyone.last().value(u"excluded_wrote_ms_ago"_s).isDouble());
    QCOMPARE(watch.interrupt(), 0);
    QCOMPARE(everyone.interrupt(), 0);
}

void TestCliWatch::badArguments_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("exitCode");
    QTest::addRow("missing database") << QStringList { u"nowhere.db"_s } << 1;
    QTest::addRow("interval too small") << QStringList { u"--interval-ms"_s, u"0"_s, u"x.db"_s } << 2;
    QTest::addRow("duration text") << QStringList { u"--duration-s"_s, u"soon"_s, u"x.db"_s } << 2;
    QTest::addRow("no database") << QStringList {} << 2;
}

void TestCliWatch::badArguments()
{
    QFETCH(QStringList, args);
    QFETCH(int, exitCode);
    QDir::setCurrent(m_dir.path());
    const auto result = runCli(QStringList { u"watch"_s } + args);
    QCOMPARE(result.exitCode, exitCode);
    QVERIFY(!result.err.isEmpty());
}

QTEST_GUILESS_MAIN(TestCliWatch)
#include "tst_cli_watch.moc"
