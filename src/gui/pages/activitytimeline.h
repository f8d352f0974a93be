// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/activitysample.h"

#include <QHash>
#include <QList>
#include <QWidget>

// ActivityTimeline: one lane per process over the last WindowSeconds — red where it was caught
// holding the write lock, orange where it wrote (fanotify, or /proc/PID/io when sampled), blue
// where it held a read snapshot; each writer's label carries its commits over the last 10 s — so who writes when, and
// who waits, can be seen at a glance. Fed one ActivitySample at a time (the `watch` child's lines); paints itself.
// Lanes are ordered by pid, at most MaxLanes (the most recently active). GUI thread.
class ActivityTimeline : public QWidget {
    Q_OBJECT
public:
    static constexpr double WindowSeconds = 60;
    static constexpr int MaxLanes = 8;
    static constexpr int LaneHeight = 16; // as tall as the page lets it, down to minimumLaneHeight()
    enum Mark : quint8 { None = 0, Read = 1, Wrote = 2, Lock = 4 };

    explicit ActivityTimeline(QWidget* parent = nullptr);
    void addSample(const ActivitySample& sample);
    void clear();
    QList<qint64> lanes() const; // pids shown, in order
    int marksOf(qint64 pid) const; // OR of the marks kept for pid (tests)
    std::optional<qint64> commitsOf(qint64 pid) const; // its commits over the last 10 s, as labelled
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    int minimumLaneHeight() const;
    struct Point {
        double seconds = 0;
        quint8 marks = None;
    };
    struct Lane {
        QString name;
        QList<Point> points;
        double lastActive = 0;
        std::optional<qint64> commits; // over the last 10 s (recent_writers), when attributable
    };
    QHash<qint64, Lane> m_lanes;
    double m_now = 0;
};
