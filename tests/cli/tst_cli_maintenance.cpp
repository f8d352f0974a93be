// SPDX-License-Identifier: GPL-3.0-or-later
// cachescope-cli checkpoint / vacuum / delete / scan as a user runs them: real processes,
// real files, JSON contract and exit codes, and SIGKILL in the middle losing nothing.
#include "common/format.h"
#include "scratchdir.h"
#include "testsupport.h"
#include "writerscripts.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QThread>

#include <csignal>
#include <unistd.h>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

namespace {

bool hasHolder(const QJsonArray& holders, qint64 pid)
{
    for (const auto& holder : holders) {
        if (holder.toObject()[u"pid"_s].toInteger() == pid)
            return true;
    }
    return false;
}
} // namespace

class TestCliMaintenance : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void checkpointTruncateJson();
    void checkpointTextSaysAnUnchangedWal();
    void checkpointBusyExitsThreeAndNamesReader();
    void warningsAndHoldersAreSaidOnce();
    void checkpointErrors_data();
    void checkpointErrors();
    void deleteRefusedNamesHolderNotItself();
    void deleteRemovesFourFiles();
    void writerIsLockedOutWhileDeleteHoldsLocks();
    void vacuumAndVacuumInto();
    void scanJson();
    void deleteRefusesNonSqlite();
    void vacuumIntoEmptyTargetIsUsageError_data();
    void vacuumIntoEmptyTargetIsUsageError();
    void diskcacheFolderDeleteInfoScan();
    void fanoutCacheFolder();
    void otherUsersHolderFoundThroughProcLocks();
    void sigkillLosesNoCommittedRow_data();
    void sigkillLosesNoCommittedRow();

private:
    QString path(const QString& name) const { return m_dir.filePath(name); }
    ScratchDir m_dir;
    QString m_db;
};

void TestCliMaintenance::init()
{
    QVERIFY(m_dir.renew());
    m_db = path(u"cache.db"_s);
    makeCache(m_db, u"wal"_s, 100);
}

void TestCliMaintenance::checkpointTruncateJson()
{
    writeLeavingWal(m_db, 200);
    const qint64 walBefore = QFileInfo(m_db + u"-wal"_s).size();
    PythonChild idle(holderScript(), { m_db, u"idle"_s });
    QVERIFY(idle.waitReady());
    const auto result = runCli({ u"checkpoint"_s, m_db, u"--mode"_s, u"truncate"_s, u"--json"_s });
    QCOMPARE(result.exitCode, 0);
    const QJsonObject out = result.json();
    QCOMPARE(out[u"mode"_s].toString(), u"truncate"_s);
    QCOMPARE(out[u"busy"_s].toBool(), false);
    QVERIFY(out.contains(u"log_frames"_s) && out.contains(u"checkpointed_frames"_s));
    QCOMPARE(out[u"wal_bytes_before"_s].toInteger(), walBefore);
    QCOMPARE(out[u"wal_bytes_after"_s].toInteger(), 0);
    QCOMPARE(QFileInfo(m_db + u"-wal"_s).size(), 0);
    idle.stop();
    QCOMPARE(queryInt(m_db, u"SELECT count(*) FROM entries"_s), 300);
}

