// SPDX-License-Identifier: GPL-3.0-or-later
// Database: opening real files — every bad input with its own reason and the file untouched,
// conversion to WAL, read-only opens that change nothing, and one SQLite in the process.
#include "scratchdir.h"
#include "sqlite/database.h"
#include "testsupport.h"
#include "writerscripts.h"

#include <QDir>
#include <QFile>
#include <QScopeGuard>
#include <QSqlDatabase>
#include <QSqlDriver>
#include <QSqlQuery>
#include <QTest>

#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

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

qint64 mtimeNs(const QString& file)
{
    struct stat st { };
    if (::stat(QFile::encodeName(file).constData(), &st) != 0)
        return -1;
    return qint64(st.st_mtim.tv_sec) * 1000000000LL + st.st_mtim.tv_nsec;
}

// True once a file written now gets a later mtime than `file` has: the file system's clock
// has ticked since `file` was last written.
bool writeGetsLaterMtime(const QString& file)
{
    const QString probe = file + u".tick"_s;
    QFile out(probe);
    if (!out.open(QIODevice::WriteOnly) || out.write("x") != 1)
        return false;
    out.close();
    const bool later = mtimeNs(probe) > mtimeNs(file);
    QFile::remove(probe);
    return later;
}
} // namespace

class TestDatabase : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { QVERIFY(m_dir.renew()); }

    void badInput_data();
    void badInput();
    void lockedDuringOpen();
    void walSwitchRefusedWhileAnotherProcessReads();
    void convertsDeleteToWal();
    void readOnlyLeavesDeleteCacheUntouched();
    void readOnlyLeavesNoSidecarsOnWalCache();
    void snapshotReadNoticesWritersThatCameLater();
    void snapshotNoticesAWriteInTheSameClockTick();
    void oneSqliteInProcess();
    void liveCacheWithAheadHeaderIsNotTruncated();
    void pathThroughSymlinkedDirectory();
    void readWriteInReadOnlyDirectory();
    void cacheThatCannotBeCopiedIsReadInPlaceOnlyWhenAsked();

private:
    QString path(const QString& name) const { return m_dir.filePath(name); }
    ScratchDir m_dir;
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
        // #28 words (new-user defect 21): what SQLite files begin with and what this one begins with, never
        // "bad header (no magic)"; of an untrusted file only printable ASCII reaches the message.
        row("text file") << u"text"_s << int(K::NotSqlite)
                         << u"not an SQLite database: every SQLite database file begins with the text \"SQLite format "
                            "3\", and this one begins with \"this is a text f\""_s
                         << readOnly;
        row("png file") << u"png"_s << int(K::NotSqlite) << u"begins with \"·PNG········IHDR\""_s << readOnly;
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
    } else if (setup == u"png"_s) {
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray::fromHex("89504e470d0a1a0a0000000d49484452000001000000010008060000005c72a866").repeated(10));
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

void TestDatabase::snapshotNoticesAWriteInTheSameClockTick()
{
    // Issue #22.1: a writer that opens a connection per commit writes the db file (its close
    // checkpoints) within the same tick of the file clock as the write before: size, mtime and
    // the absent -wal all look as they did at the open. The write is noticed all the same.
    const QString file = path(u"tick.db"_s);
    makeCache(file, u"wal"_s, 20);
    auto db = Database::open(file, Database::Mode::ReadOnly);
    QVERIFY2(db.ok(), qPrintable(db.error().message));
    QVERIFY(!db.value()->readsImmutable() || !db.value()->snapshotOutdated());
    const QByteArray before = fileBytes(file);
    const auto writer
        = runPythonScript(u"import os, sqlite3, sys\nst = os.stat(sys.argv[1])\nc = sqlite3.connect(sys.argv[1])\n"
                          "c.execute(\"UPDATE entries SET value = 'changed' WHERE id = 1\")\nc.commit()\nc.close()\n"
                          "os.utime(sys.argv[1], ns=(st.st_atime_ns, st.st_mtime_ns))\n"
                          "assert os.stat(sys.argv[1]).st_size == st.st_size"_s,
            { file });
    QVERIFY2(writer.exitCode == 0, writer.err.constData());
    QVERIFY(fileBytes(file) != before);
    QVERIFY(!exists(file + u"-wal"_s));
    QVERIFY(db.value()->readsImmutable());
    QVERIFY(db.value()->snapshotOutdated());
}

