// SPDX-License-Identifier: GPL-3.0-or-later
// WalIndex against real -shm files: a Python writer process holding a WAL connection and
// committing on command, and malformed -shm files made from a real header.
#include "testsupport.h"
#include "wal/walindex.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

namespace {
quint32 walHeaderWord(const QString& wal, int offset)
{
    const QByteArray bytes = fileBytes(wal);
    if (bytes.size() < offset + 4)
        return 0;
    const auto* b = reinterpret_cast<const unsigned char*>(bytes.constData() + offset);
    return (quint32(b[0]) << 24) | (quint32(b[1]) << 16) | (quint32(b[2]) << 8) | quint32(b[3]);
}

void writeFile(const QString& path, const QByteArray& bytes)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(file.write(bytes), bytes.size());
}
} // namespace

class TestWalIndex : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void followsALiveWriter();
    void reportsCheckpointProgress();
    void followsTheFileAcrossCloseAndReopen();
    void staleCopyIsNotLive();
    void dmsLockDecidesLiveness_data();
    void dmsLockDecidesLiveness();
    void malformed_data();
    void malformed();
    void specialFiles_data();
    void specialFiles();

private:
    QString path(const QString& name) const { return m_dir.filePath(name); }
    QTemporaryDir m_dir;
    QByteArray m_realHeader; // the first 136 bytes of a real, live -shm
};

void TestWalIndex::initTestCase()
{
    QVERIFY(m_dir.isValid());
    const QString db = path(u"base.db"_s);
    WalWriterChild writer(db);
    QVERIFY(writer.waitReady());
    QCOMPARE(writer.ask("commit 3").value(0), QByteArray("done"));
    m_realHeader = fileBytes(db + u"-shm"_s).left(WalIndex::HeaderBytes);
    QCOMPARE(m_realHeader.size(), WalIndex::HeaderBytes);
    QVERIFY(WalIndex::parse(m_realHeader).ok());
}

void TestWalIndex::followsALiveWriter()
{
    const QString db = path(u"live.db"_s);
    WalWriterChild writer(db);
    QVERIFY(writer.waitReady());
    WalIndex index(db + u"-shm"_s);
    auto before = index.read();
    QVERIFY2(before.ok(), qPrintable(before.error().message));
    QCOMPARE(before->liveness, WalIndex::Liveness::Live);
    QCOMPARE(before->version, WalIndex::Version);
    QCOMPARE(before->pageSize, 1024);
    QCOMPARE(before->readMarks[0], 0u);

    QCOMPARE(writer.ask("commit 7").value(0), QByteArray("done"));
    auto after = index.read();
    QVERIFY2(after.ok(), qPrintable(after.error().message));
    QVERIFY(after->isLive());
    QCOMPARE(after->commitCounter, before->commitCounter + 7);
    QVERIFY(after->committedFrame >= before->committedFrame + 7); // ≥ one frame per commit
    QCOMPARE(qint64(after->dbPages), writer.ask("pages").value(1).toLongLong());
    // The salts are the -wal header's (bytes 16..23, big-endian there).
    QCOMPARE(after->salt1, walHeaderWord(db + u"-wal"_s, 16));
    QCOMPARE(after->salt2, walHeaderWord(db + u"-wal"_s, 20));
    QCOMPARE(after->backfilled, 0u); // wal_autocheckpoint=0: nothing copied yet
}

void TestWalIndex::reportsCheckpointProgress()
{
    const QString db = path(u"checkpoint.db"_s);
    WalWriterChild writer(db);
    QVERIFY(writer.waitReady());
    QCOMPARE(writer.ask("commit 20").value(0), QByteArray("done"));
    const auto result = writer.ask("checkpoint"); // ckpt busy log checkpointed
    QCOMPARE(result.value(0), QByteArray("ckpt"));
    WalIndex index(db + u"-shm"_s);
    auto header = index.read();
    QVERIFY2(header.ok(), qPrintable(header.error().message));
    QCOMPARE(qint64(header->committedFrame), result.value(2).toLongLong());
    QCOMPARE(qint64(header->backfilled), result.value(3).toLongLong());
    QCOMPARE(header->checkpointLag(), 0);
    QVERIFY(header->backfillAttempted >= header->backfilled);
}