// #28: the text said "-wal size: 101 KiB → 101 KiB" after a PASSIVE checkpoint, which never truncates the -wal. It
// says "stayed at 101 KiB", as the Checkpoint dialog does (one function, in core), and "went from … to 0 B" after a
// TRUNCATE. A real -wal, and an idle python3 connection so that the CLI's close removes nothing.
void TestCliMaintenance::checkpointTextSaysAnUnchangedWal()
{
    writeLeavingWal(m_db, 200);
    const qint64 walBefore = QFileInfo(m_db + u"-wal"_s).size();
    QVERIFY(walBefore > 0);
    PythonChild idle(holderScript(), { m_db, u"idle"_s });
    QVERIFY(idle.waitReady());
    const auto passive = runCli({ u"checkpoint"_s, m_db, u"--watch-ms"_s, u"0"_s });
    QCOMPARE(passive.exitCode, 0);
    QCOMPARE(QFileInfo(m_db + u"-wal"_s).size(), walBefore); // PASSIVE left its size
    const QString said = QString::fromUtf8(passive.out);
    QVERIFY2(said.contains(u"  -wal size:     stayed at %1\n"_s.arg(Format::bytes(walBefore))), qPrintable(said));
    QVERIFY2(!said.contains(u"→"_s), qPrintable(said));
    const auto truncate = runCli({ u"checkpoint"_s, m_db, u"--mode"_s, u"truncate"_s, u"--watch-ms"_s, u"0"_s });
    QCOMPARE(truncate.exitCode, 0);
    const QString truncated = QString::fromUtf8(truncate.out);
    QVERIFY2(truncated.contains(u"  -wal size:     went from %1 to 0 B\n"_s.arg(Format::bytes(walBefore))),
        qPrintable(truncated));
}

void TestCliMaintenance::checkpointBusyExitsThreeAndNamesReader()
{
    writeLeavingWal(m_db, 20);
    PythonChild reader(holderScript(), { m_db, u"reader"_s });
    QVERIFY(reader.waitReady());
    writeLeavingWal(m_db, 20);
    const auto result
        = runCli({ u"checkpoint"_s, m_db, u"--mode"_s, u"restart"_s, u"--timeout-ms"_s, u"200"_s, u"--json"_s });
    QCOMPARE(result.exitCode, 3);
    const QJsonObject out = result.json();
    QCOMPARE(out[u"busy"_s].toBool(), true);
    QCOMPARE(out[u"busy_timeout_ms"_s].toInteger(), 200);
    QVERIFY2(hasHolder(out[u"blockers"_s].toArray(), reader.pid()), result.out.constData());
    const auto text = runCli({ u"checkpoint"_s, m_db, u"--mode"_s, u"full"_s, u"--timeout-ms"_s, u"200"_s });
    QCOMPARE(text.exitCode, 3);
    QVERIFY2(
        text.out.contains("blocked by") && text.out.contains(QByteArray::number(reader.pid())), text.out.constData());
}

void TestCliMaintenance::warningsAndHoldersAreSaidOnce()
{
    // The WAL-reset warning was printed on stderr before acting and again in the result; a busy
    // VACUUM named its holder in the error and again on the next line.
    writeLeavingWal(m_db, 5);
    PythonChild writer(holderScript(), { m_db, u"writer"_s });
    QVERIFY(writer.waitReady());
    const auto checkpoint = runCli({ u"checkpoint"_s, m_db });
    QCOMPARE(checkpoint.exitCode, 0);
    const QByteArray said = checkpoint.out + checkpoint.err;
    QVERIFY2(said.count("WAL-reset bug") == 1, said.constData()); // SQLite 3.40.1 (Debian 12) has it
    QVERIFY2(checkpoint.err.contains("WAL-reset bug"), said.constData()); // before acting
    const auto vacuum = runCli({ u"vacuum"_s, m_db, u"--timeout-ms"_s, u"300"_s });
    QCOMPARE(vacuum.exitCode, 3);
    // The holder described once — "PID n (its command line) — files: …" —; the note before acting names the same
    // process as a writer, by its name ("PID n (python3)"), which is no repeat of the description.
    const QByteArray holder = "PID " + QByteArray::number(writer.pid()) + " (";
    QVERIFY2(vacuum.err.contains(holder), vacuum.err.constData());
    QVERIFY2(vacuum.err.count(" \xe2\x80\x94 files: ") == 1, vacuum.err.constData());
}

