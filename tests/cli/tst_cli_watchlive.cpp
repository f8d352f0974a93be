// SPDX-License-Identifier: GPL-3.0-or-later
// `cachescope-cli watch --json` against real clients the project did not write the way they
// work (issue #9): a connection-per-call client watched from rest, sidecars deleted and recreated
// over and over, four diskcache writers with sub-millisecond writes, a writer SIGKILLed mid-run,
// and a -shm whose header the -wal contradicts.
#include "testsupport.h"
#include "writerscripts.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <signal.h>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

namespace {
// A connection per call, as the seed's own cache does: 4 ProcessPoolExecutor workers each open,
// insert, commit and close; whenever the last connection closes SQLite deletes -wal and -shm.
// argv: path, entries. Prints "worker PID" per worker, "ready" when the pool runs, "done" at the end.
const char* perCallClient = R"PY(
import os, sqlite3, sys, time
from concurrent.futures import ProcessPoolExecutor
path, n = sys.argv[1], int(sys.argv[2])
def hello():
    os.write(1, b"worker %d\n" % os.getpid())  # one write: lines from 4 workers must not interleave
def store(i):
    c = sqlite3.connect(path, timeout=30)
    c.execute("INSERT INTO entries(key, value) VALUES(?, randomblob(300))", ("k%d" % i,))
    c.commit()
    c.close()
    time.sleep(0.002)
if __name__ == "__main__":
    with ProcessPoolExecutor(4, initializer=hello) as pool:
        list(pool.map(time.sleep, [0.3] * 4))  # the pool starts workers lazily: make it start all 4
        print("ready", flush=True)
        list(pool.map(store, range(n)))
    print("done", flush=True)
    sys.stdin.read()
)PY";

// argv: path, rounds. Each round: connect, commit, keep the connection 150 ms, close (SQLite
// deletes -wal and -shm), wait 150 ms. Prints "ready" first and "done" at the end.
const char* comeAndGo = R"PY(
import sqlite3, sys, time
path, rounds = sys.argv[1], int(sys.argv[2])
print("ready", flush=True)
for r in range(rounds):
    c = sqlite3.connect(path, isolation_level=None, timeout=30)
    c.execute("INSERT INTO entries(key, value) VALUES(?, 'x')", ("r%d" % r,))
    time.sleep(0.15)
    c.close()
    time.sleep(0.15)
print("done", flush=True)
sys.stdin.read()
)PY";

// argv: path, committed frames claimed, -wal bytes. A -shm whose checksummed header says
// mxFrame = N, next to a -wal of the given size; holds the DMS read lock as a live connection
// would, so only the cross-check against the -wal can tell it is bogus.
const char* bogusShm = R"PY(
import fcntl, os, struct, sys
path, frames, wal = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with open(path + "-wal", "wb") as f:
    f.write(b"\0" * wal)
def checksum(data):
    s0 = s1 = 0
    for i in range(0, len(data), 8):
        a, b = struct.unpack("<II", data[i:i + 8])
        s0 = (s0 + a + s1) & 0xffffffff
        s1 = (s1 + b + s0) & 0xffffffff
    return s0, s1
body = struct.pack("<IIIBBHII", 3007000, 0, 77, 1, 0, 4096, frames, 10) + struct.pack("<IIII", 0, 0, 0x1234, 0x5678)
copy = body + struct.pack("<II", *checksum(body))
info = struct.pack("<I", 0) + struct.pack("<IIIII", 0, 0, 0xffffffff, 0xffffffff, 0xffffffff) + b"\0" * 8 + struct.pack("<I", 0)
with open(path + "-shm", "wb") as f:
    f.write(copy + copy + info + b"\0" * (32768 - 136))
fd = os.open(path + "-shm", os.O_RDWR)
fcntl.lockf(fd, fcntl.LOCK_SH, 1, 128)  # the DMS byte, as every live connection holds it
print("ready", flush=True)
sys.stdin.read()
)PY";

QSet<qint64> writerPids(const QList<QJsonObject>& samples, const QString& evidence = {})
{
    QSet<qint64> pids;
    for (const QJsonObject& sample : samples) {
        for (const QJsonValue& w : sample.value(u"writers"_s).toArray()) {
            if (evidence.isEmpty() || w.toObject().value(u"evidence"_s).toArray().contains(evidence))
                pids.insert(w.toObject().value(u"pid"_s).toInteger());
        }
    }
    return pids;
}

