// SPDX-License-Identifier: GPL-3.0-or-later
// WalUpkeep between the statements of a long run (Prune), beside a real writer process that
// commits as fast as it can. Reads back to back keep a reader in the WAL almost always, so the
// WAL cannot restart and grows; the upkeep copies the frames and leaves a moment without a
// reader, so the writer's next commit restarts it. A read-only upkeep never writes.
#include "maintenance/walupkeep.h"
#include "testsupport.h"
#include "writerscripts.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <sqlite3.h>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

namespace {
constexpr int Threshold = 100; // pages: the writer's wal_autocheckpoint and the upkeep's
constexpr int RunMs = 1500;
constexpr qint64 WalHeaderBytes = 32;
constexpr qint64 FrameHeaderBytes = 24;
constexpr qint64 PageBytes = 4096; // makeCache's page size (SQLite's default)

struct Connection {
    sqlite3* db = nullptr;
    explicit Connection(const QString& path, bool readOnly)
    {
        sqlite3_open_v2(
            path.toUtf8().constData(), &db, readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE, nullptr);
        sqlite3_busy_timeout(db, 2000);
    }
    ~Connection() { sqlite3_close(db); }
    // Frames in the WAL now (SQLite's count, after a PASSIVE checkpoint; asked again while the
    // writer's own checkpoint makes it busy).
    int frames()
    {
        int log = -1;
        int copied = -1;
        for (int tries = 0; tries < 1000; ++tries) {
            if (sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, &log, &copied) == SQLITE_OK)
                return log;
            QThread::msleep(1);
        }
        return -1;
    }
};

// Reads the whole table again and again for ms, each read its own short transaction; between
// two reads, upkeep (when given). Returns the reads done.
int readBackToBack(sqlite3* db, int ms, WalUpkeep* upkeep)
{
    sqlite3_stmt* statement = nullptr;
    sqlite3_prepare_v2(db, "SELECT sum(length(value)) FROM entries", -1, &statement, nullptr);
    QElapsedTimer timer;
    timer.start();
    int reads = 0;
    while (timer.elapsed() < ms) {
        while (sqlite3_step(statement) == SQLITE_ROW) { }
        sqlite3_reset(statement);
        ++reads;
        if (upkeep)
            upkeep->betweenReads();
    }
    sqlite3_finalize(statement);
    return reads;
}
} // namespace

class TestWalUpkeep : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void backToBackReadsLetTheWalRestart();
    void readOnlyUpkeepWritesNothing();
};

// The most frames the WAL held while a writer committed as fast as it could and this process
// read back to back for RunMs, with or without the upkeep between the reads: the -wal file's
// size (SQLite writes from its start again after a restart, so the size is the high-water mark).
int walHighWater(const QString& db, bool upkeep, int* reads)
{
    makeCache(db, u"wal"_s, 20000);
    PythonChild writer(QString::fromUtf8(WriterScripts::writeContinuously), { db, u"0"_s, QString::number(Threshold) });
    if (!writer.waitReady())
        return -1;
    Connection reader(db, false);
    WalUpkeep walUpkeep(reader.db, Threshold, true);
    *reads = readBackToBack(reader.db, RunMs, upkeep ? &walUpkeep : nullptr);
    const qint64 bytes = QFileInfo(db + u"-wal"_s).size();
    writer.stop();
    return int((bytes - WalHeaderBytes) / (PageBytes + FrameHeaderBytes));
}

void TestWalUpkeep::backToBackReadsLetTheWalRestart()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    int readsAlone = 0;
    int readsKept = 0;
    const int alone = walHighWater(dir.filePath(u"alone.db"_s), false, &readsAlone);
    const int kept = walHighWater(dir.filePath(u"kept.db"_s), true, &readsKept);
    qInfo("WAL high-water after %d ms of reads beside a writer: %d frames alone (%d reads), %d with the upkeep (%d "
          "reads)",
        RunMs, alone, readsAlone, kept, readsKept);
    QVERIFY(alone > 0 && kept > 0);
    // Alone, the WAL restarts only when a commit happens to fall between two reads.
    QVERIFY2(kept * 2 < alone, "the upkeep should keep the WAL well under what reads back to back let it grow to");
}

void TestWalUpkeep::readOnlyUpkeepWritesNothing()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString db = dir.filePath(u"cache.db"_s);
    makeCache(db, u"wal"_s, 2000);
    writeLeavingWal(db, 500); // frames a checkpoint would copy into the database
    PythonChild holder(holderScript(), { db, u"idle"_s }); // keeps the -wal there
    QVERIFY(holder.waitReady());
    const QByteArray database = fileBytes(db);
    const QByteArray wal = fileBytes(db + u"-wal"_s);
    QVERIFY(!wal.isEmpty());
    Connection reader(db, true);
    WalUpkeep upkeep(reader.db, 1, false);
    readBackToBack(reader.db, 200, &upkeep);
    upkeep.beforeWrite();
    upkeep.pause(50);
    QCOMPARE(upkeep.frames(), -1); // never asked: asking is a checkpoint
    QCOMPARE(fileBytes(db), database);
    QCOMPARE(fileBytes(db + u"-wal"_s), wal);
}

QTEST_GUILESS_MAIN(TestWalUpkeep)
#include "tst_walupkeep.moc"
