// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/relativetimeticker.h"

#include "pages/entryform.h"

#include <QEvent>
#include <QTextBlock>
#include <QTextBrowser>
#include <QTextCursor>
#include <QTextDocument>

RelativeTimeTicker::RelativeTimeTicker(QTextBrowser* browser, QObject* parent)
    : QObject(parent)
    , m_browser(browser)
{
    setObjectName(QStringLiteral("relativeTimeTicker"));
    // The rewrites are no edits a user could undo: without this the undo stack grew every second.
    m_browser->document()->setUndoRedoEnabled(false);
    m_timer.setInterval(IntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &RelativeTimeTicker::tick);
    connect(m_browser, &QTextBrowser::textChanged, this, [this] {
        if (!m_rewriting)
            findMarks();
    });
    m_browser->installEventFilter(this);
}

bool RelativeTimeTicker::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_browser && (event->type() == QEvent::Show || event->type() == QEvent::Hide))
        updateTimer();
    return QObject::eventFilter(watched, event);
}

void RelativeTimeTicker::findMarks()
{
    m_marks.clear();
    const QTextDocument* document = m_browser->document();
    for (QTextBlock block = document->begin(); block.isValid(); block = block.next()) {
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            const QTextFragment fragment = it.fragment();
            const QDateTime time = EntryForm::relativeTimeOfTitle(fragment.charFormat().toolTip());
            if (!time.isValid())
                continue;
            // One span may come in several fragments (a format differing inside it): one mark.
            if (!m_marks.isEmpty() && m_marks.last().time == time
                && m_marks.last().position + m_marks.last().length == fragment.position())
                m_marks.last().length += fragment.length();
            else
                m_marks.append({ fragment.position(), fragment.length(), time });
        }
    }
    updateTimer();
}

void RelativeTimeTicker::updateTimer()
{
    if (!m_marks.isEmpty() && m_browser->isVisible()) {
        if (!m_timer.isActive()) {
            tick(); // at once: the form may have been hidden for minutes
            m_timer.start();
        }
    } else {
        m_timer.stop();
    }
}

void RelativeTimeTicker::tick()
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    m_rewriting = true;
    // From the last mark back: a rewrite moves only the marks after it, whose positions are fixed up.
    for (qsizetype i = m_marks.size() - 1; i >= 0; --i) {
        Mark& mark = m_marks[i];
        const QString text = EntryForm::relativeTime(mark.time, now);
        QTextCursor cursor(m_browser->document());
        cursor.setPosition(mark.position);
        cursor.setPosition(mark.position + mark.length, QTextCursor::KeepAnchor);
        if (text.isEmpty() || cursor.selectedText() == text)
            continue;
        cursor.insertText(text, cursor.charFormat());
        const int moved = int(text.size()) - mark.length;
        mark.length = int(text.size());
        for (qsizetype j = i + 1; j < m_marks.size(); ++j)
            m_marks[j].position += moved;
    }
    m_rewriting = false;
}
