// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/agechart.h"

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
    m_counts->setLabelFormat(u"%d"_s);
    chart->setTitle(tr("Age of the entries (by creation time)"));
    chart->legend()->hide();
    chart->setMargins(QMargins(4, 4, 4, 4));
    setChart(chart);
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(180);
    setToolTip(tr("How many entries were written within each span before now (local clock)."));
    hide();
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
    const qint64 top = *std::max_element(counts.begin(), counts.end());
    m_counts->setRange(0, double(std::max<qint64>(1, top)));
    m_counts->applyNiceNumbers();
}
