// SPDX-License-Identifier: GPL-3.0-or-later
#include "maintenance/prunebatches.h"

#include "entries/cacheformats.h"
#include "entries/entrydecoder.h"
#include "entries/entrysql.h"
#include "maintenance/prunebackup.h"
#include "maintenance/valuefiles.h"
#include "maintenance/walupkeep.h"
#include "os/cachefiles.h"
#include "os/locktable.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonObject>

#include <sqlite3.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <thread>
#include <unistd.h>

using namespace Qt::Literals::StringLiterals;

namespace {
constexpr int RowidsPerFetch = 256;
// Alone, the WAL may grow to 32 times SQLite's threshold (128 MiB of 4 KiB pages; one DELETE in
// the sqlite3 shell puts every page it changes in the WAL at once): a checkpoint then copies
// each page once, not once per batch that changed it.
constexpr int AloneCheckpointFactor = 32;
constexpr int SharedCheckpointDivisor = 4;
// /proc/locks is read before a batch when this long has passed since the last read: soon while
// alone (a writer that arrives waits at most this plus one batch), seldom while shared.
constexpr qint64 LocksEveryMsAlone = 50;
constexpr qint64 LocksEveryMsShared = 500;
constexpr int FirstBatchRows = 64;
constexpr int MaxBatchRows = 20000;
const QString ParentsTable = u"temp.cachescope_prune_parents"_s;

// While another process has the cache open (any lock of its on the db, -wal or -shm in
// /proc/locks: in WAL mode every connection holds one, in rollback mode every reader and
// waiting writer), a batch aims at a twentieth of batchMs (2.5 ms by default) and then leaves
// the write lock free four times as long (10 ms): a writer waiting in SQLite's busy handler
// polls after 1, 3, 8, 18, … ms (sqliteDefaultBusyCallback), so one that arrived during a batch
// gets the lock at its next poll, a few ms later, and the writers queued behind it get in within
// the gap too. Writers' waits matter more than the prune's speed then. With nobody else there,
// batches aim at most of batchMs back to back. /proc/locks is read between batches (no fd on the cache opened).
double targetMs(int batchMs, bool shared)
{
    return shared ? std::max(1.0, batchMs / 20.0) : std::max(1.0, batchMs * 0.8);
}

qint64 gapMs(int batchMs, bool shared)
{
    return shared ? std::clamp(qint64(targetMs(batchMs, true) * 4 + 0.5), qint64(5), qint64(25)) : 0;
}

// While others are committing (PRAGMA data_version moved since the last batch, within the last
// WritingMemoryMs), every commit of theirs that meets a batch waits at least the busy handler's
// first sleep (1 ms) — longer than a whole commit takes on an idle machine (docs/BENCHMARKS.md,
// "Numbers behind constants"). So batches then aim at
// WritingTargetMs, short enough that a writer who meets one gets in at its first poll, and the
// lock stays free WritingYield times as long as the last batch held it: a writer's commit meets a
// batch about once in WritingYield + 1 (docs/BENCHMARKS.md, bench_prune).
constexpr double WritingTargetMs = 1.0;
constexpr double WritingYield = 100;
constexpr qint64 WritingGapMaxMs = 250;
constexpr qint64 WritingMemoryMs = 1000;

Status exec(Database* database, const QString& sql)
{
    char* message = nullptr;
    if (sqlite3_exec(database->handle(), sql.toUtf8().constData(), nullptr, nullptr, &message) == SQLITE_OK)
        return {};
    sqlite3_free(message);
    return database->lastError(sql.section(u' ', 0, 1));
}

int onWalCommit(void* context, sqlite3* db, const char* name, int frames)
{
    auto* hook = static_cast<PruneBatches::WalHook*>(context);
    if (hook->held && hook->held->isValid())
        hook->releasedAtNs = hook->held->nsecsElapsed();
    // With other connections there, the prune checkpoints its own frames early (a quarter of
    // SQLite's threshold), outside its batches: a writer whose commit crosses the threshold would
    // otherwise copy them, with two fsyncs, inside its own commit. Alone, batches rewrite the
    // same pages again and again: the WAL may grow first (AloneCheckpointFactor).
    if (hook->autocheckpoint > 0
        && frames >= (hook->shared ? hook->autocheckpoint / SharedCheckpointDivisor
                                   : hook->autocheckpoint * AloneCheckpointFactor))
        sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    return SQLITE_OK;
}

QString marks(int count)
{
    QStringList list;
    for (int i = 0; i < count; ++i)
        list << u"?"_s;
    return list.join(u", "_s);
}
} // namespace

