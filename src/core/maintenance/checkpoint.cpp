// SPDX-License-Identifier: GPL-3.0-or-later
#include "maintenance/checkpoint.h"
#include "live/warningcatalog.h"
#include "wal/walorigin.h"

#include "live/walresetbug.h"

#include "common/format.h"
#include "os/cachefiles.h"
#include "sqlite/database.h"
#include "wal/walindex.h"

#include <QJsonArray>

#include <sqlite3.h>

using namespace Qt::Literals::StringLiterals;

namespace {

int sqliteMode(Checkpoint::Mode mode)
{
    switch (mode) {
    case Checkpoint::Mode::Passive:
        return SQLITE_CHECKPOINT_PASSIVE;
    case Checkpoint::Mode::Full:
        return SQLITE_CHECKPOINT_FULL;
    case Checkpoint::Mode::Restart:
        return SQLITE_CHECKPOINT_RESTART;
    case Checkpoint::Mode::Truncate:
        return SQLITE_CHECKPOINT_TRUNCATE;
    }
    return SQLITE_CHECKPOINT_PASSIVE;
}

qint64 walBytes(const QString& dbPath)
{
    const auto info = CacheFiles(dbPath).stat(CacheFiles::Kind::Wal);
    return info.exists ? info.bytes : 0;
}

// The lock names whose holders can stop a checkpoint in this mode: readers always (they cap
// what can be copied), plus the writer and another checkpointer for modes that need them.
QStringList blockingLocks(Checkpoint::Mode mode)
{
    QStringList locks { u"checkpoint"_s, u"read0"_s, u"read1"_s, u"read2"_s, u"read3"_s, u"read4"_s };
    if (Checkpoint::stallsWriters(mode))
        locks << u"write"_s;
    return locks;
}

// The -shm header's frame counts (mxFrame and nBackfill), read through this connection's own mapping of it
// (SQLite's file handle: an fd of ours, closed, would drop this process's locks, docs/WAL.md §4.1); the two copies of
// the header compared and checksummed (WalIndex::parse). Empty when unknown.
std::optional<WalIndex::Header> walIndexHeader(Database& database)
{
    if (!database.queryValue(u"PRAGMA data_version"_s)) // a read: SQLite has mapped the -shm itself
        return std::nullopt;
    sqlite3_file* file = nullptr;
    if (sqlite3_file_control(database.handle(), "main", SQLITE_FCNTL_FILE_POINTER, &file) != SQLITE_OK || !file
        || !file->pMethods || file->pMethods->iVersion < 2 || !file->pMethods->xShmMap)
        return std::nullopt;
    volatile void* region = nullptr;
    constexpr int RegionBytes = 32768; // SQLite's wal-index page; the header starts the first
    if (file->pMethods->xShmMap(file, 0, RegionBytes, 0, &region) != SQLITE_OK || !region)
        return std::nullopt;
    const auto* bytes = static_cast<const volatile char*>(region);
    for (int attempt = 0; attempt < WalIndex::MaxAttempts; ++attempt) {
        QByteArray header(WalIndex::HeaderBytes, '\0');
        for (int i = 0; i < WalIndex::HeaderBytes; ++i)
            header[i] = bytes[i];
        auto parsed = WalIndex::parse(header);
        if (parsed && parsed->backfilled <= parsed->committedFrame)
            return parsed.value();
    }
    return std::nullopt;
}

// What this run copied back. PASSIVE, FULL and RESTART leave the log in place and report its frames already in the
// database (nBackfill) after the run: the run copied those less the ones there before — frames a writer committed
// while a FULL checkpoint waited for its lock included. A writer may restart the log in between (new salts; SQLite
// restarts a log only once every frame of it is in the database): a run that then reports fewer frames than the old
// log had worked on the new log, whose frames all came in after the restart — it copied those. Salts that changed
// with counts that still fit the old log leave it open which log the run saw (a restart just after it): unknown.
// TRUNCATE reports the new, empty log: what was waiting just before is the best count there is. -1 when unknown.
qint64 framesCopied(const Checkpoint::Outcome& outcome, const std::optional<WalIndex::Header>& before, bool restarted)
{
    if (!before || outcome.busy)
        return -1;
    if (outcome.mode == Checkpoint::Mode::Truncate)
        return before->checkpointLag();
    const bool fitsOldLog = outcome.logFrames >= qint64(before->committedFrame)
        && outcome.checkpointedFrames >= qint64(before->backfilled);
    if (restarted)
        return fitsOldLog ? -1 : outcome.checkpointedFrames;
    if (!fitsOldLog)
        return -1; // the counts are of another log, and the header after the run was not read
    return outcome.checkpointedFrames - qint64(before->backfilled);
}

} // namespace