void TestCliMaintenance::checkpointErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("message");
    QTest::addRow("bad mode") << QStringList { u"--mode"_s, u"fast"_s } << 2 << u"--mode must be"_s;
    QTest::addRow("bad timeout") << QStringList { u"--timeout-ms"_s, u"-1"_s } << 2 << u"--timeout-ms"_s;
    QTest::addRow("rollback db") << QStringList { u"ROLLBACK"_s } << 1 << u"not in WAL mode"_s;
    QTest::addRow("missing file") << QStringList { u"MISSING"_s } << 1 << u"does not exist"_s;
}

void TestCliMaintenance::checkpointErrors()
{
    QFETCH(QStringList, args);
    QFETCH(int, exitCode);
    QFETCH(QString, message);
    makeCache(path(u"rollback.db"_s), u"delete"_s, 1);
    QString target = m_db;
    if (args.first() == u"ROLLBACK"_s)
        target = path(u"rollback.db"_s);
    if (args.first() == u"MISSING"_s)
        target = path(u"missing.db"_s);
    if (args.first().startsWith(u"--"_s))
        args.prepend(target);
    else
        args = { target };
    const auto result = runCli(QStringList { u"checkpoint"_s } + args);
    QCOMPARE(result.exitCode, exitCode);
    QVERIFY2(QString::fromUtf8(result.err).contains(message), result.err.constData());
    QCOMPARE(headerVersions(path(u"rollback.db"_s)), qMakePair(1, 1));
}

void TestCliMaintenance::deleteRefusedNamesHolderNotItself()
{
    PythonChild holder(holderScript(), { m_db, u"idle"_s });
    QVERIFY(holder.waitReady());
    const auto result = runCli({ u"delete"_s, m_db, u"--json"_s });
    QCOMPARE(result.exitCode, 3);
    const QJsonObject out = result.json();
    QCOMPARE(out[u"refused"_s].toBool(), true);
    QVERIFY(out[u"deleted"_s].toArray().isEmpty());
    const QJsonArray holders = out[u"holders"_s].toArray();
    QCOMPARE(holders.size(), 1); // the holder only: the CLI leaves itself out
    const QJsonObject first = holders.first().toObject();
    QCOMPARE(first[u"pid"_s].toInteger(), holder.pid());
    QVERIFY(first[u"name"_s].toString().startsWith(u"python3"_s));
    QVERIFY(first[u"files"_s].toArray().contains(u"db"_s));
    QVERIFY(exists(m_db));
    const auto dry = runCli({ u"delete"_s, m_db, u"--dry-run"_s });
    QCOMPARE(dry.exitCode, 3);
    QVERIFY2(dry.out.contains(QByteArray::number(holder.pid())), dry.out.constData());
}

void TestCliMaintenance::deleteRemovesFourFiles()
{
    writeLeavingWal(m_db, 10);
    QVERIFY(QFile(m_db + u"-journal"_s).open(QIODevice::WriteOnly));
    makeCache(path(u"cache.db.bak"_s), u"delete"_s, 1);
    const auto result = runCli({ u"delete"_s, m_db, u"--json"_s });
    QCOMPARE(result.exitCode, 0);
    const QJsonObject out = result.json();
    QCOMPARE(out[u"refused"_s].toBool(), false);
    QCOMPARE(out[u"deleted"_s].toArray().size(), 4);
    QCOMPARE(QDir(m_dir.path()).entryList(QDir::Files), QStringList { u"cache.db.bak"_s });
}

void TestCliMaintenance::writerIsLockedOutWhileDeleteHoldsLocks()
{
    writeLeavingWal(m_db, 10);
    QProcess cli;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"CACHESCOPE_DELETE_PAUSE_MS"_s, u"4000"_s);
    cli.setProcessEnvironment(env);
    cli.start(QStringLiteral(CACHESCOPE_CLI_PATH), { u"delete"_s, m_db, u"--json"_s });
    QByteArray progress; // accumulate: the QTRY macro evaluates its expression more than once
    QTRY_VERIFY_WITH_TIMEOUT((progress += cli.readAllStandardError()).contains("locked"), 20000);
    const auto writer = runPythonScript(QString::fromLatin1(WriterScripts::tryWrite), { m_db });
    QVERIFY2(writer.out.contains("database is locked"), writer.out.constData());
    QVERIFY(cli.waitForFinished(30000));
    QCOMPARE(cli.exitCode(), 0);
    QVERIFY(!exists(m_db));
    QVERIFY(!exists(m_db + u"-wal"_s));
}