void TestWalIndex::followsTheFileAcrossCloseAndReopen()
{
    const QString db = path(u"reopen.db"_s);
    WalIndex index(db + u"-shm"_s);
    QCOMPARE(index.read().error().kind, Error::Kind::NotFound);
    {
        WalWriterChild writer(db);
        QVERIFY(writer.waitReady());
        QCOMPARE(writer.ask("commit 2").value(0), QByteArray("done"));
        auto header = index.read();
        QVERIFY2(header.ok(), qPrintable(header.error().message));
        QVERIFY(header->isLive());
    }
    // The last connection closed: SQLite checkpointed and deleted -wal and -shm.
    QCOMPARE(index.read().error().kind, Error::Kind::NotFound);
    WalWriterChild again(db);
    QVERIFY(again.waitReady());
    QCOMPARE(again.ask("commit 4").value(0), QByteArray("done"));
    auto header = index.read(); // same object: reopened on the new inode
    QVERIFY2(header.ok(), qPrintable(header.error().message));
    QVERIFY(header->isLive());
    QCOMPARE(header->commitCounter >= 4, true);
    QCOMPARE(header->salt1, walHeaderWord(db + u"-wal"_s, 16));
}

void TestWalIndex::staleCopyIsNotLive()
{
    const QString copy = path(u"stale.db-shm"_s);
    writeFile(copy, m_realHeader);
    WalIndex index(copy);
    auto header = index.read();
    QVERIFY2(header.ok(), qPrintable(header.error().message));
    QCOMPARE(header->liveness, WalIndex::Liveness::Stale);
    QCOMPARE(header->attempts, 1);
    QCOMPARE(header->commitCounter, WalIndex::parse(m_realHeader)->commitCounter);
}

void TestWalIndex::dmsLockDecidesLiveness_data()
{
    QTest::addColumn<QString>("lockType");
    QTest::addColumn<int>("liveness"); // -1: an error (being initialised)
    QTest::addRow("read-locked: live") << u"shared"_s << int(WalIndex::Liveness::Live);
    QTest::addRow("write-locked: initialising") << u"exclusive"_s << -1;
}

void TestWalIndex::dmsLockDecidesLiveness()
{
    QFETCH(QString, lockType);
    QFETCH(int, liveness);
    const QString file = path(u"locked-%1.db-shm"_s.arg(lockType));
    writeFile(file, m_realHeader);
    // A real POSIX lock on byte 128 only (the DMS byte), held by another process.
    const char* script = R"(
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_RDWR)
kind = fcntl.LOCK_SH if sys.argv[2] == 'shared' else fcntl.LOCK_EX
fcntl.lockf(fd, kind | fcntl.LOCK_NB, 1, 128)
print('ready', flush=True)
sys.stdin.read()
)";
    PythonChild child(QString::fromLatin1(script), { file, lockType });
    QVERIFY(child.waitReady());
    WalIndex index(file);
    auto header = index.read();
    if (liveness < 0) {
        QVERIFY(!header.ok());
        QCOMPARE(header.error().kind, Error::Kind::Locked);
        QVERIFY2(header.error().message.contains(u"initialised"_s), qPrintable(header.error().message));
    } else {
        QVERIFY2(header.ok(), qPrintable(header.error().message));
        QCOMPARE(int(header->liveness), liveness);
    }
    child.stop();
    auto afterwards = index.read(); // the lock is gone: a stale leftover, read once
    QVERIFY2(afterwards.ok(), qPrintable(afterwards.error().message));
    QCOMPARE(afterwards->liveness, WalIndex::Liveness::Stale);
}

