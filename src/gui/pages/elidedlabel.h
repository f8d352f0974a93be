// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QLabel>

// ElidedLabel: a one-line plain-text label that, when its text is wider than the room it has,
// shows as much as fits with "…" at the end instead of a clipped first letter, and shows the
// whole text on hover. text() is always the whole text. Takes any width it is given (a status
// line beside buttons, a table name of 1 MiB). GUI thread.
class ElidedLabel : public QLabel {
    Q_OBJECT
public:
    explicit ElidedLabel(QWidget* parent = nullptr);

    bool isElided() const; // the text is cut on screen
    QString shownText() const; // what is painted

    QSize minimumSizeHint() const override;

    // For a widget that shortens its text: on a tooltip event while the text is cut, shows the
    // whole text (then the widget's own tooltip, if set) and returns true; else false.
    static bool showWholeText(QWidget* widget, QEvent* event, bool shortened, const QString& whole);

protected:
    bool event(QEvent* event) override;
    void paintEvent(QPaintEvent* event) override;
};
