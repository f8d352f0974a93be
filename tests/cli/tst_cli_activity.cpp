// SPDX-License-Identifier: GPL-3.0-or-later
// `cachescope-cli info --json` on live caches: writer, locks, processes, the pinning reader's
// warning — all from real Python/sqlite3 processes — and the CLI never lists itself.
#include "livecachetest.h"
#include "testsupport.h"
#include "writerscripts.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

namespace {
QJsonObject infoJson(const QString& db)
{
    const CliResult result = runCli({ u"info"_s, u"--json"_s, db });
    if (result.exitCode != 0)
        qWarning("info failed: %s", result.err.constData());
    return QJsonDocument::fromJson(result.out).object();
}

QSet<qint64> pidsOf(const QJsonArray& array)
{
    QSet<qint64> pids;
    for (const auto& value : array)
        pids.insert(value.toObject().value(u"pid"_s).toInteger());
    return pids;
}

bool hasLock(const QJsonArray& locks, qint64 pid, const QString& name, const QString& type)
{
    for (const auto& value : locks) {
        const QJsonObject lock = value.toObject();
        if (lock.value(u"pid"_s).toInteger() == pid && lock.value(u"lock"_s).toString() == name
            && lock.value(u"type"_s).toString() == type)
            return true;
    }
    return false;
}
} // namespace

class TestCliActivity : public LiveCacheTest {
    Q_OBJECT
private Q_SLOTS:
    void idleCacheHasNoWriter();
    void writerLocksAndProcesses();
    void pinningReaderWarning();
    void rollbackCacheOpenIsListed();
    void textOutputNamesTheWriter();
    void watchReportsWriterReadersAndLag();
};

void TestCliActivity::idleCacheHasNoWriter()
{
    const QJsonObject info = infoJson(db());
    QVERIFY(info.contains(u"writer"_s));
    QVERIFY(info.value(u"writer"_s).isNull());
    QCOMPARE(info.value(u"locks"_s).toArray().size(), 0); // the CLI's own probe is left out
    QCOMPARE(info.value(u"processes"_s).toArray().size(), 0);
    QCOMPARE(info.value(u"filesystem"_s).toObject().value(u"network"_s).toBool(), false);
}

void TestCliActivity::writerLocksAndProcesses()
{
    PythonChild* holder = start(WriterScripts::holdOpen, { db() });
    QVERIFY(holder);
    QVERIFY(start(WriterScripts::writeCommits, { db(), u"7"_s, u"1"_s, u"10"_s, u"after"_s }));
    PythonChild* writer = start(WriterScripts::holdWriteLock, { db() });
    QVERIFY(writer);
    const QJsonObject info = infoJson(db());
    const QJsonObject w = info.value(u"writer"_s).toObject();
    QCOMPARE(w.value(u"pid"_s).toInteger(), writer->pid());
    QCOMPARE(w.value(u"name"_s).toString(), u"python3"_s);
    QVERIFY(w.value(u"cmdline"_s).toString().endsWith(db()));
    const QJsonArray locks = info.value(u"locks"_s).toArray();
    QVERIFY(hasLock(locks, writer->pid(), u"write"_s, u"write"_s));
    QVERIFY(hasLock(locks, holder->pid(), u"dms"_s, u"read"_s));
    QVERIFY(hasLock(locks, holder->pid(), u"db_shared"_s, u"read"_s));
    // Exactly our children: the CLI (which has the files open while it samples) leaves itself out.
    const QSet<qint64> children { holder->pid(), writer->pid(), m_live.child(1)->pid() };
    QCOMPARE(pidsOf(info.value(u"processes"_s).toArray()), children);
    QVERIFY(children.contains(pidsOf(locks)));
    const QJsonObject wal = info.value(u"wal"_s).toObject();
    QVERIFY(wal.value(u"committed_frame"_s).toInteger() >= 7);
    QCOMPARE(wal.value(u"frames"_s).toInteger(), wal.value(u"committed_frame"_s).toInteger());
    QCOMPARE(wal.value(u"backfilled"_s).toInteger(), wal.value(u"committed_frame"_s).toInteger());
    QVERIFY(wal.value(u"commit_counter"_s).toInteger() >= 7);
    QCOMPARE(wal.value(u"page_size"_s).toInteger(), info.value(u"page_size"_s).toInteger());
    QVERIFY(wal.contains(u"checkpoint_seq"_s));
}

