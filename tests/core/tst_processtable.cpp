// SPDX-License-Identifier: GPL-3.0-or-later
// ProcessTable: real processes with the cache open (idle rollback connection, WAL connection,
// this process itself, a process still holding deleted files), scans racing with processes
// that come and go, a sidecar's inode number that went to another process's file, and a cache
// opened through a linked folder.
#include "os/processtable.h"
#include "scratchdir.h"
#include "testsupport.h"
#include "writerscripts.h"

#include <QDir>
#include <QFile>
#include <QTest>

#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

namespace {
const char* const openIdle = R"PY(
import sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("SELECT count(*) FROM entries").fetchall()
print("ready")
sys.stdin.read()
)PY";

// Holds a file of its own open for writing (argv[1]); no SQLite.
const char* const holdOwnFile = R"PY(
import sys
f = open(sys.argv[1], "wb")
f.write(b"x" * 8192)
f.flush()
print("ready", flush=True)
sys.stdin.read()
)PY";

QStringList kindNames(const QList<CacheFiles::Kind>& kinds)
{
    QStringList names;
    for (auto kind : kinds)
        names << CacheFiles::kindName(kind);
    names.sort();
    return names;
}
} // namespace

class TestProcessTable : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup() { m_dir.reset(); }
    void idleRollbackConnectionIsListed();
    void walConnectionHasAllSidecarsOpen();
    void selfIsFlagged();
    void deletedFilesStillOpen();
    void survivesProcessesComingAndGoing();
    void sidecarInodeNumberPassedOnIsNotOurs();
    void sidecarsFoundThroughALinkedFolder();

private:
    QString db() const { return m_dir.filePath(u"cache.db"_s); }
    ScratchDir m_dir;
};

void TestProcessTable::init()
{
    QVERIFY(m_dir.renew());
}

void TestProcessTable::idleRollbackConnectionIsListed()
{
    makeCache(db(), u"delete"_s, 2);
    PythonChild child(QString::fromUtf8(openIdle), { db() });
    QVERIFY(child.waitReady());
    const auto targets = lockTargetsFor(db());
    // It holds no lock at all: only the fd scan can see it.
    QVERIFY(LockTable::collect(targets)->locks().isEmpty());
    const ProcessTable table = ProcessTable::scan(db(), targets);
    const auto* process = table.find(child.pid());
    QVERIFY(process);
    QCOMPARE(kindNames(process->files), QStringList { u"db"_s });
    QVERIFY(process->name.startsWith(u"python3"_s));
    QVERIFY(process->cmdline.startsWith(u"/usr/bin/python3 -u -c"_s));
    QVERIFY(process->cmdline.endsWith(db()));
    QVERIFY(!process->isSelf);
    QCOMPARE(process->toJson().value(u"files"_s).toArray(), QJsonArray { u"db"_s });
    child.stop();
    QVERIFY(!ProcessTable::scan(db(), targets).find(child.pid()));
}

void TestProcessTable::walConnectionHasAllSidecarsOpen()
{
    makeCache(db(), u"wal"_s, 2);
    PythonChild child(QString::fromUtf8(WriterScripts::holdOpen), { db() });
    QVERIFY(child.waitReady());
    const ProcessTable table = ProcessTable::scan(db(), lockTargetsFor(db()));
    const auto* process = table.find(child.pid());
    QVERIFY(process);
    QCOMPARE(kindNames(process->files), (QStringList { u"db"_s, u"shm"_s, u"wal"_s }));
    QVERIFY(table.scannedProcesses() > 1);
}

void TestProcessTable::selfIsFlagged()
{
    makeCache(db(), u"delete"_s, 1);
    QFile file(db()); // no SQLite connection in this test process: opening is harmless here
    QVERIFY(file.open(QIODevice::ReadOnly));
    const ProcessTable table = ProcessTable::scan(db(), lockTargetsFor(db()));
    const auto* self = table.find(::getpid());
    QVERIFY(self);
    QVERIFY(self->isSelf);
    QVERIFY(table.others().isEmpty());
    QVERIFY(table.toJson().isEmpty());
    QCOMPARE(table.toJson(true).size(), 1);
}

