// SPDX-License-Identifier: GPL-3.0-or-later
// Scanner over a real directory tree: nested databases, look-alikes, orphans, symlinks.
#include "maintenance/scanner.h"
#include "os/locktable.h"
#include "scratchdir.h"
#include "sqlite/database.h"
#include "testsupport.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QTest>

#include <sqlite3.h>
#include <unistd.h>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

class TestScanner : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void findsNestedDatabasesByHeader();
    void listsOrphanedSidecars();
    void doesNotFollowSymlinks();
    void namesProcessesThatHaveItOpen();
    void survivesUnreadableDirectory();
    void badRoot_data();
    void badRoot();
    void namesAFanoutCacheOnce();
    void readsTheModeOfACacheOpenHereKeepingItsLocks();

private:
    QString path(const QString& name) const { return m_root + u'/' + name; }
    const Scanner::Found* find(const Scanner::Report& report, const QString& name) const;
    ScratchDir m_dir;
    QString m_root;
};

void TestScanner::init()
{
    QVERIFY(m_dir.renew());
    m_root = m_dir.filePath(u"root"_s);
    QVERIFY(QDir().mkpath(path(u"a/b/c"_s)));
}

const Scanner::Found* TestScanner::find(const Scanner::Report& report, const QString& name) const
{
    for (const auto& found : report.databases) {
        if (found.path == path(name))
            return &found;
    }
    return nullptr;
}

void TestScanner::findsNestedDatabasesByHeader()
{
    makeCache(path(u"top.db"_s), u"delete"_s, 2);
    makeCache(path(u"a/b/c/deep.cache"_s), u"wal"_s, 2);
    writeLeavingWal(path(u"a/b/c/deep.cache"_s), 5);
    makeCache(path(u"a/no-extension"_s), u"delete"_s, 2);
    QFile fake(path(u"a/fake.db"_s));
    QVERIFY(fake.open(QIODevice::WriteOnly));
    fake.write(QByteArray("this is not SQLite, just a text file that is long enough to have a header. ").repeated(4));
    fake.close();
    QFile almost(path(u"a/b/almost.sqlite"_s));
    QVERIFY(almost.open(QIODevice::WriteOnly));
    almost.write("SQLite format 3"); // magic without the rest
    almost.close();

    auto report = Scanner::scan(m_root);
    QVERIFY2(report.ok(), qPrintable(report.error().message));
    QCOMPARE(report->databases.size(), 3);
    const auto* top = find(report.value(), u"top.db"_s);
    const auto* deep = find(report.value(), u"a/b/c/deep.cache"_s);
    QVERIFY(top && deep && find(report.value(), u"a/no-extension"_s));
    QCOMPARE(top->journalMode, u"rollback"_s);
    QCOMPARE(deep->journalMode, u"wal"_s);
    QCOMPARE(deep->dbBytes, QFileInfo(path(u"a/b/c/deep.cache"_s)).size());
    QCOMPARE(deep->walBytes, QFileInfo(path(u"a/b/c/deep.cache-wal"_s)).size());
    QVERIFY(deep->walBytes > 0);
    QCOMPARE(top->walBytes, -1);
    QVERIFY(report->orphans.isEmpty());
    QVERIFY(report->toText().contains(u"deep.cache"_s));
}

void TestScanner::listsOrphanedSidecars()
{
    makeCache(path(u"a/gone.db"_s), u"wal"_s, 2);
    writeLeavingWal(path(u"a/gone.db"_s), 5);
    QVERIFY(QFile::remove(path(u"a/gone.db"_s)));
    QVERIFY(QFile(path(u"a/b/old.db-journal"_s)).open(QIODevice::WriteOnly));
    QVERIFY(QFile(path(u"a/b/x.db-walx"_s)).open(QIODevice::WriteOnly)); // not a sidecar name
    auto report = Scanner::scan(m_root);
    QVERIFY2(report.ok(), qPrintable(report.error().message));
    QStringList orphans;
    for (const auto& orphan : report->orphans)
        orphans << orphan.path;
    orphans.sort();
    QCOMPARE(
        orphans, QStringList({ path(u"a/b/old.db-journal"_s), path(u"a/gone.db-shm"_s), path(u"a/gone.db-wal"_s) }));
    QCOMPARE(report->orphans.first().dbPath + u"-"_s + report->orphans.first().kind, report->orphans.first().path);
}

