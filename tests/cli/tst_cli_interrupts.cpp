// SPDX-License-Identifier: GPL-3.0-or-later
// Signals and kills in the middle of maintenance, as a user's Ctrl-C or a crash delivers them
// (#22.8): real cachescope-cli processes on real ~60 MB caches, a real SIGINT/SIGTERM/SIGKILL
// sent when the files show the run has reached the phase under test (never after a fixed
// time), and the cache checked byte for byte afterwards. Also the private folders in $TMPDIR a
// killed run leaves: the next run removes those of dead owners and never one of a live owner.
#include "common/privatedirs.h"
#include "scratchdir.h"
#include "testsupport.h"

#include <QCryptographicHash>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>
#include <QThread>

#include <csignal>
#include <functional>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

namespace {

QByteArray sha(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(&file);
    return hash.result().toHex();
}

qint64 sizeOf(const QString& path)
{
    return QFileInfo(path).exists() ? QFileInfo(path).size() : -1;
}

// Files (hidden ones too) in a folder, recursively, relative to it.
QStringList filesIn(const QString& folder)
{
    QStringList names;
    QDir dir(folder);
    for (const QFileInfo& info :
        dir.entryInfoList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot)) {
        names << info.fileName();
        if (info.isDir() && !info.isSymLink()) {
            for (const QString& inner : filesIn(info.filePath()))
                names << info.fileName() + u'/' + inner;
        }
    }
    return names;
}

} // namespace

class TestCliInterrupts : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void stopDuringInPlaceVacuumRollsBack_data();
    void stopDuringInPlaceVacuumRollsBack();
    void vacuumLosesNoCommitOfALiveWriter_data();
    void vacuumLosesNoCommitOfALiveWriter();
    void vacuumIntoWritesATemporaryName_data();
    void vacuumIntoWritesATemporaryName();
    void killedReadLeavesACopyTheNextRunRemoves();
    void stoppedReadLeavesNoCopy_data();
    void stoppedReadLeavesNoCopy();
    void sweepKeepsWhatIsNotAStaleCopy();

private:
    // A WAL or rollback cache of ~60 MB with a third of its rows deleted (VACUUM has work).
    void makeBigCache(const QString& mode);
    // Starts the CLI with TMPDIR = m_tmp; the process is returned running.
    std::unique_ptr<QProcess> startCli(const QStringList& args);
    // Polls until `reached` holds (or the process ends / 60 s pass); returns whether it held while running.
    static bool waitUntil(QProcess& process, const std::function<bool()>& reached);
    QStringList privateFolders() const;

    ScratchDir m_dir;
    ScratchDir m_tmp; // the children's TMPDIR
    QString m_db;
};

void TestCliInterrupts::init()
{
    QVERIFY(m_dir.renew() && m_tmp.renew());
    m_db = m_dir.filePath(u"cache.db"_s);
}

void TestCliInterrupts::makeBigCache(const QString& mode)
{
    makeCache(m_db, mode, 15000);
    exec(m_db, u"UPDATE entries SET value = randomblob(4000)"_s);
    exec(m_db, u"DELETE FROM entries WHERE id % 3 = 0"_s);
    QVERIFY(sizeOf(m_db) > 50'000'000);
}

std::unique_ptr<QProcess> TestCliInterrupts::startCli(const QStringList& args)
{
    auto process = std::make_unique<QProcess>();
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"TMPDIR"_s, m_tmp.path());
    process->setProcessEnvironment(env);
    process->start(QStringLiteral(CACHESCOPE_CLI_PATH), args);
    process->waitForStarted(10000);
    return process;
}

bool TestCliInterrupts::waitUntil(QProcess& process, const std::function<bool()>& reached)
{
    QDeadlineTimer deadline(60000);
    while (!deadline.hasExpired()) {
        if (process.state() != QProcess::Running || process.waitForFinished(0))
            return false;
        if (reached())
            return true;
        QThread::usleep(500);
    }
    return false;
}

QStringList TestCliInterrupts::privateFolders() const
{
    return QDir(m_tmp.path()).entryList({ u"cachescope-*"_s }, QDir::Dirs | QDir::Hidden | QDir::NoDotAndDotDot);
}

