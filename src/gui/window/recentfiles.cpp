// SPDX-License-Identifier: GPL-3.0-or-later
#include "window/recentfiles.h"

#include "window/demosession.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <QThreadPool>

#include <mutex>
#include <optional>

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
// The list given to save() and not yet written to the settings file: what paths() returns meanwhile.
struct PendingList {
    std::mutex mutex;
    std::optional<QStringList> list;
};

PendingList& pending()
{
    static PendingList instance;
    return instance;
}

// One thread, so the writes land in the order they were asked for.
QThreadPool& writer()
{
    static QThreadPool pool;
    static const bool once = [] {
        pool.setMaxThreadCount(1);
        return true;
    }();
    (void)once;
    return pool;
}
} // namespace

void RecentFiles::save(const QStringList& list)
{
    {
        const std::lock_guard lock(pending().mutex);
        pending().list = list;
    }
    writer().start([] {
        QStringList latest;
        {
            const std::lock_guard lock(pending().mutex);
            if (!pending().list)
                return; // an earlier task wrote it already
            latest = *pending().list;
        }
        {
            QSettings settings;
            settings.setValue(key, latest);
            settings.sync();
        }
        const std::lock_guard lock(pending().mutex);
        if (pending().list == latest)
            pending().list.reset(); // written: read from the settings again
    });
}

void RecentFiles::waitForWrites()
{
    writer().waitForDone();
}

QStringList RecentFiles::paths() const
{
    {
        const std::lock_guard lock(pending().mutex);
        if (pending().list)
            return *pending().list;
    }
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
    save(list);
}

void RecentFiles::remove(const QString& path)
{
    QStringList list = paths();
    if (list.removeAll(QFileInfo(path).absoluteFilePath()) > 0)
        save(list);
}
