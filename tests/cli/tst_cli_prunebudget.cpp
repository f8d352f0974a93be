// SPDX-License-Identifier: GPL-3.0-or-later
// `cachescope-cli prune --max-bytes` in the library's terms and what a prune gives back, on caches
// written and reopened by Debian's python3-diskcache: the entries culled first are the ones
// diskcache's own eviction_policy would cull; a FanoutCache's budget is split evenly between its
// shards (as FanoutCache splits size_limit); with auto_vacuum=INCREMENTAL the freed pages go back
// to the file system, in steps, without a VACUUM.
#include "scratchdir.h"
#include "testsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

namespace {

QJsonObject json(const QByteArray& bytes)
{
    return QJsonDocument::fromJson(bytes).object();
}

// Twelve 1000-byte values (in value files: disk_min_file_size=0), k00 stored first, under the
// given eviction_policy; then used so that k11 is the least recently and least frequently used.
const QString MakePolicyCache = uR"py(
import diskcache, sys, time
c = diskcache.Cache(sys.argv[1], eviction_policy=sys.argv[2], disk_min_file_size=0, cull_limit=0)
for i in range(12):
    c.set("k%02d" % i, b"x" * 1000)
    time.sleep(0.002)
for i in reversed(range(12)):
    for _ in range(12 - i):
        c.get("k%02d" % i)
    time.sleep(0.002)
c.close()
)py"_s;

// What diskcache says after reopening: check() warnings, len, its size counter, keys, .val files.
const QString CheckCache = uR"py(
import diskcache, json, os, sys
c = diskcache.Cache(sys.argv[1])
files = sum(len([f for f in fs if f.endswith(".val")]) for _, _, fs in os.walk(sys.argv[1]))
print(json.dumps({"warnings": [str(w.message) for w in c.check()], "len": len(c), "size": c.reset("size"),
                  "keys": sorted(c), "files": files}))
)py"_s;

QStringList keys(const char* prefix, int from, int to)
{
    QStringList out;
    for (int i = from; i < to; ++i)
        out << u"%1%2"_s.arg(QLatin1StringView(prefix)).arg(i, 2, 10, QLatin1Char('0'));
    return out;
}

} // namespace

class TestCliPruneBudget : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void maxBytesFollowsEvictionPolicy_data();
    void maxBytesFollowsEvictionPolicy();
    void fanoutBudgetIsSplitBetweenShards();
    void incrementalAutoVacuumReturnsPages();

private:
    QString path(const QString& name) const { return m_dir.filePath(name); }
    ScratchDir m_dir;
};

void TestCliPruneBudget::init()
{
    QVERIFY(m_dir.renew());
}

void TestCliPruneBudget::maxBytesFollowsEvictionPolicy_data()
{
    QTest::addColumn<QString>("policy");
    QTest::addColumn<QString>("column"); // named in eviction_order
    QTest::addColumn<QStringList>("kept");
    // Stored first goes first; used least recently / least often (k11 … k06) goes first.
    QTest::newRow("least-recently-stored") << u"least-recently-stored"_s << u"store_time"_s << keys("k", 6, 12);
    QTest::newRow("none") << u"none"_s << u"store_time"_s << keys("k", 6, 12);
    QTest::newRow("least-recently-used") << u"least-recently-used"_s << u"access_time"_s << keys("k", 0, 6);
    QTest::newRow("least-frequently-used") << u"least-frequently-used"_s << u"access_count"_s << keys("k", 0, 6);
}

void TestCliPruneBudget::maxBytesFollowsEvictionPolicy()
{
    QFETCH(QString, policy);
    QFETCH(QString, column);
    QFETCH(QStringList, kept);
    const QString dir = path(u"dc"_s);
    QCOMPARE(runPython(MakePolicyCache, { dir, policy }), QByteArray());
    const auto result = runCli({ u"prune"_s, dir, u"--max-bytes"_s, u"6000"_s, u"--json"_s });
    QVERIFY2(result.exitCode == 0, result.err.constData());
    const QJsonObject out = json(result.out);
    QCOMPARE(out[u"removed"_s].toInt(), 6);
    QCOMPARE(out[u"bytes_removed"_s].toInt(), 6000);
    QCOMPARE(out[u"value_files_removed"_s].toInt(), 6);
    const QString order = out[u"parts"_s].toArray().first()[u"eviction_order"_s].toString();
    QVERIFY2(order.startsWith(column), qPrintable(order));
    const QJsonObject after = json(runPython(CheckCache, { dir }));
    QCOMPARE(after[u"warnings"_s].toArray(), QJsonArray());
    QCOMPARE(after[u"len"_s].toInt(), 6);
    QCOMPARE(after[u"size"_s].toInt(), 6000);
    QCOMPARE(after[u"files"_s].toInt(), 6);
    QCOMPARE(after[u"keys"_s].toVariant().toStringList(), kept);
}