// wal_bytes/shm_bytes are numbers exactly when the file exists as files_state says.
void checkFileFields(const QJsonObject& s)
{
    const QString state = s.value(u"files_state"_s).toString();
    QVERIFY2(state == u"at_rest"_s || state == u"live"_s || state == u"stale"_s, qPrintable(state));
    if (state == u"at_rest"_s) {
        QVERIFY(s.value(u"wal_bytes"_s).isNull());
        QVERIFY(s.value(u"shm_bytes"_s).isNull());
        QVERIFY(s.value(u"commit_counter"_s).isNull());
    } else if (state == u"live"_s) {
        QVERIFY(s.value(u"shm_bytes"_s).isDouble());
    }
}
} // namespace

class TestCliWatchLive : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init() { QVERIFY(m_dir.isValid()); }
    void connectionPerCallFromRest();
    void sidecarsComeAndGoTenTimes();
    void fourDiskcacheWritersAllNamed();
    void killedWriterRateStaysPossible();
    void validFramesKeepUpWithCommits();
    void bogusShmIsNotTrusted_data();
    void bogusShmIsNotTrusted();

private:
    QTemporaryDir m_dir;
};

void TestCliWatchLive::connectionPerCallFromRest()
{
    const QString db = m_dir.filePath(u"percall.db"_s);
    makeCache(db, u"wal"_s, 1);
    QVERIFY(!exists(db + u"-wal"_s) && !exists(db + u"-shm"_s));
    WatchProcess watch(db, 100);
    QTRY_VERIFY_WITH_TIMEOUT(watch.samples().size() >= 3, 30000);
    for (const QJsonObject& s : watch.samples()) {
        QCOMPARE(s.value(u"files_state"_s).toString(), u"at_rest"_s);
        QVERIFY(s.value(u"wal_index_error"_s).isNull()); // at rest is a state, not a failure
    }
    PythonChild client(QString::fromLatin1(perCallClient), { db, u"600"_s });
    QVERIFY(client.waitReady(30000));
    QTRY_VERIFY_WITH_TIMEOUT((client.waitReady(10), client.output().contains("done")), 120000);
    const int duringRun = int(watch.samples().size());
    QTRY_COMPARE_WITH_TIMEOUT(watch.last().value(u"files_state"_s).toString(), u"at_rest"_s, 30000);
    QCOMPARE(watch.interrupt(), 0);
    // Only now: this process's own connection (its close checkpoints) would rightly count as a writer.
    QCOMPARE(queryInt(db, u"SELECT count(*) FROM entries"_s), 601);
    QVERIFY(!watch.malformed());
    QSet<qint64> workers;
    for (const QByteArray& line : client.output().split('\n')) {
        if (line.startsWith("worker "))
            workers.insert(line.mid(7).trimmed().toLongLong());
    }
    QCOMPARE(workers.size(), 4);
    int live = 0;
    double maxRate = 0;
    for (const QJsonObject& s : watch.samples()) {
        checkFileFields(s);
        if (s.value(u"files_state"_s).toString() == u"live"_s)
            ++live;
        maxRate = std::max(maxRate, s.value(u"commits_per_s"_s).toDouble());
    }
    qInfo("%d samples, %d live, max commits/s %.1f, writers named %lld of %lld (%lld by io)", duringRun, live, maxRate,
        qint64(writerPids(watch.samples()).intersect(workers).size()), qint64(workers.size()),
        qint64(writerPids(watch.samples(), u"io"_s).intersect(workers).size()));
    QVERIFY(live > 0); // the sidecars were seen while the workers wrote
    QVERIFY(maxRate > 0);
    // Only the workers are named as writers, and at least one of them.
    const QSet<qint64> named = writerPids(watch.samples());
    QVERIFY(!named.isEmpty());
    QStringList namedText;
    for (qint64 pid : named)
        namedText << QString::number(pid);
    QVERIFY2(workers.contains(named), qPrintable(u"named: "_s + namedText.join(u' ')));
}

