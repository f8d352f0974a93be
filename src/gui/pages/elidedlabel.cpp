// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/elidedlabel.h"

#include <QHelpEvent>
#include <QPainter>
#include <QStyle>
#include <QToolTip>

using namespace Qt::Literals::StringLiterals;

ElidedLabel::ElidedLabel(QWidget* parent)
    : QLabel(parent)
{
    setTextFormat(Qt::PlainText);
    setSizePolicy(QSizePolicy::Ignored, sizePolicy().verticalPolicy());
}

QString ElidedLabel::shownText() const
{
    return fontMetrics().elidedText(text(), Qt::ElideRight, contentsRect().width());
}

bool ElidedLabel::isElided() const
{
    return shownText() != text();
}

QSize ElidedLabel::minimumSizeHint() const
{
    return { 0, QLabel::minimumSizeHint().height() };
}

bool ElidedLabel::showWholeText(QWidget* widget, QEvent* event, bool shortened, const QString& whole)
{
    // The whole text on hover when it is cut (a tooltip of its own, if set, comes after it).
    if (event->type() != QEvent::ToolTip || !shortened)
        return false;
    const QString tip = widget->toolTip().isEmpty() ? whole : whole + u"\n\n"_s + widget->toolTip();
    QToolTip::showText(static_cast<QHelpEvent*>(event)->globalPos(), tip, widget);
    return true;
}

bool ElidedLabel::event(QEvent* event)
{
    return showWholeText(this, event, isElided(), text()) || QLabel::event(event);
}

void ElidedLabel::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    style()->drawItemText(&painter, contentsRect(), QStyle::visualAlignment(layoutDirection(), alignment()), palette(),
        isEnabled(), shownText(), foregroundRole());
}
