// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/error.h"

#include <QHash>
#include <QString>
#include <QStringList>

#include <memory>

// CommitCounter: counts every commit to one cache from events, not samples (docs/WAL.md §10), on a thread of its own
// that sleeps in poll() until something is written (a busy cache is read every few ms instead,
// with Modified events off: an event per write costs the writers, docs/WAL.md §10):
//  - inotify on the cache's folder (FolderEvents) wakes it for the db, -wal and -journal;
//  - WAL: each -wal is opened read-only as soon as it appears and followed by a WalTail until it
//    is deleted, so frames are counted even when the last connection unlinks it at once; each
//    generation (salt pair) is counted once (WalGenerations);
//  - rollback modes: the db header's change counter, read on every modify (RollbackCounter);
//  - where the process may use it (root), fanotify (WriteEvents) names the pid of every write to
//    the db, -wal and -journal; the commits counted in a wake-up are attributed to the pids
//    that wrote the -wal (or db) in it, split by their writes when several did. Its event fds
//    also reach a -wal that came and went before inotify's wake-up could open it.
// Where a count can miss (a -wal written and deleted before it could be opened, one reset or
// truncated before its frames were read, the event queue overflowing), the reading says so
// (exact false, the reason) instead of undercounting silently.
// The process must hold no SQLite connection to the cache: it opens and closes fds on its files
// (docs/WAL.md §4.1). start() and take() from one thread (the one that samples).
class CommitCounter {
public:
    struct Options {
        bool fanotify = true; // name writers by fanotify where permitted ("sampled" otherwise)
    };
    struct Reading {
        bool running = false;
        QString problem; // why nothing is counted (inotify unavailable)
        qint64 commitsTotal = 0; // since start()
        qint64 framesTotal = 0; // frames of those commits (WAL)
        bool exact = true;
        QString missedReason; // the first reason a commit may have gone uncounted
        QString attribution; // "fanotify" or "sampled"
        QString attributionNote; // why not fanotify
        qint64 intervalCommits = 0; // since the previous take()
        QHash<qint64, qint64> commitsByPid; // fanotify: commits attributed in the interval
        QHash<qint64, QStringList> wroteByPid; // fanotify: files ("db", "wal", "journal") written in the interval
        // fanotify: every commit of the interval went to the one process heard writing it. False
        // when several wrote within one read (their commits split by their writes), when commits
        // were counted while fanotify was not listening (a busy cache), or went to nobody.
        bool writersExact = true;
    };

    CommitCounter(const QString& dbPath, const Options& options);
    ~CommitCounter();
    CommitCounter(const CommitCounter&) = delete;
    CommitCounter& operator=(const CommitCounter&) = delete;

    // Takes what the files hold now as the baseline (not counted) and starts the thread.
    Status start();
    // The totals so far and what happened since the previous call.
    Reading take();

private:
    struct State;
    std::unique_ptr<State> m_state;
};
