// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

class QAbstractItemView;
class QHeaderView;

// CommandLineColumn: a list of processes with a command-line column, laid out as the Activity
// tab's process table and the Delete dialog's holders both show it — every other column as
// wide as its contents, the command line the rest of the width, one line cut in its middle
// (the program and the end of its arguments stay in sight; the whole line is the cell's
// tooltip, set by the model or item; the text shown: ProcessModel::shortCommandLine). GUI thread.
class CommandLineColumn {
public:
    // view's columns laid out so; header is view's horizontal header.
    static void install(QAbstractItemView* view, QHeaderView* header, int column);
};