PruneBatches::PruneBatches(
    Database* database, const PruneTarget& target, const PruneOptions& options, PruneBackup* backup, WalUpkeep* upkeep)
    : m_database(database)
    , m_target(target)
    , m_options(options)
    , m_backup(backup)
    , m_upkeep(upkeep)
{
}

PruneBatches::~PruneBatches()
{
    if (m_target.runsFtsTriggers) // the connection goes back to trusting nothing
        sqlite3_db_config(m_database->handle(), SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);
    if (m_hookInstalled) // back to SQLite's own automatic checkpoint
        sqlite3_wal_autocheckpoint(m_database->handle(), m_walHook.autocheckpoint);
}

Status PruneBatches::prepare()
{
    const PruneTarget& t = m_target;
    if (t.runsFtsTriggers) // only sqlite-utils' full-text triggers in the file (PruneTarget)
        sqlite3_db_config(m_database->handle(), SQLITE_DBCONFIG_TRUSTED_SCHEMA, 1, nullptr);
    // The pages a batch reads to choose its rows are the pages its DELETE changes: keep them.
    if (Status ok = exec(m_database, u"PRAGMA cache_size=-32768"_s); !ok)
        return ok;
    if (m_database->journalMode() == u"wal"_s) {
        auto pages = m_database->queryValue(u"PRAGMA wal_autocheckpoint"_s);
        if (!pages)
            return pages.error();
        m_walHook.autocheckpoint = pages->toInt();
        sqlite3_wal_hook(m_database->handle(), onWalCommit, &m_walHook);
        m_hookInstalled = true;
    }
    QStringList fetched { t.rowid, t.bytesSql, t.fileSql.isEmpty() ? u"NULL"_s : t.fileSql,
        t.parentSql.isEmpty() ? u"NULL"_s : t.parentSql };
    fetched << t.fingerprint;
    auto fetch = Statement::prepare(m_database->handle(),
        u"SELECT %1 FROM %2 WHERE %3 IN (%4)"_s.arg(fetched.join(u", "_s), t.from, t.rowid, marks(RowidsPerFetch)));
    if (!fetch)
        return fetch.error();
    m_fetch.emplace(std::move(fetch.value()));
    QStringList same { t.rowid + u" = ?"_s };
    for (const QString& column : t.fingerprint)
        same << column + u" IS ?"_s;
    auto remove = Statement::prepare(
        m_database->handle(), u"DELETE FROM %1 WHERE %2 AND (%3)"_s.arg(t.from, same.join(u" AND "_s), t.condition));
    if (!remove) // a trigger that cannot run here fails already now, before anything is removed
        return Error { remove.error().kind,
            u"cannot remove entries from %1: %2"_s.arg(t.view.table, remove.error().message) };
    m_delete.emplace(std::move(remove.value()));
    for (int i = 0; i < t.params.size(); ++i)
        m_delete->bind(2 + int(t.fingerprint.size()) + i, t.params[i]);
    if (!t.dependents.isEmpty()) {
        if (Status ok = exec(m_database, u"CREATE TEMP TABLE IF NOT EXISTS cachescope_prune_parents(parent)"_s); !ok)
            return ok;
    }
    if (m_backup) {
        const EntryColumn* key = EntrySql::columnWith(t.view, EntryColumn::Role::Key);
        const EntryColumn* value = EntrySql::columnWith(t.view, EntryColumn::Role::Value);
        const QString stored = CacheFormats::byId(t.view.profile).storedValueSql();
        const QString valueSql = !stored.isEmpty() ? stored : value ? value->sql : QString();
        QStringList columns { key ? key->sql : u"NULL"_s, key && !key->auxSql.isEmpty() ? key->auxSql : u"NULL"_s,
            valueSql.isEmpty() ? u"NULL"_s : valueSql };
        for (const TableSchema::Column& column : t.view.schema.columns) {
            if (column.hidden || Database::quoteIdentifier(column.name) == valueSql)
                continue;
            m_backupColumns << column.name;
            columns << Database::quoteIdentifier(column.name);
        }
        auto row = Statement::prepare(
            m_database->handle(), u"SELECT %1 FROM %2 WHERE %3 = ?"_s.arg(columns.join(u", "_s), t.from, t.rowid));
        if (!row)
            return row.error();
        m_backupRow.emplace(std::move(row.value()));
    }
    return {};
}

