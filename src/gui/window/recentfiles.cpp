// SPDX-License-Identifier: GPL-3.0-or-later
#include "window/recentfiles.h"

#include <QFileInfo>
#include <QSettings>

using namespace Qt::Literals::StringLiterals;

namespace {
const QString key = u"recentFiles"_s;
}

QStringList RecentFiles::paths() const
{
    return QSettings().value(key).toStringList();
}

void RecentFiles::add(const QString& path)
{
    QStringList list = paths();
    const QString absolute = QFileInfo(path).absoluteFilePath();
    list.removeAll(absolute);
    list.prepend(absolute);
    while (list.size() > MaxCount)
        list.removeLast();
    QSettings().setValue(key, list);
}

void RecentFiles::remove(const QString& path)
{
    QStringList list = paths();
    list.removeAll(path);
    QSettings().setValue(key, list);
}
