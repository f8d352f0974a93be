// SPDX-License-Identifier: GPL-3.0-or-later
// `cachescope-cli prune` on caches written by the real libraries (Debian's python3-diskcache,
// python3-requests-cache, python3-sqlitedict, and llm's logs) and reopened by them afterwards,
// with a backup. The run itself (dry run, live writers, interrupt, refusals): tst_cli_prunerun.
#include "librarycaches.h"
#include "prunecaches.h"
#include "scratchdir.h"
#include "testsupport.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

namespace {

// What diskcache itself says after reopening: len, check() warnings, counters, files.
const QString CheckDiskcache = uR"py(
import diskcache, json, os, sys, time
c = diskcache.Cache(sys.argv[1])
warnings = [str(w.message) for w in c.check()]
rows = c._sql("SELECT COUNT(*), COALESCE(SUM(size), 0), COUNT(filename) FROM Cache").fetchone()
files = sum(len([f for f in fs if f.endswith(".val")]) for _, _, fs in os.walk(sys.argv[1]))
expired, expired_bytes = c._sql("SELECT COUNT(*), SUM(CASE WHEN filename IS NOT NULL THEN size ELSE length(value) END) "
                                "FROM Cache WHERE expire_time IS NOT NULL AND expire_time < ?", (time.time(),)).fetchone()
print(json.dumps({"len": len(c), "warnings": warnings, "count": c.reset("count"), "rows": rows[0],
                  "size": c.reset("size"), "size_column": rows[1], "referenced": rows[2], "files": files,
                  "expired": expired, "expired_bytes": expired_bytes, "keys": sorted(str(k) for k in c)}))
)py"_s;

} // namespace

class TestCliPrune : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void diskcacheExpiredWithBackup();
    void diskcacheGroupKeepsCountersAndFiles();
    void fanoutCacheEveryShard();
    void requestsCacheTakesRedirects();
    void sqlitedictPerTable();
    void llmLogsThroughItsFtsTriggers();

private:
    QString path(const QString& name) const { return m_dir.filePath(name); }
    ScratchDir m_dir;
};

void TestCliPrune::init()
{
    QVERIFY(m_dir.renew());
}

void TestCliPrune::diskcacheExpiredWithBackup()
{
    const QString dir = path(u"dc"_s);
    QCOMPARE(runPython(PruneCaches::diskcache, { dir }), QByteArray());
    const QJsonObject before = QJsonDocument::fromJson(runPython(CheckDiskcache, { dir })).object();
    QCOMPARE(before[u"len"_s].toInt(), 201);
    QCOMPARE(before[u"expired"_s].toInt(), 100);
    const QString backup = path(u"pruned.jsonl"_s);
    const auto result = runCli({ u"prune"_s, dir, u"--expired"_s, u"--backup"_s, backup, u"--json"_s });
    QCOMPARE(result.exitCode, 0);
    const QJsonObject out = result.json();
    for (const char* field : { "matched", "removed", "bytes_removed", "value_files_removed", "batches", "max_batch_ms",
             "freed_pages", "backup", "dry_run" })
        QVERIFY2(out.contains(QLatin1String(field)), field);
    QCOMPARE(out[u"matched"_s].toInt(), 100);
    QCOMPARE(out[u"removed"_s].toInt(), 100);
    QCOMPARE(out[u"value_files_removed"_s].toInt(), 50); // i % 4 == 0: all expired, all in files
    QCOMPARE(out[u"dry_run"_s].toBool(), false);
    QCOMPARE(out[u"backup"_s].toString(), backup);
    QVERIFY(out[u"batches"_s].toInt() >= 1);
    const QJsonObject after = QJsonDocument::fromJson(runPython(CheckDiskcache, { dir })).object();
    QCOMPARE(after[u"warnings"_s].toArray(), QJsonArray()); // check(): no unknown file, counters right
    QCOMPARE(after[u"len"_s].toInt(), 101);
    QCOMPARE(after[u"count"_s].toInt(), after[u"rows"_s].toInt());
    QCOMPARE(after[u"size"_s].toInteger(), after[u"size_column"_s].toInteger());
    QCOMPARE(after[u"files"_s].toInt(), after[u"referenced"_s].toInt());
    QCOMPARE(after[u"expired"_s].toInt(), 0);
    QCOMPARE(out[u"bytes_removed"_s].toInteger(), before[u"expired_bytes"_s].toInteger());
    // The backup: one line per removed entry, keys decoded, file values whole.
    QFile file(backup);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QStringList keys;
    while (!file.atEnd()) {
        const QJsonObject line = QJsonDocument::fromJson(file.readLine()).object();
        keys << line[u"key"_s].toString();
        if (line[u"key"_s].toString() == u"k8"_s) {
            QCOMPARE(line[u"value_file"_s].isString(), true);
            QCOMPARE(QByteArray::fromBase64(line[u"value"_s][u"base64"_s].toString().toLatin1()),
                QByteArray("big-8 ").repeated(6000));
        }
        if (line[u"key"_s].toString() == u"k2"_s)
            QCOMPARE(line[u"value"_s].toString(), u"small-2"_s);
    }
    QCOMPARE(keys.size(), 100);
    for (int i = 0; i < 200; i += 2)
        QVERIFY2(keys.contains(u"k%1"_s.arg(i)), qPrintable(u"k%1"_s.arg(i)));
}

