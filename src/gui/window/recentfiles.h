// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

// RecentFiles: the most recently opened caches, newest first, kept in QSettings.
class RecentFiles {
public:
    static constexpr int MaxCount = 8;
    QStringList paths() const;
    void add(const QString& path);
    void remove(const QString& path);
};
