// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/error.h"

#include <QString>
#include <QStringList>
#include <QVariant>

#include <memory>

struct sqlite3;

// Database: one SQLite connection to a cache file, opened the way a live multi-process cache
// needs it: busy timeout (30 s by default), synchronous=NORMAL, switched to WAL when it is in
// another journal mode, and hardened for untrusted files (WAL_REFERENCE.md §9: NOFOLLOW,
// DEFENSIVE, TRUSTED_SCHEMA off, no extensions, cell_size_check, mmap_size=0).
// ReadOnly opens change nothing: query_only, no journal switch, and a WAL database without a
// -wal file is read immutable so no sidecar is created.
// It talks to the system libsqlite3 directly — the same library Debian's QSQLITE plugin
// links, so there is one SQLite in the process. Every read is a short, finalized statement.
// Lives on the thread that opened it.
class Database {
public:
    enum class Mode { ReadWrite, ReadOnly };
    struct Options {
        Mode mode = Mode::ReadWrite;
        int busyTimeoutMs = 30000;
        // Switching to WAL needs the database exclusively; waiting the full busy timeout for
        // that would freeze a GUI for 30 s, so the switch gives up sooner and says who blocks.
        int walSwitchTimeoutMs = 2000;
        bool switchToWal = true;
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
    static Result<std::unique_ptr<Database>> open(const QString& path, Mode mode = Mode::ReadWrite);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    QString path() const { return m_path; }
    Mode mode() const { return m_options.mode; }
    bool isReadOnly() const { return m_options.mode == Mode::ReadOnly; }
    // The mode found on open, and the mode now ("wal" after a conversion).
    QString previousJournalMode() const { return m_previousJournalMode; }
    QString journalMode() const { return m_journalMode; }
    bool convertedToWal() const { return m_previousJournalMode != m_journalMode; }

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

private:
    Database(sqlite3* db, const QString& path, const Options& options, quint64 device, quint64 inode);
    Status configure();
    Status switchToWal();

    sqlite3* m_db = nullptr;
    QString m_path;
    Options m_options;
    quint64 m_device = 0;
    quint64 m_inode = 0;
    QString m_previousJournalMode;
    QString m_journalMode;
};