void TestCliInterrupts::stopDuringInPlaceVacuumRollsBack_data()
{
    QTest::addColumn<QString>("mode");
    QTest::addColumn<QString>("phase");
    QTest::addColumn<int>("signal");
    // "compacting": VACUUM INTO writes the compacted copy in the private folder.
    // "copying back": the copy's pages go over the cache (the -wal, or the -journal, grows) —
    // the half SQLite's own VACUUM ran to the end whatever the user pressed.
    for (const QString& mode : { u"wal"_s, u"delete"_s }) {
        QTest::addRow("%s, SIGINT while compacting", qPrintable(mode)) << mode << u"compacting"_s << SIGINT;
        QTest::addRow("%s, SIGINT while copying back", qPrintable(mode)) << mode << u"copying back"_s << SIGINT;
        QTest::addRow("%s, SIGTERM while copying back", qPrintable(mode)) << mode << u"copying back"_s << SIGTERM;
    }
}

void TestCliInterrupts::stopDuringInPlaceVacuumRollsBack()
{
    QFETCH(QString, mode);
    QFETCH(QString, phase);
    QFETCH(int, signal);
    makeBigCache(mode);
    const QByteArray before = sha(m_db);
    const qint64 rows = queryInt(m_db, u"SELECT count(*) FROM entries"_s);
    const qint64 freePages = queryInt(m_db, u"PRAGMA freelist_count"_s);
    QVERIFY(freePages > 1000);
    auto cli = startCli({ u"vacuum"_s, m_db, u"--json"_s });
    const QString sidecar = m_db + (mode == u"wal"_s ? u"-wal"_s : u"-journal"_s);
    const bool reached = waitUntil(*cli, [&] {
        if (phase == u"copying back"_s)
            return sizeOf(sidecar) > 4'000'000;
        const QStringList folders = privateFolders();
        return !folders.isEmpty() && sizeOf(m_tmp.filePath(folders.first() + u"/vacuum.db"_s)) > 4'000'000;
    });
    QVERIFY2(reached, "the vacuum ended before reaching the phase under test");
    ::kill(pid_t(cli->processId()), signal);
    QVERIFY(cli->waitForFinished(60000));
    const QByteArray out = cli->readAllStandardOutput();
    QCOMPARE(cli->exitCode(), 1);
    const QJsonObject json = QJsonDocument::fromJson(out).object();
    QVERIFY2(json[u"cancelled"_s].toBool(), out.constData());
    QCOMPARE(json[u"cancelled_after_commit"_s].toBool(), false);
    // Rolled back: the database file is byte-identical, nothing left beside it or in TMPDIR.
    QCOMPARE(sha(m_db), before);
    QCOMPARE(filesIn(m_dir.path()), QStringList { u"cache.db"_s });
    QCOMPARE(privateFolders(), QStringList());
    QCOMPARE(queryInt(m_db, u"SELECT count(*) FROM pragma_integrity_check WHERE integrity_check = 'ok'"_s), 1);
    QCOMPARE(queryInt(m_db, u"SELECT count(*) FROM entries"_s), rows);
    QCOMPARE(queryInt(m_db, u"PRAGMA freelist_count"_s), freePages);
}

void TestCliInterrupts::vacuumLosesNoCommitOfALiveWriter_data()
{
    QTest::addColumn<QString>("mode");
    QTest::addColumn<QString>("pauseSeconds");
    QTest::addRow("wal") << u"wal"_s << u"0"_s;
    // Spinning without a pause, a rollback-mode writer starves the vacuum's EXCLUSIVE lock for
    // many seconds (SQLite's busy handler sleeps, the spinning writer does not).
    QTest::addRow("delete") << u"delete"_s << u"0.001"_s;
}

void TestCliInterrupts::vacuumLosesNoCommitOfALiveWriter()
{
    QFETCH(QString, mode);
    QFETCH(QString, pauseSeconds);
    // The compacted copy is written under a second connection's write lock, which is let go
    // for an instant before the copy back takes it again: a writer's commit in that instant
    // must make the vacuum start over, never be overwritten by the copy.
    makeCache(m_db, mode, 3000);
    exec(m_db, u"UPDATE entries SET value = randomblob(2000)"_s);
    exec(m_db, u"DELETE FROM entries WHERE id % 2 = 0"_s);
    // A writer that retries at once when the lock is busy (no busy handler sleeping between
    // tries), so it lands in the gap if there is one; it counts the commits SQLite confirmed.
    // Told "polite" on its stdin, it sleeps 1 ms after a busy try instead, as SQLite's busy
    // handler does in every real client.
    const QString spinningWriter = uR"PY(
import sqlite3, sys, threading, time
pause = float(sys.argv[2])
c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=0)
c.execute("PRAGMA synchronous=NORMAL")
stop = threading.Event()
polite = threading.Event()
def commands():
    for line in sys.stdin:
        if line.strip() == "polite":
            polite.set()
    stop.set()
