// SPDX-License-Identifier: GPL-3.0-or-later
// Database: opening real files — every bad input with its own reason and the file untouched,
// conversion to WAL, read-only opens that change nothing, and one SQLite in the process.
#include "sqlite/database.h"
#include "testsupport.h"

#include <QSqlDatabase>
#include <QSqlDriver>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>
#include <sys/stat.h>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

namespace {
const char* const holdExclusive = R"PY(
import sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN EXCLUSIVE")
c.execute("INSERT INTO entries(key) VALUES('held')")
print("ready")
sys.stdin.read()
)PY";
const char* const holdShared = R"PY(
import sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN")
c.execute("SELECT count(*) FROM entries").fetchall()
print("ready")
sys.stdin.read()
)PY";
} // namespace

class TestDatabase : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
    }

    void badInput_data();
    void badInput();
    void lockedDuringOpen();
    void walSwitchRefusedWhileAnotherProcessReads();
    void convertsDeleteToWal();
    void readOnlyLeavesDeleteCacheUntouched();
    void readOnlyLeavesNoSidecarsOnWalCache();
    void defensiveSettingsAreOn();
    void quotesHostileIdentifiers();
    void oneSqliteInProcess();

private:
    QString path(const QString& name) const { return m_dir->filePath(name); }
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestDatabase::badInput_data()
{
    QTest::addColumn<QString>("setup");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("messagePart");
    QTest::addColumn<bool>("readOnly");
    using K = Error::Kind;
    for (bool readOnly : { false, true }) {
        const char* suffix = readOnly ? " (read-only)" : " (read-write)";
        auto row = [&](const char* name) -> QTestData& { return QTest::addRow("%s%s", name, suffix); };
        row("missing") << u"missing"_s << int(K::NotFound) << u"does not exist"_s << readOnly;
        row("directory") << u"directory"_s << int(K::IsDirectory) << u"is a directory"_s << readOnly;
        row("fifo") << u"fifo"_s << int(K::NotRegularFile) << u"not a regular file"_s << readOnly;
        row("symlink") << u"symlink"_s << int(K::SymbolicLink) << u"symbolic link"_s << readOnly;
        row("empty") << u"empty"_s << int(K::EmptyFile) << u"empty file"_s << readOnly;
        row("text file") << u"text"_s << int(K::NotSqlite) << u"not an SQLite database: bad header"_s << readOnly;
        row("short header") << u"short"_s << int(K::Corrupt) << u"truncated"_s << readOnly;
        row("truncated") << u"truncated"_s << int(K::Corrupt) << u"truncated"_s << readOnly;
        row("corrupt page") << u"corrupt"_s << int(K::Corrupt) << u"corrupt"_s << readOnly;
    }
}

void TestDatabase::badInput()
{
    QFETCH(QString, setup);
    QFETCH(int, kind);
    QFETCH(QString, messagePart);
    QFETCH(bool, readOnly);

    const QString file = path(setup + u".db"_s);
    if (setup == u"directory"_s) {
        QVERIFY(QDir().mkpath(file));
    } else if (setup == u"fifo"_s) {
        QCOMPARE(::mkfifo(QFile::encodeName(file).constData(), 0600), 0);
    } else if (setup == u"symlink"_s) {
        makeCache(path(u"target.db"_s), u"delete"_s, 3);
        QVERIFY(QFile::link(path(u"target.db"_s), file));
    } else if (setup == u"empty"_s) {
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
    } else if (setup == u"text"_s) {
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray("this is a text file, not a database\n").repeated(200));
    } else if (setup == u"short"_s) {
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray("SQLite format 3\0\x10\x00", 18));
    } else if (setup == u"truncated"_s) {
        makeCache(file, u"delete"_s, 2000);
        QVERIFY(QFile::resize(file, QFileInfo(file).size() / 2));
    } else if (setup == u"corrupt"_s) {
        makeCache(file, u"delete"_s, 2000);
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadWrite));
        f.seek(100); // page 1 after the file header: the b-tree page of sqlite_schema itself
        f.write(QByteArray(4096 - 100, '\xA5'));
    }
    const QByteArray before = fileBytes(file);
    Database::Options options;
    options.mode = readOnly ? Database::Mode::ReadOnly : Database::Mode::ReadWrite;
    options.busyTimeoutMs = 200;
    auto db = Database::open(file, options);
    QVERIFY2(!db.ok(), "opening must fail");
    QCOMPARE(int(db.error().kind), kind);
    QVERIFY2(db.error().message.contains(messagePart), qPrintable(db.error().message));
    QCOMPARE(fileBytes(file), before);
    QVERIFY(!exists(file + u"-wal"_s));
    QVERIFY(!exists(file + u"-shm"_s));
    QVERIFY(!exists(file + u"-journal"_s));
}

void TestDatabase::lockedDuringOpen()
{
    const QString file = path(u"locked.db"_s);
    makeCache(file, u"delete"_s, 5);
    PythonChild child(QString::fromLatin1(holdExclusive), { file });
    QVERIFY(child.waitReady());
    const QByteArray before = fileBytes(file);
    for (auto mode : { Database::Mode::ReadOnly, Database::Mode::ReadWrite }) {
        Database::Options options;
        options.mode = mode;
        options.busyTimeoutMs = 200;
        auto db = Database::open(file, options);
        QVERIFY(!db.ok());
        QCOMPARE(db.error().kind, Error::Kind::Locked);
        QVERIFY2(db.error().message.contains(u"locked"_s), qPrintable(db.error().message));
    }
    QCOMPARE(fileBytes(file), before);
}

