// SPDX-License-Identifier: GPL-3.0-or-later
// SafeDelete with real holder processes, real locks and real files (docs/WAL.md §7).
#include "maintenance/safedelete.h"
#include "os/locktable.h"
#include "scratchdir.h"
#include "sqlite/database.h"
#include "testsupport.h"
#include "writerscripts.h"

#include <QDir>
#include <QFileInfo>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

class TestSafeDelete : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void refusedForEveryHolder_data();
    void refusedForEveryHolder();
    void deletesExactlyTheFourFiles();
    void writerStartingWhileLockedGetsDatabaseIsLocked_data();
    void writerStartingWhileLockedGetsDatabaseIsLocked();
    void refusesSymlinks_data();
    void refusesSymlinks();
    void refusesOwnConnection();
    void dryRunListsACacheThisProcessHasOpen();
    void dryRunListsAndRemovesNothing();
    void removesOrphanedSidecars();
    void trashMovesAllFour();
    void trashRefusedWithoutUsableTrash_data();
    void trashRefusedWithoutUsableTrash();
    void refusesFilesThatAreNotSqlite();

private:
    QString path(const QString& name) const { return m_dir.filePath(name); }
    QStringList fourFiles() const;
    ScratchDir m_dir;
    QString m_db;
};

void TestSafeDelete::init()
{
    QVERIFY(m_dir.renew());
    m_db = path(u"name.db"_s);
}

QStringList TestSafeDelete::fourFiles() const
{
    return { m_db + u"-wal"_s, m_db + u"-journal"_s, m_db + u"-shm"_s, m_db };
}

void TestSafeDelete::refusedForEveryHolder_data()
{
    QTest::addColumn<QString>("journal");
    QTest::addColumn<QString>("kind");
    QTest::addRow("idle WAL connection") << u"wal"_s << u"idle"_s;
    QTest::addRow("WAL reader") << u"wal"_s << u"reader"_s;
    QTest::addRow("WAL writer") << u"wal"_s << u"writer"_s;
    QTest::addRow("idle rollback connection") << u"delete"_s << u"idle"_s;
    QTest::addRow("rollback-mode file merely open") << u"delete"_s << u"open"_s;
}

void TestSafeDelete::refusedForEveryHolder()
{
    QFETCH(QString, journal);
    QFETCH(QString, kind);
    makeCache(m_db, journal, 20);
    if (journal == u"wal"_s)
        writeLeavingWal(m_db, 10);
    PythonChild holder(holderScript(), { m_db, kind });
    QVERIFY(holder.waitReady());
    QStringList present;
    for (const QString& file : fourFiles()) {
        if (exists(file))
            present << file;
    }
    auto outcome = SafeDelete::run(m_db, {});
    QVERIFY2(outcome.ok(), qPrintable(outcome.error().message));
    QVERIFY(outcome->refused);
    QVERIFY(outcome->deleted.isEmpty());
    bool named = false;
    for (const auto& holderProcess : outcome->holders)
        named = named || (holderProcess.pid == holder.pid() && holderProcess.files.contains(u"db"_s));
    QVERIFY2(named, qPrintable(outcome->toText()));
    for (const QString& file : present)
        QVERIFY2(exists(file), qPrintable(file));
    holder.stop();
    QVERIFY(queryInt(m_db, u"SELECT count(*) FROM entries"_s) >= 20);
}

void TestSafeDelete::deletesExactlyTheFourFiles()
{
    makeCache(m_db, u"wal"_s, 20);
    writeLeavingWal(m_db, 10); // leaves -wal and -shm
    QVERIFY(QFile(m_db + u"-journal"_s).open(QIODevice::WriteOnly));
    const QStringList neighbours { path(u"name.db-walx"_s), path(u"name.db.bak"_s), path(u"other.db"_s),
        path(u"name.db-shm.old"_s) };
    for (const QString& neighbour : neighbours)
        makeCache(neighbour, u"delete"_s, 1);
    for (const QString& file : fourFiles())
        QVERIFY2(exists(file), qPrintable(file));
    auto outcome = SafeDelete::run(m_db, {});
    QVERIFY2(outcome.ok(), qPrintable(outcome.error().message));
    QVERIFY2(!outcome->refused, qPrintable(outcome->reason));
    QCOMPARE(outcome->deleted, fourFiles());
    for (const QString& file : fourFiles())
        QVERIFY2(!exists(file), qPrintable(file));
    for (const QString& neighbour : neighbours)
        QCOMPARE(queryInt(neighbour, u"SELECT count(*) FROM entries"_s), 1);
    QCOMPARE(QDir(m_dir.path()).entryList(QDir::Files).size(), neighbours.size());
}

