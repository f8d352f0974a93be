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

namespace {
constexpr int MaxFormerTargets = 16;
}

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
    rememberFormerFiles(s);
    QList<LockTable::Target> targets = LockTable::targetsOf(s.files) + m_formerTargets;
    if (options.scanProcesses) {
        s.processes = ProcessTable::scan(m_path, targets);
        s.processesScanned = true;
        targets += s.processes.deletedTargets();
    }
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
    deriveWriters(s, filesChanged || m_lastStepCommits > 0, options);
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
    if (walkFrames || replaced) {
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
    const RateWindow::Rates rates = m_rates.add(point);
    s.ratesValid = rates.valid;
    s.commitsPerSecond = rates.commitsPerSecond;
    s.framesPerSecond = rates.framesPerSecond;
    s.ratesLowerBound = rates.lowerBound;
    s.walReset = rates.walReset;
    s.counterRestarts = rates.restarts;
    m_lastStepCommits = rates.lastStepCommits;
}

void Sampler::deriveWriters(Snapshot& s, bool cacheChanged, const Options& options)
{
    WriterTracker::Input input;
    input.tMs = s.takenAtMs;
    input.cacheChanged = cacheChanged;
    for (const LockTable::Lock& lock : s.locks.locks()) {
        if (lock.waiting || lock.pid <= 0 || lock.deletedFile || lock.pid == options.excludePid)
            continue;
        if (!input.seen.contains(lock.pid))
            input.seen.append(lock.pid);
        const bool walWriter = lock.file == CacheFiles::Kind::Shm && lock.name == u"write"_s && lock.write;
        // Rollback mode: RESERVED and PENDING, and EXCLUSIVE (a write lock on the shared range).
        const bool dbWriter = lock.file == CacheFiles::Kind::Db
            && (lock.name == u"db_reserved"_s || lock.name == u"db_pending"_s
                || (lock.name == u"db_shared"_s && lock.write));
        if ((walWriter || dbWriter) && !input.lockHolders.contains(lock.pid))
            input.lockHolders.append(lock.pid);
    }
    if (const Snapshot* source = s.processesScanned ? &s : nullptr) {
        for (const ProcessTable::Process& p : source->processes.processes()) {
            if (!p.isSelf && !input.seen.contains(p.pid))
                input.seen.append(p.pid);
        }
    }
    if (!options.trackWriters)
        input.seen.clear(); // contention from the lock table only, no /proc/PID/io reads
    const WriterTracker::Result result = m_writers.add(input, options.trackWriters);
    s.writeLockBusy = result.writeLockBusy;
    s.busySamples = result.busySamples;
    for (const WriterTracker::Writer& w : result.writers) {
        Snapshot::ActiveWriter writer;
        writer.pid = w.pid;
        if (const auto* process = s.processes.find(w.pid)) {
            writer.name = process->name;
            writer.cmdline = process->cmdline;
        } else {
            writer.name = ProcessTable::processName(w.pid);
            writer.cmdline = ProcessTable::processCommandLine(w.pid);
        }
        writer.writesPerSecond = w.writesPerSecond;
        writer.bytesPerSecond = w.bytesPerSecond;
        writer.evidence = w.evidence;
        writer.lockShare = w.lockShare;
        s.writers.append(writer);
    }
}

void Sampler::rememberFormerFiles(const Snapshot& now)
{
    const Snapshot* before = previous();
    if (!before)
        return;
    for (int i = 0; i < CacheFiles::KindCount; ++i) {
        const CacheFiles::FileInfo& old = before->files[i];
        const CacheFiles::FileInfo& cur = now.files[i];
        if (!old.exists || (cur.exists && cur.inode == old.inode && cur.device == old.device))
            continue;
        m_formerTargets.append({ CacheFiles::Kind(i), quint64(old.device), quint64(old.inode), true });
    }
    while (m_formerTargets.size() > MaxFormerTargets)
        m_formerTargets.removeFirst();
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
