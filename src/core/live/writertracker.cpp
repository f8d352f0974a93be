// SPDX-License-Identifier: GPL-3.0-or-later
#include "live/writertracker.h"

#include <algorithm>
#include <cmath>

using namespace Qt::Literals::StringLiterals;

void WriterTracker::remember(const Input& input)
{
    auto note = [&](qint64 pid) {
        if (pid <= 0 || pid == m_selfPid || input.excluded.contains(pid))
            return;
        if (!m_candidates.contains(pid) && m_candidates.size() >= MaxCandidates)
            return; // bounded: a hostile number of holders cannot grow this without end
        m_candidates[pid].lastSeenMs = input.tMs;
    };
    for (qint64 pid : input.seen)
        note(pid);
    for (qint64 pid : input.lockHolders)
        note(pid);
    for (auto it = m_candidates.begin(); it != m_candidates.end();) {
        if (input.tMs - it->lastSeenMs > RememberMs)
            it = m_candidates.erase(it);
        else
            ++it;
    }
}

WriterTracker::Result WriterTracker::add(const Input& input, bool readIo)
{
    Result result;
    remember(input);
    // Contention: the share of samples in the window with a write-lock holder.
    m_busy.append({ input.tMs, input.lockHolders, input.heldByUnseen });
    while (!m_busy.isEmpty() && m_busy.first().tMs <= input.tMs - BusyWindowMs)
        m_busy.removeFirst();
    result.busySamples = int(m_busy.size());
    int busy = 0;
    for (const BusySample& sample : std::as_const(m_busy)) {
        if (!sample.holders.isEmpty() || sample.heldByUnseen)
            ++busy;
        QList<qint64> counted;
        for (qint64 pid : sample.holders) {
            if (!counted.contains(pid)) {
                counted.append(pid);
                result.lockShares[pid] += 1.0 / double(m_busy.size());
            }
        }
    }
    // To a thousandth, as `watch` carries it: the warning worded from it in the sampler and a limit read from the line
    // (the GUI's ThresholdWatch) name one percent (#28: "56%" above "57%" for one sample, 13 of 23 samples).
    if (m_busy.size() >= MinBusySamples)
        result.writeLockBusy = std::round(1000.0 * double(busy) / double(m_busy.size())) / 1000.0;

    QHash<qint64, Writer> writers;
    for (qint64 pid : input.lockHolders) {
        if (pid == m_selfPid || input.excluded.contains(pid))
            continue;
        Writer& w = writers[pid];
        w.pid = pid;
        if (!w.evidence.contains(u"lock"_s))
            w.evidence.append(u"lock"_s);
    }
    result.candidates = int(m_candidates.size());
    for (auto it = m_candidates.begin(); readIo && it != m_candidates.end();) {
        const qint64 pid = it.key();
        Candidate& candidate = it.value();
        auto io = ProcessIo::read(pid);
        if (!io) {
            if (io.error().kind == Error::Kind::NotFound) {
                it = m_candidates.erase(it); // the process is gone
                continue;
            }
            ++result.ioUnreadable;
            candidate.io.reset();
            ++it;
            continue;
        }
        if (candidate.io && input.tMs > candidate.ioAtMs && io->syscw >= candidate.io->syscw
            && io->wchar >= candidate.io->wchar) {
            const double seconds = double(input.tMs - candidate.ioAtMs) / 1000.0;
            const quint64 calls = io->syscw - candidate.io->syscw;
            const quint64 bytes = io->wchar - candidate.io->wchar;
            const bool wrote = calls > 0 && bytes >= quint64(std::max<qint64>(1, input.minWriteBytes));
            if (wrote && input.cacheChanged) {
                Writer& w = writers[pid];
                w.pid = pid;
                w.evidence.append(u"io"_s);
            }
            if (writers.contains(pid)) {
                Writer& w = writers[pid];
                w.writesPerSecond = double(calls) / seconds;
                w.bytesPerSecond = double(bytes) / seconds;
            }
        }
        candidate.io = io.value();
        candidate.ioAtMs = input.tMs;
        ++it;
    }
    for (auto it = writers.begin(); it != writers.end(); ++it) {
        it->lockShare = result.lockShares.value(it.key());
        result.writers.append(*it);
    }
    std::sort(
        result.writers.begin(), result.writers.end(), [](const Writer& a, const Writer& b) { return a.pid < b.pid; });
    return result;
}