void TestSafeDelete::writerStartingWhileLockedGetsDatabaseIsLocked_data()
{
    QTest::addColumn<QString>("journal");
    QTest::addRow("wal") << u"wal"_s;
    QTest::addRow("rollback") << u"delete"_s;
}

void TestSafeDelete::writerStartingWhileLockedGetsDatabaseIsLocked()
{
    QFETCH(QString, journal);
    makeCache(m_db, journal, 20);
    if (journal == u"wal"_s)
        writeLeavingWal(m_db, 10);
    QByteArray writerSaw;
    SafeDelete::Options options;
    options.whileLocked
        = [&] { writerSaw = runPythonScript(QString::fromLatin1(WriterScripts::tryWrite), { m_db }).out; };
    auto outcome = SafeDelete::run(m_db, options);
    QVERIFY2(outcome.ok(), qPrintable(outcome.error().message));
    QVERIFY(!outcome->refused);
    QVERIFY2(writerSaw.contains("database is locked"), writerSaw.constData());
    QVERIFY(!exists(m_db));
}

void TestSafeDelete::refusesSymlinks_data()
{
    QTest::addColumn<QString>("linked"); // which name is the link
    QTest::addRow("db path is a link") << u""_s;
    QTest::addRow("-wal is a link") << u"-wal"_s;
}

void TestSafeDelete::refusesSymlinks()
{
    QFETCH(QString, linked);
    const QString real = path(u"real/target.db"_s);
    QVERIFY(QDir().mkpath(path(u"real"_s)));
    makeCache(real, u"delete"_s, 3);
    if (linked.isEmpty()) {
        QVERIFY(QFile::link(real, m_db));
    } else {
        makeCache(m_db, u"delete"_s, 3);
        QVERIFY(QFile::link(real, m_db + linked));
    }
    auto outcome = SafeDelete::run(m_db, {});
    QVERIFY2(outcome.ok(), qPrintable(outcome.error().message));
    QVERIFY(outcome->refused);
    QVERIFY2(
        outcome->reason.contains(u"symbolic link"_s) && outcome->reason.contains(real), qPrintable(outcome->reason));
    QVERIFY(outcome->deleted.isEmpty());
    QVERIFY(exists(m_db));
    QVERIFY(QFileInfo(m_db + linked).isSymLink());
    QCOMPARE(queryInt(real, u"SELECT count(*) FROM entries"_s), 3);
}

void TestSafeDelete::refusesOwnConnection()
{
    makeCache(m_db, u"wal"_s, 3);
    auto database = Database::open(m_db, Database::Mode::ReadOnly);
    QVERIFY(database.ok());
    auto outcome = SafeDelete::run(m_db, {});
    QVERIFY2(outcome.ok(), qPrintable(outcome.error().message));
    QVERIFY(outcome->refused);
    QVERIFY2(outcome->reason.contains(u"close it first"_s), qPrintable(outcome->reason));
    QVERIFY(exists(m_db));
    QCOMPARE(database.value()->rowCount(u"entries"_s).value(), 3); // our connection still works
}

