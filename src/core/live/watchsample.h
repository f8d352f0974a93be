// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "wal/walindex.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

// WatchSample: one line of `cachescope-cli watch`: the sizes of db/-wal/-shm, what the -shm
// header says (only while it is live) and the commit and frame rates since the previous
// sample. Converts itself to the DESIGN.md JSON line and to an aligned text line. Fields for
// lock and process information (writer, readers, lag) are optional and null until filled.
// An immutable value; any thread.
struct WatchSample {
    enum class IndexState { Absent, Live, Initialising, Stale, Invalid };

    qint64 tMs = 0; // since the watch started
    qint64 dbBytes = -1; // -1: the file does not exist
    qint64 walBytes = -1;
    qint64 shmBytes = -1;
    qint64 journalBytes = -1; // the rollback journal, while a DELETE-mode writer commits
    IndexState indexState = IndexState::Absent;
    QString indexError; // why the -shm header could not be read (Invalid/Initialising)
    std::optional<WalIndex::Header> header; // set only while the index is live
    std::optional<double> commitsPerSecond; // null on the first sample or across a new -shm
    std::optional<double> framesPerSecond;
    bool walReset = false; // the WAL restarted at frame 1 since the previous sample

    // Filled by the lock/process layer when it knows them.
    std::optional<qint64> writerPid;
    std::optional<QList<qint64>> readerPids;
    std::optional<qint64> lagFrames;

    QJsonObject toJson() const;
    QString toText() const; // one line, columns as in textHeader()
    static QString textHeader();
    static QString indexStateName(IndexState state);
};