void TestDatabase::walSwitchRefusedWhileAnotherProcessReads()
{
    const QString file = path(u"shared.db"_s);
    makeCache(file, u"delete"_s, 5);
    PythonChild child(QString::fromLatin1(holdShared), { file });
    QVERIFY(child.waitReady());
    Database::Options options;
    options.walSwitchTimeoutMs = 200;
    auto db = Database::open(file, options);
    QVERIFY(!db.ok());
    QCOMPARE(db.error().kind, Error::Kind::Locked);
    QVERIFY2(db.error().message.contains(u"cannot switch to WAL"_s), qPrintable(db.error().message));
    QVERIFY2(db.error().message.contains(u"another process"_s), qPrintable(db.error().message));
    QCOMPARE(headerVersions(file), qMakePair(1, 1));
}

void TestDatabase::convertsDeleteToWal()
{
    const QString file = path(u"convert.db"_s);
    makeCache(file, u"delete"_s, 50);
    QCOMPARE(headerVersions(file), qMakePair(1, 1));
    {
        auto db = Database::open(file);
        QVERIFY2(db.ok(), qPrintable(db.error().message));
        QCOMPARE(db.value()->previousJournalMode(), u"delete"_s);
        QCOMPARE(db.value()->journalMode(), u"wal"_s);
        QVERIFY(db.value()->convertedToWal());
        QCOMPARE(db.value()->queryValue(u"PRAGMA synchronous"_s).value().toInt(), 1); // NORMAL
        QCOMPARE(db.value()->queryValue(u"PRAGMA busy_timeout"_s).value().toInt(), 30000);
    }
    QCOMPARE(headerVersions(file), qMakePair(2, 2));
    QCOMPARE(queryInt(file, u"SELECT count(*) FROM entries"_s), 50);
    QCOMPARE(queryInt(file, u"SELECT sum(id) FROM entries"_s), 50 * 51 / 2);
    auto again = Database::open(file);
    QVERIFY(again.ok());
    QVERIFY(!again.value()->convertedToWal());
}

void TestDatabase::readOnlyLeavesDeleteCacheUntouched()
{
    const QString file = path(u"ro.db"_s);
    makeCache(file, u"delete"_s, 20);
    const QByteArray before = fileBytes(file);
    {
        auto db = Database::open(file, Database::Mode::ReadOnly);
        QVERIFY2(db.ok(), qPrintable(db.error().message));
        QCOMPARE(db.value()->journalMode(), u"delete"_s);
        QVERIFY(!db.value()->convertedToWal());
        QCOMPARE(db.value()->rowCount(u"entries"_s).value(), 20);
        QVERIFY(!db.value()->enableWal().ok());
        QVERIFY(!db.value()->queryValue(u"INSERT INTO entries(key) VALUES('x')"_s).ok()); // query_only
    }
    QCOMPARE(fileBytes(file), before);
    QVERIFY(!exists(file + u"-wal"_s));
    QVERIFY(!exists(file + u"-shm"_s));
    QVERIFY(!exists(file + u"-journal"_s));
}

void TestDatabase::readOnlyLeavesNoSidecarsOnWalCache()
{
    const QString file = path(u"wal.db"_s);
    makeCache(file, u"wal"_s, 20);
    QVERIFY(!exists(file + u"-wal"_s)); // the fixture's last close checkpointed and removed it
    const QByteArray before = fileBytes(file);
    {
        auto db = Database::open(file, Database::Mode::ReadOnly);
        QVERIFY2(db.ok(), qPrintable(db.error().message));
        QCOMPARE(db.value()->journalMode(), u"wal"_s);
        QCOMPARE(db.value()->rowCount(u"entries"_s).value(), 20);
    }
    QCOMPARE(fileBytes(file), before);
    QVERIFY(!exists(file + u"-wal"_s));
    QVERIFY(!exists(file + u"-shm"_s));
}

void TestDatabase::defensiveSettingsAreOn()
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

void TestDatabase::quotesHostileIdentifiers()
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

void TestDatabase::oneSqliteInProcess()
{
    // Qt's QSQLITE plugin and our core must be the same libsqlite3: compare the versions each
    // reports at runtime, and that the plugin's sqlite3* handle works with our library.
    QVERIFY(QSqlDatabase::isDriverAvailable(u"QSQLITE"_s));
    {
        auto qtDb = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"versioncheck"_s);
        qtDb.setDatabaseName(u":memory:"_s);
        QVERIFY(qtDb.open());
        QSqlQuery query(qtDb);
        QVERIFY(query.exec(u"SELECT sqlite_version(), sqlite_source_id()"_s));
        QVERIFY(query.next());
        QCOMPARE(query.value(0).toString(), QString::fromLatin1(sqlite3_libversion()));
        QCOMPARE(query.value(1).toString(), QString::fromLatin1(sqlite3_sourceid()));
        QCOMPARE(Database::runtimeVersion(), QString::fromLatin1(sqlite3_libversion()));
        auto* handle = *static_cast<sqlite3* const*>(qtDb.driver()->handle().constData());
        QVERIFY(handle);
        // Only meaningful if both sides share one library's globals: the plugin's connection
        // must be recognized by our copy's API.
        QCOMPARE(QString::fromUtf8(sqlite3_db_filename(handle, "main")), QString());
        query.finish();
        qtDb.close();
    }
    QSqlDatabase::removeDatabase(u"versioncheck"_s);
    // And exactly one libsqlite3 is mapped into this process.
    const QByteArray maps = fileBytes(u"/proc/self/maps"_s);
    QSet<QByteArray> libs;
    for (const QByteArray& line : maps.split('\n')) {
        const int at = line.indexOf('/');
        if (at >= 0 && line.contains("libsqlite3"))
            libs.insert(line.mid(at));
    }
    QCOMPARE(libs.size(), 1);
}

QTEST_GUILESS_MAIN(TestDatabase)
#include "tst_database.moc"
