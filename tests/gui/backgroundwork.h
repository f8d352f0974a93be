// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tasks/backgroundtask.h"

#include <QCoreApplication>
#include <QDeadlineTimer>

// Waits until BackgroundTask's pool has no task left and every result has reached the GUI
// thread (results are delivered by queued events, and one may start the next task): after it,
// whatever work already started would have done to the window is done. For tests that assert
// something did NOT happen, instead of sleeping "long enough". False on timeout.
inline bool waitForBackgroundWork(int timeoutMs = 30000)
{
    const QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        if (!BackgroundTask::pool()->waitForDone(int(std::max<qint64>(1, deadline.remainingTime()))))
            return false;
        QCoreApplication::sendPostedEvents();
        QCoreApplication::processEvents();
        if (BackgroundTask::pool()->activeThreadCount() == 0)
            return true;
    }
    return false;
}
