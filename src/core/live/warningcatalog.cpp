// SPDX-License-Identifier: GPL-3.0-or-later
#include "live/warningcatalog.h"

#include <QCoreApplication>

using namespace Qt::Literals::StringLiterals;

namespace {
const char* const Seed = QT_TRANSLATE_NOOP("WarningCatalog",
    "In every client: switch to WAL once (<code>PRAGMA journal_mode=WAL</code>, "
    "<code>PRAGMA synchronous=NORMAL</code>), open every connection with a busy timeout "
    "(<code>sqlite3.connect(path, timeout=30)</code>), and never swallow a <code>database is locked</code> "
    "error — it means that write was lost.");
}

const QList<WarningCatalog::Entry>& WarningCatalog::all()
{
    static const QList<Entry> entries {
        { WarningCode::NotWal, QStringLiteral(QT_TRANSLATE_NOOP("WarningCatalog", "Not in WAL mode")),
            QString::fromUtf8(Seed), true },
        { WarningCode::RollbackWritersCollide,
            QStringLiteral(QT_TRANSLATE_NOOP("WarningCatalog", "Several processes write a rollback-journal cache")),
            QString::fromUtf8(Seed), true },
        { WarningCode::NetworkFilesystem,
            QStringLiteral(QT_TRANSLATE_NOOP("WarningCatalog", "On a network filesystem")),
            QStringLiteral(QT_TRANSLATE_NOOP("WarningCatalog",
                "Move the cache to a local disk: WAL needs shared memory, which network file systems do not "
                "provide safely.")) },
        { WarningCode::CheckpointStarved,
            QStringLiteral(QT_TRANSLATE_NOOP("WarningCatalog", "A reader blocks the checkpoint")),
            QStringLiteral(QT_TRANSLATE_NOOP("WarningCatalog",
                "Let the named reader finish its transaction (close cursors; do not keep a read open between "
                "requests), then run Maintenance › Checkpoint with TRUNCATE to shrink the -wal.")) },
        { WarningCode::WalMuchLargerThanContent,
            QStringLiteral(QT_TRANSLATE_NOOP("WarningCatalog", "The -wal file is mostly empty space")),
            QStringLiteral(QT_TRANSLATE_NOOP("WarningCatalog",
                "Maintenance › Checkpoint with TRUNCATE gives the space back; "
                "<code>PRAGMA journal_size_limit</code> in the writers keeps it small.")) },
        { WarningCode::StaleShm, QStringLiteral(QT_TRANSLATE_NOOP("WarningCatalog", "Leftover -shm file")),
            QStringLiteral(QT_TRANSLATE_NOOP(
                "WarningCatalog", "Nobody uses it: it goes away when a client next opens and closes the cache.")) },
        { WarningCode::WritingToDeletedFile,
            QStringLiteral(QT_TRANSLATE_NOOP("WarningCatalog", "A process writes into a deleted database")),
            QStringLiteral(QT_TRANSLATE_NOOP("WarningCatalog",
                "Restart that process: its writes go into a file that no longer has a name and will be lost.")) },
        { WarningCode::WriteLockContention,
            QStringLiteral(QT_TRANSLATE_NOOP("WarningCatalog", "The write lock is held most of the time")),
            QStringLiteral(QT_TRANSLATE_NOOP("WarningCatalog",
                "Keep transactions short (no network calls or heavy work between BEGIN and COMMIT), give every "
                "connection a busy timeout, and batch many small writes into one transaction.")) },
        { WarningCode::SqliteWalResetBug,
            QStringLiteral(QT_TRANSLATE_NOOP("WarningCatalog", "SQLite version with the WAL-reset bug")),
            QStringLiteral(QT_TRANSLATE_NOOP("WarningCatalog",
                "Rare; avoid manual checkpoints while writers are busy, and upgrade SQLite when you can.")) },
        { WarningCode::ValueFilesMissing,
            QStringLiteral(QT_TRANSLATE_NOOP("WarningCatalog", "Value files are missing")),
            QStringLiteral(QT_TRANSLATE_NOOP("WarningCatalog",
                "diskcache returns nothing for those keys: restore the files, or remove the entries "
                "(<code>cachescope-cli prune --match KEY</code>).")) },
        { WarningCode::ValueFilesOrphaned,
            QStringLiteral(QT_TRANSLATE_NOOP("WarningCatalog", "Value files no entry refers to")),
            QStringLiteral(QT_TRANSLATE_NOOP("WarningCatalog",
                "They only take space; diskcache's <code>Cache.check(fix=True)</code> removes them.")) },
        { WarningCode::ForeignWal,
            QStringLiteral(QT_TRANSLATE_NOOP("WarningCatalog", "The -wal may belong to another database")),
            QStringLiteral(QT_TRANSLATE_NOOP("WarningCatalog",
                "SQLite would copy its pages into this database at the next checkpoint. If it is not this "
                "database's, move it aside while no process has the cache open; go ahead only if you know it is "
                "(<code>--accept-foreign-wal</code>).")) },
        { WarningCode::WritersActive, QStringLiteral(QT_TRANSLATE_NOOP("WarningCatalog", "Writers are active")),
            QStringLiteral(QT_TRANSLATE_NOOP("WarningCatalog",
                "Run it when the writers are idle, or use <code>prune</code>, which writes in short batches. In "
                "place, VACUUM holds the write lock for its whole run and their commits stall until it ends; "
                "<code>vacuum --into</code> (a copy) only reads, but until it ends no checkpoint copies their frames "
                "back, so the -wal grows.")) },
        { WarningCode::ValueFilesLost,
            QStringLiteral(QT_TRANSLATE_NOOP("WarningCatalog", "Value files were removed during the copy")),
            QStringLiteral(QT_TRANSLATE_NOOP("WarningCatalog",
                "A live writer deleted or replaced them while they were copied: the copy lacks those values. "
                "Copy again when the writers are idle.")) },
    };
    return entries;
}

const WarningCatalog::Entry* WarningCatalog::find(const QString& code)
{
    for (const Entry& entry : all()) {
        if (entry.code == code)
            return &entry;
    }
    return nullptr;
}

QString WarningCatalog::title(const QString& code)
{
    const Entry* entry = find(code);
    return entry ? QCoreApplication::translate("WarningCatalog", entry->title.toUtf8().constData()) : code;
}

QString WarningCatalog::remedy(const QString& code)
{
    const Entry* entry = find(code);
    return entry && !entry->remedy.isEmpty()
        ? QCoreApplication::translate("WarningCatalog", entry->remedy.toUtf8().constData())
        : QString();
}

bool WarningCatalog::offersWal(const QString& code)
{
    const Entry* entry = find(code);
    return entry && entry->offersWal;
}
