// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/activitychart.h"

#include <QCategoryAxis>
#include <QChart>
#include <QFontMetricsF>
#include <QLineSeries>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

using namespace Qt::Literals::StringLiterals;

ActivityChart::ActivityChart(QWidget* parent)
    : QChartView(parent)
    , m_commits(new QLineSeries)
    , m_wal(new QLineSeries)
    , m_time(new QCategoryAxis)
    , m_commitAxis(new QValueAxis)
    , m_walAxis(new QValueAxis)
{
    auto* chart = new QChart;
    m_commits->setName(tr("commits/s"));
    m_wal->setName(tr("-wal size (MiB)"));
    chart->addSeries(m_commits);
    chart->addSeries(m_wal);
    // The timeline's axis: −60 s … now, a label every TimeStepSeconds.
    m_time->setRange(-WindowSeconds, 0);
    m_time->setStartValue(-WindowSeconds);
    m_time->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    m_commitAxis->setTitleText(tr("commits/s"));
    m_commitAxis->setLabelFormat(u"%.3g"_s);
    m_walAxis->setTitleText(tr("MiB"));
    m_walAxis->setLabelFormat(u"%.3g"_s);
    // One grid, the commits axis' (#28 defect 11: both scales' lines were drawn at once, and read as one scale).
    m_walAxis->setGridLineVisible(false);
    m_walAxis->setMinorGridLineVisible(false);
    chart->addAxis(m_time, Qt::AlignBottom);
    chart->addAxis(m_commitAxis, Qt::AlignLeft);
    chart->addAxis(m_walAxis, Qt::AlignRight);
    m_commits->attachAxis(m_time);
    m_commits->attachAxis(m_commitAxis);
    m_wal->attachAxis(m_time);
    m_wal->attachAxis(m_walAxis);
    chart->legend()->setAlignment(Qt::AlignTop);
    chart->setMargins(QMargins(4, 4, 4, 4));
    setChart(chart);
    // As many ticks as the plot's height has room for, once the chart is laid out at a new size.
    connect(chart, &QChart::plotAreaChanged, this, [this] {
        showAxisTitles();
        if (ticksThatFit(this->chart()) != m_fit && isVisible())
            redraw();
    });
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(140); // beside the tables at the default window size: the page fits without scrolling
    m_compact = true;
    setCompact(false);
    clear();
}

void ActivityChart::resizeEvent(QResizeEvent* event)
{
    setCompact(width() < CompactWidth);
    QChartView::resizeEvent(event);
}

void ActivityChart::setCompact(bool compact)
{
    if (compact == m_compact)
        return;
    m_compact = compact;
    // At 280 px the titles took a fifth of the width and the time labels read "−…".
    showAxisTitles();
    for (const QString& label : m_time->categoriesLabels())
        m_time->remove(label);
    const int step = compact ? CompactStepSeconds : TimeStepSeconds;
    for (int at = -int(WindowSeconds); at <= 0; at += step)
        m_time->append(at == 0 ? tr("now") : tr("−%1 s").arg(-at), at);
}

void ActivityChart::showAxisTitles()
{
    // A title runs up its axis: where the plot is shorter than it (the default window with several warnings) it read
    // "commit…"; the legend names both lines anyway.
    const double room = chart()->plotArea().height();
    for (QValueAxis* axis : { m_commitAxis, m_walAxis }) {
        // Not laid out yet (no plot area): as tall as they are long until it is.
        const bool fits = room <= 0 || QFontMetricsF(axis->titleFont()).horizontalAdvance(axis->titleText()) <= room;
        if (axis->isTitleVisible() != (!m_compact && fits))
            axis->setTitleVisible(!m_compact && fits);
    }
}

void ActivityChart::addSample(double seconds, std::optional<double> commitsPerSecond, qint64 walBytes)
{
    const double mib = double(walBytes) / (1024.0 * 1024.0);
    m_samples.append({ seconds, commitsPerSecond, mib });
    trim(seconds);
    m_maxCommits = std::max(m_maxCommits, commitsPerSecond.value_or(0));
    m_maxWal = std::max(m_maxWal, mib);
    m_stale = !isVisible();
    if (!m_stale)
        redraw();
}

void ActivityChart::showEvent(QShowEvent* event)
{
    QChartView::showEvent(event);
    if (m_stale)
        redraw();
    m_stale = false;
}

