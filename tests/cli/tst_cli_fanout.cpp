// SPDX-License-Identifier: GPL-3.0-or-later
// A FanoutCache is one cache to every command (#23.2): a real diskcache.FanoutCache written by
// Debian's python3-diskcache, with named sub-caches (index('sessions'), cache('images'),
// cache('a/b') nested, deque('jobs')). info counts the whole cache, vacuum --into copies every
// part (reopened by the library and compared key by key), delete leaves nothing behind.
#include "scratchdir.h"
#include "testsupport.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

namespace {

QStringList names(const QJsonArray& parts, const QString& field)
{
    QStringList list;
    for (const auto& part : parts)
        list << part.toObject()[field].toString();
    return list;
}

// Every key and value of the cache and its sub-caches, as the library reads them: one line each.
const QString DumpScript
    = u"import diskcache, sys\n"
      "c = diskcache.FanoutCache(sys.argv[1], shards=4)\n"
      "out = []\n"
      "for name, part in [('', c), ('index/sessions', c.index('sessions')),\n"
      "                   ('cache/images', c.cache('images')), ('cache/a/b', c.cache('a/b'))]:\n"
      "    for k in sorted(part, key=repr): out.append('%s %r=%r' % (name, k, part.get(k, 'EXPIRED')))\n"
      "out.append('deque %r' % list(c.deque('jobs')))\n"
      "print('\\n'.join(out))\n"_s;
} // namespace

class TestCliFanout : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void infoCountsTheWholeCache();
    void vacuumIntoCopiesEveryPart();
    void deleteRemovesEveryPart();
    void entriesReadsASubCache();

private:
    QString m_folder;
    ScratchDir m_dir;
};

void TestCliFanout::init()
{
    QVERIFY(m_dir.renew());
    m_folder = m_dir.filePath(u"fan"_s);
    const auto made
        = runPythonScript(u"import diskcache, os, sys, time\n"
                          "c = diskcache.FanoutCache(sys.argv[1], shards=4)\n"
                          "for i in range(100): c.set('k%d' % i, 'v' * i)\n"
                          "c.set('big', os.urandom(50000))\n"
                          "for i in range(20): c.set('e%d' % i, i, expire=0.5)  # last: a set culls expired entries\n"
                          "s = c.index('sessions')\n"
                          "for i in range(200): s['s%d' % i] = {'user': i}\n"
                          "for i in range(10): c.cache('images').set('img%d' % i, os.urandom(40000))\n"
                          "c.cache('a/b').set(('user', 3), 'nested')\n"
                          "c.deque('jobs').extend(['j1', 'j2'])\n"
                          "time.sleep(0.6)\n"
                          "c.close()\n"_s,
            { m_folder });
    QVERIFY2(made.exitCode == 0, made.err.constData());
}

void TestCliFanout::infoCountsTheWholeCache()
{
    const auto info = runCli({ u"info"_s, m_folder, u"--json"_s });
    QCOMPARE(info.exitCode, 0);
    const QJsonObject out = info.json();
    QCOMPARE(out[u"layout"_s].toString(), u"fanout"_s);
    const QJsonObject contents = out[u"contents"_s].toObject();
    QCOMPARE(contents[u"entries"_s].toInteger(), 121); // the shards' own entries
    QCOMPARE(contents[u"expired_entries"_s].toInteger(), 20);
    QVERIFY(contents[u"bytes"_s].toInteger() >= 50000);
    QCOMPARE(names(out[u"shards"_s].toArray(), u"shard"_s), QStringList({ u"000"_s, u"001"_s, u"002"_s, u"003"_s }));
    const QJsonArray subCaches = out[u"sub_caches"_s].toArray();
    QCOMPARE(names(subCaches, u"name"_s),
        QStringList({ u"cache/a/b"_s, u"cache/images"_s, u"deque/jobs"_s, u"index/sessions"_s }));
    QCOMPARE(subCaches[3].toObject()[u"contents"_s][u"entries"_s].toInteger(), 200);
    QCOMPARE(subCaches[1].toObject()[u"value_files"_s][u"files"_s].toInt(), 10);
    qint64 sum = 0;
    for (const QJsonArray& parts : { out[u"shards"_s].toArray(), subCaches }) {
        for (const auto& part : parts)
            sum += part.toObject()[u"total_bytes"_s].toInteger();
    }
    QCOMPARE(out[u"total_bytes"_s].toInteger(), sum);
    QVERIFY(sum > 10 * 40000 + 50000); // the sub-caches' value files are in it
    const auto text = runCli({ u"info"_s, m_folder });
    QVERIFY2(text.out.contains("121 in its shards, 20 expired"), text.out.constData());
    QVERIFY2(text.out.contains("sub-cache index/sessions  200 entries"), text.out.constData());
}

