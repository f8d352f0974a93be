// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>

// The health warning codes (the JSON contract's "code", docs/CLI.md): the one spelling of each,
// used by whoever raises a warning (HealthCheck, WalResetBug, CacheReport, the maintenance
// commands), by the catalog below and by the tests. A new code gets a constant here and an entry
// in WarningCatalog::all().
namespace WarningCode {
inline const QString NotWal = QStringLiteral("not_wal");
inline const QString RollbackWritersCollide = QStringLiteral("rollback_writers_collide");
inline const QString NetworkFilesystem = QStringLiteral("network_filesystem");
inline const QString CheckpointStarved = QStringLiteral("checkpoint_starved");
inline const QString WalMuchLargerThanContent = QStringLiteral("wal_much_larger_than_content");
inline const QString StaleShm = QStringLiteral("stale_shm");
inline const QString WritingToDeletedFile = QStringLiteral("writing_to_deleted_file");
inline const QString WriteLockContention = QStringLiteral("write_lock_contention");
inline const QString SqliteWalResetBug = QStringLiteral("sqlite_wal_reset_bug");
inline const QString ValueFilesMissing = QStringLiteral("value_files_missing");
inline const QString ValueFilesOrphaned = QStringLiteral("value_files_orphaned");
// Said by the maintenance commands (checkpoint, vacuum, enable-wal) before or after they act.
inline const QString ForeignWal = QStringLiteral("foreign_wal");
inline const QString WritersActive = QStringLiteral("writers_active");
inline const QString ValueFilesLost = QStringLiteral("value_files_lost");
} // namespace WarningCode

// WarningCatalog: the one registry of health warnings — each code (the JSON contract's "code",
// docs/CLI.md), its title in plain words and the remedy a developer applies (HTML: <code> and
// <i> only). HealthCheck and WalResetBug decide when a warning applies and say what they saw;
// the GUI's Activity banner and Overview health panel take the title and remedy from here.
// Titles and remedies are translated at lookup (context "WarningCatalog"). Any thread.
class WarningCatalog {
public:
    struct Entry {
        QString code;
        QString title;
        QString remedy; // may be empty
        bool offersWal = false; // WAL is the remedy: the GUI puts "Convert to WAL…" beside it
    };
    static const QList<Entry>& all(); // untranslated
    static const Entry* find(const QString& code);
    static QString title(const QString& code); // the code itself when unknown
    static QString remedy(const QString& code); // empty when none or unknown
    static bool offersWal(const QString& code);
};
