// SPDX-License-Identifier: GPL-3.0-or-later
// A cache is more than one file (issue #11): real diskcache and FanoutCache folders written by
// Debian's python3-diskcache, deleted, copied and measured with their value files, next to decoys.
#include "live/warningcatalog.h"
#include "maintenance/cachefolder.h"
#include "maintenance/safedelete.h"
#include "maintenance/vacuum.h"
#include "maintenance/valuefiles.h"
#include "scratchdir.h"
#include "testsupport.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QJsonArray>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

namespace {

// argv: folder, kind ("cache" or "fanout"), big values, small values.
const auto makeDiskcache = uR"PY(
import diskcache, os, sys
folder, kind, big, small = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
c = diskcache.Cache(folder) if kind == "cache" else diskcache.FanoutCache(folder, shards=4)
for i in range(big):
    c["big%d" % i] = os.urandom(40000 + i)
for i in range(small):
    c["small%d" % i] = i
c.close()
)PY"_s;

// Holds the cache open as a client does (argv[1] folder), prints ready.
const auto diskcacheClient = uR"PY(
import diskcache, sys
c = diskcache.Cache(sys.argv[1])
assert c.get("small0") == 0
print("ready", flush=True)
sys.stdin.read()
)PY"_s;

// diskcache's own verdict on a folder: its check() warnings, then the number of readable big values.
const auto checkDiskcache = uR"PY(
import diskcache, sys
c = diskcache.Cache(sys.argv[1])
problems = c.check()
for w in problems:
    print("problem:", w.message)
ok = sum(1 for i in range(int(sys.argv[2])) if c.get("big%d" % i) is not None and len(c.get("big%d" % i)) == 40000 + i)
print("problems", len(problems), "readable", ok)
)PY"_s;

QStringList filesBelow(const QString& root)
{
    QStringList files;
    QDirIterator it(root, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext())
        files << QDir(root).relativeFilePath(it.next());
    files.sort();
    return files;
}

} // namespace

class TestCacheFolders : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void resolvesFolders();
    void valueFilesAndOrphans();
    void deleteRemovesTheCacheAndNothingElse_data();
    void deleteRemovesTheCacheAndNothingElse();
    void deleteRefusedWhileAClientHasItOpen();
    void deleteRefusedWhileAValueFileIsOpen();
    void dryRunCountsAndBytesPerKind();
    void trashMovesValueFilesToo();
    void deleteFanoutRemovesEveryShard();
    void deleteRefusesWhatIsNoCache();
    void deletingABackupCopyLeavesTheLiveValueFiles();
    void deleteRefusesValueFileReferencesThatEscape();
    void lockHolderFoundWithoutFdScan();
    void vacuumIntoCopiesValueFiles();
    void vacuumIntoRefusesBadTargets();
    void vacuumIntoReportsValuesRemovedMeanwhile();

private:
    QString path(const QString& name) const { return m_dir.filePath(name); }
    void makeCache(const QString& folder, const QString& kind = u"cache"_s, int big = 12, int small = 5);
    QStringList addDecoys(const QString& folder);
    ScratchDir m_dir;
};

void TestCacheFolders::init()
{
    QVERIFY(m_dir.renew());
}

void TestCacheFolders::makeCache(const QString& folder, const QString& kind, int big, int small)
{
    const auto made = runPythonScript(makeDiskcache, { folder, kind, QString::number(big), QString::number(small) });
    QVERIFY2(made.exitCode == 0, made.err.constData());
}

// Files beside and inside the cache folder that are not the cache's; returns them (relative to the temp dir).
QStringList TestCacheFolders::addDecoys(const QString& folder)
{
    const QString name = QDir(m_dir.path()).relativeFilePath(folder);
    TestSupport::makeCache(folder + u"/cache.db.bak"_s, u"delete"_s, 1);
    QFile notes(folder + u"/notes.txt"_s);
    notes.open(QIODevice::WriteOnly);
    notes.write("not a cache\n");
    notes.close();
    QDir().mkpath(folder + u"/ff/ee"_s);
    QFile unrelated(folder + u"/ff/ee/unrelated.val"_s);
    unrelated.open(QIODevice::WriteOnly);
    unrelated.write("a .val nothing references\n");
    unrelated.close();
    QDir().mkpath(path(u"elsewhere"_s));
    QFile elsewhere(path(u"elsewhere/other.val"_s));
    elsewhere.open(QIODevice::WriteOnly);
    elsewhere.write("x");
    elsewhere.close();
    QStringList decoys { name + u"/cache.db.bak"_s, name + u"/ff/ee/unrelated.val"_s, name + u"/notes.txt"_s,
        u"elsewhere/other.val"_s };
    decoys.sort();
    return decoys;
}

