// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QChartView>

class QLineSeries;
class QValueAxis;

// ActivityChart: the last few minutes of commits/s and -wal size as two lines on one Qt Charts
// chart (commits/s on the left axis, MiB on the right). It owns its series and trims points
// older than the window. GUI thread.
class ActivityChart : public QChartView {
    Q_OBJECT
public:
    static constexpr double WindowSeconds = 300;
    static constexpr int MaxTicks = 6; // intervals on an axis, at most

    // The tick interval for an axis spanning span: 1, 2 or 5 × 10^n, at least 1.
    static double tickStep(double span);

    explicit ActivityChart(QWidget* parent = nullptr);
    void addSample(double seconds, double commitsPerSecond, qint64 walBytes);
    void clear();
    qsizetype pointCount() const;
    double lastCommitsPerSecond() const;

private:
    void trim(double now);
    static void setIntegerTicks(QValueAxis* axis);

    QLineSeries* m_commits = nullptr;
    QLineSeries* m_wal = nullptr;
    QValueAxis* m_time = nullptr;
    QValueAxis* m_commitAxis = nullptr;
    QValueAxis* m_walAxis = nullptr;
    double m_maxCommits = 1;
    double m_maxWal = 1;
};