void TestScanner::doesNotFollowSymlinks()
{
    const QString outside = m_dir.filePath(u"outside"_s);
    QVERIFY(QDir().mkpath(outside));
    makeCache(outside + u"/secret.db"_s, u"delete"_s, 1);
    QVERIFY(QFile::link(outside, path(u"a/link-to-outside"_s)));
    QVERIFY(QFile::link(outside + u"/secret.db"_s, path(u"a/link.db"_s)));
    QVERIFY(QFile::link(m_root, path(u"a/b/loop"_s)));
    auto report = Scanner::scan(m_root);
    QVERIFY2(report.ok(), qPrintable(report.error().message));
    QVERIFY(report->databases.isEmpty());
    QCOMPARE(report->skippedSymlinks, 3);
}

void TestScanner::namesProcessesThatHaveItOpen()
{
    makeCache(path(u"a/busy.db"_s), u"wal"_s, 2);
    makeCache(path(u"a/quiet.db"_s), u"wal"_s, 2);
    PythonChild holder(holderScript(), { path(u"a/busy.db"_s), u"idle"_s });
    QVERIFY(holder.waitReady());
    auto report = Scanner::scan(m_root);
    QVERIFY2(report.ok(), qPrintable(report.error().message));
    const auto* busy = find(report.value(), u"a/busy.db"_s);
    const auto* quiet = find(report.value(), u"a/quiet.db"_s);
    QVERIFY(busy && quiet);
    QVERIFY(quiet->holders.isEmpty());
    QCOMPARE(busy->holders.size(), 1);
    QCOMPARE(busy->holders.first().pid, holder.pid());
    QVERIFY(busy->toJson()[u"in_use"_s].toBool());
    // Read back from `scan --json` (a scan run on another host): the same report, holders with
    // their files and locks.
    QVERIFY(!busy->holders.first().files.isEmpty());
    const QJsonObject json = report->toJson();
    QCOMPARE(Scanner::Report::fromJson(json).toJson(), json);
}

void TestScanner::survivesUnreadableDirectory()
{
    if (::geteuid() == 0)
        QSKIP("root reads every directory");
    makeCache(path(u"top.db"_s), u"delete"_s, 2);
    QVERIFY(QDir().mkpath(path(u"closed/inner"_s)));
    makeCache(path(u"closed/inner/hidden.db"_s), u"delete"_s, 2);
    QVERIFY(QFile::setPermissions(path(u"closed"_s), QFile::Permissions()));
    auto report = Scanner::scan(m_root);
    QFile::setPermissions(path(u"closed"_s), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    QVERIFY2(report.ok(), qPrintable(report.error().message));
    QCOMPARE(report->databases.size(), 1);
    QCOMPARE(report->unreadable, QStringList { path(u"closed"_s) });
}

void TestScanner::badRoot_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("kind");
    QTest::addRow("missing") << u"missing"_s << int(Error::Kind::NotFound);
    QTest::addRow("file") << u"file.db"_s << int(Error::Kind::Invalid);
    QTest::addRow("symlink") << u"link"_s << int(Error::Kind::SymbolicLink);
}

void TestScanner::badRoot()
{
    QFETCH(QString, name);
    QFETCH(int, kind);
    makeCache(path(u"file.db"_s), u"delete"_s, 1);
    QVERIFY(QFile::link(path(u"a"_s), path(u"link"_s)));
    auto report = Scanner::scan(path(name));
    QVERIFY(!report.ok());
    QCOMPARE(int(report.error().kind), kind);
}

