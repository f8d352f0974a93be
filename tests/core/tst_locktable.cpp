// SPDX-License-Identifier: GPL-3.0-or-later
// LockTable: the /proc/locks parser on text, then real locks held by real Python/sqlite3
// processes and by fcntl in this process (POSIX and OFD), matched to our files by inode.
#include "os/locktable.h"
#include "scratchdir.h"
#include "testsupport.h"
#include "writerscripts.h"

#include <QFile>
#include <QTest>

#include <algorithm>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

namespace {
LockTable collectFor(const QString& db, qint64 excludePid = 0)
{
    auto table = LockTable::collect(lockTargetsFor(db), excludePid);
    if (!table)
        qFatal("%s", qPrintable(table.error().message));
    return table.value();
}

QStringList namesOf(const LockTable& table, qint64 pid)
{
    QStringList names;
    for (const auto& lock : table.locks()) {
        if (lock.pid == pid)
            names << lock.name + u':' + lock.typeName();
    }
    names.sort();
    return names;
}

// fcntl lock in this process on [start, start+len) of fd; ofd selects F_OFD_SETLK.
bool lockRange(int fd, short type, off_t start, off_t len, bool ofd)
{
    struct flock fl { };
    fl.l_type = type;
    fl.l_whence = SEEK_SET;
    fl.l_start = start;
    fl.l_len = len;
    return ::fcntl(fd, ofd ? F_OFD_SETLK : F_SETLK, &fl) == 0;
}
} // namespace

class TestLockTable : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup() { m_dir.reset(); }
    void parsesText_data();
    void parsesText();
    void repeatedLineIsOneLock();
    void idleConnectionHoldsDmsAndShared();
    void writerHoldsWriteLock();
    void readerHoldsReadSlot();
    void rollbackWriterHoldsReserved();
    void mergedRangesAreSplit_data();
    void mergedRangesAreSplit();
    void ofdLockReportedWithoutPid();
    void excludesOwnPid();
    void lockOnDeletedDatabase();
    void sidecarInodeNumberPassedOnIsNotOurs();
    void heldLocksSeenWhileOthersComeAndGo();

private:
    QString db() const { return m_dir.filePath(u"cache.db"_s); }
    ScratchDir m_dir;
};

void TestLockTable::init()
{
    QVERIFY(m_dir.renew());
    makeCache(db(), u"wal"_s, 3);
}

void TestLockTable::parsesText_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<bool>("write");
    QTest::addColumn<qint64>("pid");
    QTest::addColumn<quint32>("major");
    QTest::addColumn<quint32>("minor");
    QTest::addColumn<quint64>("inode");
    QTest::addColumn<qint64>("start");
    QTest::addColumn<qint64>("end");
    QTest::addColumn<bool>("waiting");
    QTest::addRow("posix read") << QByteArray("1: POSIX  ADVISORY  READ 1234 fd:00:1234567 128 128") << true << false
                                << qint64(1234) << 0xfdu << 0u << quint64(1234567) << qint64(128) << qint64(128)
                                << false;
    QTest::addRow("posix write to EOF, hex major/minor")
        << QByteArray("12: POSIX  ADVISORY  WRITE 99 103:1a:42 0 EOF") << true << true << qint64(99) << 0x103u << 0x1au
        << quint64(42) << qint64(0) << qint64(-1) << false;
    QTest::addRow("ofd without pid") << QByteArray("3: OFDLCK ADVISORY  WRITE -1 08:01:77 120 120") << true << true
                                     << qint64(-1) << 8u << 1u << quint64(77) << qint64(120) << qint64(120) << false;
    QTest::addRow("blocked waiter") << QByteArray("4: -> POSIX  ADVISORY  WRITE 555 08:01:77 120 120") << true << true
                                    << qint64(555) << 8u << 1u << quint64(77) << qint64(120) << qint64(120) << true;
    QTest::addRow("flock") << QByteArray("5: FLOCK  ADVISORY  WRITE 10 00:2c:9 0 EOF") << true << true << qint64(10)
                           << 0u << 0x2cu << quint64(9) << qint64(0) << qint64(-1) << false;
    QTest::addRow("big db range") << QByteArray("6: POSIX ADVISORY READ 7 fd:00:5 1073741826 1073742335") << true
                                  << false << qint64(7) << 0xfdu << 0u << quint64(5) << qint64(1073741826)
                                  << qint64(1073742335) << false;
    for (const char* bad : { "", "garbage", "7: POSIX ADVISORY READ", "8: POSIX ADVISORY READ x fd:00:1 0 EOF",
             "9: POSIX ADVISORY READ 1 fd:00 0 EOF", "10: POSIX ADVISORY UNLCK 1 fd:00:1 0 EOF",
             "11: LEASE  BREAKING  UNLCK 1 fd:00:1 0 EOF", "POSIX ADVISORY READ 1 fd:00:1 0 EOF",
             "12: POSIX ADVISORY READ 1 zz:00:1 0 EOF" })
        QTest::addRow("bad: %s", bad) << QByteArray(bad) << false << false << qint64(0) << 0u << 0u << quint64(0)
                                      << qint64(0) << qint64(0) << false;
}

