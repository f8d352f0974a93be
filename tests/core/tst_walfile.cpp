// SPDX-License-Identifier: GPL-3.0-or-later
// WalFile: real -wal files written by Python/sqlite3 writer processes (frame counts checked
// against SQLite's own checkpoint report), resuming, resets, and every malformed file.
#include "scratchdir.h"
#include "testsupport.h"
#include "wal/walfile.h"
#include "writerscripts.h"

#include <QDir>
#include <QFile>
#include <QTest>

#include <sys/stat.h>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

namespace {
// "log <busy> <log> <checkpointed>" printed by WriterScripts::writeCommits.
qint64 logFrames(const QByteArray& output)
{
    for (const QByteArray& line : output.split('\n')) {
        const QList<QByteArray> parts = line.trimmed().split(' ');
        if (parts.size() == 4 && parts.at(0) == "log")
            return parts.at(2).toLongLong();
    }
    return -1;
}

void writeFile(const QString& path, const QByteArray& bytes)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(file.write(bytes), bytes.size());
}

quint32 be32(const QByteArray& b, int at)
{
    const auto* p = reinterpret_cast<const unsigned char*>(b.constData()) + at;
    return (quint32(p[0]) << 24) | (quint32(p[1]) << 16) | (quint32(p[2]) << 8) | quint32(p[3]);
}
void putBe32(QByteArray& b, int at, quint32 v)
{
    for (int i = 0; i < 4; ++i)
        b[at + i] = char((v >> (24 - 8 * i)) & 0xff);
}

// Independent re-encoding with big-endian checksums (magic 0x377f0683): the same frames must
// then verify exactly as before.
QByteArray toBigEndianChecksums(QByteArray wal)
{
    const qint64 pageSize = be32(wal, 8);
    const qint64 frameBytes = pageSize + 24;
    putBe32(wal, 0, 0x377f0683);
    auto sum = [](const char* data, qint64 n, quint32& s0, quint32& s1) {
        const auto* p = reinterpret_cast<const unsigned char*>(data);
        for (qint64 i = 0; i < n; i += 8) {
            s0 += ((quint32(p[i]) << 24) | (quint32(p[i + 1]) << 16) | (quint32(p[i + 2]) << 8) | p[i + 3]) + s1;
            s1 += ((quint32(p[i + 4]) << 24) | (quint32(p[i + 5]) << 16) | (quint32(p[i + 6]) << 8) | p[i + 7]) + s0;
        }
    };
    quint32 s0 = 0, s1 = 0;
    sum(wal.constData(), 24, s0, s1);
    putBe32(wal, 24, s0);
    putBe32(wal, 28, s1);
    for (qint64 at = 32; at + frameBytes <= wal.size(); at += frameBytes) {
        sum(wal.constData() + at, 8, s0, s1);
        sum(wal.constData() + at + 24, pageSize, s0, s1);
        putBe32(wal, int(at + 16), s0);
        putBe32(wal, int(at + 20), s1);
    }
    return wal;
}
} // namespace

class TestWalFile : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void countsMatchSqlite_data();
    void countsMatchSqlite();
    void resumesWithoutRereading();
    void detectsResetAndHighWaterMark();
    void malformed_data();
    void malformed();
    void notARegularFile_data();
    void notARegularFile();
    void absentThenCreated();

private:
    QString db() const { return m_dir.filePath(u"cache.db"_s); }
    QString wal() const { return db() + u"-wal"_s; }
    // Writes `commits` transactions in a child that stays connected; returns SQLite's log count.
    qint64 write(int commits, int rows, int payload, const QString& checkpoint = u"after"_s);
    ScratchDir m_dir;
    std::unique_ptr<PythonChild> m_holder;
    std::vector<std::unique_ptr<PythonChild>> m_writers;
};

void TestWalFile::init()
{
    QVERIFY(m_dir.renew());
    makeCache(db(), u"wal"_s, 0);
    m_holder = std::make_unique<PythonChild>(QString::fromUtf8(WriterScripts::holdOpen), QStringList { db() });
    QVERIFY(m_holder->waitReady());
}

void TestWalFile::cleanup()
{
    m_writers.clear();
    m_holder.reset();
    m_dir.reset();
}

qint64 TestWalFile::write(int commits, int rows, int payload, const QString& checkpoint)
{
    auto child = std::make_unique<PythonChild>(QString::fromUtf8(WriterScripts::writeCommits),
        QStringList { db(), QString::number(commits), QString::number(rows), QString::number(payload), checkpoint });
    if (!child->waitReady(60000))
        return -2;
    const qint64 log = logFrames(child->output());
    m_writers.push_back(std::move(child)); // stays connected: its close must not checkpoint
    return log;
}

