// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QCoreApplication>
#include <QMetaObject>
#include <QObject>
#include <QPointer>
#include <QThread>

#include <functional>
#include <memory>

// BackgroundTask: runs one blocking core call (checkpoint, vacuum, safe delete, scan) on its
// own short-lived QThread and hands the result to `done` on the GUI thread by a queued call,
// unless `context` is gone by then (the result is dropped). The thread deletes itself.
namespace BackgroundTask {

template <typename T> void run(QObject* context, std::function<T()> work, std::function<void(T)> done)
{
    QPointer<QObject> guard(context);
    QThread* thread = QThread::create([guard, work = std::move(work), done = std::move(done)]() mutable {
        auto result = std::make_shared<T>(work());
        // Delivered through the application object (it outlives every dialog); the guard is
        // only looked at on the GUI thread, where the context could have been deleted.
        QMetaObject::invokeMethod(
            QCoreApplication::instance(),
            [guard, result, done]() {
                if (guard)
                    done(std::move(*result));
            },
            Qt::QueuedConnection);
    });
    QObject::connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    thread->start();
}

} // namespace BackgroundTask
