// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/error.h"

#include <QString>
#include <QStringList>

#include <memory>

class QTemporaryDir;

// OpenPlan: how Database opens one file so that a read-only look changes nothing on disk
// (docs/WAL.md). It checks the sidecars (-wal, -shm, -journal) are
// plain files, asks the kernel whether any process holds a lock on the db or -shm (F_OFD_GETLK,
// no lock taken), and picks:
//  - Direct: open the file itself (a live cache, a rollback cache, every read-write open);
//  - Immutable: a WAL cache at rest whose -wal is absent or holds no frame;
//  - PrivateCopy: a cache at rest whose -wal holds frames (or whose -journal is hot): reading it
//    in place would make SQLite create or rewrite the -shm (or roll the journal back), so the
//    db and that sidecar are copied into a private temporary directory and read there.
//    A copy too big for TMPDIR (or the limit) is refused, never replaced by the db file alone:
//    after a checkpoint killed midway that file alone is inconsistent. Asked to read in
//    place (`readInPlace`), a cache at rest with such a -wal is read Direct: SQLite writes the
//    -shm beside it and nothing else.
// It opens and closes fds on the cache files, which would drop this process's own POSIX locks
// (docs/WAL.md §4.1): Database only plans when it has no connection to the file itself.
// Owns the private copy, shared by every plan of this process for the same unchanged files (a
// worker's connection reads the copy the window's connection made, instead of copying again);
// it is removed when the last plan using it goes — on a thread of its own, since unlinking a
// large copy takes the kernel a noticeable time and the last user may be the GUI thread; removals
// still running are waited for at exit. Any thread; one thread at a time.
class OpenPlan {
public:
    enum class Strategy { Direct, Immutable, PrivateCopy };

    // Private copies above this size (or CACHESCOPE_PRIVATE_COPY_MAX_BYTES) are not made: the open
    // is refused (Kind::Refused) saying the cache is fine and what reading it needs.
    static constexpr qint64 MaxPrivateCopyBytes = qint64(2) << 30;

    OpenPlan();
    ~OpenPlan();
    OpenPlan(OpenPlan&&) noexcept;
    OpenPlan& operator=(OpenPlan&&) noexcept;

    // `canProbe` false when this process already has the file open (no fd may be closed on it).
    // `readInPlace`: a -wal at rest is read where it is (SQLite writes the -shm) instead of copied.
    static Result<OpenPlan> decide(
        const QString& path, bool readOnly, bool walHeader, bool canProbe, bool readInPlace = false);
    // The sidecars of path must be regular files (or absent); each problem with what to do.
    static Status checkSidecars(const QString& path, bool readOnly);
    // Whether another process holds a lock on the db (SHARED/RESERVED/PENDING) or the -shm.
    static bool isLive(const QString& path);
    // Waits until the private copies no plan uses any more are removed (tests; exit waits too).
    static void waitForCopyRemovals();

    Strategy strategy() const { return m_strategy; }
    // The file to hand to SQLite (the private copy, or the path with its directories resolved).
    QString sqlitePath() const { return m_sqlitePath; }
    // A private copy of a hot-journal cache is opened read-write, so SQLite rolls it back there.
    bool openCopyReadWrite() const { return m_copyReadWrite; }
    // What was done differently and why, for the user ("read from a private copy: …").
    QStringList notes() const { return m_notes; }

    // The longest full path SQLite opens (its default VFS's mxPathname, 512 for unix).
    static int maxPathBytes();

private:
    Status decideForLongPath(const QString& path, bool readOnly, qint64 pathBytes);
    // Direct, with a note; refused when SQLite could not create the -shm beside the cache.
    Status readWalInPlace(const QString& path, qint64 walBytes);
    // sidecarSuffix "-wal", "-journal", or empty for the database file alone. A copy that cannot
    // be made is refused; for a -wal the refusal offers the read in place when `inPlacePossible`.
    Status makePrivateCopy(const QString& path, const QString& sidecarSuffix, bool inPlacePossible = true);

    Strategy m_strategy = Strategy::Direct;
    QString m_sqlitePath;
    bool m_copyReadWrite = false;
    QStringList m_notes;
    std::shared_ptr<QTemporaryDir> m_copyDir;
};