void TestCliWatchLive::sidecarsComeAndGoTenTimes()
{
    const QString db = m_dir.filePath(u"comego.db"_s);
    makeCache(db, u"wal"_s, 1);
    WatchProcess watch(db, 25);
    QTRY_VERIFY_WITH_TIMEOUT(!watch.samples().isEmpty(), 30000);
    PythonChild client(QString::fromLatin1(comeAndGo), { db, u"12"_s });
    QVERIFY(client.waitReady());
    QTRY_VERIFY_WITH_TIMEOUT((client.waitReady(10), client.output().contains("done")), 60000);
    QTRY_COMPARE_WITH_TIMEOUT(watch.last().value(u"files_state"_s).toString(), u"at_rest"_s, 30000);
    QCOMPARE(watch.interrupt(), 0);
    QVERIFY(!watch.malformed());
    int appeared = 0;
    QString before;
    for (const QJsonObject& s : watch.samples()) {
        checkFileFields(s);
        const QString state = s.value(u"files_state"_s).toString();
        if (before == u"at_rest"_s && state == u"live"_s)
            ++appeared;
        before = state;
        // A new -shm's counter is never compared with the old one's: 12 commits in all, so even
        // all of them in one 25 ms step stay under 500/s.
        QVERIFY2(s.value(u"commits_per_s"_s).toDouble() <= 500.0,
            qPrintable(QString::number(s.value(u"commits_per_s"_s).toDouble())));
    }
    const qint64 generations = watch.samples().last().value(u"sidecar_generations"_s).toInteger();
    qInfo("at_rest -> live %d times, %lld -shm generations", appeared, generations);
    QVERIFY(appeared >= 10);
    QVERIFY(generations >= 10);
}

void TestCliWatchLive::fourDiskcacheWritersAllNamed()
{
    const QString dir = m_dir.filePath(u"diskcache"_s);
    QVERIFY(QDir().mkpath(dir));
    std::vector<std::unique_ptr<PythonChild>> writers;
    QSet<qint64> pids;
    for (int i = 0; i < 4; ++i) {
        writers.push_back(
            std::make_unique<PythonChild>(QString::fromLatin1(WriterScripts::diskcacheWriter), QStringList { dir }));
        QVERIFY(writers.back()->waitReady(30000));
        pids.insert(writers.back()->pid());
    }
    WatchProcess watch(dir + u"/cache.db"_s, 100);
    QElapsedTimer timer;
    timer.start();
    QTRY_VERIFY_WITH_TIMEOUT(writerPids(watch.samples()).contains(pids), 30000);
    const qint64 namedAfterMs = timer.elapsed();
    QTRY_VERIFY_WITH_TIMEOUT(watch.last().value(u"write_lock_busy"_s).isDouble(), 30000);
    // Over the last 20 samples, how often was each writer named?
    const qsizetype seen = watch.samples().size();
    QTRY_VERIFY_WITH_TIMEOUT(watch.samples().size() >= seen + 20, 60000);
    const QList<QJsonObject> all = watch.samples();
    const QList<QJsonObject> recent = all.mid(std::max<qsizetype>(0, all.size() - 20));
    int namedAll = 0;
    for (const QJsonObject& s : recent) {
        if (writerPids({ s }).contains(pids))
            ++namedAll;
        const double busy = s.value(u"write_lock_busy"_s).toDouble(-1);
        QVERIFY(busy >= 0 && busy <= 1);
    }
    const QJsonObject last = all.last();
    qInfo("all 4 named after %lld ms; all 4 named in %d of the last %lld samples; write_lock_busy %.3f; %.1f commits/s",
        namedAfterMs, namedAll, qint64(recent.size()), last.value(u"write_lock_busy"_s).toDouble(),
        last.value(u"commits_per_s"_s).toDouble());
    QVERIFY(namedAll >= recent.size() / 2);
    for (const QJsonValue& w : last.value(u"writers"_s).toArray()) {
        const QJsonObject writer = w.toObject();
        QVERIFY(writer.value(u"command"_s).toString().contains(u"python"_s));
        QVERIFY(!writer.value(u"evidence"_s).toArray().isEmpty());
    }
    QCOMPARE(watch.interrupt(), 0);
    QVERIFY(!watch.malformed());
}

