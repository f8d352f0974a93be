// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/error.h"

#include <QString>
#include <QStringList>
#include <QVariant>

#include <functional>
#include <memory>

struct sqlite3;
class ChangeWatch;
class OpenPlan;

// Database: one SQLite connection to a cache file, opened the way a live multi-process cache
// needs it: busy timeout (30 s by default), synchronous=NORMAL, switched to WAL when it is in
// another journal mode, and hardened for untrusted files (docs/WAL.md §9: NOFOLLOW,
// DEFENSIVE, TRUSTED_SCHEMA off, no extensions, cell_size_check, mmap_size=0).
// ReadOnly opens change nothing on disk: query_only, no journal switch, and a cache nobody
// has open is read without creating or rewriting a sidecar (OpenPlan: immutable, or a private
// copy when its -wal holds frames or its -journal is hot; notes() says which and why).
// Each statement step is time-bounded and each value length-bounded (StatementBudget).
// It talks to the system libsqlite3 directly — the same library Debian's QSQLITE plugin
// links, so there is one SQLite in the process. Every read is a short, finalized statement.
// Used by one thread at a time; it may be handed to another thread between uses (the GUI opens
// it on a worker, CacheOpener, and uses it on the GUI thread).
class Database {
public:
    enum class Mode { ReadWrite, ReadOnly };
    struct Options {
        Mode mode = Mode::ReadWrite;
        // -1: the process default for the mode (defaultBusyTimeoutMs).
        int busyTimeoutMs = -1;
        // Longest time one statement step may compute (0: unbounded; -1: process default).
        int statementTimeoutMs = -1;
        // Switching to WAL needs the database exclusively; waiting the full busy timeout for
        // that would freeze a GUI for 30 s, so the switch gives up sooner and says who blocks.
        int walSwitchTimeoutMs = 2000;
        bool switchToWal = true;
        // A read-only open of a cache at rest whose -wal holds changes reads it in place instead of
        // through a private copy: SQLite replays the -wal in memory and creates (or rewrites) the
        // -shm beside the cache, and writes nothing else. Without it, a cache that cannot
        // be copied is refused (Error::readableInPlace). Also on when defaultReadInPlace().
        bool readInPlace = false;
    };

    struct Facts {
        QString sqliteVersion;
        QString journalMode;
        qint64 pageSize = 0;
        qint64 pageCount = 0;
        qint64 freelistCount = 0;
        qint64 autoVacuum = 0; // 0 none, 1 full, 2 incremental
        qint64 walAutocheckpoint = 0;
        qint64 journalSizeLimit = -1;
    };

    static Result<std::unique_ptr<Database>> open(const QString& path, const Options& options);
    // open() without its retries: one plan, one try.
    static Result<std::unique_ptr<Database>> open(const QString& path, Mode mode = Mode::ReadWrite);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    QString path() const { return m_path; }
    // What the open did differently to leave the files untouched, in plain words (may be empty).
    QStringList notes() const { return m_notes; }
    int busyTimeoutMs() const { return m_options.busyTimeoutMs; }
    Mode mode() const { return m_options.mode; }
    bool isReadOnly() const { return m_options.mode == Mode::ReadOnly; }
    // The mode found on open, and the mode now ("wal" after a conversion).
    QString previousJournalMode() const { return m_previousJournalMode; }
    QString journalMode() const { return m_journalMode; }
    bool convertedToWal() const { return m_previousJournalMode != m_journalMode; }
    // A read-only open of a cache at rest reads a snapshot (immutable, or a private copy) and
    // so sees no later writes. True once that snapshot no longer shows the cache: another
    // process has it open now (locks on the db or -shm), or the db or -wal changed since the
    // open. The caller then opens it again (it will be read directly). Always false for a
    // direct open, and when another Database in this process has the file open (probing
    // would close an fd on it, docs/WAL.md §4.1).
    // A snapshot is also outdated when any process wrote, created or removed one of the cache's
    // files since the open (ChangeWatch): what it read may be torn, so read it again.
    bool snapshotOutdated() const;
    // How often a read of a snapshot that turned out outdated is tried again (open() itself,
    // and the readers that check snapshotOutdated() after reading: info, entries, query).
    static constexpr int SnapshotAttempts = 40;
    // Waits a little before the next attempt (a few ms, growing with the attempt).
    static void pauseBeforeAttempt(int attempt);
    // The file SQLite reads (the path itself, or the private copy of a snapshot) and whether
    // it is read immutable: a second connection to the same cache (the SQL console's) opens
    // exactly this, so it changes no more on disk than this one does.
    QString sqlitePath() const;
    bool readsImmutable() const;