void TestCliFanout::vacuumIntoCopiesEveryPart()
{
    const QString copy = m_dir.filePath(u"copy"_s);
    const auto vacuum = runCli({ u"vacuum"_s, m_folder, u"--into"_s, copy, u"--json"_s });
    QVERIFY2(vacuum.exitCode == 0, vacuum.err.constData());
    QCOMPARE(names(vacuum.json()[u"sub_caches"_s].toArray(), u"name"_s).size(), 4);
    const auto before = runPythonScript(DumpScript, { m_folder });
    const auto after = runPythonScript(DumpScript, { copy });
    QVERIFY2(before.exitCode == 0 && after.exitCode == 0, QByteArray(before.err + after.err).constData());
    QVERIFY2(before.out.contains("index/sessions 's199'={'user': 199}"), before.out.constData());
    QVERIFY2(before.out.contains("cache/a/b ('user', 3)='nested'"), before.out.constData());
    QVERIFY2(before.out.contains("deque ['j1', 'j2']"), before.out.constData());
    QCOMPARE(after.out.count('\n'), before.out.count('\n'));
    QCOMPARE(after.out, before.out);
}

void TestCliFanout::deleteRemovesEveryPart()
{
    const auto dry = runCli({ u"delete"_s, m_folder, u"--dry-run"_s, u"--json"_s });
    QCOMPARE(dry.exitCode, 0);
    QCOMPARE(dry.json()[u"databases"_s].toArray().size(), 8);
    const auto deleted = runCli({ u"delete"_s, m_folder, u"--json"_s });
    QVERIFY2(deleted.exitCode == 0, deleted.err.constData());
    QStringList removed;
    for (const auto& folder : deleted.json()[u"removed_folders"_s].toArray())
        removed << QDir(m_folder).relativeFilePath(folder.toString());
    for (const QString& part : { u"000"_s, u"index/sessions"_s, u"index"_s, u"cache/a/b"_s, u"cache/a"_s, u"cache"_s })
        QVERIFY2(removed.contains(part), qPrintable(removed.join(u' ')));
    QVERIFY2(QDir(m_folder).isEmpty(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot),
        qPrintable(QDir(m_folder).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot).join(u' ')));
    QVERIFY(QDir(m_folder).exists()); // the folder the user gave stays
}

void TestCliFanout::entriesReadsASubCache()
{
    const auto sessions
        = runCli({ u"entries"_s, m_folder, u"--shard"_s, u"index/sessions"_s, u"--json"_s, u"--limit"_s, u"500"_s });
    QVERIFY2(sessions.exitCode == 0, sessions.err.constData());
    QCOMPARE(sessions.json()[u"rows"_s].toArray().size(), 200);
    const auto none = runCli({ u"entries"_s, m_folder });
    QCOMPARE(none.exitCode, 2);
    QVERIFY2(none.err.contains("sub-caches cache/a/b, cache/images, deque/jobs, index/sessions"), none.err.constData());
}

QTEST_GUILESS_MAIN(TestCliFanout)
#include "tst_cli_fanout.moc"