threading.Thread(target=commands, daemon=True).start()
n = 0
while not stop.is_set():
    try:
        c.execute("INSERT INTO entries(key, value) VALUES(?, randomblob(200))", ("w%d" % n,))
    except sqlite3.OperationalError:
        if polite.is_set():
            time.sleep(0.001)
        continue
    n += 1
    if n == 1:
        print("ready", flush=True)
    if pause:
        time.sleep(pause)
print("commits", n, flush=True)
)PY"_s;
    PythonChild writer(spinningWriter, { m_db, pauseSeconds });
    QVERIFY(writer.waitReady());
    // Ten vacuums beside the spinning writer: each either completes or says a writer committed
    // in its gap every time (exit 3, nothing changed). A slow build (sanitizers) or a fast
    // machine can lose all ten to it; then ten more beside the same writer made polite, so at
    // least one copy back happens between live commits: the commits below are checked either way.
    QByteArray failure;
    const auto vacuums = [&](int tries) {
        int completed = 0;
        for (int i = 0; i < tries; ++i) {
            const auto result = runCli({ u"vacuum"_s, m_db, u"--json"_s, u"--timeout-ms"_s, u"30000"_s });
            if (result.exitCode != 0 && result.exitCode != 3) {
                failure = result.err;
                return -1;
            }
            completed += result.exitCode == 0 ? 1 : 0;
        }
        return completed;
    };
    const int besideSpinner = vacuums(10);
    QVERIFY2(besideSpinner >= 0, failure.constData());
    int besidePolite = 0;
    if (besideSpinner == 0) {
        writer.send("polite");
        besidePolite = vacuums(10);
        QVERIFY2(besidePolite >= 0, failure.constData());
    }
    const int vacuumed = besideSpinner + besidePolite;
    writer.stop();
    const QByteArray said = writer.output();
    const qsizetype at = said.indexOf("commits ");
    QVERIFY2(at >= 0, said.constData());
    const qint64 commits = said.mid(at + 8).trimmed().toLongLong();
    QVERIFY(commits > 100);
    qInfo("%d of 10 vacuums completed beside the spinning writer, %d beside it made polite; %lld commits",
        besideSpinner, besidePolite, commits);
    QVERIFY(vacuumed > 0);
    QCOMPARE(queryInt(m_db, u"SELECT count(*) FROM entries WHERE key LIKE 'w%'"_s), commits);
    QCOMPARE(queryInt(m_db, u"SELECT count(*) FROM pragma_integrity_check WHERE integrity_check = 'ok'"_s), 1);
}

void TestCliInterrupts::vacuumIntoWritesATemporaryName_data()
{
    QTest::addColumn<int>("signal");
    QTest::addRow("SIGINT") << SIGINT;
    QTest::addRow("SIGKILL") << SIGKILL;
}