Result<QList<PruneBatches::Row>> PruneBatches::fetch(const QList<qint64>& rowids)
{
    QList<Row> rows;
    const int fingerprints = int(m_target.fingerprint.size());
    for (qsizetype start = 0; start < rowids.size(); start += RowidsPerFetch) {
        sqlite3_reset(m_fetch->handle());
        for (int i = 0; i < RowidsPerFetch; ++i)
            m_fetch->bind(1 + i, start + i < rowids.size() ? QVariant::fromValue(rowids[start + i]) : QVariant());
        int rc;
        while ((rc = m_fetch->step()) == SQLITE_ROW) {
            Row row;
            row.rowid = m_fetch->column(0).toLongLong();
            row.bytes = m_fetch->column(1).toLongLong();
            row.file = m_fetch->column(2).toString();
            row.parent = m_fetch->column(3);
            for (int f = 0; f < fingerprints; ++f)
                row.fingerprint << m_fetch->column(4 + f);
            rows << row;
        }
        sqlite3_reset(m_fetch->handle()); // no read transaction left behind
        if (rc != SQLITE_DONE)
            return m_database->lastError(u"reading the entries to remove from %1"_s.arg(m_target.view.table));
    }
    return rows;
}

Status PruneBatches::backUp(const QList<Row>& rows)
{
    const EntryColumn* key = EntrySql::columnWith(m_target.view, EntryColumn::Role::Key);
    for (const Row& row : rows) {
        sqlite3_reset(m_backupRow->handle());
        m_backupRow->bind(1, QVariant::fromValue(row.rowid));
        const int rc = m_backupRow->step();
        if (rc == SQLITE_DONE)
            continue; // gone meanwhile: nothing to keep, and the delete will not find it either
        if (rc != SQLITE_ROW)
            return m_database->lastError(u"reading an entry for the backup"_s);
        QJsonObject line { { u"table"_s, m_target.view.table }, { u"rowid"_s, row.rowid } };
        if (key) {
            EntryDecoder::RowCache pickles;
            line.insert(u"key"_s,
                PruneBackup::rawJson(EntryDecoder::decode(
                    *key, m_backupRow->column(0), m_backupRow->column(1), m_target.folder, true, pickles)
                                         .value));
        }
        QJsonValue value = PruneBackup::rawJson(m_backupRow->column(2));
        if (!row.file.isEmpty()) {
            ValueFiles::File file;
            file.relative = row.file;
            if (const QString unsafe = ValueFiles::locate(m_target.folder, file); !unsafe.isEmpty())
                return Error { Error::Kind::Invalid, u"not backing up %1: %2"_s.arg(row.file, unsafe) };
            QFile content(m_target.folder + u'/' + row.file);
            if (file.bytes >= 0 && content.open(QIODevice::ReadOnly)) // a value file, never a cache db file
                value = PruneBackup::rawJson(content.readAll());
            else
                line.insert(u"value_file_missing"_s, true);
            line.insert(u"value_file"_s, row.file);
        }
        line.insert(u"value"_s, value);
        QJsonObject columns;
        for (int c = 0; c < m_backupColumns.size(); ++c)
            columns.insert(m_backupColumns[c], PruneBackup::rawJson(m_backupRow->column(3 + c)));
        line.insert(u"columns"_s, columns);
        m_backup->add(line);
    }
    sqlite3_reset(m_backupRow->handle());
    return m_backup->sync();
}

Status PruneBatches::deleteDependents(const QList<Row>& rows, PruneCounts& counts)
{
    if (m_target.dependents.isEmpty())
        return {};
    if (Status ok = exec(m_database, u"DELETE FROM "_s + ParentsTable); !ok)
        return ok;
    auto insert = Statement::prepare(m_database->handle(), u"INSERT INTO %1(parent) VALUES (?)"_s.arg(ParentsTable));
    if (!insert)
        return insert.error();
    for (const Row& row : rows) {
        if (!row.deleted || row.parent.isNull())
            continue;
        sqlite3_reset(insert->handle());
        insert->bind(1, row.parent);
        if (insert->step() != SQLITE_DONE)
            return m_database->lastError(u"noting the removed entries"_s);
    }
    insert->finalize();
    for (const PruneTarget::Dependent& dependent : m_target.dependents) {
        QString sql = u"DELETE FROM %1 WHERE %2 IN (SELECT parent FROM %3)"_s.arg(
            dependent.table, dependent.column, ParentsTable);
        if (dependent.alsoKey)
            sql += u" OR \"key\" IN (SELECT parent FROM %1)"_s.arg(ParentsTable);
        if (Status ok = exec(m_database, sql); !ok)
            return ok;
        counts.dependentsRemoved += sqlite3_changes64(m_database->handle());
    }
    return {};
}