void TestCacheFolders::resolvesFolders()
{
    makeCache(path(u"dc"_s));
    makeCache(path(u"fan"_s), u"fanout"_s, 8, 4);
    auto dc = CacheFolder::resolve(path(u"dc"_s));
    QVERIFY(dc.ok());
    QCOMPARE(dc->layout, CacheFolder::Layout::Diskcache);
    QCOMPARE(dc->databases, QStringList { path(u"dc/cache.db"_s) });
    auto fan = CacheFolder::resolve(path(u"fan"_s));
    QVERIFY(fan.ok());
    QCOMPARE(fan->layout, CacheFolder::Layout::Fanout);
    QCOMPARE(fan->shards, QStringList({ u"000"_s, u"001"_s, u"002"_s, u"003"_s }));
    auto file = CacheFolder::resolve(path(u"dc/cache.db"_s));
    QVERIFY(file.ok());
    QCOMPARE(file->layout, CacheFolder::Layout::File);
    QVERIFY(QDir().mkpath(path(u"empty"_s)));
    auto empty = CacheFolder::resolve(path(u"empty"_s));
    QVERIFY(!empty.ok());
    QVERIFY2(empty.error().message.contains(u"not a cache folder"_s), qPrintable(empty.error().message));
}

void TestCacheFolders::valueFilesAndOrphans()
{
    makeCache(path(u"dc"_s));
    addDecoys(path(u"dc"_s));
    auto values = ValueFiles::read(path(u"dc/cache.db"_s));
    QVERIFY2(values.ok(), qPrintable(values.error().message));
    QVERIFY(values->isDiskcache);
    QCOMPARE(values->present.size(), 12);
    qint64 expected = 0;
    for (int i = 0; i < 12; ++i)
        expected += 40000 + i;
    QCOMPARE(values->presentBytes(), expected);
    QCOMPARE(values->orphans.size(), 1);
    QCOMPARE(values->orphans.first().relative, u"ff/ee/unrelated.val"_s);
    QVERIFY(QFile::remove(values->present.first().path));
    auto after = ValueFiles::read(path(u"dc/cache.db"_s));
    QVERIFY(after.ok());
    QCOMPARE(after->missing.size(), 1);
    QCOMPARE(after->present.size(), 11);
}

void TestCacheFolders::deleteRemovesTheCacheAndNothingElse_data()
{
    QTest::addColumn<QString>("given"); // relative to the cache folder: "" = the folder itself
    QTest::addRow("the folder") << u""_s;
    QTest::addRow("its cache.db") << u"/cache.db"_s;
}

void TestCacheFolders::deleteRemovesTheCacheAndNothingElse()
{
    QFETCH(QString, given);
    makeCache(path(u"dc"_s));
    const QStringList decoys = addDecoys(path(u"dc"_s));
    auto outcome = SafeDelete::run(path(u"dc"_s) + given, {});
    QVERIFY2(outcome.ok(), qPrintable(outcome.error().message));
    QVERIFY2(!outcome->refused, qPrintable(outcome->reason));
    QCOMPARE(outcome->layout, given.isEmpty() ? u"diskcache"_s : u"file"_s);
    QStringList left = filesBelow(m_dir.path());
    QCOMPARE(left, decoys);
    int values = 0;
    for (const auto& file : outcome->files)
        values += file.kind == u"value"_s;
    QCOMPARE(values, 12);
    QVERIFY(outcome->deleted.size() >= 13);
    // value folders left empty are gone; ff/ee (holding the decoy) stays
    QStringList folders;
    QDirIterator it(path(u"dc"_s), QDir::Dirs | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext())
        folders << QDir(path(u"dc"_s)).relativeFilePath(it.next());
    folders.sort();
    QCOMPARE(folders, QStringList({ u"ff"_s, u"ff/ee"_s }));
    QVERIFY(!outcome->removedFolders.isEmpty());
}