// Issue #28: the GUI's confirmation lists the cache while the window keeps it open. The dry run
// must not refuse, must not list this process, and must open no fd on the cache files (closing
// one would drop the connection's POSIX locks: counted in /proc/locks before and after).
void TestSafeDelete::dryRunListsACacheThisProcessHasOpen()
{
    makeCache(m_db, u"wal"_s, 3);
    auto database = Database::open(m_db, Database::Mode::ReadWrite);
    QVERIFY(database.ok());
    QCOMPARE(database.value()->rowCount(u"entries"_s).value(), 3);
    const auto ourLocks = [] {
        int count = 0;
        for (const LockTable::Entry& entry : LockTable::parse(LockTable::readProcLocks().value()))
            count += entry.pid == QCoreApplication::applicationPid() ? 1 : 0;
        return count;
    };
    const int locksBefore = ourLocks();
    QVERIFY(locksBefore > 0); // the -shm's DMS read lock of a WAL connection
    SafeDelete::Options options;
    options.dryRun = true;
    auto outcome = SafeDelete::run(m_db, options);
    QVERIFY2(outcome.ok(), qPrintable(outcome.error().message));
    QVERIFY2(!outcome->refused, qPrintable(outcome->reason));
    QVERIFY(outcome->holders.isEmpty());
    QCOMPARE(outcome->files.size(), 3); // db, -wal, -shm
    QCOMPARE(ourLocks(), locksBefore);
    QVERIFY(exists(m_db));
    QCOMPARE(database.value()->rowCount(u"entries"_s).value(), 3);
    auto real = SafeDelete::run(m_db, {}); // the real one still refuses while it is open
    QVERIFY(real.ok() && real->refused);
}

void TestSafeDelete::dryRunListsAndRemovesNothing()
{
    makeCache(m_db, u"wal"_s, 20);
    writeLeavingWal(m_db, 10);
    SafeDelete::Options options;
    options.dryRun = true;
    auto outcome = SafeDelete::run(m_db, options);
    QVERIFY2(outcome.ok(), qPrintable(outcome.error().message));
    QVERIFY(!outcome->refused);
    QVERIFY(outcome->deleted.isEmpty());
    QCOMPARE(outcome->files.size(), 3);
    for (const auto& file : outcome->files) {
        QVERIFY(exists(file.path));
        QCOMPARE(file.bytes, QFileInfo(file.path).size());
    }
    QVERIFY(outcome->toText().contains(u"would remove"_s));
}

void TestSafeDelete::removesOrphanedSidecars()
{
    makeCache(m_db, u"wal"_s, 20);
    writeLeavingWal(m_db, 10);
    QVERIFY(QFile::rename(m_db, path(u"moved.db"_s)));
    auto outcome = SafeDelete::run(m_db, {});
    QVERIFY2(outcome.ok(), qPrintable(outcome.error().message));
    QVERIFY(!outcome->refused);
    QCOMPARE(outcome->deleted, QStringList({ m_db + u"-wal"_s, m_db + u"-shm"_s }));
    QVERIFY(exists(path(u"moved.db"_s)));
    auto nothing = SafeDelete::run(m_db, {});
    QVERIFY(!nothing.ok());
    QCOMPARE(nothing.error().kind, Error::Kind::NotFound);
}

void TestSafeDelete::trashMovesAllFour()
{
    QVERIFY(QDir().mkpath(path(u"xdg"_s)));
    QVERIFY(QDir().mkpath(path(u"cwd"_s)));
    const QString cwd = QDir::currentPath();
    QVERIFY(QDir::setCurrent(path(u"cwd"_s))); // whatever happens, trash must not land here
    qputenv("XDG_DATA_HOME", QFile::encodeName(path(u"xdg"_s)));
    makeCache(m_db, u"wal"_s, 20);
    writeLeavingWal(m_db, 10);
    SafeDelete::Options options;
    options.trash = true;
    auto outcome = SafeDelete::run(m_db, options);
    qunsetenv("XDG_DATA_HOME");
    QDir::setCurrent(cwd);
    QVERIFY2(outcome.ok(), qPrintable(outcome.error().message));
    QCOMPARE(outcome->deleted.size(), 3);
    QCOMPARE(outcome->trashedTo.size(), 3);
    for (const QString& trashed : outcome->trashedTo)
        QVERIFY2(trashed.startsWith(path(u"xdg/Trash/files/"_s)) && exists(trashed), qPrintable(trashed));
    for (const QString& file : outcome->deleted)
        QVERIFY(!exists(file));
    const QString info = path(u"xdg/Trash/info/name.db.trashinfo"_s);
    QVERIFY2(fileBytes(info).contains(QByteArray("Path=" + QFile::encodeName(m_db))), fileBytes(info).constData());
    QVERIFY(QDir(path(u"cwd"_s)).isEmpty());
}

