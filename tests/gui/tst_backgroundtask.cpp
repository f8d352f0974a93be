// SPDX-License-Identifier: GPL-3.0-or-later
// BackgroundTask's workers run below the GUI thread (#23.9): a busy worker must never hold a core
// the GUI thread wants for its next frame. On Linux each pool thread lowers its own nice to
// BackgroundTask::WorkerNice before its first task; the GUI thread's nice stays as it was.
#include "tasks/backgroundtask.h"

#include <QSignalSpy>
#include <QTest>

#include <cerrno>
#include <sys/resource.h>
#include <unistd.h>

namespace {
int niceOfThisThread()
{
    errno = 0;
    return ::getpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()));
}
} // namespace

class TestBackgroundTask : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void workersRunBelowTheGuiThread();
};

void TestBackgroundTask::workersRunBelowTheGuiThread()
{
    const int guiNice = niceOfThisThread();
    QObject context;
    // More tasks than one thread: every pool thread that runs one is lowered, each once.
    constexpr int Tasks = 12;
    QList<int> seen;
    for (int i = 0; i < Tasks; ++i)
        BackgroundTask::run<int>(
            &context,
            [] {
                QThread::msleep(20); // so several pool threads take part
                return niceOfThisThread();
            },
            [&seen](int nice) { seen << nice; });
    QTRY_COMPARE_WITH_TIMEOUT(seen.size(), Tasks, 30000);
    for (int nice : std::as_const(seen))
        QCOMPARE(nice, std::min(19, guiNice + BackgroundTask::WorkerNice));
    QCOMPARE(niceOfThisThread(), guiNice); // the GUI thread is left as it was
}

QTEST_MAIN(TestBackgroundTask)
#include "tst_backgroundtask.moc"
