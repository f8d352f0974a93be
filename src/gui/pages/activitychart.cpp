// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/activitychart.h"

#include <QChart>
#include <QLineSeries>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

using namespace Qt::Literals::StringLiterals;

ActivityChart::ActivityChart(QWidget* parent)
    : QChartView(parent)
    , m_commits(new QLineSeries)
    , m_wal(new QLineSeries)
    , m_time(new QValueAxis)
    , m_commitAxis(new QValueAxis)
    , m_walAxis(new QValueAxis)
{
    auto* chart = new QChart;
    m_commits->setName(tr("commits/s"));
    m_wal->setName(tr("-wal size (MiB)"));
    chart->addSeries(m_commits);
    chart->addSeries(m_wal);
    m_time->setTitleText(tr("seconds"));
    m_time->setLabelFormat(u"%d"_s);
    m_commitAxis->setTitleText(tr("commits/s"));
    m_commitAxis->setLabelFormat(u"%.3g"_s);
    m_walAxis->setTitleText(tr("MiB"));
    m_walAxis->setLabelFormat(u"%.3g"_s);
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
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(140); // beside the tables at the default window size (#28): the page fits without scrolling
    clear();
}

void ActivityChart::addSample(double seconds, double commitsPerSecond, qint64 walBytes)
{
    const double mib = double(walBytes) / (1024.0 * 1024.0);
    m_commits->append(seconds, commitsPerSecond);
    m_wal->append(seconds, mib);
    trim(seconds);
    m_maxCommits = std::max(m_maxCommits, commitsPerSecond);
    m_maxWal = std::max(m_maxWal, mib);
    m_time->setRange(std::max(0.0, seconds - WindowSeconds), std::max(seconds, 10.0));
    setIntegerTicks(m_time);
    const double commitStep = tickStep(m_maxCommits * 1.1);
    m_commitAxis->setRange(0, commitStep * std::ceil(m_maxCommits * 1.1 / commitStep));
    setIntegerTicks(m_commitAxis);
    m_walAxis->setRange(0, m_maxWal * 1.1);
    m_walAxis->applyNiceNumbers();
}

double ActivityChart::tickStep(double span)
{
    // 1, 2 or 5 times a power of ten, at least 1, so that at most MaxTicks intervals fit.
    double step = 1;
    for (double magnitude = 1;; magnitude *= 10) {
        for (const double factor : { 1.0, 2.0, 5.0 }) {
            step = factor * magnitude;
            if (span / step <= MaxTicks)
                return step;
        }
    }
}

void ActivityChart::setIntegerTicks(QValueAxis* axis)
{
    // Ticks at whole numbers (0, 2, 4, … not 0, 6, 13, 20, 27), anchored at 0.
    axis->setTickType(QValueAxis::TicksDynamic);
    axis->setTickAnchor(0);
    axis->setTickInterval(tickStep(axis->max() - axis->min()));
    axis->setLabelFormat(u"%d"_s);
}

void ActivityChart::trim(double now)
{
    int old = 0;
    while (old < m_commits->count() && m_commits->at(old).x() < now - WindowSeconds)
        ++old;
    if (old > 0) {
        m_commits->removePoints(0, old);
        m_wal->removePoints(0, old);
    }
}

void ActivityChart::clear()
{
    m_commits->clear();
    m_wal->clear();
    m_maxCommits = 1;
    m_maxWal = 1;
    m_time->setRange(0, 10);
    setIntegerTicks(m_time);
    m_commitAxis->setRange(0, 1);
    setIntegerTicks(m_commitAxis);
    m_walAxis->setRange(0, 1);
}

qsizetype ActivityChart::pointCount() const
{
    return m_commits->count();
}

double ActivityChart::lastCommitsPerSecond() const
{
    return m_commits->count() ? m_commits->at(m_commits->count() - 1).y() : 0;
}