Result<double> PruneBatches::deleteBatch(QList<Row>& rows, PruneCounts& counts)
{
    if (Status ok = exec(m_database, u"BEGIN IMMEDIATE"_s); !ok)
        return ok.error();
    QElapsedTimer held;
    held.start();
    m_walHook.held = &held;
    m_walHook.releasedAtNs = -1;
    qint64 removedBytes = 0, removed = 0;
    const auto fail = [&](Error error) -> Result<double> {
        m_walHook.held = nullptr;
        exec(m_database, u"ROLLBACK"_s);
        for (Row& row : rows)
            row.deleted = false;
        error.message
            = u"removing entries from %1 (this batch was rolled back): %2"_s.arg(m_target.view.table, error.message);
        return error;
    };
    for (Row& row : rows) {
        sqlite3_reset(m_delete->handle());
        m_delete->bind(1, QVariant::fromValue(row.rowid));
        for (int f = 0; f < row.fingerprint.size(); ++f)
            m_delete->bind(2 + f, row.fingerprint[f]);
        if (m_delete->step() != SQLITE_DONE)
            return fail(m_database->lastError(u"removing entries from %1"_s.arg(m_target.view.table)));
        row.deleted = sqlite3_changes64(m_database->handle()) > 0;
        removed += row.deleted ? 1 : 0;
        removedBytes += row.deleted ? row.bytes : 0;
    }
    sqlite3_reset(m_delete->handle());
    PruneCounts dependents;
    if (Status ok = deleteDependents(rows, dependents); !ok)
        return fail(ok.error());
    if (m_target.updatesCount && removed > 0) {
        if (Status ok
            = exec(m_database, u"UPDATE \"Settings\" SET value = value - %1 WHERE key = 'count'"_s.arg(removed));
            !ok)
            return fail(ok.error());
    }
    if (m_target.updatesSize && removedBytes > 0) {
        if (Status ok
            = exec(m_database, u"UPDATE \"Settings\" SET value = value - %1 WHERE key = 'size'"_s.arg(removedBytes));
            !ok)
            return fail(ok.error());
    }
    if (Status ok = exec(m_database, u"COMMIT"_s); !ok)
        return fail(ok.error());
    const double ms = double(m_walHook.releasedAtNs >= 0 ? m_walHook.releasedAtNs : held.nsecsElapsed()) / 1e6;
    m_walHook.held = nullptr;
    counts.removed += removed;
    counts.bytesRemoved += removedBytes;
    counts.dependentsRemoved += dependents.dependentsRemoved;
    counts.changedMeanwhile += qint64(rows.size()) - removed;
    ++counts.batches;
    counts.maxBatchMs = std::max(counts.maxBatchMs, qint64(std::ceil(ms)));
    return ms;
}

void PruneBatches::removeFiles(const QList<Row>& rows, PrunePart& part)
{
    QList<ValueFiles::File> removed;
    for (const Row& row : rows) {
        if (!row.deleted || row.file.isEmpty())
            continue;
        ValueFiles::File file;
        file.relative = row.file;
        if (const QString unsafe = ValueFiles::locate(m_target.folder, file); !unsafe.isEmpty()) {
            part.valueFileProblems << unsafe;
            continue;
        }
        if (file.bytes < 0)
            continue; // already gone
        const QString path = m_target.folder + u'/' + row.file;
        if (::unlink(QFile::encodeName(path).constData()) != 0 && errno != ENOENT) {
            part.valueFileProblems << u"%1: %2"_s.arg(path, QString::fromLocal8Bit(std::strerror(errno)));
            continue;
        }
        ++part.counts.valueFilesRemoved;
        file.path = path;
        removed << file;
    }
    // Like diskcache's own remove(): folders left empty go (a writer creating a file there retries).
    for (const QString& folder : ValueFiles::foldersOf(removed))
        ::rmdir(QFile::encodeName(m_target.folder + u'/' + folder).constData());
}