void TestSafeDelete::trashRefusedWithoutUsableTrash_data()
{
    QTest::addColumn<QString>("xdgDataHome"); // relative to the temp dir; "file" is a regular file
    QTest::addColumn<QString>("home");
    QTest::addRow("XDG_DATA_HOME is a file") << u"file"_s << u"home"_s;
    QTest::addRow("XDG_DATA_HOME/Trash is a file") << u"data"_s << u"home"_s;
    QTest::addRow("relative XDG_DATA_HOME, HOME a file") << u"!relative"_s << u"file"_s;
}

void TestSafeDelete::trashRefusedWithoutUsableTrash()
{
    QFETCH(QString, xdgDataHome);
    QFETCH(QString, home);
    QFile file(path(u"file"_s));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("not a folder");
    file.close();
    QVERIFY(QDir().mkpath(path(u"data"_s)));
    QFile trashFile(path(u"data/Trash"_s));
    QVERIFY(trashFile.open(QIODevice::WriteOnly));
    trashFile.close();
    QVERIFY(QDir().mkpath(path(u"cwd"_s)));
    makeCache(m_db, u"wal"_s, 20);
    writeLeavingWal(m_db, 10);
    const QStringList before = QDir(m_dir.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot);
    const QByteArray oldHome = qgetenv("HOME");
    const QString cwd = QDir::currentPath();
    QVERIFY(QDir::setCurrent(path(u"cwd"_s)));
    qputenv("XDG_DATA_HOME", xdgDataHome.startsWith(u'!') ? "relative/data" : QFile::encodeName(path(xdgDataHome)));
    qputenv("HOME", QFile::encodeName(path(home)));
    SafeDelete::Options options;
    options.trash = true;
    auto outcome = SafeDelete::run(m_db, options);
    qunsetenv("XDG_DATA_HOME");
    qputenv("HOME", oldHome);
    QDir::setCurrent(cwd);
    QVERIFY(!outcome.ok());
    QVERIFY2(outcome.error().message.contains(u"trash"_s) && outcome.error().message.contains(u"nothing was removed"_s),
        qPrintable(outcome.error().message));
    for (const QString& kept : QStringList { m_db, m_db + u"-wal"_s, m_db + u"-shm"_s })
        QVERIFY2(exists(kept), qPrintable(kept));
    QCOMPARE(QDir(m_dir.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot), before);
    QVERIFY(QDir(path(u"cwd"_s)).isEmpty());
    QCOMPARE(fileBytes(path(u"file"_s)), QByteArray("not a folder"));
    QCOMPARE(queryInt(m_db, u"SELECT count(*) FROM entries"_s), 30);
}

void TestSafeDelete::refusesFilesThatAreNotSqlite()
{
    for (const QByteArray& content :
        { QByteArray("my notes\n"), QByteArray(), QByteArray("SQLite format 2\0xxxxx", 22) }) {
        QFile notes(path(u"notes.txt"_s));
        QVERIFY(notes.open(QIODevice::WriteOnly | QIODevice::Truncate));
        notes.write(content);
        notes.close();
        auto outcome = SafeDelete::run(path(u"notes.txt"_s), {});
        QVERIFY(!outcome.ok());
        QVERIFY2(outcome.error().message.contains(u"not an SQLite database"_s), qPrintable(outcome.error().message));
        QCOMPARE(fileBytes(path(u"notes.txt"_s)), content);
    }
}

QTEST_GUILESS_MAIN(TestSafeDelete)
#include "tst_safedelete.moc"
