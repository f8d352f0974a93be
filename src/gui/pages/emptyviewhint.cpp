// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/emptyviewhint.h"

#include <QAbstractItemView>
#include <QCoreApplication>
#include <QEvent>
#include <QPainter>

EmptyViewHint::EmptyViewHint(QAbstractItemView* view, const QString& text)
    : QObject(view)
    , m_view(view)
    , m_text(text)
{
    setObjectName(QStringLiteral("emptyViewHint"));
    view->viewport()->installEventFilter(this);
}

EmptyViewHint* EmptyViewHint::install(QAbstractItemView* view, const QString& text)
{
    return new EmptyViewHint(view, text);
}

void EmptyViewHint::setText(const QString& text)
{
    if (text == m_text)
        return;
    m_text = text;
    m_view->viewport()->update();
}

bool EmptyViewHint::isShown() const
{
    return !m_view->model() || m_view->model()->rowCount(m_view->rootIndex()) == 0;
}

bool EmptyViewHint::eventFilter(QObject* watched, QEvent* event)
{
    // The event's type first: while the view is being destroyed its viewport still gets events
    // (never a paint), and m_view is no longer a QAbstractItemView to ask for its viewport.
    if (event->type() == QEvent::Paint && !m_forwarding && watched == m_view->viewport() && isShown()
        && !m_text.isEmpty()) {
        // The view paints its (empty) contents first, then the sentence goes on top.
        m_forwarding = true;
        QCoreApplication::sendEvent(m_view->viewport(), event);
        m_forwarding = false;
        QPainter painter(m_view->viewport());
        painter.setPen(m_view->palette().color(QPalette::PlaceholderText));
        const QRect area = m_view->viewport()->rect().adjusted(12, 8, -12, -8);
        painter.drawText(area, Qt::AlignCenter | Qt::TextWordWrap, m_text);
        return true;
    }
    return QObject::eventFilter(watched, event);
}
