// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/activitytimeline.h"

#include <QPaintEvent>
#include <QPainter>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

ActivityTimeline::ActivityTimeline(QWidget* parent)
    : QWidget(parent)
{
    setMinimumHeight(60);
    setToolTip(tr("Per-process timeline of the last minute: red = caught holding the write lock, orange = "
                  "wrote (fanotify, or sampled from /proc/PID/io), blue = held a read snapshot. The number after "
                  "a name is its commits in the last 10 s."));
}

void ActivityTimeline::clear()
{
    m_lanes.clear();
    m_now = 0;
    update();
}

void ActivityTimeline::addSample(const ActivitySample& sample)
{
    m_now = double(sample.tMs) / 1000.0;
    QHash<qint64, quint8> marks;
    QHash<qint64, QString> names;
    if (sample.writer && sample.writer->pid > 0) {
        marks[sample.writer->pid] |= Lock;
        names[sample.writer->pid] = sample.writer->name;
    }
    for (const auto& w : sample.writers) {
        marks[w.pid] |= w.evidence.contains(u"lock"_s) ? quint8(Lock | Wrote) : quint8(Wrote);
        names[w.pid] = w.name;
    }
    for (const auto& r : sample.readers) {
        if (r.pid > 0 && !r.isWriter) {
            marks[r.pid] |= Read;
            names[r.pid] = r.name;
        }
    }
    // A lane's label carries its commits over the last 10 s: the same figure as "Wrote lately", from the same second of
    // samples on (ActivityWording::writerCommits: none over the first 0.1 s).
    for (auto it = m_lanes.begin(); it != m_lanes.end(); ++it)
        it->commits.reset();
    for (const auto& w : sample.recentWriters) {
        if (m_lanes.contains(w.pid) || marks.contains(w.pid))
            m_lanes[w.pid].commits = sample.ratesShown() ? w.commits : std::nullopt;
    }
    for (auto it = marks.begin(); it != marks.end(); ++it) {
        Lane& lane = m_lanes[it.key()];
        if (!names.value(it.key()).isEmpty())
            lane.name = names.value(it.key());
        lane.points.append({ m_now, it.value() });
        lane.lastActive = m_now;
    }
    for (auto it = m_lanes.begin(); it != m_lanes.end();) {
        QList<Point>& points = it->points;
        while (!points.isEmpty() && points.first().seconds < m_now - WindowSeconds)
            points.removeFirst();
        it = points.isEmpty() ? m_lanes.erase(it) : std::next(it);
    }
    setMinimumHeight(minimumSizeHint().height()); // every lane visible, if narrower than it would like
    updateGeometry();
    update();
}

QList<qint64> ActivityTimeline::lanes() const
{
    QList<qint64> pids = m_lanes.keys();
    std::sort(pids.begin(), pids.end(),
        [this](qint64 a, qint64 b) { return m_lanes.value(a).lastActive > m_lanes.value(b).lastActive; });
    pids = pids.mid(0, MaxLanes);
    std::sort(pids.begin(), pids.end());
    return pids;
}

std::optional<qint64> ActivityTimeline::commitsOf(qint64 pid) const
{
    return m_lanes.value(pid).commits;
}

int ActivityTimeline::marksOf(qint64 pid) const
{
    int all = 0;
    for (const Point& p : m_lanes.value(pid).points)
        all |= p.marks;
    return all;
}

QSize ActivityTimeline::sizeHint() const
{
    return { 600, 26 + LaneHeight * std::max<int>(1, int(lanes().size())) };
}

QSize ActivityTimeline::minimumSizeHint() const
{
    return { 200, 26 + minimumLaneHeight() * std::max<int>(1, int(lanes().size())) };
}

int ActivityTimeline::minimumLaneHeight() const
{
    return fontMetrics().height() + 1; // its label still whole
}

void ActivityTimeline::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.fillRect(rect(), palette().base());
    const QList<qint64> pids = lanes();
    const int labelWidth = 150;
    const int top = 4;
    // Lanes narrower than LaneHeight when the page gives less height (each label kept whole).
    const int laneHeight = std::clamp((height() - 26) / std::max<int>(1, int(pids.size())), minimumLaneHeight(),
        std::max(minimumLaneHeight(), int(LaneHeight)));
    const double plotWidth = std::max(1, width() - labelWidth - 8);
    painter.setPen(palette().text().color());
    if (pids.isEmpty()) {
        painter.drawText(rect().adjusted(8, 0, 0, 0), Qt::AlignVCenter | Qt::AlignLeft,
            tr("Per-process timeline: no process has written or read in the last minute."));
        return;
    }
    const double pxPerSecond = plotWidth / WindowSeconds;
    for (int i = 0; i < pids.size(); ++i) {
        const Lane& lane = m_lanes.value(pids.at(i));
        const int y = top + i * laneHeight;
        painter.setPen(palette().text().color());
        QString label = u"%1 %2"_s.arg(pids.at(i)).arg(lane.name);
        if (lane.commits)
            label += u" · %1"_s.arg(*lane.commits);
        painter.drawText(QRect(4, y, labelWidth - 8, laneHeight), Qt::AlignVCenter | Qt::AlignLeft, label);
        painter.fillRect(QRectF(labelWidth, y + 2, plotWidth, laneHeight - 4), palette().alternateBase());
        for (const Point& p : lane.points) {
            const double x = labelWidth + (p.seconds - (m_now - WindowSeconds)) * pxPerSecond;
            QColor color = p.marks & Lock ? QColor(0xd3, 0x2f, 0x2f)
                : p.marks & Wrote         ? QColor(0xf5, 0x7c, 0x00)
                                          : QColor(0x19, 0x76, 0xd2);
            painter.fillRect(QRectF(x - 1.5, y + 2, 3, laneHeight - 4), color);
        }
    }
    painter.setPen(palette().mid().color());
    const int axisY = top + int(pids.size()) * laneHeight + 2;
    painter.drawText(QRect(labelWidth, axisY, int(plotWidth), 14), Qt::AlignLeft, tr("−60 s"));
    painter.drawText(QRect(labelWidth, axisY, int(plotWidth), 14), Qt::AlignRight, tr("now"));
}
