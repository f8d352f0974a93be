// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QChartView>

#include <QList>
#include <optional>

class QCategoryAxis;
class QLineSeries;
class QValueAxis;

// ActivityChart: the last minute of commits/s and -wal size as two lines on one Qt Charts chart
// (commits/s on the left axis, MiB on the right), on the same time axis as the ActivityTimeline
// below it: −60 s at the left, now at the right, the points moving left as samples come. It
// keeps the samples of the window and trims older ones; while hidden (another tab shown) the
// lines are not redrawn — a Qt Charts layout is among the GUI thread's longest deliveries
// (docs/BENCHMARKS.md, bench_gui_stall) — and are drawn once it shows. GUI thread.
class ActivityChart : public QChartView {
    Q_OBJECT
public:
    static constexpr double WindowSeconds = 60; // ActivityTimeline::WindowSeconds
    static constexpr int TimeStepSeconds = 10; // a labelled tick every 10 s
    static constexpr int MaxTicks = 6; // intervals on an axis, at most
    // Narrower than this (beside the tables at the default window size), the chart is compact:
    // no axis titles (the legend names both lines), a time label every CompactStepSeconds.
    static constexpr int CompactWidth = 420;
    static constexpr int CompactStepSeconds = 30;

    // The tick interval for an axis spanning span: 1, 2 or 5 × 10^n, at least least (a power of ten).
    static double tickStep(double span, int maxTicks = MaxTicks, double least = 1);
    // The -wal axis' least step (0, 0.2, 0.4 … MiB for a small -wal; never 0.833, 1.67).
    static constexpr double LeastWalStep = 0.1;
    // How many tick intervals a chart's plot area has room for, each label a line and a half apart
    // (Qt Charts draws a label that has less room than its height as "…"): 1 .. MaxTicks.
    static int ticksThatFit(const QChart* chart);

    explicit ActivityChart(QWidget* parent = nullptr);
    // commitsPerSecond: none while the page says "measuring…" (a rate over less than a second is not shown): the
    // commits line starts where the text has a figure, never plotting one the text does not say (#28).
    void addSample(double seconds, std::optional<double> commitsPerSecond, qint64 walBytes);
    void clear();
    qsizetype pointCount() const;
    qsizetype commitPointCount() const; // the samples with a rate
    double lastCommitsPerSecond() const;
    // The time axis' labels, left to right ("−60 s", …, "now"), and where the latest point is
    // on it (0: now); for tests.
    QStringList timeLabels() const;
    double lastPointSeconds() const;
    bool isCompact() const { return m_compact; }
    bool axisTitlesShown() const;
    // The -wal line and its axis; hidden for a rollback-journal cache (it has no -wal).
    void setWalShown(bool shown);
    bool isWalShown() const;

protected:
    void showEvent(QShowEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    void trim(double now);
    void redraw(); // the series and axes from m_samples
    void setIntegerTicks(QValueAxis* axis);
    void setWalTicks(); // round steps from 0 (0, 0.5, 1 … or 0, 10, 20 MiB) over the largest -wal size
    void setCompact(bool compact);
    void showAxisTitles(); // unless compact, and only where the plot is as tall as they are long

    QLineSeries* m_commits = nullptr;
    QLineSeries* m_wal = nullptr;
    struct Sample {
        double seconds = 0;
        std::optional<double> commitsPerSecond;
        double walMib = 0;
    };
    QList<Sample> m_samples; // the window's, oldest first
    int m_fit = MaxTicks; // tick intervals the plot had room for at the last redraw
    QCategoryAxis* m_time = nullptr;
    QValueAxis* m_commitAxis = nullptr;
    QValueAxis* m_walAxis = nullptr;
    bool m_stale = false; // samples came while hidden
    bool m_compact = false;
    double m_maxCommits = 1;
    double m_maxWal = 1;
};
