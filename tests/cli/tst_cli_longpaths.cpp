// SPDX-License-Identifier: GPL-3.0-or-later
// Caches whose full path is longer than SQLite opens (its unix VFS's 512 bytes) (#22.6): real
// directories 588 and 4,056 bytes deep, every command run on them as a user would, absolute
// and through a short relative path. Read-only commands read the cache at rest through a
// private copy (the files unchanged, byte for byte); commands that change the cache, and reads
// of a cache in use, are refused with the limit named — never "unable to open database file".
#include "sqlite/openplan.h"
#include "testsupport.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

class TestCliLongPaths : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void readOnlyCommandsReadAPrivateCopy_data();
    void readOnlyCommandsReadAPrivateCopy();
    void changesAreRefusedWithTheLimit_data();
    void changesAreRefusedWithTheLimit();
    void aCacheInUseIsRefusedWithTheLimit();

private:
    // A WAL cache (with rows still in its -wal) at a path of `bytes` bytes; returns the db path.
    QString makeDeepCache(int bytes);
    CliResult run(const QStringList& args, const QString& workingDirectory = {});

    QTemporaryDir m_dir;
};

void TestCliLongPaths::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QCOMPARE(OpenPlan::maxPathBytes(), 512);
}

QString TestCliLongPaths::makeDeepCache(int bytes)
{
    static int made = 0;
    QString folder = m_dir.filePath(u"deep%1"_s.arg(++made));
    const QString name = u"/cache.db"_s;
    while (folder.size() + name.size() < bytes) {
        const int room = bytes - int(folder.size() + name.size()) - 1;
        folder += u'/' + QString(qMin(200, qMax(1, room)), u'd');
    }
    if (!QDir().mkpath(folder))
        return {};
    const QString db = folder + name;
    const QString shortDb = m_dir.filePath(u"short%1.db"_s.arg(made));
    makeCache(shortDb, u"wal"_s, 50);
    writeLeavingWal(shortDb, 25); // rows only in the -wal, which moves along
    for (const QString& suffix : { QString(), u"-wal"_s })
        QFile::rename(shortDb + suffix, db + suffix);
    return db;
}

CliResult TestCliLongPaths::run(const QStringList& args, const QString& workingDirectory)
{
    QProcess process;
    if (!workingDirectory.isEmpty())
        process.setWorkingDirectory(workingDirectory);
    process.start(QStringLiteral(CACHESCOPE_CLI_PATH), args);
    CliResult result;
    if (!process.waitForStarted(10000) || !process.waitForFinished(60000))
        return result;
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    return result;
}

void TestCliLongPaths::readOnlyCommandsReadAPrivateCopy_data()
{
    QTest::addColumn<int>("bytes");
    QTest::addColumn<bool>("relative");
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QByteArray>("expected");
    for (int bytes : { 588, 4056 }) {
        for (bool relative : { false, true }) {
            const char* how = relative ? "relative" : "absolute";
            QTest::addRow("%d %s info", bytes, how)
                << bytes << relative << QStringList { u"info"_s, u"DB"_s, u"--json"_s } << QByteArray("\"entries\":75");
            QTest::addRow("%d %s entries", bytes, how)
                << bytes << relative << QStringList { u"entries"_s, u"DB"_s, u"--json"_s } << QByteArray("key-50");
            QTest::addRow("%d %s query", bytes, how)
                << bytes << relative << QStringList { u"query"_s, u"DB"_s, u"SELECT count(*) AS n FROM entries"_s }
                << QByteArray("75");
            QTest::addRow("%d %s delete --dry-run", bytes, how)
                << bytes << relative << QStringList { u"delete"_s, u"DB"_s, u"--dry-run"_s } << QByteArray("cache.db");
            QTest::addRow("%d %s watch", bytes, how) << bytes << relative
                                                     << QStringList { u"watch"_s, u"DB"_s, u"--json"_s,
                                                            u"--interval-ms"_s, u"100"_s, u"--duration-s"_s, u"1"_s }
                                                     << QByteArray("db_bytes");
        }
    }
}

