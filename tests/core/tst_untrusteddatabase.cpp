// SPDX-License-Identifier: GPL-3.0-or-later
// Database on untrusted files: defensive settings, quoted identifiers, hostile schemas, bounded
// statements, and sidecars (orphaned -wal, hot journal, bad -wal/-shm) read without touching
// the files. Opening, locks and conversion are in tst_database.cpp.
#include "scratchdir.h"
#include "sqlite/database.h"
#include "sqlite/openplan.h"
#include "testsupport.h"

#include <QTest>

#include <sqlite3.h>
#include <sys/stat.h>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

class TestUntrustedDatabase : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { QVERIFY(m_dir.renew()); }

    void defensiveSettingsAreOn();
    void quotesHostileIdentifiers();
    void orphanedWalIsReadFromPrivateCopy_data();
    void orphanedWalIsReadFromPrivateCopy();
    void hotJournalIsReadFromPrivateCopy();
    void badSidecars_data();
    void badSidecars();
    void jsonGeneratedColumnOpens();
    void unsafeFunctionIsExplained();
    void endlessViewIsStopped();
    void hugeValueIsRefused();
    void busyMessageNamesNoSql();

private:
    QString path(const QString& name) const { return m_dir.filePath(name); }
    ScratchDir m_dir;
};

void TestUntrustedDatabase::defensiveSettingsAreOn()
{
    const QString file = path(u"defensive.db"_s);
    makeCache(file, u"wal"_s, 1);
    auto db = Database::open(file);
    QVERIFY(db.ok());
    sqlite3* handle = db.value()->handle();
    int on = -1;
    sqlite3_db_config(handle, SQLITE_DBCONFIG_DEFENSIVE, -1, &on);
    QCOMPARE(on, 1);
    sqlite3_db_config(handle, SQLITE_DBCONFIG_TRUSTED_SCHEMA, -1, &on);
    QCOMPARE(on, 0);
    sqlite3_db_config(handle, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, -1, &on);
    QCOMPARE(on, 0);
    QCOMPARE(db.value()->queryValue(u"PRAGMA cell_size_check"_s).value().toInt(), 1);
    QCOMPARE(db.value()->queryValue(u"PRAGMA mmap_size"_s).value().toInt(), 0);
    // DEFENSIVE refuses schema edits even after writable_schema is asked for.
    db.value()->queryValue(u"PRAGMA writable_schema=ON"_s);
    QVERIFY(!db.value()->queryValue(u"UPDATE sqlite_schema SET sql=sql"_s).ok());
}

void TestUntrustedDatabase::quotesHostileIdentifiers()
{
    const QString file = path(u"hostile.db"_s);
    const QString table = u"x\"; DROP TABLE t; -- ü"_s;
    exec(file,
        u"CREATE TABLE t(a); CREATE TABLE "_s + Database::quoteIdentifier(table) + u"(v); INSERT INTO "_s
            + Database::quoteIdentifier(table) + u" VALUES(1),(2)"_s);
    auto db = Database::open(file, Database::Mode::ReadOnly);
    QVERIFY(db.ok());
    QCOMPARE(db.value()->tables().value(), QStringList({ u"t"_s, table }));
    QCOMPARE(db.value()->rowCount(table).value(), 2);
    QCOMPARE(db.value()->rowCount(u"t"_s).value(), 0); // still there
}

void TestUntrustedDatabase::orphanedWalIsReadFromPrivateCopy_data()
{
    QTest::addColumn<QString>("shm");
    QTest::addRow("no -shm") << u"none"_s;
    QTest::addRow("7-byte -shm") << u"short"_s;
    QTest::addRow("random -shm") << u"random"_s;
    QTest::addRow("stale -shm") << u"stale"_s;
}

void TestUntrustedDatabase::orphanedWalIsReadFromPrivateCopy()
{
    // A writer died leaving 25 committed rows in the -wal. A read-only open must show them and
    // leave every byte of the db and its sidecars as they were, creating nothing.
    QFETCH(QString, shm);
    const QString file = path(u"orphan.db"_s);
    makeCache(file, u"wal"_s, 10);
    writeLeavingWal(file, 25);
    QVERIFY(QFileInfo(file + u"-wal"_s).size() > 0);
    if (shm == u"none"_s) {
        QVERIFY(QFile::remove(file + u"-shm"_s));
    } else if (shm != u"stale"_s) {
        QFile f(file + u"-shm"_s);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        QByteArray bytes = shm == u"short"_s ? QByteArray("garbage") : QByteArray(32768, '\0');
        for (int i = 0; i < bytes.size() && shm == u"random"_s; ++i)
            bytes[i] = char((i * 7919 + 13) % 251);
        f.write(bytes);
    }
    const QString before = cacheFingerprint(file);
    QString copy;
    {
        auto db = Database::open(file, Database::Mode::ReadOnly);
        QVERIFY2(db.ok(), qPrintable(db.error().message));
        QCOMPARE(db.value()->rowCount(u"entries"_s).value(), 35);
        QCOMPARE(db.value()->journalMode(), u"wal"_s);
        QCOMPARE(db.value()->notes().size(), 1);
        QVERIFY2(db.value()->notes().first().contains(u"private copy"_s), qPrintable(db.value()->notes().first()));
        // A second connection in this process (a page reader, the index, the Overview, on
        // their threads) reads the same copy: a 1 GB cache is not copied once per connection.
        auto second = Database::open(file, Database::Mode::ReadOnly);
        QVERIFY2(second.ok(), qPrintable(second.error().message));
        QCOMPARE(second.value()->sqlitePath(), db.value()->sqlitePath());
        QCOMPARE(second.value()->rowCount(u"entries"_s).value(), 35);
        copy = db.value()->sqlitePath();
        QVERIFY(copy != file && QFileInfo::exists(copy));
    }
    OpenPlan::waitForCopyRemovals(); // removed off the caller's thread once the last connection is gone
    QVERIFY2(!QFileInfo::exists(copy), qPrintable(copy));
    QCOMPARE(cacheFingerprint(file), before);
}