void TestCliMaintenance::vacuumAndVacuumInto()
{
    exec(m_db, u"UPDATE entries SET value = printf('%.3000c', 'v'); DELETE FROM entries WHERE id > 10"_s);
    const qint64 before = QFileInfo(m_db).size();
    const auto result = runCli({ u"vacuum"_s, m_db, u"--json"_s });
    QCOMPARE(result.exitCode, 0);
    const QJsonObject out = result.json();
    QCOMPARE(out[u"db_bytes_before"_s].toInteger(), before);
    QCOMPARE(out[u"db_bytes_after"_s].toInteger(), QFileInfo(m_db).size());
    QVERIFY(QFileInfo(m_db).size() < before);
    const QString copy = path(u"copy.db"_s);
    const auto into = runCli({ u"vacuum"_s, m_db, u"--into"_s, copy });
    QCOMPARE(into.exitCode, 0);
    QCOMPARE(queryInt(copy, u"SELECT count(*) FROM pragma_integrity_check WHERE integrity_check = 'ok'"_s), 1);
    QCOMPARE(queryInt(copy, u"SELECT count(*) FROM entries"_s), 10);
    const QByteArray copyBytes = fileBytes(copy);
    const auto again = runCli({ u"vacuum"_s, m_db, u"--into"_s, copy });
    QCOMPARE(again.exitCode, 1);
    QVERIFY(again.err.contains("refusing to overwrite"));
    QCOMPARE(fileBytes(copy), copyBytes);
}

void TestCliMaintenance::scanJson()
{
    QVERIFY(QDir().mkpath(path(u"nested/deeper"_s)));
    makeCache(path(u"nested/deeper/inner.sqlite"_s), u"delete"_s, 1);
    QFile fake(path(u"nested/fake.db"_s));
    QVERIFY(fake.open(QIODevice::WriteOnly));
    fake.write(QByteArray(200, 'x'));
    fake.close();
    QVERIFY(QFile(path(u"nested/orphan.db-wal"_s)).open(QIODevice::WriteOnly));
    const auto result = runCli({ u"scan"_s, m_dir.path(), u"--json"_s });
    QCOMPARE(result.exitCode, 0);
    const QJsonObject out = result.json();
    QStringList found;
    for (const auto& db : out[u"databases"_s].toArray())
        found << db.toObject()[u"path"_s].toString();
    found.sort();
    QCOMPARE(found, QStringList({ m_db, path(u"nested/deeper/inner.sqlite"_s) }));
    const QJsonArray orphans = out[u"orphans"_s].toArray();
    QCOMPARE(orphans.size(), 1);
    QCOMPARE(orphans.first().toObject()[u"path"_s].toString(), path(u"nested/orphan.db-wal"_s));
    // The text says journal modes and formats in the GUI's words (#28 review: "[rollback]", "profile").
    const QString text = QString::fromUtf8(runCli({ u"scan"_s, m_dir.path() }).out);
    for (const auto& value : out[u"databases"_s].toArray()) {
        const QJsonObject db = value.toObject();
        const QString mode = db[u"journal_mode"_s].toString() == u"wal"_s ? u"WAL"_s : u"DELETE"_s;
        QVERIFY2(
            text.contains(u"%1  [%2]  db "_s.arg(db[u"path"_s].toString(), mode)), qPrintable(mode + u"\n"_s + text));
        if (!db[u"profile"_s].isNull())
            QVERIFY2(text.contains(u", format "_s + db[u"profile"_s].toString()), qPrintable(text));
    }
    QVERIFY2(text.contains(u"inner.sqlite  [DELETE]"_s), qPrintable(text));
    QVERIFY2(!text.contains(u"rollback"_s) && !text.contains(u"profile"_s), qPrintable(text));
    const auto removed = runCli({ u"delete"_s, path(u"nested/orphan.db"_s) });
    QCOMPARE(removed.exitCode, 0);
    QVERIFY(!exists(path(u"nested/orphan.db-wal"_s)));
}