void TestWalIndex::malformed_data()
{
    QTest::addColumn<QString>("mutation");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("reason");
    const int corrupt = int(Error::Kind::Corrupt);
    QTest::addRow("zero-length") << u"empty"_s << int(Error::Kind::EmptyFile) << u"empty"_s;
    QTest::addRow("one copy only") << u"truncate:48"_s << corrupt << u"too short"_s;
    QTest::addRow("truncated before checkpoint info") << u"truncate:100"_s << corrupt << u"too short"_s;
    QTest::addRow("bad checksum in both copies") << u"flip:40,88"_s << corrupt << u"checksum"_s;
    QTest::addRow("copies differ") << u"flip:20"_s << corrupt << u"copies differ"_s;
    QTest::addRow("wrong version") << u"flip:0,48"_s << corrupt << u"version"_s;
    QTest::addRow("not initialised") << u"zero:12,60"_s << corrupt << u"not initialised"_s;
    QTest::addRow("backfill beyond mxFrame") << u"max:96"_s << corrupt << u"beyond mxFrame"_s;
    QTest::addRow("garbage") << u"garbage"_s << corrupt << u"differ"_s;
    QTest::addRow("all zero") << u"zeros"_s << corrupt << u"version"_s;
}

void TestWalIndex::malformed()
{
    QFETCH(QString, mutation);
    QFETCH(int, kind);
    QFETCH(QString, reason);
    QByteArray bytes = m_realHeader;
    const QString op = mutation.section(u':', 0, 0);
    const QStringList offsets = mutation.section(u':', 1).split(u',', Qt::SkipEmptyParts);
    if (op == u"empty"_s)
        bytes.clear();
    else if (op == u"truncate"_s)
        bytes.truncate(offsets.first().toInt());
    else if (op == u"garbage"_s)
        for (int i = 0; i < bytes.size(); ++i)
            bytes[i] = char((i * 167 + 13) & 0xff);
    else if (op == u"zeros"_s)
        bytes.fill('\0');
    for (const QString& offset : offsets) {
        const int at = offset.toInt();
        if (op == u"flip"_s)
            bytes[at] = char(bytes[at] ^ 0x5a);
        else if (op == u"zero"_s)
            bytes[at] = 0;
        else if (op == u"max"_s)
            bytes.replace(at, 4, QByteArray(4, '\xff'));
    }
    const QString file = path(u"malformed.db-shm"_s);
    writeFile(file, bytes);
    WalIndex index(file);
    auto header = index.read();
    QVERIFY(!header.ok());
    QCOMPARE(int(header.error().kind), kind);
    QVERIFY2(header.error().message.contains(reason), qPrintable(header.error().message));
}

void TestWalIndex::specialFiles_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<int>("kind");
    QTest::addRow("missing") << u"missing"_s << int(Error::Kind::NotFound);
    QTest::addRow("directory") << u"directory"_s << int(Error::Kind::IsDirectory);
    QTest::addRow("symlink to a valid -shm") << u"symlink"_s << int(Error::Kind::SymbolicLink);
    QTest::addRow("fifo") << u"fifo"_s << int(Error::Kind::NotRegularFile);
}

void TestWalIndex::specialFiles()
{
    QFETCH(QString, type);
    QFETCH(int, kind);
    const QString file = path(type + u".db-shm"_s);
    if (type == u"directory"_s) {
        QVERIFY(QDir().mkpath(file));
    } else if (type == u"symlink"_s) {
        writeFile(path(u"target.shm"_s), m_realHeader);
        QVERIFY(QFile::link(path(u"target.shm"_s), file));
    } else if (type == u"fifo"_s) {
        QCOMPARE(::mkfifo(QFile::encodeName(file).constData(), 0600), 0);
    }
    WalIndex index(file);
    auto header = index.read();
    QVERIFY(!header.ok());
    QCOMPARE(int(header.error().kind), kind);
    QVERIFY(!header.error().message.isEmpty());
}

QTEST_GUILESS_MAIN(TestWalIndex)
#include "tst_walindex.moc"