void TestUntrustedDatabase::hotJournalIsReadFromPrivateCopy()
{
    // A rollback-mode writer died mid-transaction: the db holds half a write and the -journal
    // the pages to restore. Read-only, SQLite would have to roll back (a write): the private copy
    // shows the rolled-back content and the files stay as they are.
    const QString file = path(u"hot.db"_s);
    makeCache(file, u"delete"_s, 40);
    PythonChild writer(uR"PY(
import sqlite3, sys, os
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("PRAGMA cache_size=1")
c.execute("BEGIN")
c.execute("DELETE FROM entries")
c.execute("INSERT INTO entries(key, value) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<300) "
          "SELECT 'x' || i, randomblob(3000) FROM n")
print("ready", flush=True)
os._exit(0)
)PY"_s,
        { file });
    QVERIFY(writer.waitReady());
    QTRY_VERIFY_WITH_TIMEOUT(!isRunning(writer.pid()), 10000);
    QVERIFY(QFileInfo(file + u"-journal"_s).size() > 0);
    const QString before = cacheFingerprint(file);
    {
        auto db = Database::open(file, Database::Mode::ReadOnly);
        QVERIFY2(db.ok(), qPrintable(db.error().message));
        QCOMPARE(db.value()->rowCount(u"entries"_s).value(), 40);
        QVERIFY(db.value()->notes().value(0).contains(u"-journal"_s));
    }
    QCOMPARE(cacheFingerprint(file), before);
}

void TestUntrustedDatabase::badSidecars_data()
{
    QTest::addColumn<QString>("suffix");
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("messagePart");
    for (const QString& suffix : { u"-wal"_s, u"-shm"_s }) {
        QTest::addRow("%s directory", qPrintable(suffix)) << suffix << u"dir"_s << u"is a directory"_s;
        QTest::addRow("%s fifo", qPrintable(suffix)) << suffix << u"fifo"_s << u"FIFO"_s;
        QTest::addRow("%s symlink to /dev/zero", qPrintable(suffix))
            << suffix << u"zero"_s << u"symbolic link (to /dev/zero)"_s;
        QTest::addRow("%s symlink to /etc/passwd", qPrintable(suffix))
            << suffix << u"passwd"_s << u"symbolic link (to /etc/passwd)"_s;
    }
}

void TestUntrustedDatabase::badSidecars()
{
    QFETCH(QString, suffix);
    QFETCH(QString, kind);
    QFETCH(QString, messagePart);
    const QString file = path(u"side.db"_s);
    makeCache(file, u"wal"_s, 5);
    const QString sidecar = file + suffix;
    if (kind == u"dir"_s)
        QVERIFY(QDir().mkpath(sidecar));
    else if (kind == u"fifo"_s)
        QCOMPARE(::mkfifo(QFile::encodeName(sidecar).constData(), 0600), 0);
    else
        QVERIFY(QFile::link(kind == u"zero"_s ? u"/dev/zero"_s : u"/etc/passwd"_s, sidecar));
    const QString before = cacheFingerprint(file);
    for (auto mode : { Database::Mode::ReadOnly, Database::Mode::ReadWrite }) {
        Database::Options options;
        options.mode = mode;
        options.busyTimeoutMs = 200;
        auto db = Database::open(file, options);
        QVERIFY(!db.ok());
        QVERIFY2(db.error().message.contains(messagePart), qPrintable(db.error().message));
        QVERIFY2(db.error().message.contains(sidecar), qPrintable(db.error().message)); // what to remove
    }
    QCOMPARE(cacheFingerprint(file), before);
}

