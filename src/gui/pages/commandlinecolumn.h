// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>

class QAbstractItemView;
class QHeaderView;

// CommandLineColumn: a list of processes with a command-line column, laid out as the Activity
// tab's process table and the Delete dialog's holders both show it — every other column as
// wide as its contents, the command line the rest of the width, one line cut in its middle
// (the program and the end of its arguments stay in sight; the whole line is the cell's
// tooltip, set by the model or item; the text shown: ProcessModel::shortCommandLine). Where the
// rest is narrower than leastWidth() (the Activity tab at 600 px: "Command l…" and nothing of
// the lines), the command line keeps that width and the view scrolls sideways. Lives as the
// view's child. GUI thread.
class CommandLineColumn : public QObject {
    Q_OBJECT
public:
    // view's columns laid out so; header is view's horizontal header.
    static void install(QAbstractItemView* view, QHeaderView* header, int column);
    // The least width of the command line: its title whole and a program's name beside it.
    static int leastWidth(const QHeaderView* header, int column);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    CommandLineColumn(QAbstractItemView* view, QHeaderView* header, int column);
    void fitLater();
    void fit(); // stretched to the rest of the width, or leastWidth() and a scroll bar

    QAbstractItemView* m_view;
    QHeaderView* m_header;
    int m_column;
    bool m_fitPending = false;
};