void TestDatabase::snapshotReadNoticesWritersThatCameLater()
{
    // Issue #9: a read-only open of a cache at rest reads a snapshot (immutable); a writer
    // that comes later must be noticed, both one that stays connected and one that opens a
    // connection per call (commits, checkpoints on close, and leaves no sidecar behind).
    const QString file = path(u"rest.db"_s);
    makeCache(file, u"wal"_s, 20);
    {
        auto db = Database::open(file, Database::Mode::ReadOnly);
        QVERIFY2(db.ok(), qPrintable(db.error().message));
        QVERIFY(!db.value()->snapshotOutdated());
        PythonChild holder(QString::fromLatin1(WriterScripts::holdOpen), { file });
        QVERIFY(holder.waitReady());
        QVERIFY(db.value()->snapshotOutdated()); // its locks on the -shm say it is live
    }
    QVERIFY(!exists(file + u"-wal"_s));
    auto db = Database::open(file, Database::Mode::ReadOnly);
    QVERIFY2(db.ok(), qPrintable(db.error().message));
    QVERIFY(!db.value()->snapshotOutdated());
    QTRY_VERIFY(writeGetsLaterMtime(file)); // a coarse mtime would hide a write in the same tick
    const auto writer = runPythonScript(
        u"import sqlite3, sys\nc = sqlite3.connect(sys.argv[1])\nc.execute(\"INSERT INTO entries(key) "
        u"VALUES('late')\")\n"
        "c.commit()\nc.close()"_s,
        { file });
    QCOMPARE(writer.exitCode, 0);
    QVERIFY(!exists(file + u"-wal"_s)); // the writer's close checkpointed it away
    QVERIFY(db.value()->snapshotOutdated());
    auto again = Database::open(file, Database::Mode::ReadOnly);
    QVERIFY2(again.ok(), qPrintable(again.error().message));
    QCOMPARE(again.value()->rowCount(u"entries"_s).value(), 21);
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

void TestDatabase::liveCacheWithAheadHeaderIsNotTruncated()
{
    // Mid-checkpoint, a live cache's db file can already carry a header that counts more pages
    // than the file has. A writer holds the cache open with page 1 in its -wal, so SQLite reads
    // page 1 from there; the db file's header is made to say 36557 pages.
    const QString file = path(u"live.db"_s);
    makeCache(file, u"wal"_s, 10);
    PythonChild writer(
        QString::fromLatin1(WriterScripts::writeCommits), { file, u"3"_s, u"50"_s, u"300"_s, u"none"_s });
    QVERIFY(writer.waitReady());
    QVERIFY(QFileInfo(file + u"-wal"_s).size() > 0);
    {
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadWrite));
        QByteArray header = f.read(100);
        const QByteArray count("\x00\x00\x8e\xcd", 4); // 36557
        header.replace(28, 4, count);
        header.replace(92, 4, header.mid(24, 4)); // version-valid-for = change counter: count trusted
        f.seek(0);
        f.write(header);
    }
    for (auto mode : { Database::Mode::ReadOnly, Database::Mode::ReadWrite }) {
        Database::Options options;
        options.mode = mode;
        options.switchToWal = false;
        auto db = Database::open(file, options);
        QVERIFY2(db.ok(), qPrintable(db.error().message));
        QCOMPARE(db.value()->rowCount(u"entries"_s).value(), 160);
    }
}

void TestDatabase::pathThroughSymlinkedDirectory()
{
    // ~/.cache → /data/cache is ordinary: only the file itself must not be a link.
    QVERIFY(QDir().mkpath(path(u"real"_s)));
    makeCache(path(u"real/c.db"_s), u"delete"_s, 7);
    QVERIFY(QFile::link(path(u"real"_s), path(u"linked"_s)));
    auto db = Database::open(path(u"linked/c.db"_s), Database::Mode::ReadOnly);
    QVERIFY2(db.ok(), qPrintable(db.error().message));
    QCOMPARE(db.value()->rowCount(u"entries"_s).value(), 7);
    QCOMPARE(db.value()->path(), path(u"linked/c.db"_s));
}

