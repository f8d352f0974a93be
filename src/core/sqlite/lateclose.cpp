// SPDX-License-Identifier: GPL-3.0-or-later
#include "sqlite/lateclose.h"

#include <QThreadPool>

#include <unistd.h>

namespace {
// Its own pool of one thread: never Qt's global pool, whose threads the raster engine's paints
// wait for on the GUI thread.
QThreadPool& closer()
{
    static QThreadPool* pool = [] {
        auto* made = new QThreadPool; // never destroyed: a close still queued at exit is the kernel's to finish
        made->setMaxThreadCount(1);
        made->setObjectName(QStringLiteral("LateClose"));
        return made;
    }();
    return *pool;
}
} // namespace

void LateClose::close(int fd)
{
    if (fd < 0)
        return;
    closer().start([fd] { ::close(fd); });
}

bool LateClose::drain(int timeoutMs)
{
    return closer().waitForDone(timeoutMs);
}