void TestCliInterrupts::vacuumIntoWritesATemporaryName()
{
    QFETCH(int, signal);
    makeBigCache(u"wal"_s);
    const QByteArray before = sha(m_db);
    const QString folder = m_dir.filePath(u"copies"_s);
    QVERIFY(QDir().mkdir(folder));
    const QString target = folder + u"/copy.db"_s;
    auto cli = startCli({ u"vacuum"_s, m_db, u"--into"_s, target, u"--json"_s });
    const bool reached = waitUntil(*cli, [&] {
        for (const QString& name : filesIn(folder)) {
            if (sizeOf(folder + u'/' + name) > 4'000'000)
                return true;
        }
        return false;
    });
    QVERIFY2(reached, "the copy ended before it was half written");
    QVERIFY2(!exists(target), "the copy is written under the target's name");
    ::kill(pid_t(cli->processId()), signal);
    QVERIFY(cli->waitForFinished(60000));
    QVERIFY(!exists(target));
    if (signal == SIGINT) {
        QCOMPARE(cli->exitCode(), 1);
        QVERIFY(QJsonDocument::fromJson(cli->readAllStandardOutput()).object()[u"cancelled"_s].toBool());
        QCOMPARE(filesIn(folder), QStringList()); // the partial copy is removed
    } else {
        const QStringList left = filesIn(folder);
        QVERIFY(!left.isEmpty());
        for (const QString& name : left) // only under a name that says what it is
            QVERIFY2(name.startsWith(u".copy.db.cachescope-partial-"_s), qPrintable(name));
    }
    QCOMPARE(sha(m_db), before);
    // The next run is not confused by the leftover and writes the whole copy.
    const auto again = runCli({ u"vacuum"_s, m_db, u"--into"_s, target });
    QCOMPARE(again.exitCode, 0);
    QCOMPARE(queryInt(target, u"SELECT count(*) FROM pragma_integrity_check WHERE integrity_check = 'ok'"_s), 1);
    QCOMPARE(queryInt(target, u"SELECT count(*) FROM entries"_s), queryInt(m_db, u"SELECT count(*) FROM entries"_s));
}

void TestCliInterrupts::killedReadLeavesACopyTheNextRunRemoves()
{
    // A cache at rest whose -wal holds committed rows is read through a private copy in TMPDIR.
    makeBigCache(u"wal"_s);
    writeLeavingWal(m_db, 20000);
    QVERIFY(sizeOf(m_db + u"-wal"_s) > 4'000'000);
    QString left;
    for (int attempt = 0; attempt < 5 && left.isEmpty(); ++attempt) {
        auto cli = startCli({ u"info"_s, m_db, u"--json"_s });
        if (waitUntil(*cli, [&] { return !privateFolders().isEmpty(); })) {
            ::kill(pid_t(cli->processId()), SIGKILL);
            cli->waitForFinished(10000);
            if (!privateFolders().isEmpty())
                left = privateFolders().first();
        } else {
            cli->waitForFinished(60000);
        }
    }
    QVERIFY2(!left.isEmpty(), "no run was caught with its private copy");
    QVERIFY(left.startsWith(u"cachescope-read-"_s));
    // Another reader of another cache: it removes the dead run's copy (and its own when done).
    const QString other = m_dir.filePath(u"other.db"_s);
    makeCache(other, u"delete"_s, 3);
    auto next = startCli({ u"info"_s, other, u"--json"_s });
    QVERIFY(next->waitForFinished(60000));
    QCOMPARE(next->exitCode(), 0);
    QCOMPARE(privateFolders(), QStringList());
}

void TestCliInterrupts::stoppedReadLeavesNoCopy_data()
{
    QTest::addColumn<int>("signal");
    QTest::addRow("SIGTERM") << SIGTERM;
    QTest::addRow("SIGINT") << SIGINT;
    QTest::addRow("SIGHUP") << SIGHUP;
}

void TestCliInterrupts::stoppedReadLeavesNoCopy()
{
    // SIGTERM (or Ctrl-C, a closed terminal) while `info` reads its private copy: it ends as
    // before, by the signal, but takes its copy with it (#22.13).
    QFETCH(int, signal);
    makeBigCache(u"wal"_s);
    writeLeavingWal(m_db, 20000);
    const QString before = cacheFingerprint(m_db);
    bool caught = false;
    for (int attempt = 0; attempt < 5 && !caught; ++attempt) {
        auto cli = startCli({ u"info"_s, m_db, u"--json"_s });
        // Once the copy has bytes: it reads its copy (not in the instant the folder is made).
        const auto copying = [&] {
            const QStringList folders = privateFolders();
            return !folders.isEmpty() && sizeOf(m_tmp.filePath(folders.first() + u"/cache.db"_s)) > 0;
        };
        if (waitUntil(*cli, copying)) {
            ::kill(pid_t(cli->processId()), signal);
            QVERIFY(cli->waitForFinished(30000));
            caught = cli->exitStatus() == QProcess::CrashExit; // ended by the signal, not finished first
        } else {
            cli->waitForFinished(60000);
        }
        QCOMPARE(privateFolders(), QStringList());
    }
    QVERIFY2(caught, "no run was caught with its private copy");
    QCOMPARE(cacheFingerprint(m_db), before);
}