void TestCacheFolders::deleteRefusedWhileAClientHasItOpen()
{
    makeCache(path(u"dc"_s));
    const QStringList before = filesBelow(m_dir.path());
    PythonChild client(diskcacheClient, { path(u"dc"_s) });
    QVERIFY(client.waitReady());
    auto outcome = SafeDelete::run(path(u"dc"_s), {});
    QVERIFY2(outcome.ok(), qPrintable(outcome.error().message));
    QVERIFY(outcome->refused);
    bool named = false;
    for (const auto& holder : outcome->holders)
        named = named || holder.pid == client.pid();
    QVERIFY2(named, qPrintable(outcome->toText()));
    client.stop();
    QStringList after = filesBelow(m_dir.path());
    after.removeAll(u"dc/cache.db-wal"_s); // the client's own sidecars may come and go
    after.removeAll(u"dc/cache.db-shm"_s);
    QStringList expected = before;
    expected.removeAll(u"dc/cache.db-wal"_s);
    expected.removeAll(u"dc/cache.db-shm"_s);
    QCOMPARE(after, expected);
}

void TestCacheFolders::deleteRefusedWhileAValueFileIsOpen()
{
    makeCache(path(u"dc"_s));
    auto values = ValueFiles::read(path(u"dc/cache.db"_s));
    QVERIFY(values.ok());
    const QString valueFile = values->present.at(3).path;
    PythonChild reader(holderScript(), { valueFile, u"open"_s });
    QVERIFY(reader.waitReady());
    auto outcome = SafeDelete::run(path(u"dc"_s), {});
    QVERIFY2(outcome.ok(), qPrintable(outcome.error().message));
    QVERIFY(outcome->refused);
    QCOMPARE(outcome->holders.size(), 1);
    QCOMPARE(outcome->holders.first().pid, reader.pid());
    QVERIFY2(outcome->holders.first().files.first().startsWith(u"value "_s), qPrintable(outcome->toText()));
    QVERIFY(exists(valueFile));
    QVERIFY(exists(path(u"dc/cache.db"_s)));
}

void TestCacheFolders::dryRunCountsAndBytesPerKind()
{
    makeCache(path(u"dc"_s));
    const QStringList before = filesBelow(m_dir.path());
    SafeDelete::Options options;
    options.dryRun = true;
    auto outcome = SafeDelete::run(path(u"dc"_s), options);
    QVERIFY2(outcome.ok(), qPrintable(outcome.error().message));
    QVERIFY(!outcome->refused);
    QCOMPARE(filesBelow(m_dir.path()), before);
    const auto totals = outcome->totals();
    QCOMPARE(totals.first().kind, u"value"_s);
    QCOMPARE(totals.first().count, 12);
    qint64 expected = 0;
    for (int i = 0; i < 12; ++i)
        expected += 40000 + i;
    QCOMPARE(totals.first().bytes, expected);
    QCOMPARE(totals.last().kind, u"db"_s);
    QCOMPARE(totals.last().bytes, QFileInfo(path(u"dc/cache.db"_s)).size());
    const QJsonObject json = outcome->toJson();
    QCOMPARE(json[u"totals"_s][u"value"_s][u"count"_s].toInt(), 12);
    QCOMPARE(json[u"layout"_s].toString(), u"diskcache"_s);
    QVERIFY2(outcome->toText().contains(u"would remove 12 value files"_s), qPrintable(outcome->toText()));
}

void TestCacheFolders::trashMovesValueFilesToo()
{
    makeCache(path(u"dc"_s));
    const QStringList decoys = addDecoys(path(u"dc"_s));
    QVERIFY(QDir().mkpath(path(u"xdg"_s)));
    qputenv("XDG_DATA_HOME", QFile::encodeName(path(u"xdg"_s)));
    SafeDelete::Options options;
    options.trash = true;
    auto outcome = SafeDelete::run(path(u"dc"_s), options);
    qunsetenv("XDG_DATA_HOME");
    QVERIFY2(outcome.ok(), qPrintable(outcome.error().message));
    QVERIFY(!outcome->refused);
    QCOMPARE(outcome->trashedTo.size(), outcome->files.size());
    for (const QString& trashed : outcome->trashedTo)
        QVERIFY2(trashed.startsWith(path(u"xdg/Trash/files/"_s)) && exists(trashed), qPrintable(trashed));
    QStringList left = filesBelow(m_dir.path());
    QStringList notTrash;
    for (const QString& file : left) {
        if (!file.startsWith(u"xdg/"_s))
            notTrash << file;
    }
    QCOMPARE(notTrash, decoys);
    QCOMPARE(QDir(path(u"xdg/Trash/info"_s)).entryList(QDir::Files).size(), outcome->files.size());
}

