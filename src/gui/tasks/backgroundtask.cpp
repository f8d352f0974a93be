// SPDX-License-Identifier: GPL-3.0-or-later
#include "tasks/backgroundtask.h"

namespace {
struct GuiPool : QThreadPool {
    GuiPool()
    {
        setMaxThreadCount(8);
        setObjectName(QStringLiteral("CacheScope background tasks"));
    }
    ~GuiPool() override { waitForDone(); }
};
Q_GLOBAL_STATIC(GuiPool, guiPool)
} // namespace

QThreadPool* BackgroundTask::pool()
{
    return guiPool();
}
