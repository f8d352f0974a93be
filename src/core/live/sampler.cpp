// SPDX-License-Identifier: GPL-3.0-or-later
#include "live/sampler.h"

#include "live/healthcheck.h"
#include "live/walresetbug.h"
#include "sqlite/database.h"

#include <QFile>
#include <QFileInfo>

#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::Literals::StringLiterals;

Sampler::Sampler(const QString& dbPath)
    : m_path(QFileInfo(dbPath).absoluteFilePath())
    , m_files(m_path)
    , m_index(m_files.path(CacheFiles::Kind::Shm))
    , m_walFile(m_files.path(CacheFiles::Kind::Wal))
{
}

Sampler::~Sampler() = default;

qint64 Sampler::nowMs()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

QString Sampler::readJournalMode()
{
    // Opened for the read and closed again: harmless in this process (it holds no SQLite
    // connection, see the class comment), and it keeps no fd on the db between samples.
    const int fd = ::open(QFile::encodeName(m_path).constData(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return {};
    struct stat st { };
    unsigned char header[20];
    const bool ok = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode)
        && ::pread(fd, header, sizeof header, 0) == ssize_t(sizeof header)
        && std::memcmp(header, "SQLite format 3", 16) == 0;
    ::close(fd);
    if (!ok)
        return {};
    return header[18] == 2 && header[19] == 2 ? u"wal"_s : u"rollback"_s;
}

Snapshot Sampler::sample(const Options& options)
{
    Snapshot s;
    s.takenAtMs = nowMs();
    s.path = m_path;
    for (int i = 0; i < CacheFiles::KindCount; ++i)
        s.files[i] = m_files.stat(CacheFiles::Kind(i));
    s.filesystem = CacheFiles::filesystemOf(m_path);
    s.journalMode = readJournalMode();
    readIndex(s);
    readWal(s, options.readWalFrames);
    classifyFiles(s);
    if (const CommitCounter::Reading* counted = options.counted) {
        s.counted = counted->running;
        s.commitsTotal = counted->commitsTotal;
        s.framesTotal = counted->framesTotal;
        s.commitsExact = counted->running && counted->exact;
        s.commitsMissedReason = counted->running ? counted->missedReason : counted->problem;
        s.intervalCommits = counted->intervalCommits;
        s.attribution = counted->attribution;
        s.attributionNote = counted->attributionNote;
        if (counted->running && counted->attribution == u"fanotify"_s)
            s.intervalWritersExact = counted->writersExact;
    } else {
        s.attribution = u"sampled"_s;
        s.commitsMissedReason = u"commits are not counted from events in this sampler"_s;
    }
    // The sampled method needs to know who has the db open for writing: scan /proc/*/fd when
    // something was committed and the last scan is a second old (and whenever asked to).
    const bool sampled = !options.counted || options.counted->attribution != u"fanotify"_s;
    const bool scanForWriters
        = sampled && options.trackWriters && s.intervalCommits > 0 && s.takenAtMs - m_lastScanMs >= 1000;
    QList<LockTable::Target> targets = LockTable::targetsOf(s.files);
    if (options.scanProcesses || scanForWriters) {
        s.processes = ProcessTable::scan(m_path, targets);
        s.processesScanned = true;
        m_lastScanMs = s.takenAtMs;
        targets += s.processes.deletedTargets();
        trackDeleted(s);
        m_fileHolders.clear();
        for (const ProcessTable::Process& p : s.processes.processes()) {
            if (!p.isSelf && !p.files.isEmpty())
                m_fileHolders.append({ p.pid, p.name, p.cmdline, false });
        }
    }
    s.fileHolders = m_fileHolders;
    if (auto locks = LockTable::collect(targets, options.excludePid))
        s.locks = locks.value();
    else
        s.locksProblem = locks.error().message;
    trackResets(s);
    bool filesChanged = false;
    if (const Snapshot* before = previous()) {
        for (int i = 0; i < CacheFiles::KindCount; ++i)
            filesChanged = filesChanged || !s.files[i].sameAs(before->files[i]);
    }
    deriveRates(s, filesChanged);
    s.derive(previous());
    deriveWriters(s, options.counted ? s.intervalCommits > 0 : filesChanged || m_lastStepCommits > 0, options);
    trackRecentWriters(s);
    s.warnings = HealthCheck::evaluate(s, previous());
    if (!m_noticesSaid && s.journalMode == u"wal"_s && s.filesState == Snapshot::FilesState::Live) {
        m_noticesSaid = true; // once per sampler: the SQLite version does not change between samples
        const QString version = Database::runtimeVersion();
        if (WalResetBug::affects(version))
            s.notices.append(
                WalResetBug::notice(version, u"(Said once: it concerns this SQLite version, not this sample.)"_s));
    }
    m_previous = s;
    m_previous->processes = {}; // the previous sample needs no process list; keeps copies cheap
    return s;
}

static_assert(RateWindow::WindowMs == WriterTracker::BusyWindowMs, "rates and writers' commits: one window");

void Sampler::trackRecentWriters(Snapshot& s)
{
    if (s.intervalWritersExact) {
        if (!*s.intervalWritersExact)
            m_inexactAt.append(s.takenAtMs);
        while (!m_inexactAt.isEmpty() && s.takenAtMs - m_inexactAt.first() > WriterTracker::BusyWindowMs)
            m_inexactAt.removeFirst();
        // On a network filesystem this kernel sees only this host's writes.
        s.writersExact = m_inexactAt.isEmpty() && !s.filesystem.network;
    }
    for (const Snapshot::ActiveWriter& w : std::as_const(s.writers)) {
        Recent& recent = m_recent[w.pid];
        recent.writer = w;
        recent.writer.lastWroteMs = s.takenAtMs;
        recent.commits.append({ s.takenAtMs, w.commits });
    }
    for (auto it = m_recent.begin(); it != m_recent.end();) {
        auto& commits = it->commits;
        // The steps RateWindow keeps (those ending after now - WindowMs): the same samples' commits.
        while (!commits.isEmpty() && s.takenAtMs - commits.first().first >= WriterTracker::BusyWindowMs)
            commits.removeFirst();
        if (commits.isEmpty()) {
            it = m_recent.erase(it);
            continue;
        }
        Snapshot::ActiveWriter writer = it->writer;
        writer.commits = qint64(0);
        for (const auto& [when, n] : std::as_const(commits)) {
            if (!n) {
                writer.commits.reset(); // some of its commits could not be attributed
                break;
            }
            *writer.commits += *n;
        }
        s.recentWriters.append(writer);
        ++it;
    }
    std::sort(s.recentWriters.begin(), s.recentWriters.end(),
        [](const Snapshot::ActiveWriter& a, const Snapshot::ActiveWriter& b) { return a.pid < b.pid; });
    s.writersRecently = int(s.recentWriters.size());
}

// A deleted db, -wal or -journal open for writing is reported once the same process still holds it
// at the next scan: SQLite itself unlinks a -wal a moment before it closes it.
void Sampler::trackDeleted(Snapshot& s)
{
    QList<qint64> now;
    int openers = 0;
    for (const ProcessTable::Process& p : s.processes.processes()) {
        if (p.isSelf)
            continue;
        if (p.mayWrite())
            ++openers;
        bool writesDeleted = false;
        for (CacheFiles::Kind kind : p.deletedWritable)
            writesDeleted = writesDeleted || kind != CacheFiles::Kind::Shm;
        if (writesDeleted)
            now.append(p.pid);
    }
    s.writeOpeners = openers;
    for (qint64 pid : now) {
        if (m_deletedLastScan.contains(pid))
            s.deletedWriters.append(pid);
    }
    m_deletedLastScan = now;
}

QList<qint64> Sampler::excludedPids(const Options& options) const
{
    QList<qint64> excluded = options.excludePids;
    if (options.excludePid > 0)
        excluded.append(options.excludePid);
    excluded.append(qint64(::getpid()));
    return excluded;
}

// The candidates that are neither excluded nor one of the inspector's own helpers: a CacheScope
// process (watch, a probe) whose parent is a pid excluded by the caller (the GUI). /proc/PID/stat's
// ppid and comm are read for the few candidates only. (A writer the GUI happens to have started
// is still a writer; the simulator's workers are its grandchildren.)
static QList<qint64> withoutExcluded(
    const QList<qint64>& pids, const QList<qint64>& excluded, const QList<qint64>& parents)
{
    QList<qint64> kept;
    for (qint64 pid : pids) {
        if (excluded.contains(pid))
            continue;
        if (!parents.isEmpty() && parents.contains(ProcessTable::parentOf(pid))
            && ProcessTable::processName(pid).startsWith(u"cachescope"_s))
            continue;
        kept.append(pid);
    }
    return kept;
}

bool Sampler::consistentWithWal(const WalIndex::Header& header, QString& why) const
{
    if (!header.isLive() || header.committedFrame == 0)
        return true;
    const qint64 page = header.pageSize;
    if (page < 512 || page > 65536 || (page & (page - 1)) != 0) {
        why = u"the -shm header says page size %1, which SQLite never uses"_s.arg(page);
        return false;
    }
    // Frames reach the -wal before the -shm header counts them, so the -wal stat()ed after
    // reading the header holds at least every committed frame (docs/WAL.md, "Cross-checks").
    const CacheFiles::FileInfo wal = m_files.stat(CacheFiles::Kind::Wal);
    const qint64 needed = 32 + qint64(header.committedFrame) * (page + 24);
    if (wal.exists && wal.bytes >= needed)
        return true;
    why = u"the -shm header says %1 frames are committed, but the -wal %2 (%3 needed): the -shm is not "
          "trustworthy, its counters are not reported"_s.arg(header.committedFrame)
              .arg(wal.exists ? u"has only %1 bytes"_s.arg(wal.bytes) : u"does not exist"_s)
              .arg(needed);
    return false;
}

void Sampler::readIndex(Snapshot& s)
{
    m_shmLive = false;
    auto header = m_index.read();
    QString why;
    if (header && !consistentWithWal(header.value(), why)) {
        header = m_index.read(); // a TRUNCATE checkpoint may have run in between: look once more
        if (header && consistentWithWal(header.value(), why))
            why.clear();
    }
    if (!header) {
        const Error::Kind kind = header.error().kind;
        s.shmState = kind == Error::Kind::NotFound ? u"absent"_s
            : kind == Error::Kind::Locked          ? u"initialising"_s
                                                   : u"invalid"_s;
        m_shmLive = kind == Error::Kind::Locked;
        if (kind == Error::Kind::Corrupt || kind == Error::Kind::EmptyFile) {
            // A header torn by a busy writer, or a -shm a connection just created, can be in use:
            // ask the DMS byte itself before anything calls it a leftover.
            const auto liveness = m_index.liveness();
            m_shmLive = liveness && liveness.value() != WalIndex::Liveness::Stale;
        }
        if (kind != Error::Kind::NotFound || s.file(CacheFiles::Kind::Shm).exists)
            s.walIndexProblem = header.error().message;
        return;
    }
    m_shmLive = header->isLive();
    if (!why.isEmpty()) {
        s.shmState = u"inconsistent"_s;
        s.walIndexProblem = why;
        return;
    }
    s.walIndex = header.value();
    s.shmState = WalIndex::livenessName(header->liveness);
}

void Sampler::readWal(Snapshot& s, bool walkFrames)
{
    const CacheFiles::FileInfo& wal = s.file(CacheFiles::Kind::Wal);
    const WalFile::Summary& last = m_walFile.summary();
    // A -wal that vanished or was replaced is read again at once: the last walk describes a file
    // that is gone, and reporting it as current would be reading through a deleted file.
    const bool replaced = wal.exists ? quint64(wal.inode) != last.inode : last.state != WalFile::State::Absent;
    // A commit (or a reset) since the last walk: the walk resumes after the frames it verified,
    // so catching up costs only the new frames, and the valid frames shown beside the -shm's
    // committed frame are never older than it ("Valid frames: 143" beside "0 / 175 frames").
    const bool behind = wal.exists && s.walIndex && qint64(s.walIndex->committedFrame) != last.lastCommitFrame;
    if (walkFrames || replaced || behind) {
        s.walFile = m_walFile.update();
        m_walFile.release();
    } else {
        s.walFile = last;
    }
}

void Sampler::classifyFiles(Snapshot& s)
{
    // The sidecars were stat'ed before the -shm was read; a connection that opened or closed
    // in between makes the two disagree. One sample must tell one story: look at the files
    // again, and if the -shm is gone after all, the sample has no index (at rest when the -wal
    // is gone too); "live" always comes with the -shm's size.
    const bool sawIndex = s.walIndex.has_value() || m_shmLive;
    if (sawIndex && !s.file(CacheFiles::Kind::Shm).exists) {
        for (const CacheFiles::Kind kind : { CacheFiles::Kind::Wal, CacheFiles::Kind::Shm })
            s.files[int(kind)] = m_files.stat(kind);
        if (!s.file(CacheFiles::Kind::Shm).exists) { // no -shm now: its index is not this sample's
            s.walIndex.reset();
            s.shmState = u"absent"_s;
            s.walIndexProblem.clear();
            m_shmLive = false;
        }
    }
    const CacheFiles::FileInfo& shm = s.file(CacheFiles::Kind::Shm);
    // A new -shm: another inode, or the same inode number again after we saw none (a deleted
    // file's inode is often reused at once).
    if (shm.exists && (quint64(shm.inode) != m_lastShmInode || !m_shmSeenLast))
        ++m_shmGenerations;
    if (shm.exists)
        m_lastShmInode = quint64(shm.inode);
    m_shmSeenLast = shm.exists;
    s.sidecarGenerations = m_shmGenerations;
    if (!s.file(CacheFiles::Kind::Wal).exists && !shm.exists)
        s.filesState = Snapshot::FilesState::AtRest;
    else if (m_shmLive)
        s.filesState = Snapshot::FilesState::Live;
    else
        s.filesState = Snapshot::FilesState::Stale;
    s.shmInUse = m_shmLive;
}

void Sampler::deriveRates(Snapshot& s, bool filesChanged)
{
    RateWindow::Point point;
    point.tMs = s.takenAtMs;
    point.live = s.walIndex && s.walIndex->isLive();
    point.shmInode = point.live ? quint64(m_index.inode()) : 0;
    if (point.live) {
        point.commitCounter = s.walIndex->commitCounter;
        point.committedFrame = s.walIndex->committedFrame;
        point.salt1 = s.walIndex->salt1;
    }
    point.filesChanged = filesChanged;
    if (s.counted) {
        point.commitsTotal = s.commitsTotal;
        point.framesTotal = s.framesTotal;
        point.exact = s.commitsExact;
    }
    const RateWindow::Rates rates = m_rates.add(point);
    s.ratesValid = rates.valid;
    s.commitsPerSecond = rates.commitsPerSecond;
    s.framesPerSecond = rates.framesPerSecond;
    s.ratesLowerBound = rates.lowerBound;
    s.rateSpanMs = rates.spanMs;
    s.walReset = rates.walReset;
    s.counterRestarts = rates.restarts;
    m_lastStepCommits = rates.lastStepCommits;
}

void Sampler::deriveWriters(Snapshot& s, bool cacheChanged, const Options& options)
{
    const QList<qint64> excluded = options.trackWriters ? excludedPids(options) : QList<qint64>();
    WriterTracker::Input input;
    input.tMs = s.takenAtMs;
    input.cacheChanged = cacheChanged;
    input.excluded = excluded;
    const qint64 page = s.walIndex ? s.walIndex->pageSize : qint64(s.walFile.header.pageSize);
    input.minWriteBytes = page >= 512 ? page : 512;
    for (const LockTable::Lock& lock : s.locks.locks()) {
        if (lock.waiting || lock.deletedFile)
            continue;
        const bool walWriter = lock.file == CacheFiles::Kind::Shm && lock.name == u"write"_s && lock.write;
        if (lock.pid <= 0) { // an OFD lock (-1) or another pid namespace's (0): the lock is busy, nobody to name (#28)
            input.heldByUnseen = input.heldByUnseen || walWriter;
            continue;
        }
        if (lock.pid == options.excludePid)
            continue;
        // Rollback mode: RESERVED and PENDING, and EXCLUSIVE (a write lock on the shared range).
        const bool reserved = lock.file == CacheFiles::Kind::Db && lock.name == u"db_reserved"_s;
        const bool pending = lock.file == CacheFiles::Kind::Db && lock.name == u"db_pending"_s;
        const bool exclusive = lock.file == CacheFiles::Kind::Db && lock.name == u"db_shared"_s && lock.write;
        if (exclusive)
            s.rollbackLock = u"exclusive"_s;
        else if (pending && s.rollbackLock != u"exclusive"_s)
            s.rollbackLock = u"pending"_s;
        else if (reserved && s.rollbackLock.isEmpty())
            s.rollbackLock = u"reserved"_s;
        if ((walWriter || reserved || pending || exclusive) && !input.lockHolders.contains(lock.pid))
            input.lockHolders.append(lock.pid);
    }
    if (s.journalMode != u"rollback"_s)
        s.rollbackLock.clear();
    for (const ProcessTable::Process& p : s.processes.processes()) {
        if (!p.isSelf && p.mayWrite() && !input.seen.contains(p.pid))
            input.seen.append(p.pid);
    }
    input.seen = withoutExcluded(input.seen, excluded, options.excludePids);
    input.lockHolders = withoutExcluded(input.lockHolders, excluded, options.excludePids);
    const bool fanotify = s.attribution == u"fanotify"_s && options.counted;
    // With fanotify the tracker measures contention only: the writers are the pids that wrote.
    const WriterTracker::Result result = m_writers.add(input, options.trackWriters && !fanotify);
    s.writeLockBusy = result.writeLockBusy;
    s.busySamples = result.busySamples;
    const auto named = [&s](Snapshot::ActiveWriter& writer) {
        if (const auto* process = s.processes.find(writer.pid)) {
            writer.name = process->name;
            writer.cmdline = process->cmdline;
        } else {
            writer.name = ProcessTable::processName(writer.pid);
            writer.cmdline = ProcessTable::processCommandLine(writer.pid);
        }
    };
    if (fanotify) {
        // fanotify names whoever wrote: the pids left out are left out here too, and only when
        // they last wrote is kept (the GUI says its own checkpoint apart).
        const CommitCounter::Reading& counted = *options.counted;
        const QList<qint64> wrote = counted.wroteByPid.keys();
        const QList<qint64> kept = withoutExcluded(wrote, excludedPids(options), options.excludePids);
        if (kept.size() < wrote.size())
            m_excludedWroteMs = s.takenAtMs;
        if (m_excludedWroteMs >= 0 && s.takenAtMs - m_excludedWroteMs <= WriterTracker::BusyWindowMs)
            s.excludedWroteMs = m_excludedWroteMs;
        for (auto it = counted.wroteByPid.begin(); it != counted.wroteByPid.end(); ++it) {
            if (!kept.contains(it.key()))
                continue;
            Snapshot::ActiveWriter writer;
            writer.pid = it.key();
            writer.evidence = { u"fanotify"_s };
            writer.files = it.value();
            writer.commits = counted.commitsByPid.value(it.key(), 0);
            writer.lockShare = result.lockShares.value(it.key());
            named(writer);
            s.writers.append(writer);
        }
        std::sort(s.writers.begin(), s.writers.end(),
            [](const Snapshot::ActiveWriter& a, const Snapshot::ActiveWriter& b) { return a.pid < b.pid; });
        return;
    }
    for (const WriterTracker::Writer& w : result.writers) {
        Snapshot::ActiveWriter writer;
        writer.pid = w.pid;
        named(writer);
        writer.writesPerSecond = w.writesPerSecond;
        writer.bytesPerSecond = w.bytesPerSecond;
        writer.evidence = w.evidence;
        writer.lockShare = w.lockShare;
        s.writers.append(writer);
    }
    // Sampled: commits can be given to a writer only when it is the one named.
    if (s.counted && s.writers.size() == 1)
        s.writers.first().commits = s.intervalCommits;
}

void Sampler::trackResets(Snapshot& now)
{
    const Snapshot* before = previous();
    if (before && before->walIndex && now.walIndex
        && (now.walIndex->salt1 != before->walIndex->salt1
            || now.walIndex->committedFrame < before->walIndex->committedFrame))
        ++m_resets;
    now.resetsSeen = std::max(m_resets, now.walFile.resetsSeen);
}
