// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QMutex>

#include <atomic>
#include <list>
#include <memory>
#include <thread>

class QTemporaryDir;

// CopyRemovals: the removals of OpenPlan's private copies nobody reads any more, each on a
// thread of its own (unlinking a large copy takes the kernel a noticeable time, and the last
// user may be the GUI thread); the ones still running are joined by waitAll() and at exit. A
// copy released after that (a pool thread ending during static destruction) is removed on the
// spot. Any thread.
class CopyRemovals {
public:
    // Removes `dir` and the copy in it (QTemporaryDir's deleter for a private copy).
    static void release(QTemporaryDir* dir);
    // Waits until the removals started so far have ended.
    static void waitAll();

private:
    static CopyRemovals& instance();
    ~CopyRemovals();
    void add(QTemporaryDir* dir);
    void join();

    struct Removal {
        std::thread thread;
        std::shared_ptr<std::atomic_bool> done;
    };
    QMutex m_mutex;
    std::list<Removal> m_running;
};
