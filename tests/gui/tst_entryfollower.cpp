// SPDX-License-Identifier: GPL-3.0-or-later
// EntryFollower's poll of PRAGMA data_version runs on the GUI thread: it never waits for a lock
// (#23.9). A real Python child holds a rollback-journal cache's EXCLUSIVE lock (nobody can even
// read); the poll returns at once, saying nothing changed, while the GUI connection keeps its
// busy timeout; once the writer committed, the next poll sees the change.
#include "models/entryfollower.h"
#include "sqlite/database.h"
#include "testsupport.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;

class TestEntryFollower : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void pollNeverWaitsForAHeldLock();
};

void TestEntryFollower::pollNeverWaitsForAHeldLock()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"rollback.db"_s);
    TestSupport::makeCache(path, u"delete"_s, 10);
    Database::Options options;
    options.mode = Database::Mode::ReadWrite;
    options.busyTimeoutMs = 2000; // long enough to see a wait
    options.switchToWal = false; // a rollback-journal cache, as a read-only GUI open leaves it
    auto database = Database::open(path, options);
    QVERIFY(database);
    QCOMPARE(database.value()->journalMode(), u"delete"_s);
    EntryFollower follower(database.value().get());
    follower.rememberVersion();
    {
        TestSupport::PythonChild holder(TestSupport::holderScript(), { path, u"exclusive"_s });
        QVERIFY(holder.waitReady());
        QElapsedTimer polling;
        polling.start();
        QVERIFY(!follower.poll()); // busy: nothing to say yet
        QVERIFY2(polling.elapsed() < 1000, qPrintable(u"the poll waited %1 ms"_s.arg(polling.elapsed())));
        QCOMPARE(database.value()->busyTimeoutMs(), 2000);
    } // the holder goes: its transaction is rolled back
    // Another connection commits: the next poll sees it.
    TestSupport::runPython(u"import sqlite3, sys\nc = sqlite3.connect(sys.argv[1])\n"
                           "c.execute(\"INSERT INTO entries(key, value) VALUES ('late', 'x')\")\nc.commit()\n"_s,
        { path });
    QVERIFY(follower.poll());
    // And a poll still waits for nothing else: the connection's busy timeout is what it was.
    TestSupport::PythonChild holder(TestSupport::holderScript(), { path, u"exclusive"_s });
    QVERIFY(holder.waitReady());
    QElapsedTimer reading;
    reading.start();
    auto count = database.value()->queryValue(u"SELECT count(*) FROM entries"_s);
    QVERIFY(!count); // busy after waiting the connection's own timeout
    QVERIFY(reading.elapsed() >= 2000);
}

QTEST_MAIN(TestEntryFollower)
#include "tst_entryfollower.moc"
