// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QLabel>

// StatusLine: the status bar's message about the open cache (how it was opened, a crossed limit
// with no desktop to notify, what a maintenance run did), in the room left of the cache's status.
// A message longer than that room ends at the last whole word that fits, with "…", and is whole
// in the tooltip; it is cut again whenever that room changes. (QStatusBar::showMessage cut it
// mid-word at the edge of the cache's status, and a menu's status tip erased it for good; a
// status tip hides this line only while it is shown.) GUI thread.
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

    // As narrow as the status bar needs: the cache's status to its right keeps its width.
    QSize minimumSizeHint() const override;

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void fit();

    QString m_message;
    QString m_whole; // the tooltip, if longer than the message
};
