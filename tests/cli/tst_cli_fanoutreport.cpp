// SPDX-License-Identifier: GPL-3.0-or-later
// A remote FanoutCache's Overview is read from `info --json` run where it lives (CacheSummary::fromReportJson). That
// report of a FanoutCache folder has no database facts of its own — its shards and named sub-caches each have a
// report — so it was refused as "not a cache report" and a remote FanoutCache's Overview showed only that error. Now
// the shards are folded as gatherShards folds them locally and the sub-caches read as gatherSubCaches reads them: the
// summary from the real CLI's report equals the one gathered here from the same folder. Debian's python3-diskcache
// writes the cache: a FanoutCache with 4 shards, an index('sessions') and a cache('models') sub-cache.
#include "maintenance/cachefolder.h"
#include "report/cachesummary.h"
#include "scratchdir.h"
#include "testsupport.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

class TestCliFanoutReport : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void remoteReportIsTheWholeCache();
    void notAReportIsRefused();

private:
    ScratchDir m_dir;
};

void TestCliFanoutReport::remoteReportIsTheWholeCache()
{
    QVERIFY(m_dir.renew());
    const QString folder = m_dir.filePath(u"fanout"_s);
    const CliResult made = runPythonScript(uR"PY(
import diskcache, sys
cache = diskcache.FanoutCache(sys.argv[1], shards=4, cull_limit=0)  # no expired entry culled by a set
for i in range(200):
    cache.set("k%d" % i, "v" * (100 + i))
for i in range(30):
    cache.set("old%d" % i, "x", expire=0.001)
sessions = cache.index("sessions")
sessions["a"] = 1
sessions["b"] = 2
models = cache.cache("models")
for name in ("m1", "m2", "m3"):
    models[name] = name * 10
cache.close()
)PY"_s,
        { folder });
    QVERIFY2(made.exitCode == 0, made.err.constData());
    QTest::qWait(50); // the 30 entries' 1 ms expiry has passed

    const CliResult info = runCli({ u"info"_s, folder, u"--json"_s });
    QVERIFY2(info.exitCode == 0, info.err.constData());
    const auto remote = CacheSummary::fromReportJson(QJsonDocument::fromJson(info.out).object());
    QVERIFY2(remote, qPrintable(remote ? QString() : remote.error().message));

    const auto layout = CacheFolder::resolve(folder);
    QVERIFY(layout && layout->layout == CacheFolder::Layout::Fanout);
    std::atomic_bool cancel { false };
    const auto local = CacheSummary::gatherShards(layout->databases, layout->shards, cancel, true);
    QVERIFY2(local, qPrintable(local ? QString() : local.error().message));
    const auto localSubs = CacheSummary::gatherSubCaches(layout->subCacheDatabases, layout->subCaches, cancel);

    // The whole cache, as here: every shard, the entries of all of them, expired ones counted.
    QCOMPARE(remote->shardFacts.size(), 4);
    QCOMPARE(remote->shardFacts.size(), local->shardFacts.size());
    QCOMPARE(remote->facts.journalMode, local->facts.journalMode);
    QCOMPARE(remote->facts.pageSize, local->facts.pageSize);
    QVERIFY(remote->contents && local->contents);
    QCOMPARE(remote->contents->entries, 230);
    QCOMPARE(remote->contents->entries, local->contents->entries);
    QCOMPARE(remote->contents->bytes, local->contents->bytes);
    QCOMPARE(remote->contents->expiredEntries, 30);
    QCOMPARE(remote->contents->expiredEntries, local->contents->expiredEntries);
    QCOMPARE(remote->tables.size(), local->tables.size());
    for (const CacheSummary::Table& table : local->tables) { // the report lists them in its own order
        const auto same = std::find_if(remote->tables.cbegin(), remote->tables.cend(),
            [&table](const CacheSummary::Table& other) { return other.name == table.name; });
        QVERIFY2(same != remote->tables.cend(), qPrintable(table.name));
        QCOMPARE(same->rows, table.rows);
    }
    // Its files there, every database added up (shards and sub-caches).
    qint64 databases = 0;
    for (const QString& database : layout->everyDatabase())
        databases += QFileInfo(database).size();
    QCOMPARE(remote->reportFileBytes[int(CacheFiles::Kind::Db)], databases);
    // The named sub-caches, each with its own count.
    QCOMPARE(remote->subCaches.size(), 2);
    QCOMPARE(remote->subCaches.size(), localSubs.size());
    for (qsizetype i = 0; i < localSubs.size(); ++i) {
        QCOMPARE(remote->subCaches.at(i).name, localSubs.at(i).name);
        QCOMPARE(remote->subCaches.at(i).entries, localSubs.at(i).entries);
        QCOMPARE(remote->subCaches.at(i).profile, localSubs.at(i).profile);
        QVERIFY(remote->subCaches.at(i).error.isEmpty());
    }
    QCOMPARE(remote->subCaches.at(0).name, u"cache/models"_s);
    QCOMPARE(remote->subCaches.at(0).entries, 3);
    QCOMPARE(remote->subCaches.at(1).name, u"index/sessions"_s);
    QCOMPARE(remote->subCaches.at(1).entries, 2);
}

void TestCliFanoutReport::notAReportIsRefused()
{
    // A fanout layout without shards, and a report of nothing, are errors that say so — never an empty cache.
    const auto noShards = CacheSummary::fromReportJson(QJsonObject { { u"layout"_s, u"fanout"_s } });
    QVERIFY(!noShards);
    QVERIFY2(noShards.error().message.contains(u"without shards"_s), qPrintable(noShards.error().message));
    const auto nothing = CacheSummary::fromReportJson(QJsonObject { { u"path"_s, u"x"_s } });
    QVERIFY(!nothing);
    QVERIFY2(nothing.error().message.contains(u"not a cache report"_s), qPrintable(nothing.error().message));
}

QTEST_GUILESS_MAIN(TestCliFanoutReport)
#include "tst_cli_fanoutreport.moc"
