// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>

#include <optional>
#include <sys/types.h>

// RateWindow: commits/s and frames/s over the last WindowMs of samples, from the -shm header's
// commit counter (iChange) and committed frame (mxFrame) (docs/WAL.md, "Rates"). One step per
// pair of consecutive samples; the rate is the sum of the steps in the window over its span, so
// a steady writer gives a steady figure whatever the sampling interval.
// A counter that goes down, or a -shm that is new (another inode, or it was absent), is a
// restart — a crashed writer's -shm rebuilt, the last connection gone and a new one come — never
// a wrap-around: the step counts the new counter from zero and is flagged a lower bound. So is
// a WAL reset within the step (mxFrame started again at 1: frames before the reset are not
// visible), and a step where the cache files changed although no live -shm was seen at either end
// (a connection came and went between two samples). Points that carry totals counted from
// events (CommitCounter) are differenced instead, and the -shm is not needed. A plain value; one thread.
class RateWindow {
public:
    // The writers' window (WriterTracker::BusyWindowMs, static_assert in sampler.cpp): a rate and the
    // per-writer commits shown beside it cover the same samples, so rate × span is their sum (#28).
    static constexpr qint64 WindowMs = 10000;
    // Above this many commits in one second a figure is not physically possible on one file
    // (SQLite reaches a few 10⁴ commits/s with synchronous=OFF); such a step is dropped as unknown.
    static constexpr double MaxPlausibleCommitsPerSecond = 1e6;

    struct Point {
        qint64 tMs = 0;
        bool live = false; // a live, trusted -shm header was read
        quint64 shmInode = 0;
        quint32 commitCounter = 0;
        quint32 committedFrame = 0;
        quint32 salt1 = 0;
        bool filesChanged = false; // db/-wal/-shm identity, size or mtime changed since the last point
        // Totals counted from events (CommitCounter): when both ends have them, a step's commits
        // and frames are their differences — exact whatever the -shm did in between.
        std::optional<qint64> commitsTotal;
        std::optional<qint64> framesTotal;
        bool exact = false; // nothing was missed so far
    };
    struct Rates {
        bool valid = false; // at least one step in the window
        double commitsPerSecond = 0;
        double framesPerSecond = 0;
        bool lowerBound = false; // some step could only count part of what happened
        bool walReset = false; // the last step saw the WAL start again at frame 1
        bool restart = false; // the last step saw the commit counter restart
        qint64 restarts = 0; // restarts seen since the window was created
        qint64 lastStepCommits = 0; // commits counted between the previous point and this one
        bool lastStepLowerBound = false;
        qint64 spanMs = 0;
    };

    Rates add(const Point& point);

    // What a span of the window is said as: to the tenth of a second while shorter than the window (rate × span is
    // the commits counted over it), whole seconds once it is full (its oldest step may start a sample before the
    // window: "10.1 s" says nothing).
    static qint64 shownSpanMs(qint64 spanMs, qint64 windowMs = WindowMs);
    // "the last 3.4 s", "the last 10 s" (shownSpanMs); "the first samples" without a span yet. The words core's
    // messages say (the write lock's share covers the same samples as the rates: WriterTracker::BusyWindowMs).
    static QString spanText(qint64 spanMs, qint64 windowMs = WindowMs);

private:
    struct Step {
        qint64 startMs = 0;
        qint64 endMs = 0;
        qint64 commits = 0;
        qint64 frames = 0;
        bool lowerBound = false;
    };
    Step stepBetween(const Point& before, const Point& now, Rates& rates) const;

    std::optional<Point> m_last;
    QList<Step> m_steps;
    qint64 m_restarts = 0;
};
