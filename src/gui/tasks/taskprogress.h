// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QMetaObject>
#include <QPointer>

#include <functional>
#include <memory>

// TaskProgress<P>: the one way a background task's progress reaches the GUI. Made on the GUI
// thread with the object that shows it; the worker calls report(p) and `show(p)` runs later on
// the GUI thread — never after `context` is gone, and at most once per intervalMs (a report
// made sooner is dropped, unless sent with reportNow). Copies share the pace; one worker at a
// time reports through them.
template <typename P> class TaskProgress {
public:
    TaskProgress(QObject* context, std::function<void(const P&)> show, int intervalMs = 100)
        : m_context(context)
        , m_show(std::make_shared<std::function<void(const P&)>>(std::move(show)))
        , m_pace(std::make_shared<QElapsedTimer>())
        , m_intervalMs(intervalMs)
    {
        m_pace->start();
    }

    void report(const P& progress) const
    {
        if (m_pace->elapsed() < m_intervalMs)
            return;
        reportNow(progress);
    }

    void reportNow(const P& progress) const
    {
        m_pace->restart();
        // Posted to the application object, so a context deleted meanwhile is never touched. A
        // task nobody waited for may still report after the application is gone (at exit).
        QCoreApplication* application = QCoreApplication::instance();
        if (!application)
            return;
        QMetaObject::invokeMethod(
            application,
            [context = m_context, show = m_show, progress] {
                if (context)
                    (*show)(progress);
            },
            Qt::QueuedConnection);
    }

private:
    QPointer<QObject> m_context;
    std::shared_ptr<std::function<void(const P&)>> m_show;
    std::shared_ptr<QElapsedTimer> m_pace;
    int m_intervalMs;
};