void TestCliPrune::diskcacheGroupKeepsCountersAndFiles()
{
    const QString dir = path(u"dc"_s);
    QCOMPARE(runPython(PruneCaches::diskcache, { dir }), QByteArray());
    // Tag "b": the even keys, every other one with a value file; the pickled tuple key is "a".
    const auto result = runCli({ u"prune"_s, dir, u"--group"_s, u"b"_s, u"--json"_s, u"--batch-ms"_s, u"2"_s });
    QCOMPARE(result.exitCode, 0);
    const QJsonObject out = result.json();
    QCOMPARE(out[u"removed"_s].toInt(), 100);
    QCOMPARE(out[u"value_files_removed"_s].toInt(), 50);
    const QJsonObject after = QJsonDocument::fromJson(runPython(CheckDiskcache, { dir })).object();
    QCOMPARE(after[u"warnings"_s].toArray(), QJsonArray());
    QCOMPARE(after[u"len"_s].toInt(), 101);
    QCOMPARE(after[u"count"_s].toInt(), 101);
    QCOMPARE(after[u"files"_s].toInt(), 0);
    QVERIFY(after[u"keys"_s].toArray().contains(u"('tuple', 7)"_s));
    QVERIFY(after[u"keys"_s].toArray().contains(u"k1"_s));
    QVERIFY(!after[u"keys"_s].toArray().contains(u"k0"_s));
    // A pickled key is matched inside the pickle, as `entries --search` matches it.
    const auto tuple = runCli({ u"prune"_s, dir, u"--match"_s, u"tuple"_s, u"--json"_s });
    QCOMPARE(tuple.exitCode, 0);
    QCOMPARE(tuple.json()[u"removed"_s].toInt(), 1);
    QCOMPARE(tuple.json()[u"sample_keys"_s].toArray().first().toString(),
        u"('tuple', 7)"_s); // decoded (not run), as Python writes it
}

void TestCliPrune::fanoutCacheEveryShard()
{
    const QString dir = path(u"fanout"_s);
    QCOMPARE(runPython(uR"py(
import diskcache, sys
c = diskcache.FanoutCache(sys.argv[1], shards=4)
for i in range(400):
    c.set("k%d" % i, ("v%d " % i) * (12000 if i % 10 == 0 else 1), tag="old" if i % 4 == 0 else "new")
c.close()
)py"_s,
                 { dir }),
        QByteArray());
    const auto result = runCli({ u"prune"_s, dir, u"--group"_s, u"old"_s, u"--json"_s });
    QCOMPARE(result.exitCode, 0);
    const QJsonObject out = result.json();
    QCOMPARE(out[u"removed"_s].toInt(), 100);
    QCOMPARE(out[u"value_files_removed"_s].toInt(), 20); // i % 20 == 0
    QCOMPARE(out[u"parts"_s].toArray().size(), 4);
    for (const QJsonValue& part : out[u"parts"_s].toArray())
        QVERIFY(part[u"removed"_s].toInt() > 0); // the keys hash to every shard
    const QByteArray check = runPython(uR"py(
import diskcache, os, sys
c = diskcache.FanoutCache(sys.argv[1], shards=4)
warnings = [str(w.message) for shard in c._shards for w in shard.check()]
print(len(c), warnings, sum(1 for k in c if int(k[1:]) % 4 == 0))
)py"_s,
        { dir });
    QCOMPARE(check, QByteArray("300 [] 0"));
}