void TestLockTable::parsesText()
{
    QFETCH(QByteArray, line);
    QFETCH(bool, valid);
    const auto entries = LockTable::parse(line + "\nnonsense line\n");
    QCOMPARE(entries.size(), valid ? 1 : 0);
    if (!valid)
        return;
    const auto& e = entries.first();
    QTEST(e.write, "write");
    QTEST(e.pid, "pid");
    QTEST(e.major, "major");
    QTEST(e.minor, "minor");
    QTEST(e.inode, "inode");
    QTEST(e.start, "start");
    QTEST(e.end, "end");
    QTEST(e.waiting, "waiting");
}

// /proc/locks comes a page per read(), the list let go in between: a lock another process takes
// meanwhile shifts the rest and a line can come twice (CI: one dms lock counted as two holders).
void TestLockTable::repeatedLineIsOneLock()
{
    const QByteArray text = "1: POSIX  ADVISORY  READ 4242 fe:00:77 128 128\n"
                            "2: POSIX  ADVISORY  READ 5151 fe:00:77 123 123\n"
                            "3: POSIX  ADVISORY  READ 4242 fe:00:77 128 128\n" // the first, again
                            "4: OFDLCK ADVISORY  READ -1 fe:00:77 128 128\n"
                            "5: OFDLCK ADVISORY  READ -1 fe:00:77 128 128\n"; // two open files: two locks
    const QList<LockTable::Target> targets { { CacheFiles::Kind::Shm, quint64(makedev(0xfe, 0)), 77, false,
        QString() } };
    const LockTable table = LockTable::match(LockTable::parse(text), targets);
    QList<qint64> pids;
    for (const LockTable::Lock& lock : table.holders(u"dms"_s))
        pids << lock.pid;
    QCOMPARE(pids, QList<qint64>({ 4242, -1, -1 }));
    QCOMPARE(table.holders(u"read0"_s).size(), 1);
}

void TestLockTable::idleConnectionHoldsDmsAndShared()
{
    PythonChild holder(QString::fromUtf8(WriterScripts::holdOpen), { db() });
    QVERIFY(holder.waitReady());
    const LockTable table = collectFor(db());
    QCOMPARE(namesOf(table, holder.pid()), QStringList({ u"db_shared:read"_s, u"dms:read"_s }));
    QVERIFY(table.holders(u"write"_s).isEmpty());
    holder.stop();
    QVERIFY(namesOf(collectFor(db()), holder.pid()).isEmpty());
}

void TestLockTable::writerHoldsWriteLock()
{
    PythonChild writer(QString::fromUtf8(WriterScripts::holdWriteLock), { db() });
    QVERIFY(writer.waitReady());
    const LockTable table = collectFor(db());
    const auto holders = table.holders(u"write"_s);
    QCOMPARE(holders.size(), 1);
    QCOMPARE(holders.first().pid, writer.pid());
    QVERIFY(holders.first().write);
    QCOMPARE(holders.first().file, CacheFiles::Kind::Shm);
    const QStringList names = namesOf(table, writer.pid());
    QVERIFY2(names.contains(u"write:write"_s) && names.contains(u"dms:read"_s), qPrintable(names.join(u' ')));
    const QJsonObject json = holders.first().toJson();
    QCOMPARE(json.value(u"lock"_s).toString(), u"write"_s);
    QCOMPARE(json.value(u"type"_s).toString(), u"write"_s);
    QCOMPARE(json.value(u"pid"_s).toInteger(), writer.pid());
}

void TestLockTable::readerHoldsReadSlot()
{
    // A commit first, so the reader's snapshot ends at a non-zero frame (slot 1..4, not 0).
    PythonChild holder(QString::fromUtf8(WriterScripts::holdOpen), { db() });
    QVERIFY(holder.waitReady());
    exec(db(), u"INSERT INTO entries(key) VALUES('x')"_s);
    PythonChild reader(QString::fromUtf8(WriterScripts::holdReadTransaction), { db() });
    QVERIFY(reader.waitReady());
    const QStringList names = namesOf(collectFor(db()), reader.pid());
    int slots = 0;
    for (const QString& name : names)
        slots += name.startsWith(u"read"_s) && name.endsWith(u":read"_s);
    QVERIFY2(slots == 1, qPrintable(names.join(u' ')));
    QVERIFY(!names.contains(u"read0:read"_s));
}