int PruneBatches::nextBatchRows(int rows, double heldMs, bool shared, bool writing) const
{
    const double limit = std::max(1, m_options.batchMs);
    const double aim
        = writing ? std::min(WritingTargetMs, targetMs(m_options.batchMs, true)) : targetMs(m_options.batchMs, shared);
    const double target = heldMs > limit ? std::min(limit * 0.5, aim) : aim;
    if (heldMs < 0.05)
        return std::min(MaxBatchRows, rows * 2);
    const double wanted = double(rows) * target / heldMs;
    return int(std::clamp(wanted, std::max(1.0, rows / 4.0), std::min(double(MaxBatchRows), rows * 2.0)));
}

bool PruneBatches::othersWriting()
{
    if (!m_dataVersion) {
        auto statement = Statement::prepare(m_database->handle(), u"PRAGMA data_version"_s);
        if (!statement)
            return true; // cannot tell: assume they are
        m_dataVersion.emplace(std::move(statement.value()));
    }
    sqlite3_reset(m_dataVersion->handle());
    const bool row = m_dataVersion->step() == SQLITE_ROW;
    const qint64 version = row ? sqlite3_column_int64(m_dataVersion->handle(), 0) : -1;
    sqlite3_reset(m_dataVersion->handle());
    if (!row || (m_lastDataVersion >= 0 && version != m_lastDataVersion))
        m_othersCommitted.start();
    m_lastDataVersion = version;
    return m_othersCommitted.isValid() && m_othersCommitted.elapsed() < WritingMemoryMs;
}

bool PruneBatches::othersPresent()
{
    if (m_locksRead.isValid() && m_locksRead.elapsed() < (m_othersPresent ? LocksEveryMsShared : LocksEveryMsAlone))
        return m_othersPresent;
    m_locksRead.start();
    if (m_lockTargets.isEmpty()) {
        const CacheFiles files(m_database->path());
        CacheFiles::FileInfo infos[CacheFiles::KindCount];
        for (int i = 0; i < CacheFiles::KindCount; ++i)
            infos[i] = files.stat(CacheFiles::Kind(i));
        m_lockTargets = LockTable::targetsOf(infos);
    }
    auto locks = LockTable::collect(m_lockTargets, QCoreApplication::applicationPid());
    m_othersPresent = !locks || !locks->locks().isEmpty(); // unreadable: assume someone is there
    return m_othersPresent;
}

Status PruneBatches::run(const PrunePlan& plan, PrunePart& part, bool* finished)
{
    *finished = false;
    if (Status ok = prepare(); !ok)
        return ok;
    int batchRows = FirstBatchRows;
    qsizetype next = 0;
    QElapsedTimer sinceCommit;
    double lastHeldMs = 0;
    while (next < plan.rows.size()) {
        if (m_options.cancel && m_options.cancel->load())
            return {};
        QList<qint64> rowids;
        for (qsizetype i = next; i < std::min(plan.rows.size(), next + batchRows); ++i)
            rowids << plan.rows[i].rowid;
        auto rows = fetch(rowids);
        if (!rows)
            return rows.error();
        if (m_backup) {
            if (Status ok = backUp(rows.value()); !ok)
                return ok;
        }
        const bool shared = othersPresent();
        m_walHook.shared = shared;
        bool writing = shared && othersWriting();
        if (sinceCommit.isValid()) {
            const qint64 gap = writing
                ? std::clamp(qint64(lastHeldMs * WritingYield + 0.5), gapMs(m_options.batchMs, true), WritingGapMaxMs)
                : gapMs(m_options.batchMs, shared);
            const qint64 wait = gap - sinceCommit.elapsed();
            if (wait > 0 && m_upkeep)
                m_upkeep->pause(wait); // the writers' frames copied meanwhile, not in their commits
            else if (wait > 0)
                std::this_thread::sleep_for(std::chrono::milliseconds(wait));
            writing = shared && othersWriting(); // they may have come during the gap
        }
        if (shared && m_upkeep)
            m_upkeep->beforeWrite();
        next += rowids.size();
        part.counts.changedMeanwhile += qint64(rowids.size() - rows->size()); // removed by someone else
        auto held = deleteBatch(rows.value(), part.counts);
        if (!held)
            return held.error();
        sinceCommit.start();
        removeFiles(rows.value(), part);
        if (m_options.afterBatch)
            m_options.afterBatch(part.counts.batches);
        if (m_options.progress)
            m_options.progress(
                PruneProgress { part.shard, part.counts.matched, part.counts.removed, part.counts.batches });
        lastHeldMs = held.value();
        batchRows = nextBatchRows(int(rowids.size()), held.value(), shared, writing);
    }
    *finished = true;
    return {};
}