void TestDatabase::readWriteInReadOnlyDirectory()
{
    if (::geteuid() == 0)
        QSKIP("root can write into a read-only directory");
    QVERIFY(QDir().mkpath(path(u"ro"_s)));
    const QString file = path(u"ro/c.db"_s);
    makeCache(file, u"delete"_s, 3);
    QVERIFY(QFile::setPermissions(path(u"ro"_s), QFile::ReadOwner | QFile::ExeOwner));
    auto db = Database::open(file, Database::Mode::ReadWrite);
    QVERIFY(!db.ok());
    QVERIFY2(db.error().message.contains(u"not writable"_s), qPrintable(db.error().message));
    auto readOnly = Database::open(file, Database::Mode::ReadOnly);
    QVERIFY2(readOnly.ok(), qPrintable(readOnly.error().message));
    QVERIFY(QFile::setPermissions(path(u"ro"_s), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
}

void TestDatabase::cacheThatCannotBeCopiedIsReadInPlaceOnlyWhenAsked()
{
    // Issue #22.2: a cache at rest whose db file alone is inconsistent (a TRUNCATE checkpoint
    // killed midway) and that cannot be copied privately. Without readInPlace: refused, nothing
    // written. With it: the right rows, the db and -wal byte-identical, only a -shm created.
    const QString file = path(u"half.db"_s);
    makeCache(file, u"wal"_s, 20);
    const auto made
        = runPythonScript(QString::fromLatin1(WriterScripts::halfCheckpointed), { file, u"400"_s, u"no-shm"_s });
    QVERIFY2(made.exitCode == 0, made.err.constData());
    QCOMPARE(made.out.trimmed(), QByteArray("alone damaged whole ok"));
    QVERIFY(!exists(file + u"-shm"_s));
    const QByteArray db = fileBytes(file);
    const QByteArray wal = fileBytes(file + u"-wal"_s);
    const QStringList filesBefore = QDir(m_dir.path()).entryList(QDir::Files | QDir::Hidden);
    qputenv("CACHESCOPE_PRIVATE_COPY_MAX_BYTES", "4096");
    const auto unset = qScopeGuard([] { qunsetenv("CACHESCOPE_PRIVATE_COPY_MAX_BYTES"); });
    Database::Options options;
    options.mode = Database::Mode::ReadOnly;
    {
        auto refused = Database::open(file, options);
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().kind, Error::Kind::Refused);
        QVERIFY(refused.error().readableInPlace);
        QVERIFY2(refused.error().message.contains(u"The cache is fine"_s), qPrintable(refused.error().message));
        QVERIFY2(!refused.error().message.contains(u"corrupt"_s), qPrintable(refused.error().message));
    }
    QCOMPARE(QDir(m_dir.path()).entryList(QDir::Files | QDir::Hidden), filesBefore);
    QCOMPARE(fileBytes(file), db);
    QCOMPARE(fileBytes(file + u"-wal"_s), wal);
    options.readInPlace = true;
    {
        auto inPlace = Database::open(file, options);
        QVERIFY2(inPlace.ok(), qPrintable(inPlace.error().message));
        QCOMPARE(inPlace.value()->rowCount(u"entries"_s).value(), 420);
        QCOMPARE(inPlace.value()->tables().value(), (QStringList { u"entries"_s, u"more"_s }));
        QCOMPARE(inPlace.value()->queryValue(u"PRAGMA integrity_check"_s).value().toString(), u"ok"_s);
        QVERIFY(!inPlace.value()->snapshotOutdated());
        QVERIFY2(inPlace.value()->notes().join(u' ').contains(u"read in place"_s),
            qPrintable(inPlace.value()->notes().join(u' ')));
    }
    QCOMPARE(fileBytes(file), db);
    QCOMPARE(fileBytes(file + u"-wal"_s), wal);
    QStringList expected = filesBefore + QStringList { u"half.db-shm"_s };
    expected.sort();
    QCOMPARE(QDir(m_dir.path()).entryList(QDir::Files | QDir::Hidden), expected);
}

QTEST_GUILESS_MAIN(TestDatabase)
#include "tst_database.moc"