bool Checkpoint::Outcome::incomplete() const
{
    // SQLite returns SQLITE_OK from TRUNCATE only after truncating the -wal to zero bytes; a
    // -wal that has bytes again when it is measured afterwards holds a writer's newer commits.
    return busy || checkpointedFrames < logFrames;
}

QJsonObject Checkpoint::Outcome::toJson() const
{
    QJsonArray blockerList;
    for (const auto& blocker : blockers)
        blockerList.append(blocker.toJson());
    QJsonArray warningList;
    for (const auto& warning : warnings)
        warningList.append(warning.toJson());
    return QJsonObject { { u"mode"_s, modeName(mode) }, { u"busy"_s, busy }, { u"complete"_s, !incomplete() },
        { u"log_frames"_s, logFrames }, { u"checkpointed_frames"_s, checkpointedFrames },
        { u"frames_waiting_before"_s, framesWaitingBefore }, { u"frames_copied"_s, framesCopied },
        { u"wal_bytes_before"_s, walBytesBefore }, { u"wal_bytes_after"_s, walBytesAfter },
        { u"busy_timeout_ms"_s, busyTimeoutMs }, { u"blockers"_s, blockerList }, { u"warnings"_s, warningList } };
}

Checkpoint::Outcome Checkpoint::Outcome::fromJson(const QJsonObject& json)
{
    Outcome outcome;
    outcome.mode = parseMode(json[u"mode"_s].toString()).value_or(Mode::Passive);
    outcome.busyTimeoutMs = json[u"busy_timeout_ms"_s].toInt();
    outcome.busy = json[u"busy"_s].toBool();
    outcome.logFrames = json[u"log_frames"_s].toInt();
    outcome.checkpointedFrames = json[u"checkpointed_frames"_s].toInt();
    outcome.framesWaitingBefore = json[u"frames_waiting_before"_s].toInteger(-1);
    // A report from a CLI before frames_copied said the frames waiting as the run began as copied.
    outcome.framesCopied
        = json.contains(u"frames_copied"_s) ? json[u"frames_copied"_s].toInteger(-1) : outcome.framesWaitingBefore;
    outcome.walBytesBefore = json[u"wal_bytes_before"_s].toInteger(-1);
    outcome.walBytesAfter = json[u"wal_bytes_after"_s].toInteger(-1);
    for (const QJsonValue& blocker : json[u"blockers"_s].toArray())
        outcome.blockers.append(CacheHolders::Process::fromJson(blocker.toObject()));
    for (const QJsonValue& warning : json[u"warnings"_s].toArray())
        outcome.warnings.append(HealthWarning::fromJson(warning.toObject()));
    return outcome;
}

QString Checkpoint::Outcome::toText(bool withWarnings) const
{
    QString text;
    for (const auto& warning : withWarnings ? warnings : HealthWarnings())
        text += u"warning: "_s + warning.message + u'\n';
    text += u"checkpoint %1: %2\n"_s.arg(modeName(mode).toUpper(), incomplete() ? u"INCOMPLETE"_s : u"complete"_s);
    if (stallsWriters(mode))
        text += u"  busy timeout:  %1 ms (writers stall while it waits)\n"_s.arg(busyTimeoutMs);
    text += u"  busy:          %1\n"_s.arg(busy ? u"yes"_s : u"no"_s);
    // After TRUNCATE SQLite counts the new, empty log: "0 / 0" beside "4.0 MiB → 0 B" said nothing.
    if (!incomplete())
        text += u"  frames:        %1\n"_s.arg(copiedWords());
    else
        text += u"  log frames:    %1\n  checkpointed:  %2\n"_s.arg(logFrames).arg(checkpointedFrames);
    text += u"  -wal size:     %1%2\n"_s.arg(walSizeWords(),
        mode == Mode::Truncate && !incomplete() && walBytesAfter > 0 ? u" (truncated, then written again by a writer)"_s
                                                                     : QString());
    if (incomplete()) {
        if (blockers.isEmpty())
            text += u"  blocked by:    no other process found holding a read snapshot or the write lock now\n"_s;
        for (const auto& blocker : blockers)
            text += u"  blocked by:    "_s + blocker.describe() + u'\n';
    }
    return text;
}

