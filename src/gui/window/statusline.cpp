// SPDX-License-Identifier: GPL-3.0-or-later
#include "window/statusline.h"

#include <QResizeEvent>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

StatusLine::StatusLine(QWidget* parent)
    : QLabel(parent)
{
    setObjectName(u"statusLine"_s);
    setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    setTextFormat(Qt::PlainText);
}

void StatusLine::setMessage(const QString& message)
{
    m_message = message;
    m_whole.clear();
    fit();
}

void StatusLine::replaceMessage(const QString& replaced, const QString& message, const QString& whole)
{
    if (!replaced.isEmpty() && m_message != replaced)
        return;
    m_message = message;
    m_whole = whole;
    fit();
}

void StatusLine::clearMessage()
{
    setMessage({});
}

QSize StatusLine::minimumSizeHint() const
{
    return { 0, QLabel::minimumSizeHint().height() };
}

void StatusLine::resizeEvent(QResizeEvent* event)
{
    QLabel::resizeEvent(event);
    fit();
}

void StatusLine::fit()
{
    const int room = std::max(0, contentsRect().width() - 2 * margin());
    QString shown = m_message;
    if (fontMetrics().horizontalAdvance(m_message) > room) {
        // Cut where a word ends, not inside one: "…over the limit 50% …", never "…(--max-wri…".
        const QString ellipsis = u" …"_s;
        qsizetype end = std::max<qsizetype>(0, fontMetrics().elidedText(m_message, Qt::ElideRight, room).size() - 1);
        if (end < m_message.size() && !m_message.at(end).isSpace())
            end = m_message.lastIndexOf(u' ', end);
        while (end > 0 && fontMetrics().horizontalAdvance(m_message.left(end).trimmed() + ellipsis) > room)
            end = m_message.lastIndexOf(u' ', end - 1);
        shown = end > 0 ? m_message.left(end).trimmed() + ellipsis
                        : fontMetrics().elidedText(m_message, Qt::ElideRight, room); // one long word
    }
    setText(shown);
    setToolTip(!m_whole.isEmpty() ? m_whole : shown == m_message ? QString() : m_message);
}
