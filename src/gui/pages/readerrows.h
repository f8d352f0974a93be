// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/activitysample.h"

#include <QCoreApplication>

class QTreeWidget;

// ReaderRows: the Activity page's readers table filled from one sample — a row per process holding
// a read slot of the -shm (its pid, slot, read mark, what it is: "the writer's own snapshot", or
// "pins the checkpoint", that row highlighted and bold), its command line cut in its middle and
// whole on hover. GUI thread.
class ReaderRows {
    Q_DECLARE_TR_FUNCTIONS(ReaderRows)

public:
    static void fill(QTreeWidget* tree, const ActivitySample& sample);
};
