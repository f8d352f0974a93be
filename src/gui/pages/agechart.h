// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QChartView>

class QBarSet;
class QBarCategoryAxis;
class QValueAxis;

// AgeChart: how old the entries of a cache are, as bars (< 1 hour … older; CacheContents's
// buckets). GUI thread.
class AgeChart : public QChartView {
    Q_OBJECT
public:
    explicit AgeChart(QWidget* parent = nullptr);
    // One count per name; empty hides the chart (the format keeps no creation time).
    void setBuckets(const QStringList& names, const QList<qint64>& counts);
    QList<qint64> shownCounts() const { return m_shown; }
    // The count axis' ticks (whole numbers of entries) and the step between them for a top count.
    QList<double> tickValues() const;
    static qint64 tickStep(qint64 top, int maxTicks = 6);

private:
    QBarSet* m_set;
    QBarCategoryAxis* m_categories;
    QValueAxis* m_counts;
    QList<qint64> m_shown;
    void setCountAxis();
    int m_fit = 6; // tick intervals the plot had room for when the axis was set
};