void TestCacheFolders::deleteFanoutRemovesEveryShard()
{
    makeCache(path(u"fan"_s), u"fanout"_s, 8, 4);
    const QStringList decoys = addDecoys(path(u"fan"_s));
    auto outcome = SafeDelete::run(path(u"fan"_s), {});
    QVERIFY2(outcome.ok(), qPrintable(outcome.error().message));
    QVERIFY2(!outcome->refused, qPrintable(outcome->reason));
    QCOMPARE(outcome->layout, u"fanout"_s);
    QCOMPARE(outcome->databases.size(), 4);
    QCOMPARE(filesBelow(m_dir.path()), decoys);
}

void TestCacheFolders::deleteRefusesWhatIsNoCache()
{
    QFile notes(path(u"notes.txt"_s));
    QVERIFY(notes.open(QIODevice::WriteOnly));
    notes.write("my notes, not a database\n");
    notes.close();
    for (const bool dryRun : { false, true }) {
        SafeDelete::Options options;
        options.dryRun = dryRun;
        auto outcome = SafeDelete::run(path(u"notes.txt"_s), options);
        QVERIFY(!outcome.ok());
        QCOMPARE(outcome.error().kind, Error::Kind::NotSqlite);
        QVERIFY2(outcome.error().message.contains(u"not an SQLite database"_s), qPrintable(outcome.error().message));
    }
    QVERIFY(exists(path(u"notes.txt"_s)));
    QVERIFY(QDir().mkpath(path(u"folder/sub"_s)));
    auto folder = SafeDelete::run(path(u"folder"_s), {});
    QVERIFY(!folder.ok());
    QVERIFY(QFileInfo(path(u"folder/sub"_s)).isDir());
}

void TestCacheFolders::deletingABackupCopyLeavesTheLiveValueFiles()
{
    makeCache(path(u"dc"_s));
    QVERIFY(QFile::copy(path(u"dc/cache.db"_s), path(u"dc/cache.db.bak"_s)));
    const QStringList before = filesBelow(path(u"dc"_s));
    auto outcome = SafeDelete::run(path(u"dc/cache.db.bak"_s), {});
    QVERIFY2(outcome.ok(), qPrintable(outcome.error().message));
    QVERIFY2(!outcome->refused, qPrintable(outcome->reason));
    QCOMPARE(outcome->deleted, QStringList { path(u"dc/cache.db.bak"_s) });
    QStringList expected = before;
    expected.removeAll(u"cache.db.bak"_s);
    QCOMPARE(filesBelow(path(u"dc"_s)), expected);
    const auto checked = runPythonScript(checkDiskcache, { path(u"dc"_s), u"12"_s });
    QVERIFY2(checked.out.contains("problems 0 readable 12"), checked.out.constData());
}

void TestCacheFolders::deleteRefusesValueFileReferencesThatEscape()
{
    makeCache(path(u"dc"_s), u"cache"_s, 2, 1);
    QFile outside(path(u"precious.txt"_s));
    QVERIFY(outside.open(QIODevice::WriteOnly));
    outside.write("keep me");
    outside.close();
    exec(path(u"dc/cache.db"_s), u"UPDATE Cache SET filename = '../precious.txt' WHERE rowid = 1"_s);
    auto outcome = SafeDelete::run(path(u"dc"_s), {});
    QVERIFY2(outcome.ok(), qPrintable(outcome.error().message));
    QVERIFY(outcome->refused);
    QVERIFY2(outcome->reason.contains(u"../precious.txt"_s), qPrintable(outcome->reason));
    QVERIFY(exists(path(u"precious.txt"_s)));
    QVERIFY(exists(path(u"dc/cache.db"_s)));
}