void TestLockTable::rollbackWriterHoldsReserved()
{
    const QString path = m_dir.filePath(u"rollback.db"_s);
    makeCache(path, u"delete"_s, 1);
    PythonChild writer(QString::fromUtf8(WriterScripts::holdWriteLock), { path });
    QVERIFY(writer.waitReady());
    const QStringList names = namesOf(collectFor(path), writer.pid());
    // RESERVED, not EXCLUSIVE: readers may still come and go.
    QVERIFY2(names.contains(u"db_reserved:write"_s) && names.contains(u"db_shared:read"_s)
            && !names.contains(u"db_shared:write"_s),
        qPrintable(names.join(u' ')));
}

void TestLockTable::mergedRangesAreSplit_data()
{
    QTest::addColumn<int>("start");
    QTest::addColumn<int>("length");
    QTest::addColumn<QStringList>("expected");
    QTest::addRow("read4 + dms") << 127 << 2 << QStringList { u"dms:read"_s, u"read4:read"_s };
    QTest::addRow("write + checkpoint") << 120 << 2 << QStringList { u"checkpoint:read"_s, u"write:read"_s };
    QTest::addRow("all nine") << 120 << 9
                              << QStringList { u"checkpoint:read"_s, u"dms:read"_s, u"read0:read"_s, u"read1:read"_s,
                                     u"read2:read"_s, u"read3:read"_s, u"read4:read"_s, u"recover:read"_s,
                                     u"write:read"_s };
    QTest::addRow("outside the lock bytes") << 0 << 10 << QStringList { u"other:read"_s };
}

void TestLockTable::mergedRangesAreSplit()
{
    QFETCH(int, start);
    QFETCH(int, length);
    QFETCH(QStringList, expected);
    // A plain file named like a -shm; this process holds no SQLite connection to it.
    const QString shm = m_dir.filePath(u"merged.db-shm"_s);
    QFile file(shm);
    QVERIFY(file.open(QIODevice::ReadWrite));
    QVERIFY(file.resize(32768));
    QVERIFY(lockRange(file.handle(), F_RDLCK, start, length, false));
    struct stat st { };
    QCOMPARE(::stat(QFile::encodeName(shm).constData(), &st), 0);
    auto table
        = LockTable::collect({ { CacheFiles::Kind::Shm, quint64(st.st_dev), quint64(st.st_ino), false, QString() } });
    QVERIFY(table.ok());
    QCOMPARE(namesOf(table.value(), ::getpid()), expected);
}

void TestLockTable::ofdLockReportedWithoutPid()
{
    const QString shm = m_dir.filePath(u"ofd.db-shm"_s);
    QFile file(shm);
    QVERIFY(file.open(QIODevice::ReadWrite));
    QVERIFY(file.resize(32768));
    QVERIFY(lockRange(file.handle(), F_WRLCK, 120, 1, true));
    struct stat st { };
    QCOMPARE(::stat(QFile::encodeName(shm).constData(), &st), 0);
    auto table = LockTable::collect(
        { { CacheFiles::Kind::Shm, quint64(st.st_dev), quint64(st.st_ino), false, QString() } }, ::getpid());
    QVERIFY(table.ok());
    const auto holders = table->holders(u"write"_s);
    QCOMPARE(holders.size(), 1);
    QCOMPARE(holders.first().pid, qint64(-1)); // honest: /proc/locks gives OFD locks no pid
    QVERIFY(holders.first().ofd);
    QCOMPARE(holders.first().toJson().value(u"ofd"_s).toBool(), true);
}

void TestLockTable::excludesOwnPid()
{
    const QString shm = m_dir.filePath(u"self.db-shm"_s);
    QFile file(shm);
    QVERIFY(file.open(QIODevice::ReadWrite));
    QVERIFY(file.resize(32768));
    QVERIFY(lockRange(file.handle(), F_RDLCK, 128, 1, false));
    struct stat st { };
    QCOMPARE(::stat(QFile::encodeName(shm).constData(), &st), 0);
    const QList<LockTable::Target> targets { { CacheFiles::Kind::Shm, quint64(st.st_dev), quint64(st.st_ino), false,
        QString() } };
    QCOMPARE(LockTable::collect(targets)->holders(u"dms"_s).size(), 1);
    QCOMPARE(LockTable::collect(targets, ::getpid())->holders(u"dms"_s).size(), 0);
}

