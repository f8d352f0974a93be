// SPDX-License-Identifier: GPL-3.0-or-later
// Deterministic mutation fuzzing of every parser of untrusted bytes CacheScope has (issue #12):
// the database header, the -wal header and frames, the -shm header, /proc/locks and
// /proc/PID/io text, keyset cursors from the command line, the terminal escaping of cache
// text, and whole database files through Database::open. Seeds are
// real files SQLite made; each loop applies a fixed-seed sequence of byte mutations and checks
// the parser never crashes and that what it accepts is consistent. Runs in the normal suite
// and, more usefully, in the ASan+UBSan build (cmake --preset asan).
#include "common/format.h"
#include "entries/entrycursor.h"
#include "entries/entrypager.h"
#include "os/locktable.h"
#include "os/processio.h"
#include "sqlite/database.h"
#include "sqlite/databaseheader.h"
#include "testsupport.h"
#include "wal/walfile.h"
#include "wal/walindex.h"

#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

#include <random>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

namespace {

// One deterministic mutator: flips, boundary bytes, 32-bit boundary words, truncation,
// insertion, deletion and duplication of chunks.
class Mutator {
public:
    explicit Mutator(quint32 seed)
        : m_random(seed)
    {
    }

    QByteArray mutate(QByteArray bytes, int maxSize)
    {
        const int rounds = 1 + int(m_random() % 4);
        for (int r = 0; r < rounds; ++r)
            mutateOnce(bytes);
        if (bytes.size() > maxSize)
            bytes.truncate(maxSize);
        return bytes;
    }

private:
    int pick(int size) { return size > 0 ? int(m_random() % quint32(size)) : 0; }

    void mutateOnce(QByteArray& bytes)
    {
        static const unsigned char interesting[] = { 0x00, 0x01, 0x02, 0x7f, 0x80, 0xfe, 0xff, 0x10, 0x20 };
        static const quint32 words[] = { 0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 65536, 512, 3007000, 0x377f0682 };
        switch (m_random() % 8) {
        case 0:
            if (!bytes.isEmpty())
                bytes[pick(bytes.size())] ^= char(1u << (m_random() % 8));
            break;
        case 1:
            if (!bytes.isEmpty())
                bytes[pick(bytes.size())] = char(interesting[m_random() % sizeof interesting]);
            break;
        case 2:
            if (bytes.size() >= 4) {
                const int at = pick(bytes.size() - 3) & ~3;
                const quint32 w = words[m_random() % (sizeof words / sizeof *words)];
                const bool big = m_random() % 2;
                for (int i = 0; i < 4; ++i)
                    bytes[at + i] = char(big ? (w >> (24 - 8 * i)) : (w >> (8 * i)));
            }
            break;
        case 3:
            bytes.truncate(pick(bytes.size() + 1));
            break;
        case 4:
            bytes.insert(pick(bytes.size() + 1), QByteArray(1 + pick(64), char(m_random())));
            break;
        case 5:
            if (!bytes.isEmpty())
                bytes.remove(pick(bytes.size()), 1 + pick(64));
            break;
        case 6:
            if (!bytes.isEmpty()) {
                const int from = pick(bytes.size());
                bytes.insert(pick(bytes.size()), bytes.mid(from, 1 + pick(512)));
            }
            break;
        default:
            if (!bytes.isEmpty())
                bytes[pick(bytes.size())] = char(m_random());
            break;
        }
    }

    std::mt19937 m_random;
};

void writeFile(const QString& path, const QByteArray& bytes)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(file.write(bytes), bytes.size());
}

} // namespace

class TestFuzz : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void databaseHeader();
    void walIndexHeader();
    void walFile();
    void procLocks();
    void escapeControl();
    void wholeDatabases();
    void cursors();
    void processIo();

private:
    QString path(const QString& name) const { return m_dir.filePath(name); }
    QTemporaryDir m_dir;
    QByteArray m_db; // a small WAL-mode database file
    QByteArray m_wal; // its -wal with committed frames
    QByteArray m_shm; // the first 136 bytes of its live -shm
};

