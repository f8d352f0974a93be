// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/activityfeed.h"
#include "pages/activitypage.h"
#include "window/mainwindow.h"

#include <QSignalSpy>
#include <QTest>

// MainWindow opens a cache on a worker (CacheOpener): openDatabase() returns at once and
// openFinished() says how it ended. openAndWait() starts the open and waits (up to 60 s) for
// that end; true when the cache is shown, false when the window shows why it is not.
inline bool openAndWait(MainWindow& window, const QString& path, Database::Mode mode,
    MainWindow::Remember remember = MainWindow::Remember::Yes)
{
    QSignalSpy finished(&window, &MainWindow::openFinished);
    window.openDatabase(path, mode, remember);
    if (!finished.wait(60000))
        return false;
    return finished.first().first().toBool();
}

// Shows the window, waits until it is exposed and opens path in it (openAndWait): true when the
// window came up and the cache is shown.
inline bool showAndOpen(MainWindow& window, const QString& path, Database::Mode mode,
    MainWindow::Remember remember = MainWindow::Remember::Yes)
{
    window.show();
    return QTest::qWaitForWindowExposed(&window) && openAndWait(window, path, mode, remember);
}

// Keeps the window's latest Activity sample in `last` (connected with `context`, which must not
// outlive `last`) and waits (up to 30 s) until the page has shown three: true when it has.
inline bool followActivity(MainWindow& window, QObject* context, ActivitySample& last)
{
    ActivityPage* activity = window.activityPage();
    QObject::connect(
        activity->feed(), &ActivityFeed::sampleReceived, context, [&last](const ActivitySample& s) { last = s; });
    return QTest::qWaitFor([activity] { return activity->samplesShown() > 2; }, 30000);
}