// 40 values of 1000 bytes over 4 shards, unevenly (the keys' hash decides): a 16000-byte budget
// keeps the 4 newest of each shard, never 16 of one shard and none of another.
void TestCliPruneBudget::fanoutBudgetIsSplitBetweenShards()
{
    const QString dir = path(u"fanout"_s);
    const QByteArray before = runPython(uR"py(
import diskcache, json, sys, time
c = diskcache.FanoutCache(sys.argv[1], shards=4, disk_min_file_size=0, cull_limit=0)
for i in range(40):
    c.set("f%02d" % i, b"y" * 1000)
    time.sleep(0.002)
print(json.dumps([sorted(s) for s in c._shards]))
c.close()
)py"_s,
        { dir });
    const QJsonArray shards = QJsonDocument::fromJson(before).array();
    QCOMPARE(shards.size(), 4);
    const auto result = runCli({ u"prune"_s, dir, u"--max-bytes"_s, u"16000"_s, u"--json"_s });
    QVERIFY2(result.exitCode == 0, result.err.constData());
    QCOMPARE(json(result.out)[u"parts"_s].toArray().size(), 4);
    const QJsonArray after = QJsonDocument::fromJson(runPython(uR"py(
import diskcache, json, sys
c = diskcache.FanoutCache(sys.argv[1], shards=4)
print(json.dumps([{"keys": sorted(s), "warnings": [str(w.message) for w in s.check()], "size": s.reset("size")}
                  for s in c._shards]))
)py"_s,
                                                         { dir }))
                                 .array();
    QCOMPARE(after.size(), 4);
    for (int i = 0; i < 4; ++i) {
        const QStringList had = shards[i].toVariant().toStringList(); // f00 < f01 …: stored in that order
        const QStringList kept = after[i][u"keys"_s].toVariant().toStringList();
        QCOMPARE(kept, had.mid(std::max<qsizetype>(0, had.size() - 4)));
        QCOMPARE(after[i][u"warnings"_s].toArray(), QJsonArray());
        QCOMPARE(after[i][u"size"_s].toInt(), int(kept.size()) * 1000);
    }
}

// diskcache with sqlite_auto_vacuum=2 (INCREMENTAL): pruning half of 400 inline 4000-byte values
// leaves no free page and a smaller file; the same cache with auto_vacuum NONE keeps its free
// pages (reported, for a vacuum) and its size.
void TestCliPruneBudget::incrementalAutoVacuumReturnsPages()
{
    const QString make = uR"py(
import diskcache, sys
c = diskcache.Cache(sys.argv[1], sqlite_auto_vacuum=int(sys.argv[2]), cull_limit=0)
for i in range(400):
    c.set("v%03d" % i, b"z" * 4000, tag="even" if i % 2 == 0 else "odd")
print(c._sql("PRAGMA auto_vacuum").fetchone()[0])
c.close()
)py"_s;
    for (const int mode : { 2, 0 }) {
        const QString dir = path(u"av%1"_s.arg(mode));
        QCOMPARE(runPython(make, { dir, QString::number(mode) }), QByteArray::number(mode));
        const QString db = dir + u"/cache.db"_s;
        const qint64 sizeBefore = fileBytes(db).size();
        const auto result = runCli({ u"prune"_s, dir, u"--group"_s, u"even"_s, u"--json"_s });
        QVERIFY2(result.exitCode == 0, result.err.constData());
        const QJsonObject out = json(result.out);
        QCOMPARE(out[u"removed"_s].toInt(), 200);
        const qint64 sizeAfter = fileBytes(db).size();
        qInfo("auto_vacuum %d: %lld -> %lld bytes, pages_returned %d, freed_pages %d", mode, sizeBefore, sizeAfter,
            out[u"pages_returned"_s].toInt(), out[u"freed_pages"_s].toInt());
        if (mode == 2) {
            QVERIFY(out[u"pages_returned"_s].toInt() >= 150); // 200 values of ~1 page each
            QCOMPARE(out[u"freed_pages"_s].toInt(), 0);
            QVERIFY(sizeAfter < sizeBefore - 150 * 4096);
            QCOMPARE(queryInt(db, u"PRAGMA freelist_count"_s), 0);
        } else {
            QCOMPARE(out[u"pages_returned"_s].toInt(), 0);
            QVERIFY(out[u"freed_pages"_s].toInt() >= 150);
            QVERIFY(sizeAfter >= sizeBefore);
        }
        const QJsonObject after = json(runPython(CheckCache, { dir }));
        QCOMPARE(after[u"warnings"_s].toArray(), QJsonArray());
        QCOMPARE(after[u"len"_s].toInt(), 200);
    }
}

QTEST_GUILESS_MAIN(TestCliPruneBudget)
#include "tst_cli_prunebudget.moc"