void TestFuzz::initTestCase()
{
    QVERIFY(m_dir.isValid());
    const QString seed = path(u"seed.db"_s);
    makeCache(seed, u"wal"_s, 40);
    m_db = fileBytes(seed);
    // Keep a connection open with frames in the -wal and copy the sidecars as they are then.
    sqlite3* db = nullptr;
    QCOMPARE(sqlite3_open(QFile::encodeName(seed).constData(), &db), SQLITE_OK);
    sqlite3_exec(db,
        "PRAGMA wal_autocheckpoint=0; INSERT INTO entries(key, value) VALUES('w1', 'x'), ('w2', 'y');"
        "CREATE TABLE more(a, b); INSERT INTO more VALUES(1, randomblob(3000));",
        nullptr, nullptr, nullptr);
    m_wal = fileBytes(seed + u"-wal"_s);
    m_shm = fileBytes(seed + u"-shm"_s).left(WalIndex::HeaderBytes);
    sqlite3_close(db);
    QVERIFY(m_wal.size() > 32);
    QCOMPARE(m_shm.size(), WalIndex::HeaderBytes);
    QVERIFY(WalIndex::parse(m_shm).ok());
    QVERIFY(DatabaseHeader::parse(m_db).ok());
}

void TestFuzz::databaseHeader()
{
    Mutator mutator(12001);
    int accepted = 0;
    for (int i = 0; i < 50000; ++i) {
        const QByteArray bytes = mutator.mutate(m_db.left(200), 400);
        auto header = DatabaseHeader::parse(bytes);
        if (!header) {
            QVERIFY(!header.error().message.isEmpty());
            continue;
        }
        ++accepted;
        const quint32 size = header->pageSize;
        QVERIFY2(size >= 512 && size <= 65536 && (size & (size - 1)) == 0, qPrintable(QString::number(size)));
    }
    QVERIFY(accepted > 0); // the loop also exercises the accepting path
}

void TestFuzz::walIndexHeader()
{
    Mutator mutator(12002);
    for (int i = 0; i < 50000; ++i) {
        auto header = WalIndex::parse(mutator.mutate(m_shm, 300));
        if (!header) {
            QVERIFY(!header.error().message.isEmpty());
            continue;
        }
        QVERIFY(header->pageSize >= 0 && header->pageSize <= 65536);
    }
}

void TestFuzz::walFile()
{
    // Through the file, as WalFile reads it (pread on its own fd), including resumed updates
    // after the file grows or is rewritten under it.
    Mutator mutator(12003);
    const QString file = path(u"fuzz.db-wal"_s);
    for (int i = 0; i < 1500; ++i) {
        writeFile(file, mutator.mutate(m_wal, m_wal.size() * 2));
        WalFile wal(file);
        for (int round = 0; round < 2; ++round) {
            const WalFile::Summary& s = wal.update();
            QVERIFY(s.lastCommitFrame <= s.validFrames);
            QVERIFY(s.commitFrames <= s.validFrames);
            if (s.state == WalFile::State::Valid && s.validFrames > 0)
                QVERIFY(32 + s.validFrames * s.frameBytes() <= s.fileBytes);
            if (round == 0)
                writeFile(file, mutator.mutate(m_wal, m_wal.size() * 2));
        }
    }
}

void TestFuzz::procLocks()
{
    const QByteArray seed = "1: POSIX  ADVISORY  READ 1234 08:02:1319478 128 128\n"
                            "2: POSIX  ADVISORY  WRITE 1234 08:02:1319478 120 120\n"
                            "3: OFDLCK ADVISORY  READ -1 fd:01:99 1073741826 1073742335\n"
                            "4: FLOCK  ADVISORY  WRITE 77 00:2e:5 0 EOF\n"
                            "4: -> FLOCK  ADVISORY  WRITE 78 00:2e:5 0 EOF\n"
                            "5: POSIX  ADVISORY  READ 99 08:02:1319478 1073741824 1073741825\n";
    const QList<LockTable::Target> targets { { CacheFiles::Kind::Shm, 0x802, 1319478, false, QString() },
        { CacheFiles::Kind::Db, 0xfd01, 99, false, QString() } };
    QCOMPARE(LockTable::parse(seed).size(), 6);
    Mutator mutator(12004);
    for (int i = 0; i < 30000; ++i) {
        const QList<LockTable::Entry> entries = LockTable::parse(mutator.mutate(seed, 2000));
        for (const LockTable::Entry& entry : entries)
            QVERIFY(entry.end == -1 || entry.end >= 0);
        const LockTable table = LockTable::match(entries, targets);
        for (const LockTable::Lock& lock : table.locks())
            QVERIFY(!lock.name.isEmpty());
    }
}

