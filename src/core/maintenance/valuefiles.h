// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/error.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

// ValueFiles: the files a diskcache database keeps its large values in (Cache.filename,
// relative to the database's folder, "ab/cd/<28 hex>.val"; docs/FORMATS.md) — which exist
// (with their sizes and file identities), which are referenced but missing, and which files in
// the value folders (two levels of two-hex-digit folders) nothing references (orphans).
// read() takes the references through one short read-only connection that it closes before
// returning (no lasting read transaction, nothing written), then only lstat()s; it never
// opens a value file. References are untrusted: one that is absolute, climbs out with "..",
// passes through a symbolic link or names something that is not a regular file is listed in
// `unsafe`, never resolved. A database that is not a diskcache has none (isDiskcache false),
// and neither has one not named cache.db (a backup copy beside it shares the live cache's files).
// A plain value; any thread.
class ValueFiles {
public:
    struct File {
        QString relative; // as stored in Cache.filename (or found on disk, for orphans)
        QString path; // folder + relative
        qint64 bytes = -1; // on disk; -1 when missing
        qint64 expectedBytes = -1; // Cache.size
        quint64 device = 0;
        quint64 inode = 0;
    };
    static constexpr qint64 MaxReferences = 5'000'000; // more is refused as hostile
    static constexpr qint64 MaxOrphanWalk = 1'000'000; // directory entries looked at for orphans

    bool isDiskcache = false;
    QString folder;
    QList<File> present;
    QList<File> missing;
    QList<File> orphans;
    QStringList unsafe; // references refused: reason each
    bool orphanWalkTruncated = false;

    // References of the database at dbPath (its own short read-only connection).
    // anyName: dbPath is a diskcache copy under a temporary name (VACUUM INTO's partial copy);
    // otherwise only a file named cache.db is taken for a diskcache.
    static Result<ValueFiles> read(const QString& dbPath, int busyTimeoutMs = 5000, bool anyName = false);
    // Checks one reference (file.relative) below folder by lstat() alone and fills file.bytes
    // (-1: missing), device and inode: empty when it is a regular file or missing, else why it
    // is unsafe to touch (absolute, "..", through a symbolic link, not a regular file).
    static QString locate(const QString& folder, File& file);
    qint64 presentBytes() const;
    qint64 orphanBytes() const;
    // The value folders (relative "ab", "ab/cd") that hold the given files, deepest first.
    static QStringList foldersOf(const QList<File>& files);
    QJsonObject toJson() const; // counts and bytes, for info/scan
};
