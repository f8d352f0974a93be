// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

// RecentFiles: the most recently opened caches, newest first, kept in QSettings. A change is
// seen at once by paths() (every RecentFiles of the process) and written to the settings file on
// a thread of its own, one write after another, the latest list last: the GUI thread never waits
// for QSettings' sync to disk, which takes as long as the disk does (docs/BENCHMARKS.md,
// "Numbers behind constants"). waitForWrites() waits
// for the writes started (the window's menus call it when they go).
class RecentFiles {
public:
    static constexpr int MaxCount = 8;
    QStringList paths() const;
    void add(const QString& path);
    void remove(const QString& path);
    static void waitForWrites();

private:
    static void save(const QStringList& list);
};
