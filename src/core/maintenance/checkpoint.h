// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/error.h"
#include "live/healthwarning.h"
#include "os/cacheholders.h"

#include <QJsonObject>
#include <QString>

#include <optional>

// Checkpoint: runs one sqlite3_wal_checkpoint_v2 on a WAL cache through its own short-lived
// ReadWrite connection and reports what it did (docs/WAL.md §5): busy flag, frames in the
// log, frames checkpointed, -wal size before and after, and — when it could not complete —
// the readers/writers that stopped it. FULL, RESTART and TRUNCATE stall writers while they
// wait, so they wait at most a bounded busy timeout. It never switches the journal mode: a
// database that is not in WAL mode is an error. Runs on the calling thread (blocks up to the
// timeout); use it off the GUI thread for FULL and above.
class Checkpoint {
public:
    enum class Mode { Passive, Full, Restart, Truncate };
    struct Options {
        Mode mode = Mode::Passive;
        int busyTimeoutMs = 5000;
        // A -wal that cannot belong to the database (WalOrigin) is refused unless accepted.
        bool acceptForeignWal = false;
        // Writers seen before (BriefWatch, the GUI's Activity tab): named in the warnings with
        // the write lock's holders at the start.
        QList<qint64> alsoWriting = {};
    };
    struct Outcome {
        Mode mode = Mode::Passive;
        int busyTimeoutMs = 0;
        bool busy = false;
        int logFrames = 0;
        int checkpointedFrames = 0;
        // The frames the -wal held that were not yet in the database as it began (mxFrame − nBackfill of the -shm
        // header, read through its own connection); -1 when unknown. After TRUNCATE SQLite reports the new, empty log
        // (0, 0); RESTART reports the log it leaves in place, every frame copied back.
        qint64 framesWaitingBefore = -1;
        // The frames this run copied back into the database: nBackfill after the run less nBackfill before for
        // PASSIVE, FULL and RESTART (frames committed while it waited count; frames another process copied before
        // it do not; after a writer restarted the log while it waited, the new log's frames), framesWaitingBefore
        // for TRUNCATE; -1 when unknown.
        qint64 framesCopied = -1;
        qint64 walBytesBefore = -1;
        qint64 walBytesAfter = -1;
        QList<CacheHolders::Process> blockers; // only when incomplete
        HealthWarnings warnings; // e.g. the WAL-reset bug with writers active

        // Busy, or not every frame in the log was copied back, or TRUNCATE left bytes behind.
        bool incomplete() const;
        QJsonObject toJson() const;
        // toJson()'s object read back (a checkpoint run on another host, `checkpoint --json` there).
        static Outcome fromJson(const QJsonObject& json);
        // The warnings first, unless the caller already showed them before acting (the CLI
        // prints them on stderr then: once is enough in a terminal).
        QString toText(bool withWarnings = true) const;
        // How the -wal's size changed, in the words of every checkpoint result (the CLI's text, the
        // dialog): "stayed at 101 KiB" (PASSIVE never truncates it), else "went from 4.0 MiB to 0 B".
        // noBreak: each size with a no-break space, for a label that wraps.
        QString walSizeWords(bool noBreak = false) const;
        // What a complete checkpoint copied back, in the words of every checkpoint result (the CLI's text, the
        // dialog): "1,024 frames copied back", "nothing was waiting to be copied back" (every frame was already in
        // the database), or, when the count before is unknown, "every frame copied back" / "3 of 5 frames copied back".
        QString copiedWords() const;
    };

    static Result<Outcome> run(const QString& dbPath, const Options& options);
    // Warnings to show before running (WAL-reset bug while writers are active): the writers are
    // the processes holding the write lock now (CacheHolders::writers) and alsoWriting.
    static HealthWarnings warningsBefore(const QString& dbPath, const QList<qint64>& alsoWriting = {});
    // The processes holding the write lock now (CacheHolders::writers), then alsoWriting's others.
    static QList<qint64> writersNow(const QString& dbPath, const QList<qint64>& alsoWriting);
    // What warningsBefore says about these writers (the GUI passes the ones Activity names too).
    static HealthWarnings writerWarnings(const QList<qint64>& writerPids);
    // Processes by pid and name: "PID 1 (python3), PID 2 (python3)".
    static QString processesText(const QList<std::pair<qint64, QString>>& processes);
    // Who writes, said before acting — the Checkpoint dialog from the Activity tab's sample, the CLI
    // from a BriefWatch; `when` says as of when ("— live, as of 12:00:01"): "2 processes are writing
    // to this cache: PID 1 (python3), PID 2 (python3) — …". Empty when nobody writes.
    static QString writingNowText(const QList<std::pair<qint64, QString>>& writers, const QString& when);
    // writingNowText, then what that means for a checkpoint: it may not reach the end of the -wal.
    static QString writersText(const QList<std::pair<qint64, QString>>& writers, const QString& when);
    // "Reader PID 7 (python3) pins the checkpoint at frame 1,200: …" — the CLI's note and the Activity tab's checkpoint
    // line; "A reader CacheScope cannot see (…) pins …" for a pid /proc/locks does not give (0, -1).
    static QString pinnedText(qint64 pid, const QString& name, qint64 readMark);

    static QString modeName(Mode mode); // "passive", …
    static std::optional<Mode> parseMode(const QString& name);
    // FULL, RESTART and TRUNCATE take the write lock and stall writers while they wait.
    static bool stallsWriters(Mode mode) { return mode != Mode::Passive; }
};
