// SPDX-License-Identifier: GPL-3.0-or-later
// The watch pipeline (Sampler → WatchLine): sizes, the live -shm header and rates over the
// sliding window, against a real writer; RateWindow's restart rule on its own.
#include "live/ratewindow.h"
#include "live/sampler.h"
#include "live/watchline.h"
#include "testsupport.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

namespace {
Snapshot take(Sampler& sampler)
{
    return sampler.sample({});
}
QJsonObject json(const Snapshot& s)
{
    return WatchLine::of(s, 0).toJson();
}
} // namespace

class TestWalSampler : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { QVERIFY(m_dir.isValid()); }
    void ratesBetweenSamples();
    void noRatesAcrossANewIndex();
    void noticesAWalReset();
    void staleIndexIsNotTrusted();
    void restartIsNotAWrapAround();
    void windowSmoothsSteadyRate();

private:
    QTemporaryDir m_dir;
};

void TestWalSampler::ratesBetweenSamples()
{
    const QString db = m_dir.filePath(u"rates.db"_s);
    WalWriterChild writer(db);
    QVERIFY(writer.waitReady());
    Sampler sampler(db);
    const Snapshot first = take(sampler);
    QCOMPARE(first.shmState, u"live"_s);
    QCOMPARE(first.filesState, Snapshot::FilesState::Live);
    QVERIFY(first.walIndex.has_value());
    QVERIFY(!first.ratesValid); // nothing to compare with yet
    QVERIFY(json(first).value(u"commits_per_s"_s).isNull());
    QCOMPARE(json(first).value(u"wal_bytes"_s).toInteger(), QFileInfo(db + u"-wal"_s).size());
    QCOMPARE(json(first).value(u"shm_bytes"_s).toInteger(), QFileInfo(db + u"-shm"_s).size());
    QVERIFY(json(first).value(u"journal_bytes"_s).isNull());
    QCOMPARE(writer.ask("commit 12").value(0), QByteArray("done"));
    QTRY_VERIFY(Sampler::nowMs() > first.takenAtMs); // so the two samples are apart
    const Snapshot second = take(sampler);
    QVERIFY(second.takenAtMs > first.takenAtMs);
    const double seconds = double(second.takenAtMs - first.takenAtMs) / 1000.0;
    QCOMPARE(second.walIndex->commitCounter, first.walIndex->commitCounter + 12);
    QVERIFY(second.ratesValid);
    QCOMPARE(second.commitsPerSecond, 12.0 / seconds);
    const double frames = double(second.walIndex->committedFrame - first.walIndex->committedFrame);
    QVERIFY(frames >= 12);
    QCOMPARE(second.framesPerSecond, frames / seconds);
    QVERIFY(!second.walReset);
    QVERIFY(!second.ratesLowerBound);
    const QJsonObject line = json(second);
    QCOMPARE(line.value(u"commit_counter"_s).toInteger(), qint64(second.walIndex->commitCounter));
    QCOMPARE(line.value(u"wal_index"_s).toString(), u"live"_s);
    QCOMPARE(line.value(u"files_state"_s).toString(), u"live"_s);
    QVERIFY(line.value(u"writer_pid"_s).isNull());
}

void TestWalSampler::noRatesAcrossANewIndex()
{
    const QString db = m_dir.filePath(u"new-index.db"_s);
    Sampler sampler(db);
    {
        WalWriterChild writer(db);
        QVERIFY(writer.waitReady());
        QCOMPARE(writer.ask("commit 3").value(0), QByteArray("done"));
        QCOMPARE(take(sampler).shmState, u"live"_s);
    }
    const Snapshot gone = take(sampler);
    QCOMPARE(gone.shmState, u"absent"_s);
    QCOMPARE(gone.filesState, Snapshot::FilesState::AtRest);
    QVERIFY(!gone.walIndex.has_value());
    QVERIFY(json(gone).value(u"wal_bytes"_s).isNull());
    QCOMPARE(json(gone).value(u"files_state"_s).toString(), u"at_rest"_s);
    WalWriterChild again(db);
    QVERIFY(again.waitReady());
    QCOMPARE(again.ask("commit 2").value(0), QByteArray("done"));
    const Snapshot back = take(sampler);
    QCOMPARE(back.shmState, u"live"_s);
    // A new -shm: its counter is counted from zero, never against the old file's counter.
    QVERIFY(back.ratesValid);
    QVERIFY(back.ratesLowerBound);
    const double seconds = double(back.takenAtMs - gone.takenAtMs) / 1000.0;
    QVERIFY(back.commitsPerSecond * seconds <= double(back.walIndex->commitCounter) * 2 + 1e-9);
    QCOMPARE(back.sidecarGenerations, qint64(2));
}