void TestCliWatchLive::killedWriterRateStaysPossible()
{
    const QString db = m_dir.filePath(u"killed.db"_s);
    makeCache(db, u"wal"_s, 1);
    WatchProcess watch(db, 100);
    // Writers commit one row, then sleep 2 ms: well under 500 commits/s each.
    constexpr double Possible = 5000;
    qint64 highest = 0;
    {
        PythonChild first(QString::fromLatin1(WriterScripts::writeContinuously), { db, u"0.002"_s, u"0"_s });
        QVERIFY(first.waitReady());
        QTRY_VERIFY_WITH_TIMEOUT(watch.last().value(u"commit_counter"_s).toInteger() > 300, 60000);
        ::kill(pid_t(first.pid()), SIGKILL); // no close, no checkpoint: -wal and -shm stay behind
        QTRY_VERIFY_WITH_TIMEOUT(!isRunning(first.pid()), 10000);
    }
    QTRY_COMPARE_WITH_TIMEOUT(watch.last().value(u"files_state"_s).toString(), u"stale"_s, 10000);
    const qsizetype killedAt = watch.samples().size();
    for (const QJsonObject& s : watch.samples())
        highest = std::max(highest, s.value(u"commit_counter"_s).toInteger());
    PythonChild second(QString::fromLatin1(WriterScripts::writeContinuously), { db, u"0.002"_s, u"0"_s });
    QVERIFY(second.waitReady());
    // Its connection rebuilds the -shm: the commit counter starts again from zero.
    const auto restarted = [&]() {
        const QList<QJsonObject>& all = watch.samples();
        for (qsizetype i = killedAt; i < all.size(); ++i) {
            const QJsonValue counter = all.at(i).value(u"commit_counter"_s);
            if (counter.isDouble() && counter.toInteger() < highest)
                return true;
        }
        return false;
    };
    QTRY_VERIFY_WITH_TIMEOUT(restarted(), 30000);
    const qsizetype seen = watch.samples().size(); // and 15 samples after it, whose rates must stay possible
    QTRY_VERIFY_WITH_TIMEOUT(watch.samples().size() >= seen + 15, 60000);
    QCOMPARE(watch.interrupt(), 0);
    double maxRate = 0;
    for (const QJsonObject& s : watch.samples()) {
        maxRate = std::max(maxRate, s.value(u"commits_per_s"_s).toDouble());
        QVERIFY(s.value(u"frames_per_s"_s).toDouble() <= Possible * 10);
    }
    qInfo("counter before kill %lld; max commits/s %.1f", highest, maxRate);
    QVERIFY2(maxRate <= Possible, qPrintable(QString::number(maxRate)));
    QVERIFY(maxRate > 0);
    QVERIFY(watch.samples().last().value(u"counter_restarts"_s).toInteger() >= 1
        || watch.samples().last().value(u"rates_lower_bound"_s).isBool());
}