void TestCliInterrupts::sweepKeepsWhatIsNotAStaleCopy()
{
    // Folders named like ours in a TMPDIR, each with a copy inside; `info` of a small cache sweeps.
    makeCache(m_db, u"delete"_s, 3);
    PythonChild alive(holderScript(), { m_db, u"open"_s });
    QVERIFY(alive.waitReady());
    QProcess gone;
    gone.start(u"/bin/true"_s);
    QVERIFY(gone.waitForStarted(10000));
    const qint64 deadPid = gone.processId();
    QVERIFY(gone.waitForFinished(10000));
    const qint64 livePid = alive.pid();
    const qint64 liveStart = PrivateDirs::startTicksOf(livePid);
    QVERIFY(liveStart > 0);
    const auto folder = [&](const QString& name, const QStringList& files) {
        QVERIFY(QDir(m_tmp.path()).mkdir(name));
        for (const QString& file : files) {
            QFile f(m_tmp.filePath(name + u'/' + file));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("SQLite format 3");
        }
    };
    const QString live = u"cachescope-read-%1.%2-aaaaaa"_s.arg(livePid).arg(liveStart);
    const QString reused = u"cachescope-read-%1.%2-bbbbbb"_s.arg(livePid).arg(liveStart + 7); // pid reused
    const QString dead = u"cachescope-vacuum-%1.1-cccccc"_s.arg(deadPid);
    const QString foreign = u"cachescope-read-%1.1-dddddd"_s.arg(deadPid); // holds a file not ours
    const QString nested = u"cachescope-read-%1.1-eeeeee"_s.arg(deadPid); // holds a folder
    const QString oldStyle = u"cachescope-read-ffffff"_s; // no owner in the name
    // The demo's folders (#28): its cache, named for the GUI that made it; also as named before they carried a start
    // time (a pid only). Only the demo's files are removed with them, never another purpose's.
    const QString deadDemo = u"cachescope-demo-%1.1-hhhhhh"_s.arg(deadPid);
    const QString deadOldDemo = u"cachescope-demo-%1-iiiiii"_s.arg(deadPid);
    const QString liveOldDemo = u"cachescope-demo-%1-jjjjjj"_s.arg(livePid);
    const QString demoOfCopies = u"cachescope-demo-%1.1-kkkkkk"_s.arg(deadPid); // holds a read copy, not a demo
    folder(live, { u"cache.db"_s, u"cache.db-wal"_s });
    folder(reused, { u"cache.db"_s, u"cache.db-shm"_s });
    folder(dead, { u"vacuum.db"_s, u"vacuum.db-journal"_s });
    folder(foreign, { u"cache.db"_s, u"notes.txt"_s });
    folder(nested, { u"cache.db"_s });
    QVERIFY(QDir(m_tmp.filePath(nested)).mkdir(u"inner"_s));
    folder(oldStyle, { u"cache.db"_s });
    folder(deadDemo, { u"llm-cache.db"_s, u"llm-cache.db-wal"_s, u"llm-cache.db-shm"_s });
    folder(deadOldDemo, { u"llm-cache.db"_s });
    folder(liveOldDemo, { u"llm-cache.db"_s });
    folder(demoOfCopies, { u"cache.db"_s });
    const QString target = m_dir.filePath(u"keep"_s);
    folder(u"unused"_s, {});
    QVERIFY(QDir().mkdir(target));
    QVERIFY(QFile::link(target, m_tmp.filePath(u"cachescope-read-%1.1-gggggg"_s.arg(deadPid))));
    auto cli = startCli({ u"info"_s, m_db, u"--json"_s });
    QVERIFY(cli->waitForFinished(60000));
    QCOMPARE(cli->exitCode(), 0);
    QStringList kept = QDir(m_tmp.path()).entryList(QDir::AllEntries | QDir::System | QDir::NoDotAndDotDot);
    kept.sort();
    QStringList expected { live, foreign, nested, oldStyle, u"cachescope-read-%1.1-gggggg"_s.arg(deadPid), u"unused"_s,
        liveOldDemo, demoOfCopies };
    expected.sort();
    QCOMPARE(kept, expected);
    QCOMPARE(filesIn(m_tmp.filePath(live)).size(), 2);
    QVERIFY(QFileInfo(target).isDir()); // a symlink named like ours is neither followed nor removed
}

QTEST_GUILESS_MAIN(TestCliInterrupts)
#include "tst_cli_interrupts.moc"
