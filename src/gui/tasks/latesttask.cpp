// SPDX-License-Identifier: GPL-3.0-or-later
#include "tasks/latesttask.h"

CancelToken LatestTask::start()
{
    m_current.cancel();
    m_current = CancelToken();
    return m_current;
}

void LatestTask::drop()
{
    m_current.cancel();
    m_current = CancelToken(); // no task started with it: nothing is current
}