void TestLockTable::lockOnDeletedDatabase()
{
    PythonChild writer(QString::fromUtf8(WriterScripts::holdWriteLock), { db() });
    QVERIFY(writer.waitReady());
    QList<LockTable::Target> former = lockTargetsFor(db());
    QVERIFY(!collectFor(db()).anyOnDeletedFile());
    for (const QString& suffix : { u""_s, u"-wal"_s, u"-shm"_s })
        QVERIFY(QFile::remove(db() + suffix));
    for (auto& target : former)
        target.former = true;
    auto table = LockTable::collect(lockTargetsFor(db()) + former);
    QVERIFY(table.ok());
    QVERIFY(table->anyOnDeletedFile());
    QCOMPARE(table->holders(u"write"_s).size(), 1);
    QVERIFY(table->holders(u"write"_s).first().deletedFile);
    QCOMPARE(table->holders(u"write"_s).first().pid, writer.pid());
    QVERIFY(!table->anyOn(CacheFiles::Kind::Db));
}

// A -shm stat()ed, then deleted: ext4 gives its inode number to the next new file, here one this
// process locks like a WAL writer. Its locks are not the cache's (issue #21: the pid would be
// named the cache's writer).
void TestLockTable::sidecarInodeNumberPassedOnIsNotOurs()
{
    const QString other = m_dir.filePath(u"unrelated.bin"_s);
    QFile file(other);
    QVERIFY(file.open(QIODevice::ReadWrite));
    QVERIFY(file.resize(32768));
    QVERIFY(lockRange(file.handle(), F_WRLCK, 120, 1, false));
    struct stat st { };
    QCOMPARE(::stat(QFile::encodeName(other).constData(), &st), 0);
    LockTable::Target target { CacheFiles::Kind::Shm, quint64(st.st_dev), quint64(st.st_ino), false, QString() };
    QCOMPARE(LockTable::collect({ target })->holders(u"write"_s).size(), 1); // by the inode alone
    target.path = db() + u"-shm"_s; // where it was: nothing is there now
    QVERIFY(LockTable::collect({ target })->locks().isEmpty());
    target.path = other; // still at its path: its own locks
    QCOMPARE(LockTable::collect({ target })->holders(u"write"_s).size(), 1);
}

// /proc/locks comes a page per read() and the kernel counts its place again between pages: a
// lock released meanwhile before that place made a held lock's line be skipped (77 of 3,000
// single reads here missed some of a process's 300 locks). Every process pinned to one CPU, so
// that their locks share one of the kernel's per-CPU lists, the comers and goers' in front.
void TestLockTable::heldLocksSeenWhileOthersComeAndGo()
{
    static const char* const holdMany = R"PY(
import fcntl, os, sys
os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600)
for i in range(0, 600, 2):
    fcntl.lockf(fd, fcntl.LOCK_EX, 1, i)
print("ready", flush=True)
sys.stdin.read()
)PY";
    static const char* const comeAndGo = R"PY(
import fcntl, os, sys, threading
os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600)
threading.Thread(target=lambda: (sys.stdin.read(), os._exit(0)), daemon=True).start()
print("ready", flush=True)
while True:
    for i in range(0, 40, 2):
        fcntl.lockf(fd, fcntl.LOCK_EX, 1, i)
    fcntl.lockf(fd, fcntl.LOCK_UN, 0, 0)
)PY";
    const QString held = m_dir.filePath(u"held.bin"_s);
    PythonChild holder(QString::fromUtf8(holdMany), { held });
    QVERIFY(holder.waitReady());
    PythonChild first(QString::fromUtf8(comeAndGo), { m_dir.filePath(u"churn1.bin"_s) });
    PythonChild second(QString::fromUtf8(comeAndGo), { m_dir.filePath(u"churn2.bin"_s) });
    QVERIFY(first.waitReady());
    QVERIFY(second.waitReady());
    struct stat st { };
    QCOMPARE(::stat(QFile::encodeName(held).constData(), &st), 0);
    const QList<LockTable::Target> targets { { CacheFiles::Kind::Db, quint64(st.st_dev), quint64(st.st_ino), false,
        held } };
    constexpr int Reads = 1000;
    int short_ = 0;
    qsizetype fewest = 300;
    for (int i = 0; i < Reads; ++i) {
        auto table = LockTable::collect(targets);
        QVERIFY(table.ok());
        if (table->locks().size() != 300) {
            ++short_;
            fewest = std::min(fewest, table->locks().size());
        }
    }
    QVERIFY2(short_ == 0,
        qPrintable(u"%1 of %2 reads did not list the 300 held locks (fewest %3)"_s.arg(short_).arg(Reads).arg(fewest)));
}

QTEST_GUILESS_MAIN(TestLockTable)
#include "tst_locktable.moc"