void TestWalFile::countsMatchSqlite_data()
{
    QTest::addColumn<int>("commits");
    QTest::addColumn<int>("rows");
    QTest::addColumn<int>("payload");
    QTest::addRow("1 commit") << 1 << 1 << 10;
    QTest::addRow("40 small commits") << 40 << 1 << 10;
    QTest::addRow("5 commits of many pages") << 5 << 20 << 5000;
    QTest::addRow("300 commits") << 300 << 2 << 300;
}

void TestWalFile::countsMatchSqlite()
{
    QFETCH(int, commits);
    QFETCH(int, rows);
    QFETCH(int, payload);
    const qint64 log = write(commits, rows, payload);
    QVERIFY(log > 0);
    WalFile file(wal());
    const auto& s = file.update();
    QCOMPARE(s.state, WalFile::State::Valid);
    QCOMPARE(s.header.magic, WalFile::MagicLittleEndian);
    QCOMPARE(s.header.pageSize, quint32(queryInt(db(), u"PRAGMA page_size"_s)));
    QCOMPARE(s.commitFrames, qint64(commits));
    QCOMPARE(s.lastCommitFrame, log);
    QCOMPARE(s.validFrames, log);
    QCOMPARE(s.stop, WalFile::Stop::EndOfFile);
    QCOMPARE(s.fileBytes, QFileInfo(wal()).size());
    QCOMPARE(s.committedBytes(), s.fileBytes); // a fresh WAL: no stale frames past the content
    if (rows * payload > 4096)
        QVERIFY(s.validFrames > s.commitFrames); // multi-page transactions
}

void TestWalFile::resumesWithoutRereading()
{
    QVERIFY(write(50, 1, 100, u"none"_s) == -1);
    WalFile file(wal());
    const qint64 firstFrames = file.update().validFrames;
    QCOMPARE(file.summary().commitFrames, qint64(50));
    const qint64 firstRead = file.summary().bytesRead;
    QCOMPARE(firstRead, QFileInfo(wal()).size());
    file.release(); // no fd between updates; the resume point survives

    const qint64 log = write(30, 1, 100, u"after"_s);
    const auto& s = file.update();
    QCOMPARE(s.commitFrames, qint64(80));
    QCOMPARE(s.lastCommitFrame, log);
    QCOMPARE(s.resetsSeen, qint64(0));
    // Only the header and the new frames were read.
    QCOMPARE(s.bytesRead, 32 + (log - firstFrames) * s.frameBytes());
    // Nothing new: only the header.
    QCOMPARE(file.update().bytesRead, qint64(32));
    QCOMPARE(file.summary().commitFrames, qint64(80));

    WalFile fresh(wal());
    QCOMPARE(fresh.update().validFrames, s.validFrames);
    QCOMPARE(fresh.summary().commitFrames, s.commitFrames);
}

void TestWalFile::detectsResetAndHighWaterMark()
{
    const qint64 log = write(100, 1, 500, u"after"_s);
    WalFile file(wal());
    const WalFile::Summary before = file.update();
    QCOMPARE(before.lastCommitFrame, log);
    // All frames were checkpointed and nobody reads: the next writer restarts at frame 1.
    QCOMPARE(write(3, 1, 10, u"none"_s), qint64(-1));
    const auto& after = file.update();
    QCOMPARE(after.state, WalFile::State::Valid);
    QCOMPARE(after.resetsSeen, qint64(1));
    QCOMPARE(after.header.checkpointSeq, before.header.checkpointSeq + 1);
    QCOMPARE(after.header.salt1, before.header.salt1 + 1);
    QCOMPARE(after.commitFrames, qint64(3));
    QCOMPARE(after.fileBytes, before.fileBytes); // the file does not shrink
    QVERIFY(after.committedBytes() < after.fileBytes / 10);
    QCOMPARE(after.stop, WalFile::Stop::SaltMismatch); // the old generation's frames follow
}

void TestWalFile::malformed_data()
{
    QTest::addColumn<QString>("mutation");
    QTest::addColumn<int>("state");
    QTest::addColumn<int>("stop");
    QTest::addColumn<int>("validFrames"); // -1: do not check
    using S = WalFile::State;
    using T = WalFile::Stop;
    QTest::addRow("zero length") << u"zero"_s << int(S::Empty) << int(T::None) << 0;
    QTest::addRow("short header") << u"short"_s << int(S::TruncatedHeader) << int(T::None) << 0;
    QTest::addRow("bad magic") << u"magic"_s << int(S::BadMagic) << int(T::None) << 0;
    QTest::addRow("bad version") << u"version"_s << int(S::BadVersion) << int(T::None) << 0;
    QTest::addRow("bad page size") << u"pagesize"_s << int(S::BadPageSize) << int(T::None) << 0;
    QTest::addRow("bad header checksum") << u"headersum"_s << int(S::BadHeaderChecksum) << int(T::None) << 0;
    QTest::addRow("corrupt frame 10 page data") << u"framesum"_s << int(S::Valid) << int(T::ChecksumMismatch) << 9;
    QTest::addRow("truncated mid frame 11") << u"truncate"_s << int(S::Valid) << int(T::TruncatedFrame) << 10;
    QTest::addRow("salt of frame 5") << u"salt"_s << int(S::Valid) << int(T::SaltMismatch) << 4;
    QTest::addRow("page number 0 in frame 7") << u"pgno"_s << int(S::Valid) << int(T::ZeroPageNumber) << 6;
    QTest::addRow("big-endian checksums") << u"bigendian"_s << int(S::Valid) << int(T::EndOfFile) << 20;
    QTest::addRow("random garbage") << u"garbage"_s << int(S::BadMagic) << int(T::None) << 0;
    QTest::addRow("header only") << u"headeronly"_s << int(S::Valid) << int(T::EndOfFile) << 0;
}

