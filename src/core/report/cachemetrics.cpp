// SPDX-License-Identifier: GPL-3.0-or-later
#include "report/cachemetrics.h"

#include "live/snapshot.h"

#include <QSet>

CacheMetrics CacheMetrics::of(const Snapshot& s, const Counts& counts)
{
    CacheMetrics m;
    m.path = s.path;
    m.format = counts.format;
    m.up = s.file(CacheFiles::Kind::Db).exists && !s.journalMode.isEmpty();
    m.dbBytes = s.fileBytes(CacheFiles::Kind::Db);
    m.walBytes = s.fileBytes(CacheFiles::Kind::Wal);
    m.shmBytes = s.fileBytes(CacheFiles::Kind::Shm);
    m.valueFilesBytes = counts.valueFilesBytes;
    m.commitsTotal = s.commitsTotal;
    const bool live = s.walIndex && s.walIndex->isLive();
    m.walFrames = live ? qint64(s.walIndex->committedFrame) : s.walFile.validFrames;
    m.checkpointLagFrames = live ? s.lagFrames() : 0;
    m.checkpointPinnedSeconds = s.pinning() ? double(s.pinnedForMs) / 1000.0 : 0;
    m.writeLockBusy = s.writeLockBusy;
    const QList<qint64> readerPids = s.readerPids();
    m.readers = QSet<qint64>(readerPids.cbegin(), readerPids.cend()).size();
    m.writers = s.writersRecently;
    m.entries = counts.entries;
    m.expiredEntries = counts.expiredEntries;
    for (const HealthWarning& warning : s.warnings)
        m.warningCodes << warning.code;
    return m;
}