void TestUntrustedDatabase::jsonGeneratedColumnOpens()
{
    const QString file = path(u"json.db"_s);
    exec(file, uR"(CREATE TABLE docs(id INTEGER PRIMARY KEY, doc TEXT,
              name TEXT GENERATED ALWAYS AS (json_extract(doc, '$.name')) VIRTUAL,
              tags TEXT GENERATED ALWAYS AS (doc -> '$.tags') STORED);
            INSERT INTO docs(doc) VALUES('{"name":"ada","tags":[1,2]}'), ('{"name":"bob"}');)"_s);
    const QString before = cacheFingerprint(file);
    for (auto mode : { Database::Mode::ReadOnly, Database::Mode::ReadWrite }) {
        auto db = Database::open(file, mode);
        QVERIFY2(db.ok(), qPrintable(db.error().message));
        QCOMPARE(db.value()->rowCount(u"docs"_s).value(), 2);
        QCOMPARE(
            db.value()->queryValue(u"SELECT group_concat(name, ',') FROM docs"_s).value().toString(), u"ada,bob"_s);
        QCOMPARE(db.value()->queryValue(u"SELECT tags FROM docs WHERE id = 1"_s).value().toString(), u"[1,2]"_s);
        QCOMPARE(db.value()->queryValue(u"SELECT json_array(json('[1]'), 2)"_s).value().toString(), u"[[1],2]"_s);
        if (mode == Database::Mode::ReadOnly)
            QCOMPARE(cacheFingerprint(file), before);
    }
}

void TestUntrustedDatabase::unsafeFunctionIsExplained()
{
    // A view calling a function SQLite does not mark innocuous stays refused, with the reason.
    const QString file = path(u"unsafe.db"_s);
    exec(file,
        u"CREATE TABLE t(a); INSERT INTO t VALUES(1); CREATE VIEW v AS SELECT a, fts3_tokenizer('simple') AS x FROM t"_s);
    auto db = Database::open(file, Database::Mode::ReadOnly);
    QVERIFY2(db.ok(), qPrintable(db.error().message));
    QCOMPARE(db.value()->rowCount(u"t"_s).value(), 1); // the rest browses
    auto rows = db.value()->rowCount(u"v"_s);
    QVERIFY(!rows.ok());
    QVERIFY2(rows.error().message.contains(u"fts3_tokenizer"_s), qPrintable(rows.error().message));
    QVERIFY2(rows.error().message.contains(u"trusted_schema"_s), qPrintable(rows.error().message));
}

void TestUntrustedDatabase::endlessViewIsStopped()
{
    const QString file = path(u"endless.db"_s);
    exec(file,
        u"CREATE TABLE t(a); CREATE VIEW forever AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) "
        "SELECT max(i) AS i FROM n"_s);
    Database::Options options;
    options.mode = Database::Mode::ReadOnly;
    options.statementTimeoutMs = 300;
    auto db = Database::open(file, options);
    QVERIFY2(db.ok(), qPrintable(db.error().message));
    auto value = db.value()->queryValue(u"SELECT i FROM forever"_s);
    QVERIFY(!value.ok());
    QVERIFY2(value.error().message.contains(u"took longer than"_s), qPrintable(value.error().message));
    QCOMPARE(db.value()->rowCount(u"t"_s).value(), 0); // the connection still works
}

void TestUntrustedDatabase::hugeValueIsRefused()
{
    const QString file = path(u"huge.db"_s);
    exec(file, u"CREATE TABLE t(a); CREATE VIEW big AS SELECT randomblob(1000000000) AS b"_s);
    auto db = Database::open(file, Database::Mode::ReadOnly);
    QVERIFY2(db.ok(), qPrintable(db.error().message));
    auto value = db.value()->queryValue(u"SELECT length(b) FROM big"_s);
    QVERIFY(!value.ok());
    QVERIFY2(value.error().message.contains(u"larger than the 512 MiB"_s), qPrintable(value.error().message));
}

void TestUntrustedDatabase::busyMessageNamesNoSql()
{
    // A connection in EXCLUSIVE locking mode keeps the database to itself.
    const QString file = path(u"exclusive.db"_s);
    makeCache(file, u"wal"_s, 5);
    PythonChild child(uR"PY(
import sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("PRAGMA locking_mode=EXCLUSIVE")
c.execute("BEGIN IMMEDIATE")
c.execute("INSERT INTO entries(key) VALUES('held')")
c.execute("COMMIT")
print("ready", flush=True)
sys.stdin.read()
)PY"_s,
        { file });
    QVERIFY(child.waitReady());
    for (auto mode : { Database::Mode::ReadOnly, Database::Mode::ReadWrite }) {
        Database::Options options;
        options.mode = mode;
        options.busyTimeoutMs = 300;
        auto db = Database::open(file, options);
        QVERIFY(!db.ok());
        QCOMPARE(db.error().kind, Error::Kind::Locked);
        QVERIFY2(db.error().message.startsWith(u"busy:"_s), qPrintable(db.error().message));
        QVERIFY2(db.error().message.contains(u"300 ms"_s), qPrintable(db.error().message));
        QVERIFY2(!db.error().message.contains(u"PRAGMA"_s, Qt::CaseInsensitive), qPrintable(db.error().message));
    }
}

QTEST_GUILESS_MAIN(TestUntrustedDatabase)
#include "tst_untrusteddatabase.moc"
