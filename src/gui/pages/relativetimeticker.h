// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QList>
#include <QObject>
#include <QTimer>

class QTextBrowser;

// RelativeTimeTicker: keeps the "12 seconds ago" / "in 3 minutes" of a form in a QTextBrowser
// true while the form is on screen. EntryForm wraps each such text in a span titled with its
// time; whenever the browser's text is set anew, the ticker finds the marks, and once a second
// while the browser is visible it rewrites their words in place — nothing else: no row is read
// again and the form is not laid out anew, so the scroll position and a selection stay. Stops
// when the form holds no times or the browser is hidden (another tab, another page). GUI thread.
class RelativeTimeTicker : public QObject {
    Q_OBJECT
public:
    static constexpr int IntervalMs = 1000;

    RelativeTimeTicker(QTextBrowser* browser, QObject* parent);

    bool isTicking() const { return m_timer.isActive(); }

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    struct Mark {
        int position = 0; // of its text in the document
        int length = 0;
        QDateTime time;
    };

    void findMarks(); // after the browser's text was set anew
    void updateTimer();
    void tick();

    QTextBrowser* m_browser;
    QList<Mark> m_marks;
    QTimer m_timer;
    bool m_rewriting = false; // the text changes because tick() rewrites a mark
};