void TestWalSampler::noticesAWalReset()
{
    const QString db = m_dir.filePath(u"reset.db"_s);
    WalWriterChild writer(db);
    QVERIFY(writer.waitReady());
    QCOMPARE(writer.ask("commit 30").value(0), QByteArray("done"));
    Sampler sampler(db);
    const Snapshot before = take(sampler);
    QVERIFY(before.walIndex->committedFrame >= 30);
    QCOMPARE(writer.ask("checkpoint TRUNCATE").value(1), QByteArray("0")); // not busy
    QCOMPARE(writer.ask("commit 2").value(0), QByteArray("done"));
    QTRY_VERIFY(Sampler::nowMs() > before.takenAtMs);
    const Snapshot after = take(sampler);
    QVERIFY(after.walReset);
    QVERIFY(after.ratesLowerBound); // frames before the reset cannot be seen
    QVERIFY(after.walIndex->salt1 != before.walIndex->salt1);
    QVERIFY(after.walIndex->committedFrame < before.walIndex->committedFrame);
    QCOMPARE(after.walIndex->commitCounter, before.walIndex->commitCounter + 2);
    QVERIFY(after.framesPerSecond > 0);
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
    Sampler sampler(db);
    const Snapshot sample = take(sampler);
    QCOMPARE(sample.shmState, u"stale"_s);
    QCOMPARE(sample.filesState, Snapshot::FilesState::Stale);
    QVERIFY(json(sample).value(u"committed_frame"_s).isNull());
    QVERIFY(json(sample).value(u"lag_frames"_s).isNull());
    QCOMPARE(json(sample).value(u"wal_index"_s).toString(), u"stale"_s);
    QCOMPARE(json(sample).value(u"files_state"_s).toString(), u"stale"_s);
}

void TestWalSampler::restartIsNotAWrapAround()
{
    // A writer SIGKILLed, its -shm rebuilt: iChange drops from 4e9 to 5. Read as a u32
    // wrap-around that would be ~2^32 commits in 100 ms.
    RateWindow window;
    RateWindow::Point p { 0, true, 7, 4000000000U, 500, 1, false, {}, {}, false };
    window.add(p);
    p.tMs = 100;
    p.commitCounter = 4000000010U;
    p.committedFrame = 510;
    RateWindow::Rates r = window.add(p);
    QVERIFY(r.valid);
    QCOMPARE(r.commitsPerSecond, 100.0);
    QVERIFY(!r.lowerBound);
    p.tMs = 200;
    p.commitCounter = 5; // restarted
    p.committedFrame = 5;
    r = window.add(p);
    QVERIFY(r.restart);
    QCOMPARE(r.restarts, qint64(1));
    QVERIFY(r.lowerBound);
    QCOMPARE(r.commitsPerSecond, 15.0 / 0.2); // 10 + 5 counted from zero, over 200 ms
    // A new -shm inode with a large counter: still counted from zero, never as a difference.
    p.tMs = 300;
    p.shmInode = 8;
    p.commitCounter = 3;
    r = window.add(p);
    QCOMPARE(r.commitsPerSecond, 18.0 / 0.3);
    // An implausible jump within one file is dropped as unknown.
    p.tMs = 400;
    p.commitCounter = 3 + 2000000000U;
    r = window.add(p);
    QVERIFY(r.commitsPerSecond < RateWindow::MaxPlausibleCommitsPerSecond);
    QVERIFY(r.lowerBound);
}

void TestWalSampler::windowSmoothsSteadyRate()
{
    // 12 commits/s sampled at 10 Hz: the counter moves 1 or 2 per step, the window says 12.
    RateWindow window;
    RateWindow::Point p { 0, true, 1, 0, 0, 1, false, {}, {}, false };
    window.add(p);
    double last = 0;
    for (int i = 1; i <= 50; ++i) {
        p.tMs = i * 100;
        p.commitCounter = quint32(i * 12 / 10);
        p.committedFrame = p.commitCounter;
        last = window.add(p).commitsPerSecond;
        if (p.tMs >= RateWindow::WindowMs)
            QVERIFY2(last >= 11.0 && last <= 13.0, qPrintable(QString::number(last)));
    }
    QVERIFY(last > 11.0);
}

QTEST_GUILESS_MAIN(TestWalSampler)
#include "tst_walsampler.moc"
