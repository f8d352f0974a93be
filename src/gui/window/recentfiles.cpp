// SPDX-License-Identifier: GPL-3.0-or-later
#include "window/recentfiles.h"

#include "window/demosession.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>

using namespace Qt::Literals::StringLiterals;

namespace {
const QString key = u"recentFiles"_s;

// A demo's cache lives in a temporary folder removed when the demo ends: never worth recalling.
bool isDemoCache(const QString& path)
{
    const QFileInfo folder(QFileInfo(path).absolutePath());
    return folder.fileName().startsWith(DemoSession::directoryPrefix())
        && QFileInfo(folder.absolutePath()).canonicalFilePath() == QFileInfo(QDir::tempPath()).canonicalFilePath();
}
} // namespace

QStringList RecentFiles::paths() const
{
    QStringList list = QSettings().value(key).toStringList();
    list.removeIf(isDemoCache); // left by versions that remembered them
    return list;
}

void RecentFiles::add(const QString& path)
{
    if (isDemoCache(path))
        return;
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