    Result<Facts> facts();
    // User tables (sqlite_* internal tables left out), in schema order.
    Result<QStringList> tables();
    Result<qint64> rowCount(const QString& table);
    // Switches a ReadWrite connection to WAL; returns the new mode.
    Result<QString> enableWal();
    // Runs a statement that returns one value (e.g. a PRAGMA); no read transaction remains.
    Result<QVariant> queryValue(const QString& sql);

    sqlite3* handle() const { return m_db; }
    Error lastError(const QString& context) const;

    static QString quoteIdentifier(const QString& identifier);
    static QString runtimeVersion(); // sqlite3_libversion()
    // True when this process already has a Database open on that file (by device and inode).
    static bool isOpenInProcess(const QString& path);

    // Process-wide defaults (the CLI sets them from --busy-timeout-ms / --statement-timeout-ms).
    // Read-only inspection waits briefly (3 s) by default; writes wait 30 s.
    static int defaultBusyTimeoutMs(Mode mode);
    static void setDefaultBusyTimeoutMs(Mode mode, int ms);
    static int defaultStatementTimeoutMs(); // 30 s
    static void setDefaultStatementTimeoutMs(int ms);
    // Options::readInPlace for every open of this process (the CLI's --read-in-place).
    static bool defaultReadInPlace();
    static void setDefaultReadInPlace(bool readInPlace);
    // Longest value (TEXT or BLOB) a connection reads: SQLITE_LIMIT_LENGTH.
    static constexpr int MaxValueBytes = 512 << 20; // = SqliteError::MaxValueBytes

private:
    static Result<std::unique_ptr<Database>> openOnce(const QString& path, const Options& options, bool& outdated);
    Database(sqlite3* db, const QString& path, const Options& options, quint64 device, quint64 inode, bool direct);
    Status configure();
    Status checkLength();
    Status switchToWal();

    sqlite3* m_db = nullptr;
    QString m_path;
    Options m_options;
    quint64 m_device = 0;
    quint64 m_inode = 0;
    bool m_direct = true; // reads the file itself (not immutable, not a private copy)
    QString m_previousJournalMode;
    QString m_journalMode;
    QStringList m_notes;
    std::unique_ptr<OpenPlan> m_plan; // keeps a private copy alive while the connection reads it
    struct FileStamp {
        qint64 dbBytes = -1, dbMtimeNs = -1, walBytes = -1;
        bool operator==(const FileStamp& o) const
        {
            return dbBytes == o.dbBytes && dbMtimeNs == o.dbMtimeNs && walBytes == o.walBytes;
        }
    };
    static FileStamp stampOf(const QString& path);
    FileStamp m_openStamp; // of the files a snapshot was read from
    std::unique_ptr<ChangeWatch> m_watch; // of a snapshot's files, from before it was planned
    sqlite3* m_jsonHelper = nullptr;
};

// NoLockWait: while it lives, a statement on `database` that finds the cache locked by another
// process fails at once (Error::Kind::Locked) instead of waiting out the connection's busy
// timeout. For the reads the GUI thread makes on its connection (a table shown, a filter
// cleared, a poll): a writer of a rollback-journal cache holding its EXCLUSIVE lock made each of
// them wait the whole timeout, one after the other (#23.9). Not nested.
class NoLockWait {
public:
    explicit NoLockWait(Database* database);
    ~NoLockWait();
    NoLockWait(const NoLockWait&) = delete;
    NoLockWait& operator=(const NoLockWait&) = delete;

private:
    Database* m_database;
};