void TestCliLongPaths::readOnlyCommandsReadAPrivateCopy()
{
    QFETCH(int, bytes);
    QFETCH(bool, relative);
    QFETCH(QStringList, args);
    QFETCH(QByteArray, expected);
    const QString db = makeDeepCache(bytes);
    QVERIFY(!db.isEmpty());
    QCOMPARE(QFile::encodeName(db).size(), bytes);
    const QString before = cacheFingerprint(db);
    args.replace(args.indexOf(u"DB"_s), relative ? u"cache.db"_s : db);
    const auto result = run(args, relative ? QFileInfo(db).absolutePath() : QString());
    QVERIFY2(result.exitCode == 0, result.err.constData());
    QVERIFY2(result.out.contains(expected), result.out.left(2000).constData());
    QVERIFY2(!result.err.contains("unable to open"), result.err.constData());
    QCOMPARE(cacheFingerprint(db), before);
}

void TestCliLongPaths::changesAreRefusedWithTheLimit_data()
{
    QTest::addColumn<int>("bytes");
    QTest::addColumn<QStringList>("args");
    for (int bytes : { 588, 4056 }) {
        QTest::addRow("%d checkpoint", bytes) << bytes << QStringList { u"checkpoint"_s, u"DB"_s };
        QTest::addRow("%d vacuum", bytes) << bytes << QStringList { u"vacuum"_s, u"DB"_s };
        QTest::addRow("%d vacuum --into", bytes)
            << bytes << QStringList { u"vacuum"_s, u"DB"_s, u"--into"_s, m_dir.filePath(u"copy%1.db"_s.arg(bytes)) };
        QTest::addRow("%d enable-wal", bytes) << bytes << QStringList { u"enable-wal"_s, u"DB"_s };
        QTest::addRow("%d prune", bytes) << bytes
                                         << QStringList { u"prune"_s, u"DB"_s, u"--table"_s, u"entries"_s, u"--match"_s,
                                                u"key-1"_s };
    }
}

void TestCliLongPaths::changesAreRefusedWithTheLimit()
{
    QFETCH(int, bytes);
    QFETCH(QStringList, args);
    const QString db = makeDeepCache(bytes);
    QVERIFY(!db.isEmpty());
    const QString before = cacheFingerprint(db);
    args.replace(args.indexOf(u"DB"_s), db);
    const auto result = run(args);
    QCOMPARE(result.exitCode, 1);
    QVERIFY2(result.err.contains("at most 512 bytes"), result.err.constData());
    QVERIFY2(result.err.contains(QByteArray(QByteArray::number(bytes) + " bytes long")), result.err.constData());
    QVERIFY2(result.err.size() < 1000, "the message repeats the long path"); // it names the file, not the path
    QCOMPARE(cacheFingerprint(db), before);
}

void TestCliLongPaths::aCacheInUseIsRefusedWithTheLimit()
{
    // No SQLite process can open this path either; one that reached the file another way holds
    // SQLite's SHARED lock bytes on it — taken here with fcntl as SQLite takes them.
    const QString db = makeDeepCache(588);
    QVERIFY(!db.isEmpty());
    const QString script = uR"PY(
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_RDWR)
fcntl.lockf(fd, fcntl.LOCK_SH, 1, 0x40000002)
print("ready", flush=True)
sys.stdin.read()
)PY"_s;
    PythonChild reader(script, { db });
    QVERIFY(reader.waitReady());
    const QString before = cacheFingerprint(db);
    const auto result = run({ u"info"_s, db });
    QCOMPARE(result.exitCode, 1);
    QVERIFY2(result.err.contains("at most 512 bytes") && result.err.contains("in use"), result.err.constData());
    QCOMPARE(cacheFingerprint(db), before);
}

QTEST_GUILESS_MAIN(TestCliLongPaths)
#include "tst_cli_longpaths.moc"
