// SPDX-License-Identifier: GPL-3.0-or-later
#include "maintenance/walupkeep.h"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <thread>

namespace {
// A copy at most this often while the WAL is under the threshold: each copy that finds frames
// syncs the database file, and a sync every few ms would compete with the writers' own.
constexpr qint64 CopyEveryMs = 25;
} // namespace

WalUpkeep::WalUpkeep(sqlite3* db, int autocheckpoint, bool canCopy)
    : m_db(db)
    , m_threshold(autocheckpoint)
    , m_canCopy(canCopy)
{
}

bool WalUpkeep::copy()
{
    m_lastCopy.start();
    if (!m_canCopy)
        return false;
    int log = -1;
    int copied = -1;
    // PASSIVE: copies what no reader still needs, never waits, never blocks a writer. SQLITE_BUSY
    // (a writer's own checkpoint runs) tells nothing about the WAL.
    if (sqlite3_wal_checkpoint_v2(m_db, nullptr, SQLITE_CHECKPOINT_PASSIVE, &log, &copied) != SQLITE_OK)
        return false;
    m_frames = log;
    return true;
}

void WalUpkeep::betweenReads()
{
    if (m_threshold <= 0)
        return;
    const int before = m_frames;
    if (m_lastCopy.isValid() && m_lastCopy.elapsed() < CopyEveryMs && (m_frames < m_threshold || m_nobodyCommits))
        return;
    copy();
    if (m_frames != before)
        m_nobodyCommits = false;
    if (!m_canCopy) {
        // Without a count (read only), a short read-free pause now and then lets the WAL restart.
        std::this_thread::sleep_for(std::chrono::milliseconds(PollMs));
        return;
    }
    // Only while others commit: the restart is theirs to do, and a WAL left over from before
    // (nobody writing) stays as long as it stays.
    QElapsedTimer waited;
    waited.start();
    while (m_frames >= m_threshold && waited.elapsed() < MaxRestartWaitMs) {
        const int last = m_frames;
        std::this_thread::sleep_for(std::chrono::milliseconds(PollMs));
        if (!copy())
            continue; // a writer's checkpoint runs: someone commits
        m_nobodyCommits = m_frames == last;
        if (m_nobodyCommits)
            return;
    }
}

void WalUpkeep::beforeWrite()
{
    if (m_threshold > 0)
        copy();
}

void WalUpkeep::pause(qint64 ms)
{
    QElapsedTimer timer;
    timer.start();
    for (;;) {
        const bool over = m_frames >= m_threshold && !m_nobodyCommits;
        if (m_threshold > 0 && (!m_lastCopy.isValid() || m_lastCopy.elapsed() >= CopyEveryMs || over))
            copy();
        const qint64 left = ms - timer.elapsed();
        if (left <= 0)
            return;
        std::this_thread::sleep_for(std::chrono::milliseconds(
            std::min<qint64>(left, m_frames >= m_threshold && !m_nobodyCommits ? PollMs : CopyEveryMs)));
    }
}
