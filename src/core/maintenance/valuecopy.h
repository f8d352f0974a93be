// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/error.h"

#include <QString>
#include <QStringList>

// ValueCopy: makes the copy VACUUM INTO wrote of a diskcache database a working cache by
// copying the value files the copy references (its own Cache.filename, so the files match the
// snapshot exactly) from the source folder into the copy's folder. A value a live writer
// removed between the snapshot and the copy cannot be copied: it is listed in `lost`, never
// silently dropped; one whose size differs from Cache.size is listed in `changed`. Source
// files are opened read-only without following links (they are not SQLite files, so closing
// them cannot drop a lock) and the target files are created exclusively. Blocking.
class ValueCopy {
public:
    int copied = 0;
    qint64 bytes = 0;
    QStringList lost; // referenced by the copy, gone from the source
    QStringList changed; // copied, but the size is not Cache.size
    QStringList createdPaths; // files and folders made, in creation order (for cleanup)

    // Copies the values that intoDbPath references from sourceFolder into intoDbPath's folder.
    static Result<ValueCopy> run(const QString& sourceFolder, const QString& intoDbPath);
    // Removes what run() created (after a failure), newest first.
    static void removeCreated(const QStringList& createdPaths);
};
