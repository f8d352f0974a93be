// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "os/cachefiles.h"
#include "live/healthwarning.h"
#include "os/locktable.h"
#include "os/processtable.h"
#include "wal/walfile.h"
#include "wal/walindex.h"

#include <QJsonObject>
#include <QList>

#include <optional>

// Snapshot: one sample of everything known about a live cache — file sizes, filesystem, the
// -shm header (WalIndex), what the -wal holds (WalFile), who holds which lock (LockTable),
// optionally who has the files open (ProcessTable) — plus what follows from it and the
// previous sample: commit/frame rates, the writer and how long it has held the write lock,
// the readers with their read marks, the reader pinning the checkpoint, and health warnings.
// Built by Sampler (which owns the kept-open fds); afterwards an immutable value that can be
// copied to any thread.
struct Snapshot {
    struct Holder {
        qint64 pid = 0;
        QString name;
        QString cmdline;
        bool ofd = false;
    };
    struct Writer : Holder {
        qint64 heldSinceMs = 0; // steady-clock ms (same clock as takenAtMs)
        qint64 heldForMs = 0;
    };
    struct Reader : Holder {
        int slot = 0; // read0..read4
        quint32 readMark = 0; // end of its snapshot (frames); 0 for slot 0
        bool isWriter = false;
    };

    qint64 takenAtMs = 0; // steady clock
    QString path;
    CacheFiles::FileInfo files[CacheFiles::KindCount];
    CacheFiles::Filesystem filesystem;
    QString journalMode; // "wal", "rollback", or empty when the db header is unreadable
    std::optional<WalIndex::Header> walIndex;
    QString walIndexProblem;
    WalFile::Summary walFile;
    LockTable locks;
    QString locksProblem;
    bool processesScanned = false;
    ProcessTable processes;

    bool ratesValid = false;
    double commitsPerSecond = 0;
    double framesPerSecond = 0;
    double walBytesPerSecond = 0;
    qint64 resetsSeen = 0; // WAL resets seen by this sampler (salt-1 changed)

    std::optional<Writer> writer;
    QList<Reader> readers;
    int pinningReader = -1; // index into readers, or -1
    qint64 pinnedSamples = 0; // consecutive samples the same pid pinned the checkpoint
    HealthWarnings warnings;

    const CacheFiles::FileInfo& file(CacheFiles::Kind kind) const { return files[int(kind)]; }
    qint64 fileBytes(CacheFiles::Kind kind) const { return files[int(kind)].exists ? files[int(kind)].bytes : 0; }
    qint64 lagFrames() const { return walIndex ? walIndex->checkpointLag() : 0; }
    const Reader* pinning() const { return pinningReader >= 0 ? &readers.at(pinningReader) : nullptr; }
    QList<qint64> readerPids() const;
    bool hasWarning(const QString& code) const;

    // The JSON contract's pieces (DESIGN.md).
    QJsonValue walJson() const; // "wal" object or null
    QJsonValue writerJson() const; // {"pid","name","cmdline", …} or null
    QJsonArray readersJson() const;
    QJsonArray warningsJson() const;
    // The activity fields of one `watch --json` line (all but t_ms): sizes, -shm counters,
    // rates, writer_pid, reader_pids, lag_frames, and the writer/readers/WAL facts/warnings the
    // GUI's Activity page shows; "processes" only when they were scanned.
    QJsonObject sampleJson() const;
    // Filled by Sampler: derived values against the previous sample.
    void derive(const Snapshot* previous);

private:
    void deriveRates(const Snapshot& previous);
    void deriveWriter(const Snapshot* previous);
    void deriveReaders();
    void derivePinning(const Snapshot* previous);
    Holder holderFor(const LockTable::Lock& lock) const;
};
