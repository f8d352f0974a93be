// SPDX-License-Identifier: GPL-3.0-or-later
#include "window/statusline.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QResizeEvent>
#include <QTimer>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

StatusLine::StatusLine(QWidget* parent)
    : QLabel(parent)
{
    setObjectName(u"statusLine"_s);
    setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    setTextFormat(Qt::PlainText);
    m_expiry = new QTimer(this);
    m_expiry->setObjectName(u"statusLineExpiry"_s);
    m_expiry->setSingleShot(true);
    connect(m_expiry, &QTimer::timeout, this, [this] {
        m_message = m_state; // the standing message (a crossed limit), if any, comes back
        m_whole = m_stateWhole;
        fit();
    });
}

int StatusLine::readingTimeMs(const QString& message)
{
    return int(std::min<qsizetype>(60000, 15000 + 60 * std::max<qsizetype>(0, message.size() - 100)));
}

void StatusLine::setMessage(const QString& message)
{
    m_message = message;
    m_whole.clear();
    fit();
    if (message.isEmpty()) { // cleared (the cache went): the standing message goes too
        m_expiry->stop();
        m_state.clear();
        m_stateWhole.clear();
    } else
        m_expiry->start(std::max(m_minimumMs, readingTimeMs(message) - 15000 + m_minimumMs));
}

void StatusLine::replaceMessage(const QString& replaced, const QString& message, const QString& whole)
{
    if (!replaced.isEmpty() && m_state != replaced)
        return; // gone on to another state, or cleared, since
    // A new state is shown at once; a change of the one standing waits while an action's message is up.
    const bool shown = replaced.isEmpty() || m_message == replaced;
    m_state = message;
    m_stateWhole = whole;
    if (!shown)
        return;
    m_expiry->stop(); // it goes when what it follows does
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

void StatusLine::mouseReleaseEvent(QMouseEvent* event)
{
    QLabel::mouseReleaseEvent(event);
    if (toolTip().isEmpty()) // whole already, with nothing more to say
        return;
    // Whole at once, wrapped, above the line: a popup that any click or Esc closes (a tooltip closes on the
    // click's own release).
    if (!m_popup) {
        m_popup = new QLabel(this, Qt::Popup);
        m_popup->setObjectName(u"statusLineWhole"_s);
        m_popup->setTextFormat(Qt::PlainText);
        m_popup->setWordWrap(true);
        m_popup->setTextInteractionFlags(Qt::TextSelectableByMouse);
        m_popup->setFrameShape(QFrame::Box);
        m_popup->setMargin(6);
        m_popup->installEventFilter(this); // Esc closes it
        m_popup->setAttribute(Qt::WA_NoMouseReplay); // the click that closes it does not open it again
    }
    m_popup->setText(toolTip());
    m_popup->setFixedWidth(std::max(width(), 200));
    m_popup->adjustSize();
    m_popup->move(mapToGlobal(QPoint(0, -m_popup->height())));
    m_popup->show();
}

bool StatusLine::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_popup && event->type() == QEvent::KeyPress
        && static_cast<QKeyEvent*>(event)->key() == Qt::Key_Escape) {
        m_popup->hide();
        return true;
    }
    return QLabel::eventFilter(watched, event);
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
    setCursor(toolTip().isEmpty() ? Qt::ArrowCursor : Qt::PointingHandCursor); // a click shows it whole
    if (m_popup && m_popup->text() != toolTip())
        m_popup->hide(); // what it showed is no longer said
}