void TestWalFile::malformed()
{
    QFETCH(QString, mutation);
    QFETCH(int, state);
    QFETCH(int, stop);
    QFETCH(int, validFrames);
    QCOMPARE(write(20, 1, 10, u"after"_s), qint64(20));
    QByteArray bytes = fileBytes(wal());
    const int frameBytes = int(be32(bytes, 8)) + 24;
    const auto frameAt = [frameBytes](int frame) { return 32 + (frame - 1) * frameBytes; };
    if (mutation == u"zero"_s)
        bytes.clear();
    else if (mutation == u"short"_s)
        bytes.truncate(10);
    else if (mutation == u"magic"_s)
        bytes[0] = 0;
    else if (mutation == u"version"_s)
        putBe32(bytes, 4, 3007001);
    else if (mutation == u"pagesize"_s)
        putBe32(bytes, 8, 1000);
    else if (mutation == u"headersum"_s)
        bytes[25] = char(bytes[25] ^ 0x40);
    else if (mutation == u"framesum"_s)
        bytes[frameAt(10) + 24 + 100] = char(bytes[frameAt(10) + 24 + 100] ^ 1);
    else if (mutation == u"truncate"_s)
        bytes.truncate(frameAt(11) + frameBytes / 2);
    else if (mutation == u"salt"_s)
        bytes[frameAt(5) + 9] = char(bytes[frameAt(5) + 9] ^ 1);
    else if (mutation == u"pgno"_s)
        putBe32(bytes, frameAt(7), 0);
    else if (mutation == u"bigendian"_s)
        bytes = toBigEndianChecksums(bytes);
    else if (mutation == u"garbage"_s) {
        bytes.resize(100000);
        for (int i = 0; i < bytes.size(); ++i)
            bytes[i] = char((i * 7919 + 13) & 0xff);
    } else if (mutation == u"headeronly"_s)
        bytes.truncate(32);
    const QString copy = m_dir.filePath(u"copy.db-wal"_s);
    writeFile(copy, bytes);
    WalFile file(copy);
    const auto& s = file.update();
    QCOMPARE(int(s.state), state);
    QCOMPARE(int(s.stop), stop);
    if (validFrames >= 0)
        QCOMPARE(s.validFrames, qint64(validFrames));
    QVERIFY(s.lastCommitFrame <= s.validFrames);
    if (state != int(WalFile::State::Valid) && state != int(WalFile::State::Empty))
        QVERIFY2(!s.problem.isEmpty(), "a malformed file comes with a reason");
    // Repeated updates on a broken file stay stable.
    QCOMPARE(int(file.update().state), state);
    if (mutation == u"bigendian"_s)
        QVERIFY(s.header.bigEndianChecksum);
}

void TestWalFile::notARegularFile_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addRow("directory") << u"directory"_s;
    QTest::addRow("fifo") << u"fifo"_s;
    QTest::addRow("symlink") << u"symlink"_s;
}

void TestWalFile::notARegularFile()
{
    QFETCH(QString, kind);
    const QString path = m_dir.filePath(u"other.db-wal"_s);
    if (kind == u"directory"_s)
        QVERIFY(QDir().mkdir(path));
    else if (kind == u"fifo"_s)
        QCOMPARE(::mkfifo(QFile::encodeName(path).constData(), 0600), 0);
    else
        QVERIFY(QFile::link(wal(), path));
    WalFile file(path);
    QCOMPARE(file.update().state, WalFile::State::Unreadable);
    QVERIFY(!file.summary().problem.isEmpty());
}

void TestWalFile::absentThenCreated()
{
    const QString path = m_dir.filePath(u"later.db-wal"_s);
    WalFile file(path);
    QCOMPARE(file.update().state, WalFile::State::Absent);
    QVERIFY(!QFileInfo::exists(path)); // never created
    write(4, 1, 10, u"after"_s);
    writeFile(path, fileBytes(wal()));
    QCOMPARE(file.update().state, WalFile::State::Valid);
    QCOMPARE(file.summary().commitFrames, qint64(4));
}

QTEST_GUILESS_MAIN(TestWalFile)
#include "tst_walfile.moc"