void TestCliMaintenance::sigkillLosesNoCommittedRow_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("delayMs");
    for (int delay : { 0, 20, 80 }) {
        QTest::addRow("checkpoint truncate, kill after %d ms", delay)
            << QStringList { u"checkpoint"_s, u"--mode"_s, u"truncate"_s } << delay;
        QTest::addRow("vacuum, kill after %d ms", delay) << QStringList { u"vacuum"_s } << delay;
    }
}

void TestCliMaintenance::sigkillLosesNoCommittedRow()
{
    QFETCH(QStringList, args);
    QFETCH(int, delayMs);
    exec(m_db, u"UPDATE entries SET value = printf('%.4000c', 'v')"_s);
    writeLeavingWal(m_db, 4000); // a few MB in the -wal for the checkpoint to copy
    exec(m_db, u"DELETE FROM entries WHERE id % 3 = 0"_s); // free pages for the vacuum
    const qint64 rows = queryInt(m_db, u"SELECT count(*) FROM entries"_s);
    writeLeavingWal(m_db, 100); // ensure the WAL still has frames when the CLI starts
    QProcess cli;
    cli.start(QStringLiteral(CACHESCOPE_CLI_PATH), args.mid(0, 1) + QStringList { m_db } + args.mid(1));
    QVERIFY(cli.waitForStarted(10000));
    QThread::msleep(static_cast<unsigned long>(delayMs)); // vary where the kill lands; nothing is timed
    ::kill(pid_t(cli.processId()), SIGKILL);
    QVERIFY(cli.waitForFinished(10000));
    QCOMPARE(queryInt(m_db, u"SELECT count(*) FROM pragma_integrity_check WHERE integrity_check = 'ok'"_s), 1);
    QCOMPARE(queryInt(m_db, u"SELECT count(*) FROM entries"_s), rows + 100);
}

void TestCliMaintenance::deleteRefusesNonSqlite()
{
    QFile notes(path(u"notes.txt"_s));
    QVERIFY(notes.open(QIODevice::WriteOnly));
    notes.write("my notes\n");
    notes.close();
    for (const QStringList& extra : { QStringList {}, QStringList { u"--dry-run"_s } }) {
        const auto result = runCli(QStringList { u"delete"_s, path(u"notes.txt"_s) } + extra);
        QCOMPARE(result.exitCode, 1);
        QVERIFY2(result.err.contains("not an SQLite database"), result.err.constData());
        QVERIFY2(!result.out.contains("would remove"), result.out.constData());
    }
    QCOMPARE(fileBytes(path(u"notes.txt"_s)), QByteArray("my notes\n"));
    const auto empty = runCli({ u"delete"_s, QString() });
    QCOMPARE(empty.exitCode, 2);
}

void TestCliMaintenance::vacuumIntoEmptyTargetIsUsageError_data()
{
    QTest::addColumn<QString>("into");
    QTest::addRow("empty") << u""_s;
    QTest::addRow("blank") << u"  "_s;
    QTest::addRow("blank with tab") << u" \t"_s;
}

void TestCliMaintenance::vacuumIntoEmptyTargetIsUsageError()
{
    QFETCH(QString, into);
    into.replace(u"@"_s, m_dir.path() + u'/');
    const QByteArray before = fileBytes(m_db);
    const auto result = runCli({ u"vacuum"_s, m_db, u"--into"_s, into });
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.contains("--into"), result.err.constData());
    QCOMPARE(fileBytes(m_db), before);
}

