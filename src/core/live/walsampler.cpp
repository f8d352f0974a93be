// SPDX-License-Identifier: GPL-3.0-or-later
#include "live/walsampler.h"

WalSampler::WalSampler(const QString& dbPath)
    : m_files(dbPath)
    , m_index(m_files.path(CacheFiles::Kind::Shm))
{
    m_clock.start();
}

WatchSample WalSampler::sample()
{
    WatchSample sample;
    sample.tMs = m_clock.elapsed();
    sample.dbBytes = m_files.stat(CacheFiles::Kind::Db).bytes;
    sample.walBytes = m_files.stat(CacheFiles::Kind::Wal).bytes;
    sample.shmBytes = m_files.stat(CacheFiles::Kind::Shm).bytes;
    sample.journalBytes = m_files.stat(CacheFiles::Kind::Journal).bytes;
    readIndex(sample);
    return sample;
}

void WalSampler::readIndex(WatchSample& sample)
{
    auto header = m_index.read();
    if (!header) {
        switch (header.error().kind) {
        case Error::Kind::NotFound:
            sample.indexState = WatchSample::IndexState::Absent;
            break;
        case Error::Kind::Locked:
            sample.indexState = WatchSample::IndexState::Initialising;
            sample.indexError = header.error().message;
            break;
        default:
            sample.indexState = WatchSample::IndexState::Invalid;
            sample.indexError = header.error().message;
        }
        m_previous.reset();
        return;
    }
    if (!header->isLive()) {
        // Nobody has the database open: a leftover -shm says nothing trustworthy.
        sample.indexState = WatchSample::IndexState::Stale;
        m_previous.reset();
        return;
    }
    sample.indexState = WatchSample::IndexState::Live;
    sample.header = header.value();
    computeRates(sample, sample.tMs, m_index.inode());
}

void WalSampler::computeRates(WatchSample& sample, qint64 nowMs, ino_t inode)
{
    const WalIndex::Header& now = *sample.header;
    if (m_previous && m_previous->inode == inode && nowMs > m_previous->tMs) {
        const WalIndex::Header& before = m_previous->header;
        const double seconds = double(nowMs - m_previous->tMs) / 1000.0;
        // iChange is a u32 that wraps; unsigned subtraction gives the commits in between.
        sample.commitsPerSecond = double(quint32(now.commitCounter - before.commitCounter)) / seconds;
        sample.walReset = now.salt1 != before.salt1 || now.committedFrame < before.committedFrame;
        // After a reset the writers started again at frame 1: count at least the new frames.
        const quint32 frames = sample.walReset ? now.committedFrame : now.committedFrame - before.committedFrame;
        sample.framesPerSecond = double(frames) / seconds;
    }
    m_previous = Previous { nowMs, inode, now };
}