QString Checkpoint::Outcome::walSizeWords(bool noBreak) const
{
    const auto size = noBreak ? Format::bytesNoBreak : Format::bytes;
    // "went from 101 KiB to 101 KiB" said nothing: an unchanged size is said as such.
    if (walBytesBefore == walBytesAfter)
        return u"stayed at %1"_s.arg(size(walBytesBefore));
    return u"went from %1 to %2"_s.arg(size(walBytesBefore), size(walBytesAfter));
}

QString Checkpoint::Outcome::copiedWords() const
{
    // What this run copied when known (a report from an older CLI: what was waiting as it began, fromJson).
    const qint64 copied = framesCopied;
    if (copied == 0 && framesWaitingBefore > 0) // waiting as it began, copied by another process before it ran
        return u"nothing left to copy back (another process had copied the waiting frames back first)"_s;
    if (copied == 0)
        return u"nothing was waiting to be copied back (every frame was already in the database)"_s;
    if (copied > 0)
        return copied == 1 ? u"1 frame copied back"_s : u"%1 frames copied back"_s.arg(Format::count(copied));
    if (checkpointedFrames > 0) { // how many this run copied is not known: what the log holds in the database is
        return checkpointedFrames == logFrames
            ? u"all %1 frames of the log are in the database"_s.arg(Format::count(logFrames))
            : u"%1 of the log's %2 frames are in the database"_s.arg(
                Format::count(checkpointedFrames), Format::count(logFrames));
    }
    return walBytesBefore > 0 ? u"every frame copied back"_s : u"there was nothing to copy back"_s;
}

