// SPDX-License-Identifier: GPL-3.0-or-later
// Helper of bench_snapshot: times Sampler::sample() without the /proc fd scan, the fd scan on
// its own, and both together, on a live cache (median of N, in µs). This process holds no
// SQLite connection to the cache, so the Sampler's fds are harmless here.
#include "live/sampler.h"
#include "os/processtable.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QThread>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace Qt::Literals::StringLiterals;

namespace {
template <typename F> double medianMicros(int iterations, F&& work)
{
    std::vector<double> times;
    times.reserve(size_t(iterations));
    for (int i = 0; i < iterations; ++i) {
        QElapsedTimer timer;
        timer.start();
        work();
        times.push_back(double(timer.nsecsElapsed()) / 1000.0);
    }
    std::sort(times.begin(), times.end());
    return times.at(times.size() / 2);
}
} // namespace

// Stand-in for `cachescope-cli watch --interval-ms 100`: a sample every 100 ms, processes
// every 10th, for `seconds`.
int watch(const QString& db, double seconds, qint64 self)
{
    Sampler sampler(db);
    QElapsedTimer clock;
    clock.start();
    for (int i = 0; clock.elapsed() < qint64(seconds * 1000); ++i) {
        Sampler::Options options;
        options.excludePid = self;
        options.scanProcesses = i % 10 == 0;
        options.readWalFrames = i % 10 == 0; // the -wal walk reads every new frame: once a second
        sampler.sample(options);
        const qint64 next = qint64(i + 1) * 100;
        if (next > clock.elapsed())
            QThread::msleep(quint64(next - clock.elapsed()));
    }
    return 0;
}

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 3) {
        std::fprintf(stderr, "usage: snapshot_probe DB ITERATIONS | snapshot_probe DB --watch SECONDS\n");
        return 2;
    }
    const QString db = args.at(1);
    if (args.at(2) == u"--watch"_s && args.size() > 3)
        return watch(db, args.at(3).toDouble(), app.applicationPid());
    const int iterations = args.at(2).toInt();
    Sampler sampler(db);
    Sampler::Options plain;
    plain.excludePid = app.applicationPid();
    Sampler::Options full = plain;
    full.scanProcesses = true;
    sampler.sample(full); // warm up: the first -wal walk reads the whole file
    const Snapshot last = sampler.sample(plain);
    QList<LockTable::Target> targets = LockTable::targetsOf(last.files);
    const double snapshot = medianMicros(iterations, [&] { sampler.sample(plain); });
    const double scan = medianMicros(iterations, [&] { ProcessTable::scan(db, targets); });
    const double both = medianMicros(iterations, [&] { sampler.sample(full); });
    const Snapshot check = sampler.sample(full);
    std::printf("snapshot_without_fd_scan: %.1f us\n", snapshot);
    std::printf("fd_scan_alone: %.1f us (%d processes scanned)\n", scan, check.processes.scannedProcesses());
    std::printf("snapshot_with_fd_scan: %.1f us\n", both);
    Sampler::Options noIo = plain;
    noIo.trackWriters = false;
    const double withoutIo = medianMicros(iterations, [&] { sampler.sample(noIo); });
    const double withIo = medianMicros(iterations, [&] { sampler.sample(plain); });
    std::printf("sample_without_writer_io: %.1f us\n", withoutIo);
    std::printf("sample_with_writer_io: %.1f us (%lld writers named, /proc/PID/io of the processes seen)\n", withIo,
        qint64(sampler.sample(plain).writers.size()));
    std::printf("live_writer_seen: %s, wal_frames: %lld\n", check.processes.others().isEmpty() ? "no" : "yes",
        static_cast<long long>(check.walFile.validFrames));
    return 0;
}
