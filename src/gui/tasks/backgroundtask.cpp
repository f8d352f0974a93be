// SPDX-License-Identifier: GPL-3.0-or-later
#include "tasks/backgroundtask.h"

#ifdef Q_OS_LINUX
#include <algorithm>
#include <cerrno>
#include <sys/resource.h>
#include <unistd.h>
#endif

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

void BackgroundTask::lowerThreadPriority()
{
#ifdef Q_OS_LINUX
    static thread_local bool lowered = false;
    if (lowered)
        return;
    lowered = true;
    // On Linux a thread's nice is its own (PRIO_PROCESS with a thread id), inherited from the
    // thread that made it: WorkerNice above that, at most 19. Raising the nice needs no
    // privilege; failing leaves the thread as it was, which only costs smoothness.
    const auto self = static_cast<id_t>(::gettid());
    errno = 0;
    const int now = ::getpriority(PRIO_PROCESS, self);
    if (errno == 0)
        (void)::setpriority(PRIO_PROCESS, self, std::min(19, now + WorkerNice));
#endif
}
