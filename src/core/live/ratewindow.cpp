// SPDX-License-Identifier: GPL-3.0-or-later
#include "live/ratewindow.h"

#include "common/format.h"

#include <QtMath>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

qint64 RateWindow::shownSpanMs(qint64 spanMs, qint64 windowMs)
{
    const bool full = windowMs > 0 && spanMs >= windowMs - 50;
    return full ? qRound(double(spanMs) / 1000.0) * 1000 : spanMs;
}

QString RateWindow::spanText(qint64 spanMs, qint64 windowMs)
{
    if (spanMs <= 0)
        return u"the first samples"_s;
    return u"the last %1"_s.arg(Format::duration(shownSpanMs(spanMs, windowMs)));
}

RateWindow::Step RateWindow::stepBetween(const Point& before, const Point& now, Rates& rates) const
{
    Step step;
    step.startMs = before.tMs;
    step.endMs = now.tMs;
    if (before.commitsTotal && now.commitsTotal) {
        step.commits = std::max<qint64>(0, *now.commitsTotal - *before.commitsTotal);
        step.frames = std::max<qint64>(0, now.framesTotal.value_or(0) - before.framesTotal.value_or(0));
        step.lowerBound = !now.exact;
        if (now.live && before.live && before.shmInode == now.shmInode)
            rates.walReset = now.salt1 != before.salt1 || now.committedFrame < before.committedFrame;
        return step;
    }
    if (!now.live) {
        // Nothing countable now; if the files changed meanwhile, something happened unseen.
        step.lowerBound = now.filesChanged;
        return step;
    }
    const bool sameShm = before.live && before.shmInode == now.shmInode;
    // iChange is a u32. It going down is a restart (the -shm was rebuilt), except the one true
    // wrap-around from just below 2^32 to just above 0 (4·10⁹ commits: weeks of writing).
    const bool wrapped = before.commitCounter >= 0xFFF00000U && now.commitCounter < 0x00100000U;
    const bool down = now.commitCounter < before.commitCounter && !wrapped;
    const qint64 delta = qint64(quint32(now.commitCounter - before.commitCounter));
    if (!sameShm || down) {
        rates.restart = sameShm; // the same file with a smaller counter: it was rebuilt
        step.commits = now.commitCounter; // counted from zero since the -shm was (re)built
        step.frames = now.committedFrame;
        step.lowerBound = true;
    } else {
        step.commits = delta;
        const bool reset = now.salt1 != before.salt1 || now.committedFrame < before.committedFrame;
        rates.walReset = reset;
        step.frames = reset ? qint64(now.committedFrame) : qint64(now.committedFrame) - qint64(before.committedFrame);
        step.lowerBound = reset;
    }
    const double seconds = std::max<qint64>(step.endMs - step.startMs, 1) / 1000.0;
    if (step.commits / seconds > MaxPlausibleCommitsPerSecond) {
        step.commits = 0;
        step.frames = 0;
        step.lowerBound = true;
    }
    return step;
}

RateWindow::Rates RateWindow::add(const Point& point)
{
    Rates rates;
    if (m_last && point.tMs > m_last->tMs) {
        m_steps.append(stepBetween(*m_last, point, rates));
        rates.lastStepCommits = m_steps.last().commits;
        rates.lastStepLowerBound = m_steps.last().lowerBound;
        if (rates.restart)
            ++m_restarts;
    }
    if (!m_last || point.tMs > m_last->tMs)
        m_last = point;
    while (!m_steps.isEmpty() && m_steps.first().endMs <= point.tMs - WindowMs)
        m_steps.removeFirst();
    rates.restarts = m_restarts;
    if (m_steps.isEmpty())
        return rates;
    qint64 commits = 0;
    qint64 frames = 0;
    for (const Step& step : m_steps) {
        commits += step.commits;
        frames += step.frames;
        rates.lowerBound = rates.lowerBound || step.lowerBound;
    }
    rates.spanMs = m_steps.last().endMs - m_steps.first().startMs;
    const double seconds = std::max<qint64>(rates.spanMs, 1) / 1000.0;
    rates.valid = true;
    rates.commitsPerSecond = double(commits) / seconds;
    rates.framesPerSecond = double(frames) / seconds;
    return rates;
}