void TestCacheFolders::lockHolderFoundWithoutFdScan()
{
    // As a normal user sees another user's process: its open files are unreadable, its locks
    // in /proc/locks are not. A WAL reader holds a read lock on -shm.
    const QString db = path(u"w.db"_s);
    TestSupport::makeCache(db, u"wal"_s, 5);
    PythonChild reader(holderScript(), { db, u"reader"_s });
    QVERIFY(reader.waitReady());
    qputenv("CACHESCOPE_TEST_NO_FD_SCAN", "1");
    auto outcome = SafeDelete::run(db, {});
    qunsetenv("CACHESCOPE_TEST_NO_FD_SCAN");
    QVERIFY2(outcome.ok(), qPrintable(outcome.error().message));
    QVERIFY(outcome->refused);
    bool named = false;
    for (const auto& holder : outcome->holders)
        named = named || (holder.pid == reader.pid() && !holder.locks.isEmpty());
    QVERIFY2(named, qPrintable(outcome->toText()));
    QVERIFY(outcome->uninspectableProcesses > 0);
    QVERIFY(outcome->toText().contains(u"could not be inspected"_s));
    QVERIFY(outcome->toJson()[u"uninspectable_processes"_s].toInt() > 0);
    QVERIFY(exists(db));
}

void TestCacheFolders::vacuumIntoCopiesValueFiles()
{
    makeCache(path(u"dc"_s));
    addDecoys(path(u"dc"_s));
    Vacuum::Options options;
    options.intoPath = path(u"copy/cache.db"_s);
    auto outcome = Vacuum::run(path(u"dc/cache.db"_s), options);
    QVERIFY2(outcome.ok(), qPrintable(outcome.error().message));
    QVERIFY(outcome->diskcache);
    QCOMPARE(outcome->valueFilesCopied, 12);
    QVERIFY(outcome->valueFilesLost.isEmpty());
    const auto checked = runPythonScript(checkDiskcache, { path(u"copy"_s), u"12"_s });
    QVERIFY2(checked.exitCode == 0, checked.err.constData());
    QVERIFY2(checked.out.contains("problems 0 readable 12"), checked.out.constData());
    // the folder form, into a new folder
    options.intoPath = path(u"copy2"_s);
    auto second = Vacuum::run(path(u"dc"_s), options);
    QVERIFY2(second.ok(), qPrintable(second.error().message));
    QCOMPARE(second->intoPath, path(u"copy2/cache.db"_s));
    const auto checked2 = runPythonScript(checkDiskcache, { path(u"copy2"_s), u"12"_s });
    QVERIFY2(checked2.out.contains("problems 0 readable 12"), checked2.out.constData());
}

void TestCacheFolders::vacuumIntoRefusesBadTargets()
{
    makeCache(path(u"dc"_s));
    QVERIFY(!Vacuum::resolveInto(path(u"dc"_s), QString()).ok());
    QVERIFY(!Vacuum::resolveInto(path(u"dc"_s), u"  "_s).ok());
    QVERIFY(QDir().mkpath(path(u"full"_s)));
    QFile(path(u"full/x"_s)).open(QIODevice::WriteOnly);
    auto full = Vacuum::resolveInto(path(u"dc"_s), path(u"full"_s));
    QVERIFY(!full.ok());
    QVERIFY2(full.error().message.contains(u"not empty"_s), qPrintable(full.error().message));
    QVERIFY(!Vacuum::resolveInto(path(u"dc"_s), path(u"dc/cache.db"_s)).ok());
}

void TestCacheFolders::vacuumIntoReportsValuesRemovedMeanwhile()
{
    makeCache(path(u"dc"_s));
    Vacuum::Options options;
    options.intoPath = path(u"copy"_s);
    QByteArray writer;
    options.afterSnapshot = [&] {
        // a live diskcache client deletes one value between the snapshot and the copy
        writer = runPythonScript(
            u"import diskcache, sys\nc = diskcache.Cache(sys.argv[1])\ndel c['big3']\nprint('deleted')\n"_s,
            { path(u"dc"_s) })
                     .out;
    };
    auto outcome = Vacuum::run(path(u"dc"_s), options);
    QVERIFY2(outcome.ok(), qPrintable(outcome.error().message));
    QVERIFY2(writer.contains("deleted"), writer.constData());
    QCOMPARE(outcome->valueFilesCopied, 11);
    QCOMPARE(outcome->valueFilesLost.size(), 1);
    bool warned = false;
    for (const auto& warning : outcome->warnings)
        warned = warned || warning.code == WarningCode::ValueFilesLost;
    QVERIFY(warned);
    QVERIFY(outcome->toText().contains(u"removed from"_s));
    QCOMPARE(outcome->toJson()[u"value_files_lost"_s].toArray().size(), 1);
}

QTEST_GUILESS_MAIN(TestCacheFolders)
#include "tst_cachefolders.moc"