Result<Checkpoint::Outcome> Checkpoint::run(const QString& dbPath, const Options& options)
{
    Outcome outcome;
    outcome.mode = options.mode;
    outcome.busyTimeoutMs = options.busyTimeoutMs;
    if (!options.acceptForeignWal) { // before SQLite sees the -wal: opening adopts it
        if (Status foreign = WalOrigin::refuseForeign(dbPath, u"checkpoint"_s); !foreign)
            return foreign.error();
    }
    outcome.warnings = warningsBefore(dbPath, options.alsoWriting);
    Database::Options open;
    open.mode = Database::Mode::ReadWrite;
    open.busyTimeoutMs = options.busyTimeoutMs;
    open.switchToWal = false; // a checkpoint never changes the journal mode
    auto opened = Database::open(dbPath, open);
    if (!opened)
        return opened.error();
    std::unique_ptr<Database> database = std::move(opened.value());
    if (database->journalMode() != u"wal"_s)
        return Error { Error::Kind::Invalid,
            u"not in WAL mode (it is in %1 mode): there is no WAL to checkpoint"_s.arg(
                database->journalMode().toUpper()) };
    outcome.walBytesBefore = walBytes(dbPath);
    const std::optional<WalIndex::Header> before = walIndexHeader(*database);
    outcome.framesWaitingBefore = before ? before->checkpointLag() : -1;
    int logFrames = 0;
    int checkpointed = 0;
    const int rc
        = sqlite3_wal_checkpoint_v2(database->handle(), nullptr, sqliteMode(options.mode), &logFrames, &checkpointed);
    if (rc != SQLITE_OK && (rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED)
        return database->lastError(u"checkpoint failed"_s);
    outcome.busy = rc != SQLITE_OK;
    outcome.logFrames = logFrames;
    outcome.checkpointedFrames = checkpointed;
    // The header again, for its salts: a writer that restarted the log while the run waited (docs/CLI.md).
    bool restarted = false;
    if (before && options.mode != Mode::Truncate) {
        const auto saltsOf = [](const WalIndex::Header& header) { return std::pair(header.salt1, header.salt2); };
        const std::pair<quint32, quint32> saltsBefore = saltsOf(*before);
        if (const std::optional<WalIndex::Header> after = walIndexHeader(*database))
            restarted = saltsOf(*after) != saltsBefore;
    }
    outcome.framesCopied = framesCopied(outcome, before, restarted);
    database.reset(); // closing the last connection may checkpoint; measure after it
    outcome.walBytesAfter = walBytes(dbPath);
    if (outcome.incomplete())
        outcome.blockers = CacheHolders::holdingAny(CacheHolders::of(dbPath), blockingLocks(options.mode));
    return outcome;
}

HealthWarnings Checkpoint::warningsBefore(const QString& dbPath, const QList<qint64>& alsoWriting)
{
    HealthWarnings warnings;
    if (const QString foreign = WalOrigin::problem(dbPath); !foreign.isEmpty())
        warnings << HealthWarning { WarningCode::ForeignWal, foreign };
    if (!WalResetBug::affects(Database::runtimeVersion()))
        return warnings; // no /proc scan needed
    return warnings + writerWarnings(writersNow(dbPath, alsoWriting));
}

QList<qint64> Checkpoint::writersNow(const QString& dbPath, const QList<qint64>& alsoWriting)
{
    QList<qint64> writers = CacheHolders::pids(CacheHolders::writers(dbPath));
    for (qint64 pid : alsoWriting) {
        if (!writers.contains(pid))
            writers << pid;
    }
    return writers;
}

QString Checkpoint::processesText(const QList<std::pair<qint64, QString>>& processes)
{
    QStringList names;
    for (const auto& [pid, name] : processes)
        names << u"PID %1 (%2)"_s.arg(pid).arg(name);
    return names.join(u", "_s);
}

QString Checkpoint::writingNowText(const QList<std::pair<qint64, QString>>& writers, const QString& when)
{
    if (writers.isEmpty())
        return {};
    // One writer: "…: %1" is its name (a "%2" there took the count and lost the name: "cache: 1").
    QString text = writers.size() == 1
        ? u"1 process is writing to this cache: %1"_s.arg(processesText(writers))
        : u"%1 processes are writing to this cache: %2"_s.arg(Format::count(writers.size()), processesText(writers));
    if (!when.isEmpty())
        text += u' ' + when;
    return text;
}

QString Checkpoint::writersText(const QList<std::pair<qint64, QString>>& writers, const QString& when)
{
    const QString writing = writingNowText(writers, when);
    if (writing.isEmpty())
        return {};
    return writing + u". "_s
        + u"A checkpoint may not reach the end of the -wal: frames they commit while it runs stay in the -wal, and "
          "a reader's snapshot stops it where that snapshot ends."_s;
}

QString Checkpoint::pinnedText(qint64 pid, const QString& name, qint64 readMark)
{
    // /proc/locks gives 0 for a process in another pid namespace and -1 for a lock no process owns: never "PID 0";
    // a reader gone before its name was read is its pid, never "PID 7 ()".
    const QString reader = pid <= 0 ? u"A reader CacheScope cannot see (in another container, or a lock the kernel "
                                      "names no process for)"_s
        : name.isEmpty() ? u"Reader PID %1"_s.arg(pid)
                         : u"Reader PID %1 (%2)"_s.arg(pid).arg(name);
    return u"%1 pins the checkpoint at frame %2: frames after it stay in the -wal until it ends its read."_s.arg(
        reader, Format::count(readMark));
}

HealthWarnings Checkpoint::writerWarnings(const QList<qint64>& writerPids)
{
    return WalResetBug::whileWriting(Database::runtimeVersion(), writerPids);
}

QString Checkpoint::modeName(Mode mode)
{
    switch (mode) {
    case Mode::Passive:
        return u"passive"_s;
    case Mode::Full:
        return u"full"_s;
    case Mode::Restart:
        return u"restart"_s;
    case Mode::Truncate:
        return u"truncate"_s;
    }
    return {};
}

std::optional<Checkpoint::Mode> Checkpoint::parseMode(const QString& name)
{
    for (Mode mode : { Mode::Passive, Mode::Full, Mode::Restart, Mode::Truncate }) {
        if (modeName(mode).compare(name, Qt::CaseInsensitive) == 0)
            return mode;
    }
    return std::nullopt;
}