void TestCliMaintenance::diskcacheFolderDeleteInfoScan()
{
    const QString folder = path(u"dc"_s);
    const auto made = runPythonScript(u"import diskcache, os, sys\n"
                                      "c = diskcache.Cache(sys.argv[1])\n"
                                      "for i in range(20): c['big%d' % i] = os.urandom(50000)\n"
                                      "c['small'] = 1\n"
                                      "c.close()\n"_s,
        { folder });
    QVERIFY2(made.exitCode == 0, made.err.constData());
    QFile orphan(folder + u"/ff/ee/orphan.val"_s);
    QVERIFY(QDir().mkpath(folder + u"/ff/ee"_s) && orphan.open(QIODevice::WriteOnly));
    orphan.write("x");
    orphan.close();
    const auto info = runCli({ u"info"_s, folder, u"--json"_s });
    QCOMPARE(info.exitCode, 0);
    const QJsonObject values = info.json()[u"value_files"_s].toObject();
    QCOMPARE(values[u"files"_s].toInt(), 20);
    QCOMPARE(values[u"bytes"_s].toInteger(), 20 * 50000);
    QCOMPARE(values[u"orphans"_s].toInt(), 1);
    QVERIFY(info.json()[u"total_bytes"_s].toInteger() > 20 * 50000);
    QStringList codes;
    for (const auto& warning : info.json()[u"warnings"_s].toArray())
        codes << warning.toObject()[u"code"_s].toString();
    QVERIFY2(codes.contains(u"value_files_orphaned"_s) && !codes.contains(u"value_files_missing"_s),
        qPrintable(codes.join(u' ')));
    const auto text = runCli({ u"info"_s, folder });
    QVERIFY2(text.out.contains("value files") && text.out.contains("total size"), text.out.constData());
    const auto scan = runCli({ u"scan"_s, m_dir.path(), u"--json"_s, u"--no-processes"_s });
    QCOMPARE(scan.exitCode, 0);
    bool seen = false;
    for (const auto& found : scan.json()[u"databases"_s].toArray()) {
        const QJsonObject object = found.toObject();
        if (object[u"path"_s].toString().endsWith(u"dc/cache.db"_s)) {
            seen = true;
            QCOMPARE(object[u"value_files"_s][u"files"_s].toInt(), 20);
            QCOMPARE(object[u"value_files"_s][u"orphans"_s].toInt(), 1);
        }
    }
    QVERIFY2(seen, scan.out.constData());
    const auto dry = runCli({ u"delete"_s, folder, u"--dry-run"_s, u"--json"_s });
    QCOMPARE(dry.exitCode, 0);
    QCOMPARE(dry.json()[u"totals"_s][u"value"_s][u"count"_s].toInt(), 20);
    QCOMPARE(dry.json()[u"totals"_s][u"value"_s][u"bytes"_s].toInteger(), 20 * 50000);
    const auto deleted = runCli({ u"delete"_s, folder });
    QCOMPARE(deleted.exitCode, 0);
    QVERIFY2(deleted.out.contains("removed 20 value files"), deleted.out.constData());
    QStringList left;
    QDirIterator it(folder, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext())
        left << QDir(folder).relativeFilePath(it.next());
    QCOMPARE(left, QStringList { u"ff/ee/orphan.val"_s });
}