void TestScanner::namesAFanoutCacheOnce()
{
    // #23.2: scan listed a FanoutCache's shards and its sub-caches separately and never said
    // "FanoutCache". A real one by Debian's python3-diskcache, with index() and cache().
    const QString fanout = path(u"fan"_s);
    const auto made = runPythonScript(u"import sys, diskcache\n"
                                      "c = diskcache.FanoutCache(sys.argv[1], shards=4)\n"
                                      "for i in range(40):\n    c.set('k%d' % i, i)\n"
                                      "c.index('sessions')['s'] = 1\nc.cache('images').set('i', b'x')\nc.close()\n"_s,
        { fanout });
    QVERIFY2(made.exitCode == 0, made.err.constData());
    auto report = Scanner::scan(m_root);
    QVERIFY2(report, qPrintable(report.error().message));
    QCOMPARE(report->fanouts.size(), 1);
    const Scanner::Fanout& found = report->fanouts.first();
    QCOMPARE(found.folder, fanout);
    QCOMPARE(found.shards.size(), 4);
    QStringList subs = found.subCaches;
    subs.sort();
    QCOMPARE(subs, (QStringList { u"cache/images"_s, u"index/sessions"_s }));
    qint64 total = 0;
    for (const auto& db : report->databases)
        total += db.path.startsWith(fanout + u'/') ? db.totalBytes() : 0;
    QCOMPARE(found.totalBytes, total);
    QCOMPARE(report->toJson()[u"fanout_caches"_s].toArray().first()[u"kind"_s].toString(), u"FanoutCache"_s);
    QCOMPARE(report->toText().count(u"FanoutCache "_s), 1);
    QVERIFY2(report->toText().contains(u"4 shards, sub-caches "_s), qPrintable(report->toText()));
    const QJsonObject json = report->toJson(); // read back: shards, sub-caches, value files too
    QCOMPARE(Scanner::Report::fromJson(json).toJson(), json);
}

// A cache this process has open (the GUI's own, when its Scan dialog looks at its folder) still
// gets its journal mode, and the scan leaves this process's locks on it as they were: its header
// is read through SQLite (which shares its fd for the file), never through an fd of its own whose
// close would drop them (docs/WAL.md §4.1).
void TestScanner::readsTheModeOfACacheOpenHereKeepingItsLocks()
{
    makeCache(path(u"a/wal.db"_s), u"wal"_s, 2);
    makeCache(path(u"a/rollback.db"_s), u"delete"_s, 2);
    auto wal = Database::open(path(u"a/wal.db"_s));
    QVERIFY2(wal.ok(), qPrintable(wal.error().message));
    Database::Options keepMode;
    keepMode.switchToWal = false;
    auto rollback = Database::open(path(u"a/rollback.db"_s), keepMode);
    QVERIFY2(rollback.ok(), qPrintable(rollback.error().message));
    QVERIFY(Database::isOpenInProcess(path(u"a/wal.db"_s)) && Database::isOpenInProcess(path(u"a/rollback.db"_s)));
    // Both hold locks: the WAL connection one on its -shm; the other a read transaction, so a
    // shared lock on the db file itself (the one an fd of the scanner's own would drop).
    QCOMPARE(sqlite3_exec(
                 rollback.value()->handle(), "BEGIN; SELECT count(*) FROM sqlite_master;", nullptr, nullptr, nullptr),
        SQLITE_OK);
    const auto ownLocks = [this] {
        QStringList names;
        for (const QString& name : { u"a/wal.db"_s, u"a/rollback.db"_s }) {
            const auto table = LockTable::collect(lockTargetsFor(path(name)), 0);
            for (const auto& lock : table.value().locks()) {
                if (lock.pid == ::getpid())
                    names << name + u' ' + lock.name + u':' + lock.typeName();
            }
        }
        names.sort();
        return names;
    };
    const QStringList before = ownLocks();
    QVERIFY2(
        before.contains(u"a/rollback.db db_shared:read"_s) && before.size() >= 2, qPrintable(before.join(u", "_s)));
    auto report = Scanner::scan(m_root);
    QVERIFY2(report.ok(), qPrintable(report.error().message));
    const auto* walFound = find(report.value(), u"a/wal.db"_s);
    const auto* rollbackFound = find(report.value(), u"a/rollback.db"_s);
    QVERIFY(walFound && rollbackFound);
    QVERIFY(walFound->openInThisProcess && rollbackFound->openInThisProcess);
    QCOMPARE(walFound->journalMode, u"wal"_s);
    QCOMPARE(rollbackFound->journalMode, u"rollback"_s);
    QCOMPARE(ownLocks(), before);
    QCOMPARE(sqlite3_exec(rollback.value()->handle(), "COMMIT", nullptr, nullptr, nullptr), SQLITE_OK);
}

QTEST_GUILESS_MAIN(TestScanner)
#include "tst_scanner.moc"