void TestFuzz::escapeControl()
{
    Mutator mutator(12005);
    const QByteArray seed = QString(u"rtl\u202Eexe.live \x1b]52;c;SGVsbG8=\x07 \r\n ü 😀 \u2066x\u2069"_s).toUtf8();
    for (int i = 0; i < 30000; ++i) {
        const QString text = QString::fromUtf8(mutator.mutate(seed, 400));
        const QString escaped = Format::escapeControl(text);
        QVERIFY(!Format::hasControl(escaped));
        QVERIFY(!escaped.contains(QChar(0x1b)) && !escaped.contains(u'\r') && !escaped.contains(QChar(0x202E)));
        QCOMPARE(Format::escapeControl(text, true).count(u'\n'), text.count(u'\n'));
    }
}

void TestFuzz::wholeDatabases()
{
    // Mutated database files through the whole open path (checks, open plan, SQLite with the
    // defensive settings) and the reads `info` does. No crash, every failure has a reason.
    Mutator mutator(12006);
    const QString file = path(u"whole.db"_s);
    int opened = 0;
    for (int i = 0; i < 300; ++i) {
        QFile::remove(file + u"-wal"_s);
        writeFile(file, mutator.mutate(m_db, m_db.size() + 4096));
        if (i % 3 == 0)
            writeFile(file + u"-wal"_s, mutator.mutate(m_wal, m_wal.size() + 4096));
        Database::Options options;
        options.mode = Database::Mode::ReadOnly;
        options.busyTimeoutMs = 0;
        options.statementTimeoutMs = 2000;
        auto db = Database::open(file, options);
        if (!db) {
            QVERIFY(!db.error().message.isEmpty());
            continue;
        }
        ++opened;
        auto tables = db.value()->tables();
        if (tables) {
            for (const QString& table : tables.value()) {
                auto rows = db.value()->rowCount(table);
                QVERIFY(rows.ok() || !rows.error().message.isEmpty());
            }
        }
        auto facts = db.value()->facts();
        QVERIFY(facts.ok() || !facts.error().message.isEmpty());
    }
    QVERIFY(opened > 0);
}

void TestFuzz::cursors()
{
    // A cursor comes from the command line (--after): whatever it decodes to must encode back
    // to a cursor that decodes to the same key, exactly (int64 extremes, reals, text, blobs).
    const QVariantList seedKey { QVariant(qint64(std::numeric_limits<qint64>::min())), QVariant(1e308),
        QVariant(u"k\u00e9y\u0000"_s), QVariant(QByteArray("\x00\xff", 2)), QVariant(qint64(1) << 62) };
    const QByteArray seed = EntryCursor::encode(seedKey).toLatin1();
    QCOMPARE(EntryCursor::decode(QString::fromLatin1(seed), int(seedKey.size())), seedKey);
    const QByteArray json = QByteArray::fromBase64(seed, QByteArray::Base64UrlEncoding);
    Mutator mutator(12006);
    int accepted = 0;
    for (int i = 0; i < 30000; ++i) {
        // Half mutate the base64 text, half the JSON inside it (re-encoded), so both layers are hit.
        const QByteArray text = i % 2
            ? mutator.mutate(seed, 400)
            : mutator.mutate(json, 400).toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
        for (int keySize = 1; keySize <= 5; keySize += 4) {
            const auto key = EntryCursor::decode(QString::fromLatin1(text), keySize);
            if (!key)
                continue;
            ++accepted;
            QCOMPARE(key->size(), keySize);
            QCOMPARE(EntryCursor::decode(EntryCursor::encode(*key), keySize), key);
        }
    }
    QVERIFY2(accepted > 100, qPrintable(QString::number(accepted))); // the loop reached the decoder
}

void TestFuzz::processIo()
{
    const QByteArray seed = "rchar: 2012\nwchar: 1290\nsyscr: 7\nsyscw: 12\nread_bytes: 0\nwrite_bytes: 4096\n"
                            "cancelled_write_bytes: 0\n";
    QCOMPARE(ProcessIo::parse(seed).value().syscw, quint64(12));
    Mutator mutator(12007);
    for (int i = 0; i < 30000; ++i) {
        const auto io = ProcessIo::parse(mutator.mutate(seed, 1000));
        if (!io)
            QVERIFY(!io.error().message.isEmpty());
    }
}

QTEST_GUILESS_MAIN(TestFuzz)
#include "tst_fuzz.moc"