void TestCliActivity::pinningReaderWarning()
{
    PythonChild* reader = startPinningReader();
    QVERIFY(reader);
    const QJsonObject info = infoJson(db());
    QJsonObject starved;
    for (const auto& value : info.value(u"warnings"_s).toArray()) {
        if (value.toObject().value(u"code"_s).toString() == u"checkpoint_starved"_s)
            starved = value.toObject();
    }
    QVERIFY2(!starved.isEmpty(), QJsonDocument(info.value(u"warnings"_s).toArray()).toJson().constData());
    QVERIFY(starved.value(u"message"_s).toString().contains(QString::number(reader->pid())));
    QVERIFY(starved.value(u"message"_s).toString().contains(u"python3"_s));
    bool pinningListed = false;
    for (const auto& value : info.value(u"readers"_s).toArray())
        pinningListed |= value.toObject().value(u"pinning"_s).toBool()
            && value.toObject().value(u"pid"_s).toInteger() == reader->pid();
    QVERIFY(pinningListed);
}

void TestCliActivity::rollbackCacheOpenIsListed()
{
    const QString path = m_live.filePath(u"rollback.db"_s);
    makeCache(path, u"delete"_s, 2);
    // An idle rollback-mode connection holds no lock: only the fd scan sees it.
    PythonChild* open = start(WriterScripts::holdOpen, { path });
    QVERIFY(open);
    const QJsonObject info = infoJson(path);
    const QJsonArray processes = info.value(u"processes"_s).toArray();
    QCOMPARE(processes.size(), 1);
    QCOMPARE(processes.at(0).toObject().value(u"pid"_s).toInteger(), open->pid());
    QCOMPARE(processes.at(0).toObject().value(u"files"_s).toArray(), QJsonArray { u"db"_s });
    QVERIFY(info.value(u"wal"_s).isNull());
    QVERIFY(info.value(u"locks"_s).toArray().isEmpty());
}

void TestCliActivity::textOutputNamesTheWriter()
{
    PythonChild* writer = start(WriterScripts::holdWriteLock, { db() });
    QVERIFY(writer);
    const CliResult result = runCli({ u"info"_s, db() });
    QCOMPARE(result.exitCode, 0);
    QVERIFY2(result.out.contains(QByteArray(QByteArray("writer          PID ") + QByteArray::number(writer->pid()))),
        result.out.constData());
}

void TestCliActivity::watchReportsWriterReadersAndLag()
{
    PythonChild* reader = startPinningReader();
    QVERIFY(reader);
    PythonChild* writer = start(WriterScripts::holdWriteLock, { db() });
    QVERIFY(writer);
    const CliResult result = runCli({ u"watch"_s, db(), u"--json"_s, u"--interval-ms"_s, u"50"_s, u"--duration-s"_s,
        u"1"_s, u"--processes"_s, u"5"_s });
    QCOMPARE(result.exitCode, 0);
    const QList<QByteArray> lines = result.out.trimmed().split('\n');
    QVERIFY(lines.size() >= 10);
    int withProcesses = 0;
    qint64 pinnedMs = 0;
    for (const QByteArray& line : lines) {
        const QJsonObject sample = QJsonDocument::fromJson(line).object();
        QCOMPARE(sample.value(u"writer_pid"_s).toInteger(), writer->pid());
        QVERIFY(pidsOf(sample.value(u"readers"_s).toArray()).contains(reader->pid()));
        QVERIFY(sample.value(u"reader_pids"_s).toArray().contains(QJsonValue(reader->pid())));
        QVERIFY(sample.value(u"lag_frames"_s).toInteger() >= 1200);
        QCOMPARE(sample.value(u"pinning_pid"_s).toInteger(), reader->pid());
        // The same reader keeps pinning: how long grows with the samples (#27).
        QVERIFY(sample.value(u"checkpoint_pinned_ms"_s).toInteger(-1) >= pinnedMs);
        pinnedMs = sample.value(u"checkpoint_pinned_ms"_s).toInteger();
        if (sample.contains(u"processes"_s)) {
            ++withProcesses;
            QCOMPARE(sample.value(u"processes"_s).toArray().size(), 4); // the children, not the CLI
        }
    }
    QVERIFY(withProcesses >= 2 && withProcesses < lines.size());
    QVERIFY(pinnedMs >= 500); // a second of samples, timed from the first that saw the pin
}

QTEST_GUILESS_MAIN(TestCliActivity)
#include "tst_cli_activity.moc"
