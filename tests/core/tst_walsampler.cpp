// SPDX-License-Identifier: GPL-3.0-or-later
// WalSampler: sizes, the live -shm header and rates between samples, against a real writer.
#include "testsupport.h"
#include "live/walsampler.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

class TestWalSampler : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { QVERIFY(m_dir.isValid()); }
    void ratesBetweenSamples();
    void noRatesAcrossANewIndex();
    void noticesAWalReset();
    void staleIndexIsNotTrusted();

private:
    QTemporaryDir m_dir;
};

void TestWalSampler::ratesBetweenSamples()
{
    const QString db = m_dir.filePath(u"rates.db"_s);
    WalWriterChild writer(db);
    QVERIFY(writer.waitReady());
    WalSampler sampler(db);
    const WatchSample first = sampler.sample();
    QCOMPARE(first.indexState, WatchSample::IndexState::Live);
    QVERIFY(first.header.has_value());
    QVERIFY(!first.commitsPerSecond.has_value()); // nothing to compare with yet
    QCOMPARE(first.walBytes, QFileInfo(db + u"-wal"_s).size());
    QCOMPARE(first.shmBytes, QFileInfo(db + u"-shm"_s).size());
    QCOMPARE(first.journalBytes, -1);
    QCOMPARE(writer.ask("commit 12").value(0), QByteArray("done"));
    QTest::qWait(20); // so the two samples are surely some milliseconds apart
    const WatchSample second = sampler.sample();
    QVERIFY(second.tMs > first.tMs);
    const double seconds = double(second.tMs - first.tMs) / 1000.0;
    QCOMPARE(second.header->commitCounter, first.header->commitCounter + 12);
    QVERIFY(second.commitsPerSecond.has_value());
    QCOMPARE(*second.commitsPerSecond, 12.0 / seconds);
    const double frames = double(second.header->committedFrame - first.header->committedFrame);
    QVERIFY(frames >= 12);
    QCOMPARE(*second.framesPerSecond, frames / seconds);
    QVERIFY(!second.walReset);
    const QJsonObject json = second.toJson();
    QCOMPARE(json.value(u"commit_counter"_s).toInteger(), qint64(second.header->commitCounter));
    QCOMPARE(json.value(u"wal_index"_s).toString(), u"live"_s);
    QVERIFY(json.value(u"writer_pid"_s).isNull());
}

void TestWalSampler::noRatesAcrossANewIndex()
{
    const QString db = m_dir.filePath(u"new-index.db"_s);
    WalSampler sampler(db);
    {
        WalWriterChild writer(db);
        QVERIFY(writer.waitReady());
        QCOMPARE(writer.ask("commit 3").value(0), QByteArray("done"));
        QCOMPARE(sampler.sample().indexState, WatchSample::IndexState::Live);
    }
    const WatchSample gone = sampler.sample();
    QCOMPARE(gone.indexState, WatchSample::IndexState::Absent);
    QVERIFY(!gone.header.has_value());
    QCOMPARE(gone.walBytes, -1);
    WalWriterChild again(db);
    QVERIFY(again.waitReady());
    const WatchSample back = sampler.sample();
    QCOMPARE(back.indexState, WatchSample::IndexState::Live);
    QVERIFY(!back.commitsPerSecond.has_value()); // a new -shm: its counter is not comparable
}

void TestWalSampler::noticesAWalReset()
{
    const QString db = m_dir.filePath(u"reset.db"_s);
    WalWriterChild writer(db);
    QVERIFY(writer.waitReady());
    QCOMPARE(writer.ask("commit 30").value(0), QByteArray("done"));
    WalSampler sampler(db);
    const WatchSample before = sampler.sample();
    QVERIFY(before.header->committedFrame >= 30);
    QCOMPARE(writer.ask("checkpoint TRUNCATE").value(1), QByteArray("0")); // not busy
    QCOMPARE(writer.ask("commit 2").value(0), QByteArray("done"));
    QTest::qWait(20);
    const WatchSample after = sampler.sample();
    QVERIFY(after.walReset);
    QVERIFY(after.header->salt1 != before.header->salt1);
    QVERIFY(after.header->committedFrame < before.header->committedFrame);
    QCOMPARE(after.header->commitCounter, before.header->commitCounter + 2);
    QVERIFY(*after.framesPerSecond > 0);
}

void TestWalSampler::staleIndexIsNotTrusted()
{
    const QString db = m_dir.filePath(u"stale.db"_s);
    QByteArray shm;
    {
        WalWriterChild writer(db);
        QVERIFY(writer.waitReady());
        QCOMPARE(writer.ask("commit 2").value(0), QByteArray("done"));
        shm = fileBytes(db + u"-shm"_s);
    }
    QFile leftover(db + u"-shm"_s); // as a crashed writer would leave it
    QVERIFY(leftover.open(QIODevice::WriteOnly));
    leftover.write(shm);
    leftover.close();
    WalSampler sampler(db);
    const WatchSample sample = sampler.sample();
    QCOMPARE(sample.indexState, WatchSample::IndexState::Stale);
    QVERIFY(!sample.header.has_value());
    QVERIFY(sample.toJson().value(u"committed_frame"_s).isNull());
    QCOMPARE(sample.toJson().value(u"wal_index"_s).toString(), u"stale"_s);
}

QTEST_GUILESS_MAIN(TestWalSampler)
#include "tst_walsampler.moc"
