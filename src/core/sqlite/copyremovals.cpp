// SPDX-License-Identifier: GPL-3.0-or-later
#include "sqlite/copyremovals.h"

#include "common/privatedirs.h"

#include <QTemporaryDir>

namespace {
std::atomic_bool s_removalsEnded { false };
} // namespace

void CopyRemovals::release(QTemporaryDir* dir)
{
    if (s_removalsEnded.load()) {
        const QString folder = dir->path();
        delete dir;
        PrivateDirs::untrack(folder);
    } else
        instance().add(dir);
}

void CopyRemovals::waitAll()
{
    instance().join();
}

CopyRemovals& CopyRemovals::instance()
{
    static CopyRemovals removals;
    return removals;
}

CopyRemovals::~CopyRemovals()
{
    s_removalsEnded.store(true);
    join();
}

void CopyRemovals::add(QTemporaryDir* dir)
{
    QMutexLocker lock(&m_mutex);
    // Join the removals that have ended, so the list does not grow with each copy.
    m_running.remove_if([](Removal& r) {
        if (!r.done->load())
            return false;
        r.thread.join();
        return true;
    });
    auto done = std::make_shared<std::atomic_bool>(false);
    m_running.push_back(Removal { std::thread([dir, done] {
                                     const QString path = dir->path();
                                     delete dir; // QTemporaryDir removes the directory and the copy in it
                                     PrivateDirs::untrack(path); // only now: a signal before removes it
                                     done->store(true);
                                 }),
        done });
}

void CopyRemovals::join()
{
    std::list<Removal> running;
    {
        QMutexLocker lock(&m_mutex);
        running.swap(m_running);
    }
    for (Removal& removal : running)
        removal.thread.join();
}