void TestProcessTable::deletedFilesStillOpen()
{
    makeCache(db(), u"wal"_s, 2);
    PythonChild child(QString::fromUtf8(WriterScripts::holdWriteLock), { db() });
    QVERIFY(child.waitReady());
    for (const QString& suffix : { u""_s, u"-wal"_s, u"-shm"_s })
        QVERIFY(QFile::remove(db() + suffix));
    // No history needed: the fd links read "<path> (deleted)".
    const ProcessTable table = ProcessTable::scan(db(), lockTargetsFor(db()));
    const auto* process = table.find(child.pid());
    QVERIFY(process);
    QVERIFY(process->files.isEmpty());
    QCOMPARE(kindNames(process->deletedFiles), (QStringList { u"db"_s, u"shm"_s, u"wal"_s }));
    auto locks = LockTable::collect(table.deletedTargets());
    QVERIFY(locks.ok());
    QVERIFY(locks->anyOnDeletedFile());
    QCOMPARE(locks->holders(u"write"_s).first().pid, child.pid());
}

void TestProcessTable::survivesProcessesComingAndGoing()
{
    makeCache(db(), u"wal"_s, 2);
    PythonChild child(QString::fromUtf8(WriterScripts::holdOpen), { db() });
    QVERIFY(child.waitReady());
    // Short-lived processes exit while we scan: their /proc entries vanish mid-scan.
    QProcess churn;
    churn.start(u"/bin/sh"_s, { u"-c"_s, u"for i in $(seq 1 400); do /bin/true & done; wait"_s });
    QVERIFY(churn.waitForStarted());
    const auto targets = lockTargetsFor(db());
    int found = 0;
    for (int i = 0; i < 20; ++i)
        found += ProcessTable::scan(db(), targets).find(child.pid()) != nullptr;
    QVERIFY(churn.waitForFinished(60000));
    QCOMPARE(found, 20);
}

// The -journal (or -wal, -shm) was stat()ed, then deleted, and ext4 gave its inode number to
// another process's new file before the scan: that process has not the cache open, and must not
// be listed as having its -journal open for writing (it would be named a writer: issue #21).
void TestProcessTable::sidecarInodeNumberPassedOnIsNotOurs()
{
    makeCache(db(), u"delete"_s, 2);
    const QString other = m_dir.filePath(u"notes.txt"_s);
    PythonChild child(QString::fromUtf8(holdOwnFile), { other });
    QVERIFY(child.waitReady());
    struct stat st { };
    QCOMPARE(::stat(QFile::encodeName(other).constData(), &st), 0);
    QList<LockTable::Target> targets = lockTargetsFor(db());
    for (const CacheFiles::Kind kind : { CacheFiles::Kind::Journal, CacheFiles::Kind::Wal, CacheFiles::Kind::Shm })
        targets.append({ kind, quint64(st.st_dev), quint64(st.st_ino), false, CacheFiles(db()).path(kind) });
    const ProcessTable table = ProcessTable::scan(db(), targets);
    QVERIFY2(!table.find(child.pid()), "a process holding its own file is listed as having the cache open");
}

// A cache opened through a symbolic link to its folder: /proc's links name the real path, and
// the sidecars are still recognised as the cache's.
void TestProcessTable::sidecarsFoundThroughALinkedFolder()
{
    const QString real = m_dir.filePath(u"real"_s);
    QVERIFY(QDir().mkpath(real));
    const QString linked = m_dir.filePath(u"linked"_s);
    QVERIFY(QFile::link(real, linked));
    const QString path = linked + u"/cache.db"_s;
    makeCache(path, u"wal"_s, 2);
    PythonChild child(QString::fromUtf8(WriterScripts::holdOpen), { path });
    QVERIFY(child.waitReady());
    const ProcessTable table = ProcessTable::scan(path, lockTargetsFor(path));
    const auto* process = table.find(child.pid());
    QVERIFY(process);
    QCOMPARE(kindNames(process->files), (QStringList { u"db"_s, u"shm"_s, u"wal"_s }));
}

QTEST_GUILESS_MAIN(TestProcessTable)
#include "tst_processtable.moc"
