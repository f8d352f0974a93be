// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/fittingprogressbar.h"

#include "pages/elidedlabel.h"

#include <QStringList>
#include <QStyle>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

FittingProgressBar::FittingProgressBar(QWidget* parent)
    : QProgressBar(parent)
{
}

int FittingProgressBar::textRoom() const
{
    // The frame on each side, and as much again so the text never touches it.
    const int frame = style()->pixelMetric(QStyle::PM_DefaultFrameWidth, nullptr, this);
    return std::max(0, contentsRect().width() - 4 * std::max(frame, 1));
}

QString FittingProgressBar::text() const
{
    const QString whole = wholeText();
    const QFontMetrics metrics = fontMetrics();
    const int room = textRoom();
    if (metrics.horizontalAdvance(whole) <= room)
        return whole;
    QStringList words = whole.split(u' ');
    while (words.size() > 1) {
        words.removeLast();
        const QString shorter = words.join(u' ') + u"…"_s;
        if (metrics.horizontalAdvance(shorter) <= room)
            return shorter;
    }
    return metrics.elidedText(whole, Qt::ElideRight, room);
}

bool FittingProgressBar::event(QEvent* event)
{
    return ElidedLabel::showWholeText(this, event, isShortened(), wholeText()) || QProgressBar::event(event);
}
