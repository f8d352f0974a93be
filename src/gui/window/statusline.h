// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QLabel>

class QTimer;

// StatusLine: the status bar's message about the open cache (how it was opened, a crossed limit
// with no desktop to notify, what a maintenance run did), in the room left of the cache's status.
// A message longer than that room ends at the last whole word that fits, with "…", and is whole
// in the tooltip; it is cut again whenever that room changes. (QStatusBar::showMessage cut it
// mid-word at the edge of the cache's status, and a menu's status tip erased it for good; a
// status tip hides this line only while it is shown.) A cut message is shown whole when the line is
// clicked. What setMessage() says (what an action did, how the cache was opened) goes after the time
// it takes to read it (readingTimeMs); what replaceMessage() says follows a state (a crossed limit)
// and stays until that state replaces or clears it (an action's message shown meanwhile hides it only
// until that message goes). GUI thread.
class StatusLine : public QLabel {
    Q_OBJECT
public:
    explicit StatusLine(QWidget* parent = nullptr);

    void setMessage(const QString& message);
    void clearMessage();
    // A message that follows what it is about (LimitAlerts::statusMessage): set unless the line has gone on to say
    // something else since `replaced` (empty: set anyway); `whole`, when given, is its tooltip.
    void replaceMessage(const QString& replaced, const QString& message, const QString& whole);
    // The whole message, however much of it fits.
    QString message() const { return m_message; }

    // How long setMessage()'s text stays: 15 s, plus 60 ms a character past 100 (a reading pace with time to look
    // up), at most 60 s.
    static int readingTimeMs(const QString& message);
    // Tests: the shortest time a message stays (15 s unless set).
    void setMinimumReadingTime(int ms) { m_minimumMs = ms; }
    bool isCut() const { return text() != m_message; }
    QLabel* popup() const { return m_popup; } // tests: the whole message a click shows

    // As narrow as the status bar needs: the cache's status to its right keeps its width.
    QSize minimumSizeHint() const override;

protected:
    void resizeEvent(QResizeEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void fit();

    QString m_message;
    QString m_whole; // the tooltip, if longer than the message
    QTimer* m_expiry = nullptr;
    QString m_state; // the standing message (replaceMessage), shown again when an action's message goes
    QString m_stateWhole;
    QLabel* m_popup = nullptr; // the whole message, shown by a click on a cut one
    int m_minimumMs = 15000;
};
