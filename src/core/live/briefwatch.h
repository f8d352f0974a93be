// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "live/snapshot.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

// BriefWatch: who writes to a cache and which reader pins its checkpoint, watched for a moment
// before `checkpoint` or `vacuum` acts — the pipeline of `watch` and the GUI's Activity tab
// (CommitCounter and Sampler), sampled every SampleMs for at most MaxMs. A writer holds the
// write lock only while it commits (python3-diskcache: well under a millisecond a set), so a
// look at the lock table at one instant rarely sees it; this names the writers of the watch
// as the GUI's dialogs name the writers of the last seconds. It opens and closes fds on the
// cache's files (docs/WAL.md §4.1): call it while this process holds no SQLite connection to
// that cache, before opening one. Blocks the calling thread for the watch.
class BriefWatch {
public:
    static constexpr qint64 MaxMs = 1000;
    static constexpr qint64 SampleMs = 100;

    struct Seen {
        qint64 watchedMs = 0; // 0: not watched
        QList<Snapshot::Holder> writers; // wrote or held the write lock while watched; pid order
        std::optional<Snapshot::Reader> pinning; // the reader pinning the checkpoint at the end
        QList<qint64> writerPids() const;
        QList<std::pair<qint64, QString>> namedWriters() const; // (pid, process name)
        // {"ms", "writers": [{"pid", "name"}], "pinning_reader": {"pid", "name", "read_mark"} or null}
        QJsonObject toJson() const;
    };

    // Watches dbPath for durationMs (at most MaxMs; 0 or less: nothing, watchedMs 0). Never
    // names this process or excludePids.
    static Seen watch(const QString& dbPath, qint64 durationMs, const QList<qint64>& excludePids = {});
};