// A writer committing every 5 ms: the -wal's valid frames in each line are at least the -shm's
// committed frame of the same line. They were walked every 10th sample only, so the GUI showed
// "Valid frames: 143" beside "0 / 175 frames backfilled" from one sample.
void TestCliWatchLive::validFramesKeepUpWithCommits()
{
    const QString db = m_dir.filePath(u"paced.db"_s);
    makeCache(db, u"wal"_s, 10);
    // No autocheckpoint: no WAL reset between a line's -shm read and its walk.
    PythonChild writer(QString::fromLatin1(WriterScripts::writeContinuously), { db, u"0.005"_s, u"0"_s });
    QVERIFY(writer.waitReady(30000));
    WatchProcess watch(db, 100);
    // 30 lines, and a whole rate window watched (the rates' span reaches rate_window_ms).
    QTRY_VERIFY_WITH_TIMEOUT(watch.samples().size() >= 30
            && watch.samples().last().value(u"t_ms"_s).toInteger()
                > watch.samples().last().value(u"rate_window_ms"_s).toInteger() + 500,
        60000);
    QCOMPARE(watch.interrupt(), 0);
    QVERIFY(!watch.malformed());
    int compared = 0;
    qint64 first = -1;
    qint64 last = -1;
    for (const QJsonObject& s : watch.samples()) {
        if (!s.value(u"committed_frame"_s).isDouble())
            continue;
        const qint64 committed = s.value(u"committed_frame"_s).toInteger();
        const qint64 valid = s.value(u"wal_valid_frames"_s).toInteger();
        QVERIFY2(valid >= committed,
            qPrintable(u"t_ms %1: wal_valid_frames %2 < committed_frame %3"_s.arg(s.value(u"t_ms"_s).toInteger())
                           .arg(valid)
                           .arg(committed)));
        first = first < 0 ? committed : first;
        last = committed;
        ++compared;
    }
    QVERIFY2(compared >= 20 && last > first + 20,
        qPrintable(u"%1 lines, frames %2 → %3"_s.arg(compared).arg(first).arg(last)));
    // The rates say what time they cover: never longer than watched (the GUI said "over 2 s"
    // beside "4 commits since watching began"), the whole window once watched that long.
    qint64 shortest = -1;
    qint64 longest = 0;
    for (const QJsonObject& s : watch.samples()) {
        const qint64 span = s.value(u"rate_span_ms"_s).toInteger(-1);
        const qint64 window = s.value(u"rate_window_ms"_s).toInteger();
        if (!s.value(u"commits_per_s"_s).isDouble()) {
            QCOMPARE(span, 0);
            continue;
        }
        // t_ms and the span are read a moment apart, and the window keeps whole steps (the
        // oldest may start a sample interval, or a late one, before it).
        const qint64 watched = s.value(u"t_ms"_s).toInteger() + 100;
        QVERIFY2(span > 0 && span <= window + 500 && span <= watched,
            qPrintable(u"t_ms %1: rate_span_ms %2, window %3"_s.arg(watched - 100).arg(span).arg(window)));
        shortest = shortest < 0 ? span : std::min(shortest, span);
        longest = std::max(longest, span);
    }
    QVERIFY2(shortest > 0 && shortest < 1000, qPrintable(QString::number(shortest))); // the first lines'
    const qint64 window = watch.samples().last().value(u"rate_window_ms"_s).toInteger();
    QVERIFY2(window > 0 && longest >= window - 200, qPrintable(u"%1 of %2"_s.arg(longest).arg(window)));
}

void TestCliWatchLive::bogusShmIsNotTrusted_data()
{
    QTest::addColumn<QString>("frames");
    QTest::addColumn<QString>("walBytes");
    QTest::addRow("4294967295 frames, 160 KB -wal") << u"4294967295"_s << u"163840"_s;
    QTest::addRow("137 frames, 0-byte -wal") << u"137"_s << u"0"_s;
}

void TestCliWatchLive::bogusShmIsNotTrusted()
{
    QFETCH(QString, frames);
    QFETCH(QString, walBytes);
    const QString db = m_dir.filePath(u"bogus-%1.db"_s.arg(frames));
    makeCache(db, u"wal"_s, 3);
    PythonChild holder(QString::fromLatin1(bogusShm), { db, frames, walBytes });
    QVERIFY(holder.waitReady());
    const auto result = runCli({ u"watch"_s, u"--json"_s, u"--interval-ms"_s, u"50"_s, u"--duration-s"_s, u"1"_s, db });
    QCOMPARE(result.exitCode, 0);
    const QList<QByteArray> lines = result.out.trimmed().split('\n');
    QVERIFY(lines.size() >= 5);
    for (const QByteArray& line : lines) {
        const QJsonObject s = QJsonDocument::fromJson(line).object();
        QCOMPARE(s.value(u"wal_index"_s).toString(), u"inconsistent"_s);
        QVERIFY(s.value(u"committed_frame"_s).isNull());
        QVERIFY(s.value(u"lag_frames"_s).isNull());
        QVERIFY(s.value(u"commit_counter"_s).isNull());
        QVERIFY2(s.value(u"wal_index_error"_s).toString().contains(u"-wal"_s), line.constData());
        QCOMPARE(s.value(u"wal_bytes"_s).toInteger(), walBytes.toLongLong());
        QCOMPARE(s.value(u"files_state"_s).toString(), u"live"_s); // a connection holds it
    }
}

QTEST_GUILESS_MAIN(TestCliWatchLive)
#include "tst_cli_watchlive.moc"
