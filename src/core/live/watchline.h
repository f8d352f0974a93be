// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "live/healthwarning.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

struct Snapshot;

// WatchLine: one line of `cachescope-cli watch` — the docs/CLI.md JSON contract — as a value,
// written by `watch` (from a Snapshot) and read back by the GUI (from the line the `watch` child
// printed). Each key is named once, in a table of fields that both writes and reads it
// (watchline.cpp), so the two sides cannot drift apart. Missing keys keep their defaults.
// Also the aligned text line of `watch` without --json. A plain value; any thread.
struct WatchLine {
    struct Holder {
        qint64 pid = 0;
        QString name;
        QString cmdline;
    };
    struct Reader : Holder {
        int slot = 0;
        qint64 readMark = 0;
        bool isWriter = false;
        bool pinning = false;
    };
    // A process that wrote during the last interval (writers), or the last 10 s (recentWriters).
    struct Writer : Holder {
        QString command;
        std::optional<double> writesPerSecond;
        std::optional<double> bytesPerSecond;
        QStringList evidence; // "fanotify", "lock", "io"
        double lockShare = 0;
        std::optional<qint64> commits; // where they can be attributed
        QStringList files; // fanotify: "db", "wal", "journal"
        std::optional<qint64> lastWroteMsAgo; // recentWriters only
    };
    struct Process : Holder {
        QStringList files;
        QStringList writableFiles;
        QStringList deletedFiles;
    };
    struct WriterLock : Holder {
        qint64 heldMs = 0;
    };

    qint64 tMs = 0;
    // When the line was read (ms since the epoch): set by the GUI's reader (ActivityFeed), not a
    // key of the line; 0 when not set. Every panel that shows the sample shows this time.
    qint64 readAtMs = 0;
    // The write lock's holder is the GUI that reads the line (its own checkpoint, vacuum or prune): set by the GUI's
    // reader (ActivityFeed) for a cache on this host, never a key of the line. Every panel names it "CacheScope (this
    // window)", never by its pid as a client of the cache.
    bool writerIsThisProcess = false;
    std::optional<qint64> dbBytes, walBytes, shmBytes, journalBytes; // null: the file does not exist
    QString filesState; // "at_rest", "live", "stale"
    QString journalMode; // "wal", "rollback", ""
    QString walIndexState; // "absent", "live", …
    std::optional<QString> walIndexError;
    std::optional<qint64> committedFrame, backfilled, commitCounter, lagFrames; // live -shm only
    std::optional<qint64> backfillAttempted, dbPages, pageSize; // live -shm only (else absent)
    // commits_per_s / frames_per_s: ratesKnown false while they are null.
    double commitsPerSecond = 0;
    double framesPerSecond = 0;
    bool ratesKnown = false;
    // A rate over less than this is not shown (the GUI says "measuring…"): over 0.1 s one commit
    // more or less swings it by 10 commits/s.
    static constexpr qint64 MinShownRateSpanMs = 1000;
    bool ratesShown() const { return ratesKnown && rateSpanMs >= MinShownRateSpanMs; }
    bool ratesLowerBound = false;
    qint64 rateWindowMs = 0;
    qint64 rateSpanMs = 0; // what the rates cover: shorter than rateWindowMs in the first samples
    bool walReset = false;
    qint64 counterRestarts = 0;
    qint64 sidecarGenerations = 0;
    qint64 commitsTotal = 0;
    bool commitsExact = false;
    std::optional<QString> commitsMissedReason;
    qint64 commitsInterval = 0;
    QString attribution; // "fanotify", "sampled"
    std::optional<QString> attributionNote;
    QList<Writer> writers; // wrote during the last interval
    QList<Writer> recentWriters; // wrote during the last 10 s, with their commits over it
    qint64 writersRecently = 0;
    // fanotify: every commit of the last 10 s went to the one process heard writing it, so
    // writers, recent_writers and their commits are exact; false when several wrote at once
    // (commits split by their writes), the cache was busy (fanotify listens part of the time: a
    // writer can go unnamed) or it is on a network filesystem (other hosts' writes raise no
    // event here); null with the sampled method.
    std::optional<bool> writersExact;
    // How long ago a process the watch leaves out (--exclude-pid, or a CacheScope process it
    // started) wrote the cache, within the last 10 s; null otherwise (fanotify only).
    std::optional<qint64> excludedWroteMsAgo;
    std::optional<qint64> writeOpeners;
    std::optional<QString> rollbackLock;
    std::optional<double> writeLockBusy;
    std::optional<qint64> writerPid;
    std::optional<WriterLock> writer;
    QList<qint64> readerPids;
    QList<Reader> readers;
    std::optional<qint64> pinningPid;
    std::optional<qint64> checkpointPinnedMs; // how long pinningPid has pinned it (with pinningPid)
    qint64 walValidFrames = 0;
    qint64 walContentBytes = 0;
    bool walReadDeleted = false;
    qint64 checkpointSeq = 0;
    qint64 resetsSeen = 0;
    HealthWarnings warnings;
    HealthWarnings notices; // said once (absent when none)
    std::optional<QList<Process>> processes; // only in lines that carry the process list

    static WatchLine of(const Snapshot& snapshot, qint64 tMs);
    QJsonObject toJson() const;
    static WatchLine fromJson(const QJsonObject& object);
    static std::optional<WatchLine> fromJson(const QByteArray& line); // nullopt: not a JSON object

    static QString textHeader();
    QString text() const; // columns as in textHeader()

    const Reader* pinningReader() const;
    qint64 writerHeldMs() const { return writer ? writer->heldMs : 0; }
};
