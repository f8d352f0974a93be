// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QElapsedTimer>

struct sqlite3;

// WalUpkeep: what a long maintenance run (Prune) does between its short statements so the live
// cache's writers never pay for it. SQLite's WAL restarts (the next commit writes from its start
// again) only when every frame has been copied into the database and no reader uses a frame;
// a run that reads back to back keeps a reader there almost always, the WAL grows for as long
// as the run reads, and the writer whose commit then crosses wal_autocheckpoint copies the
// whole backlog inside its own commit, a stall far over its usual commit (docs/BENCHMARKS.md,
// "Numbers behind constants"). So between statements the run copies the frames itself (a
// PASSIVE checkpoint: it never waits for a lock and never blocks a writer) and, while the WAL is
// past SQLite's threshold, stays out of any read transaction for a few ms so the next commit
// can restart it. A read-only connection cannot copy: it only pauses. Lives on the thread of
// its connection; the connection must not be inside a transaction when a method is called.
class WalUpkeep {
public:
    // autocheckpoint: the cache's wal_autocheckpoint (pages); 0 or less: not a WAL cache, a no-op.
    WalUpkeep(sqlite3* db, int autocheckpoint, bool canCopy);

    // Between two read statements: copies what can be copied and, while the WAL is over the
    // threshold, waits outside any transaction (at most MaxRestartWaitMs) for a commit to restart it.
    void betweenReads();
    // Spends ms outside any transaction, copying frames now and then (often while over the threshold).
    void pause(qint64 ms);
    // Right before a write transaction of the run: copies every frame it can, so the transaction
    // starts on a fully copied WAL and its commit restarts the WAL (when no reader is in it)
    // long before a writer's commit would cross the threshold and copy it.
    void beforeWrite();
    // Frames in the WAL at the last copy (-1 before the first or when it could not be asked).
    int frames() const { return m_frames; }

    static constexpr int MaxRestartWaitMs = 50;
    static constexpr int PollMs = 2;

private:
    bool copy(); // false: nothing learnt (read only, or a writer's checkpoint runs)

    sqlite3* m_db;
    int m_threshold;
    bool m_canCopy;
    int m_frames = -1;
    bool m_nobodyCommits = false; // the WAL stayed as it was through the last wait
    QElapsedTimer m_lastCopy;
};