void TestCliMaintenance::fanoutCacheFolder()
{
    const QString folder = path(u"fan"_s);
    const auto made = runPythonScript(u"import diskcache, os, sys\n"
                                      "c = diskcache.FanoutCache(sys.argv[1], shards=4)\n"
                                      "for i in range(16): c['big%d' % i] = os.urandom(40000)\n"
                                      "c.close()\n"_s,
        { folder });
    QVERIFY2(made.exitCode == 0, made.err.constData());
    const auto info = runCli({ u"info"_s, folder, u"--json"_s });
    QCOMPARE(info.exitCode, 0);
    QCOMPARE(info.json()[u"layout"_s].toString(), u"fanout"_s);
    const QJsonArray shards = info.json()[u"shards"_s].toArray();
    QCOMPARE(shards.size(), 4);
    int values = 0;
    for (const auto& shard : shards)
        values += shard.toObject()[u"value_files"_s][u"files"_s].toInt();
    QCOMPARE(values, 16);
    QVERIFY(info.json()[u"total_bytes"_s].toInteger() > 16 * 40000);
    const auto checkpoint = runCli({ u"checkpoint"_s, folder, u"--json"_s });
    QCOMPARE(checkpoint.exitCode, 0);
    QCOMPARE(checkpoint.json()[u"shards"_s].toArray().size(), 4);
    const QString copy = path(u"fancopy"_s);
    const auto vacuum = runCli({ u"vacuum"_s, folder, u"--into"_s, copy, u"--json"_s });
    QCOMPARE(vacuum.exitCode, 0);
    int copied = 0;
    for (const auto& shard : vacuum.json()[u"shards"_s].toArray())
        copied += shard.toObject()[u"value_files_copied"_s].toInt();
    QCOMPARE(copied, 16);
    const auto checked = runPythonScript(
        u"import diskcache, sys\n"
        "c = diskcache.FanoutCache(sys.argv[1], shards=4)\n"
        "print('problems', len(c.check()), 'readable', sum(1 for i in range(16) if c.get('big%d' % i) is not None))\n"_s,
        { copy });
    QVERIFY2(checked.out.contains("problems 0 readable 16"), checked.out.constData());
    const auto deleted = runCli({ u"delete"_s, folder, u"--json"_s });
    QCOMPARE(deleted.exitCode, 0);
    QCOMPARE(deleted.json()[u"databases"_s].toArray().size(), 4);
    QVERIFY2(QDir(folder).isEmpty(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot),
        qPrintable(QDir(folder).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot).join(u' ')));
}

void TestCliMaintenance::otherUsersHolderFoundThroughProcLocks()
{
    // `delete` run as nobody cannot read root's /proc/PID/fd, but /proc/locks shows the lock.
    if (::geteuid() != 0 || !QFileInfo::exists(u"/usr/bin/setpriv"_s))
        QSKIP("needs root and setpriv to run the CLI as another user");
    QVERIFY(QFile::setPermissions(m_dir.path(),
        QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ReadGroup | QFile::ExeGroup | QFile::ReadOther
            | QFile::ExeOther));
    PythonChild reader(holderScript(), { m_db, u"reader"_s }); // a WAL read lock on -shm
    QVERIFY(reader.waitReady());
    for (const QString& file : QStringList { m_db, m_db + u"-wal"_s, m_db + u"-shm"_s })
        QFile::setPermissions(file, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadOther | QFile::ReadGroup);
    const auto result = runProgram(u"/usr/bin/setpriv"_s,
        { u"--reuid=65534"_s, u"--regid=65534"_s, u"--clear-groups"_s, QStringLiteral(CACHESCOPE_CLI_PATH), u"delete"_s,
            m_db, u"--dry-run"_s, u"--json"_s });
    QCOMPARE(result.exitCode, 3); // refused: the holder was seen
    const QJsonObject out = result.json();
    QVERIFY2(out[u"refused"_s].toBool(), result.out.constData());
    QVERIFY2(hasHolder(out[u"holders"_s].toArray(), reader.pid()), result.out.constData());
    QVERIFY(out[u"uninspectable_processes"_s].toInt() > 0);
    const auto text = runProgram(u"/usr/bin/setpriv"_s,
        { u"--reuid=65534"_s, u"--regid=65534"_s, u"--clear-groups"_s, QStringLiteral(CACHESCOPE_CLI_PATH), u"delete"_s,
            m_db });
    QCOMPARE(text.exitCode, 3);
    QVERIFY2(text.out.contains("could not be inspected"), text.out.constData());
    QVERIFY(exists(m_db));
}

QTEST_GUILESS_MAIN(TestCliMaintenance)
#include "tst_cli_maintenance.moc"