void TestCliPrune::requestsCacheTakesRedirects()
{
    const auto made = makeLibraryCaches(path(u"caches"_s));
    QVERIFY2(made.exitCode == 0, made.err.constData());
    const QString db = path(u"caches/http_cache.sqlite"_s);
    const QString state = uR"py(
import requests_cache, sys
s = requests_cache.CachedSession(sys.argv[1][:-len(".sqlite")])
print(len(list(s.cache.responses.keys())), len(list(s.cache.redirects.keys())),
      sum(1 for r in s.cache.responses.values() if r.is_expired))
)py"_s;
    QCOMPARE(runPython(state, { db }), QByteArray("3 1 1"));
    auto expired = runCli({ u"prune"_s, db, u"--expired"_s, u"--json"_s });
    QCOMPARE(expired.exitCode, 0);
    QCOMPARE(expired.json()[u"removed"_s].toInt(), 1);
    QCOMPARE(runPython(state, { db }), QByteArray("2 1 0"));
    // The response the redirect points at: the redirect goes with it.
    const QByteArray url = runPython(uR"py(
import requests_cache, sys
s = requests_cache.CachedSession(sys.argv[1][:-len(".sqlite")])
print(s.cache.responses[s.cache.redirects["https://example.org/r"]].url)
)py"_s,
        { db });
    QVERIFY2(url.startsWith("https://example.org/"), url.constData());
    auto target = runCli({ u"prune"_s, db, u"--match"_s, QString::fromUtf8(url), u"--json"_s });
    QCOMPARE(target.exitCode, 0);
    QCOMPARE(target.json()[u"removed"_s].toInt(), 1);
    QCOMPARE(target.json()[u"related_rows_removed"_s].toInt(), 1);
    QCOMPARE(runPython(state, { db }), QByteArray("1 0 0"));
}

void TestCliPrune::sqlitedictPerTable()
{
    const QString db = path(u"dict.sqlite"_s);
    runPython(uR"py(
import json, sys
from sqlitedict import SqliteDict
with SqliteDict(sys.argv[1], autocommit=True) as d:
    for i in range(50):
        d["key-%d" % i] = {"n": i, "model": "gpt" if i % 5 == 0 else "other"}
with SqliteDict(sys.argv[1], tablename="json", encode=json.dumps, decode=json.loads, autocommit=True) as d:
    d["word"] = {"de": "Kühlschrank"}
    d["other"] = 1
)py"_s,
        { db });
    // Inside the pickles: 'gpt' is a str of the pickled dict.
    auto pickled = runCli({ u"prune"_s, db, u"--match"_s, u"gpt"_s, u"--json"_s });
    QCOMPARE(pickled.exitCode, 0);
    QCOMPARE(pickled.json()[u"table"_s].toString(), u"unnamed"_s);
    QCOMPARE(pickled.json()[u"removed"_s].toInt(), 10);
    // JSON text stores Kühlschrank as \u00fc: matched as entries --search matches it.
    auto table = runCli({ u"prune"_s, db, u"--table"_s, u"json"_s, u"--match"_s, u"Kühlschrank"_s, u"--json"_s });
    QCOMPARE(table.exitCode, 0);
    QCOMPARE(table.json()[u"removed"_s].toInt(), 1);
    QCOMPARE(runPython(uR"py(
import json, sys
from sqlitedict import SqliteDict
d = SqliteDict(sys.argv[1])
j = SqliteDict(sys.argv[1], tablename="json", decode=json.loads)
print(len(d), sum(1 for v in d.values() if v["model"] == "gpt"), sorted(j.keys()))
)py"_s,
                 { db }),
        QByteArray("40 0 ['other']"));
}

