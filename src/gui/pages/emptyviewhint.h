// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QString>

class QAbstractItemView;

// EmptyViewHint: the grey sentence an item view shows while its model has no rows — "No
// process holds a read snapshot now." — instead of an empty white box that says nothing.
// Paints on the view's viewport (an event filter); owned by the view. GUI thread.
class EmptyViewHint : public QObject {
    Q_OBJECT
public:
    static EmptyViewHint* install(QAbstractItemView* view, const QString& text);

    QString text() const { return m_text; }
    void setText(const QString& text);
    bool isShown() const; // the view has no rows: the hint is painted

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    EmptyViewHint(QAbstractItemView* view, const QString& text);

    QAbstractItemView* m_view;
    QString m_text;
    bool m_forwarding = false; // the paint event passed on to the view itself
};