void ActivityChart::redraw()
{
    // Every point placed again relative to the newest (at most one a second for a minute).
    const double now = m_samples.isEmpty() ? 0 : m_samples.last().seconds;
    QList<QPointF> commits;
    QList<QPointF> wal;
    commits.reserve(m_samples.size());
    wal.reserve(m_samples.size());
    for (const Sample& sample : std::as_const(m_samples)) {
        if (sample.commitsPerSecond)
            commits.append({ sample.seconds - now, *sample.commitsPerSecond });
        wal.append({ sample.seconds - now, sample.walMib });
    }
    m_commits->replace(commits);
    m_wal->replace(wal);
    const int fit = m_fit = ticksThatFit(chart());
    const double commitStep = tickStep(m_maxCommits * 1.1, fit);
    m_commitAxis->setRange(0, commitStep * std::ceil(m_maxCommits * 1.1 / commitStep));
    setIntegerTicks(m_commitAxis);
    setWalTicks();
}

void ActivityChart::setWalTicks()
{
    // The commits axis' 1/2/5 steps, anchored at 0, and down to a tenth of a MiB: applyNiceNumbers gave 0, 0.833, 1.67.
    const double step = tickStep(m_maxWal * 1.1, m_fit, LeastWalStep);
    m_walAxis->setRange(0, step * std::ceil(m_maxWal * 1.1 / step));
    m_walAxis->setTickType(QValueAxis::TicksDynamic);
    m_walAxis->setTickAnchor(0);
    m_walAxis->setTickInterval(step);
    m_walAxis->setLabelFormat(step < 1 ? u"%.1f"_s : u"%.0f"_s);
}

int ActivityChart::ticksThatFit(const QChart* chart)
{
    const QAbstractAxis* axis = chart->axes(Qt::Vertical).value(0);
    const double labelHeight = QFontMetricsF(axis ? axis->labelsFont() : chart->font()).height();
    return std::clamp(int(chart->plotArea().height() / (1.5 * labelHeight)), 1, int(MaxTicks));
}

double ActivityChart::tickStep(double span, int maxTicks, double least)
{
    // 1, 2 or 5 times a power of ten, at least least, so that at most MaxTicks intervals fit.
    double step = least;
    for (double magnitude = least;; magnitude *= 10) {
        for (const double factor : { 1.0, 2.0, 5.0 }) {
            step = factor * magnitude;
            if (span / step <= maxTicks)
                return step;
        }
    }
}

void ActivityChart::setIntegerTicks(QValueAxis* axis)
{
    // Ticks at whole numbers (0, 2, 4, … not 0, 6, 13, 20, 27), anchored at 0.
    axis->setTickType(QValueAxis::TicksDynamic);
    axis->setTickAnchor(0);
    axis->setTickInterval(tickStep(axis->max() - axis->min(), m_fit));
    axis->setLabelFormat(u"%.0f"_s);
}

void ActivityChart::trim(double now)
{
    qsizetype old = 0;
    while (old < m_samples.size() && m_samples.at(old).seconds < now - WindowSeconds)
        ++old;
    m_samples.remove(0, old);
}

void ActivityChart::setWalShown(bool shown)
{
    m_wal->setVisible(shown);
    m_walAxis->setVisible(shown);
}

bool ActivityChart::axisTitlesShown() const
{
    return m_commitAxis->isTitleVisible();
}

bool ActivityChart::isWalShown() const
{
    return m_wal->isVisible();
}

void ActivityChart::clear()
{
    m_samples.clear();
    m_stale = false;
    m_commits->clear();
    m_wal->clear();
    m_maxCommits = 1;
    m_maxWal = 1;
    m_commitAxis->setRange(0, 1);
    setIntegerTicks(m_commitAxis);
    setWalTicks();
}

qsizetype ActivityChart::pointCount() const
{
    return m_samples.size();
}

qsizetype ActivityChart::commitPointCount() const
{
    return std::count_if(
        m_samples.cbegin(), m_samples.cend(), [](const Sample& sample) { return sample.commitsPerSecond.has_value(); });
}

double ActivityChart::lastCommitsPerSecond() const
{
    return m_samples.isEmpty() ? 0 : m_samples.last().commitsPerSecond.value_or(0);
}

QStringList ActivityChart::timeLabels() const
{
    return m_time->categoriesLabels();
}

double ActivityChart::lastPointSeconds() const
{
    return m_commits->count() ? m_commits->at(m_commits->count() - 1).x() : 0;
}