void TestCliPrune::llmLogsThroughItsFtsTriggers()
{
    // llm's logs.db: the full-text index kept by sqlite-utils' triggers (exactly as
    // enable_fts(create_triggers=True) writes them), attachments by response_id.
    const QString db = path(u"logs.db"_s);
    runPython(uR"py(
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.executescript("""
CREATE TABLE responses (id TEXT PRIMARY KEY, model TEXT, prompt TEXT, system TEXT, prompt_json TEXT,
  options_json TEXT, response TEXT, response_json TEXT, conversation_id TEXT, duration_ms INTEGER,
  datetime_utc TEXT, input_tokens INTEGER, output_tokens INTEGER, token_details TEXT, schema_id TEXT,
  resolved_model TEXT, reasoning TEXT);
CREATE VIRTUAL TABLE [responses_fts] USING FTS5 ([prompt], [response], content=[responses]);
CREATE TRIGGER [responses_ai] AFTER INSERT ON [responses] BEGIN
  INSERT INTO [responses_fts] (rowid, [prompt], [response]) VALUES (new.rowid, new.[prompt], new.[response]);
END;
CREATE TRIGGER [responses_ad] AFTER DELETE ON [responses] BEGIN
  INSERT INTO [responses_fts] ([responses_fts], rowid, [prompt], [response]) VALUES('delete', old.rowid, old.[prompt], old.[response]);
END;
CREATE TRIGGER [responses_au] AFTER UPDATE ON [responses] BEGIN
  INSERT INTO [responses_fts] ([responses_fts], rowid, [prompt], [response]) VALUES('delete', old.rowid, old.[prompt], old.[response]);
  INSERT INTO [responses_fts] (rowid, [prompt], [response]) VALUES (new.rowid, new.[prompt], new.[response]);
END;
CREATE TABLE prompt_attachments (response_id TEXT REFERENCES responses(id), attachment_id TEXT, "order" INTEGER);
""")
for i in range(30):
    db.execute("INSERT INTO responses (id, model, prompt, response, datetime_utc) VALUES (?,?,?,?,?)",
               ("id%02d" % i, "gpt-4o" if i % 3 == 0 else "claude", "prompt %d about penguins" % i, "answer %d" % i,
                "2024-06-01T12:00:00"))
    db.execute("INSERT INTO prompt_attachments VALUES (?, ?, 0)", ("id%02d" % i, "a%d" % i))
db.commit()
)py"_s,
        { db });
    const QString state = uR"py(
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("INSERT INTO responses_fts(responses_fts) VALUES('integrity-check')")
print(db.execute("SELECT count(*) FROM responses").fetchone()[0],
      db.execute("SELECT count(*) FROM responses_fts WHERE responses_fts MATCH 'penguins'").fetchone()[0],
      db.execute("SELECT count(*) FROM prompt_attachments").fetchone()[0])
)py"_s;
    auto result = runCli({ u"prune"_s, db, u"--group"_s, u"gpt-4o"_s, u"--json"_s });
    QCOMPARE(result.exitCode, 0);
    QCOMPARE(result.json()[u"removed"_s].toInt(), 10);
    QCOMPARE(result.json()[u"related_rows_removed"_s].toInt(), 10);
    QCOMPARE(runPython(state, { db }), QByteArray("20 20 20")); // the index agrees (integrity-check passes)
    // Any other trigger: not run (trusted_schema stays off), the batch rolls back, nothing goes.
    exec(db,
        u"CREATE TRIGGER other AFTER DELETE ON responses BEGIN "
        "INSERT INTO responses_fts(responses_fts) VALUES('delete-all'); END"_s);
    result = runCli({ u"prune"_s, db, u"--match"_s, u"prompt 1"_s, u"--json"_s });
    QCOMPARE(result.exitCode, 1);
    QVERIFY2(result.err.contains("cannot remove entries from responses") && result.err.contains("trusted_schema"),
        result.err.constData());
    QCOMPARE(queryInt(db, u"SELECT count(*) FROM responses"_s), 20);
}

QTEST_GUILESS_MAIN(TestCliPrune)
#include "tst_cli_prune.moc"
