// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/agechart.h"

#include "pages/activitychart.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QValueAxis>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

AgeChart::AgeChart(QWidget* parent)
    : QChartView(parent)
    , m_set(new QBarSet(tr("entries")))
    , m_categories(new QBarCategoryAxis)
    , m_counts(new QValueAxis)
{
    auto* chart = new QChart;
    auto* series = new QBarSeries;
    series->append(m_set);
    chart->addSeries(series);
    chart->addAxis(m_categories, Qt::AlignBottom);
    chart->addAxis(m_counts, Qt::AlignLeft);
    series->attachAxis(m_categories);
    series->attachAxis(m_counts);
    m_counts->setLabelFormat(u"%.0f"_s);
    chart->setTitle(tr("Age of the entries (by creation time)"));
    chart->legend()->hide();
    chart->setMargins(QMargins(4, 4, 4, 4));
    setChart(chart);
    // As many ticks as the plot's height has room for, once the chart is laid out at a new size.
    connect(chart, &QChart::plotAreaChanged, this, [this] {
        if (!m_shown.isEmpty() && ActivityChart::ticksThatFit(this->chart()) != m_fit)
            setCountAxis();
    });
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(180);
    setToolTip(tr("How many entries were written within each span before now (local clock)."));
    hide();
}

qint64 AgeChart::tickStep(qint64 top, int maxTicks)
{
    return qint64(ActivityChart::tickStep(double(top), maxTicks)); // 1, 2 or 5 x 10^n, as the Activity chart's axes
}

QList<double> AgeChart::tickValues() const
{
    QList<double> ticks;
    for (double value = m_counts->min(); value <= m_counts->max() + 1e-9; value += m_counts->tickInterval())
        ticks << value;
    return ticks;
}

void AgeChart::setBuckets(const QStringList& names, const QList<qint64>& counts)
{
    m_shown = counts;
    setVisible(!counts.isEmpty());
    if (counts.isEmpty())
        return;
    m_set->remove(0, m_set->count());
    for (qint64 n : counts)
        m_set->append(double(n));
    m_categories->setCategories(names.mid(0, counts.size()));
    setCountAxis();
}

void AgeChart::setCountAxis()
{
    // Whole numbers of entries only: ticks every 1, 2 or 5 × 10^n entries (applyNiceNumbers on
    // a top of 1 gave 0, 0.2, … labelled 0 0 0 0 0 1), no more than the height has room for.
    const qint64 top = std::max<qint64>(1, *std::max_element(m_shown.begin(), m_shown.end()));
    m_fit = ActivityChart::ticksThatFit(chart());
    const qint64 step = tickStep(top, m_fit);
    m_counts->setTickType(QValueAxis::TicksDynamic);
    m_counts->setTickAnchor(0);
    m_counts->setTickInterval(double(step));
    m_counts->setRange(0, double((top + step - 1) / step * step));
    m_counts->setMinorTickCount(0);
}
