// SPDX-License-Identifier: GPL-3.0-or-later
#include "live/commitcounter.h"

#include "live/rollbackcounter.h"
#include "os/cachefiles.h"
#include "os/folderevents.h"
#include "os/writeevents.h"
#include "wal/walgenerations.h"
#include "wal/walindex.h"
#include "wal/waltail.h"

#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <mutex>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace Qt::Literals::StringLiterals;

namespace {
const QHash<qint64, int>& anyWritersOf(const QHash<qint64, int>& wal, const QHash<qint64, int>& db)
{
    return wal.isEmpty() ? db : wal;
}
} // namespace

struct CommitCounter::State {
    enum class Kind { Other, Db, Wal, Journal };
    using Clock = std::chrono::steady_clock;
    // A busy cache (commits in two wake-ups within BusyAfter) is read every Tick instead of on
    // every write; QuietTicks without a commit end it; fanotify listens one Tick in ListenEvery
    // meanwhile. Not within ChurnMemory of a -wal created or deleted (docs/BENCHMARKS.md,
    // bench_watch_exact).
    static constexpr auto BusyAfter = std::chrono::milliseconds(20);
    static constexpr auto Tick = std::chrono::milliseconds(5);
    static constexpr int QuietTicks = 4;
    static constexpr int ListenEvery = 5;
    static constexpr auto ChurnMemory = std::chrono::seconds(1);

    QString dbPath;
    QString walPath;
    QString journalPath;
    QByteArray dbName, walName, journalName;
    Options options;
    FolderEvents folder;
    std::unique_ptr<WriteEvents> writes;
    QString attributionNote;
    std::vector<std::unique_ptr<WalTail>> tails;
    WalGenerations generations;
    RollbackCounter rollback;
    // The -shm's commit counter (iChange, +1 per commit) over one -shm's life: a lower bound
    // read before the frames, so it only adds what the frames could not show (frames a reset
    // overwrote before they were read). One epoch per -shm inode while it stays live.
    std::unique_ptr<WalIndex> shm;
    quint64 shmEpoch = 0; // inode of the -shm whose counter is followed (0: none)
    quint32 shmFirst = 0; // its counter when first read
    quint32 shmLast = 0;
    qint64 shmBase = 0; // commitsTotal just before that first read
    int stopFd = -1;
    std::thread thread;
    Clock::time_point lastWalChurn {}; // the last -wal created or deleted (the thread's own)

    std::mutex mutex; // guards what follows
    Reading reading;
    qint64 carried = 0; // commits of a wake-up without a fanotify pid, given to the next one
    // Busy: commits counted while fanotify was not listening, split at take() among the pids it
    // heard writing in the interval (else in the interval before), by their write events.
    qint64 busyCommits = 0;
    QHash<qint64, int> heard, heardBefore;
    QHash<qint64, QStringList> heardFiles; // the files each was last heard writing

    void run();
    bool followBusy();
    qint64 wakeUp(bool busy);
    void missed(const QString& reason);
    bool holds(quint64 device, quint64 inode) const;
    void openCurrentWal();
    Kind identify(int fd, bool& adopted, bool& adoptedUnlinked);
    void attribute(qint64 commits, const QHash<qint64, int>& writers);
    std::optional<qint64> shmLowerBound(bool& continuous);
};

CommitCounter::CommitCounter(const QString& dbPath, const Options& options)
    : m_state(std::make_unique<State>())
{
    const CacheFiles files(QFileInfo(dbPath).absoluteFilePath());
    m_state->dbPath = files.path(CacheFiles::Kind::Db);
    m_state->walPath = files.path(CacheFiles::Kind::Wal);
    m_state->journalPath = files.path(CacheFiles::Kind::Journal);
    m_state->dbName = QFile::encodeName(QFileInfo(m_state->dbPath).fileName());
    m_state->walName = m_state->dbName + "-wal";
    m_state->journalName = m_state->dbName + "-journal";
    m_state->options = options;
}

CommitCounter::~CommitCounter()
{
    if (m_state->thread.joinable()) {
        const quint64 one = 1;
        [[maybe_unused]] const ssize_t n = ::write(m_state->stopFd, &one, sizeof one);
        m_state->thread.join();
    }
    if (m_state->stopFd >= 0)
        ::close(m_state->stopFd);
}

Status CommitCounter::start()
{
    State& s = *m_state;
    const QString folder = QFileInfo(s.dbPath).absolutePath();
    if (Status watched = s.folder.watch(folder); !watched) {
        s.reading.problem = watched.error().message;
        return watched;
    }
    s.reading.attribution = u"sampled"_s;
    if (s.options.fanotify) {
        s.writes = std::make_unique<WriteEvents>();
        if (Status marked = s.writes->watch(folder); marked)
            s.reading.attribution = u"fanotify"_s;
        else {
            s.attributionNote = marked.error().message;
            s.writes.reset();
        }
    } else {
        s.attributionNote = u"the sampled method was asked for"_s;
    }
    s.reading.attributionNote = s.attributionNote;
    // The baseline: what the files hold now is not counted.
    s.rollback.open(s.dbPath);
    s.shm = std::make_unique<WalIndex>(CacheFiles(s.dbPath).path(CacheFiles::Kind::Shm));
    // The -shm's counter is followed from now, not from the first wake-up: a thread woken late
    // (a loaded machine) finds the frames of the first commits overwritten by the -wal's restarts,
    // and only the counter read before them still knows they happened
    // (tst_cli_watchexact::pausedWatchCountsEveryCommit: 7 of 3,000 counted without this).
    bool continuous = false;
    s.shmLowerBound(continuous);
    if (WalTail* tail = WalTail::open(s.walPath)) {
        tail->read(s.generations, false);
        s.tails.emplace_back(tail);
    }
    s.stopFd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (s.stopFd < 0)
        return Error { Error::Kind::Io, u"eventfd: %1"_s.arg(QString::fromLocal8Bit(std::strerror(errno))) };
    s.reading.running = true;
    s.thread = std::thread([&s] { s.run(); });
    return {};
}

CommitCounter::Reading CommitCounter::take()
{
    State& s = *m_state;
    const std::lock_guard lock(s.mutex);
    if (s.busyCommits > 0) {
        s.reading.writersExact = false; // counted while fanotify was not listening
        s.attribute(std::exchange(s.busyCommits, 0), s.heard.isEmpty() ? s.heardBefore : s.heard);
        // A writer given commits is listed with the files it was last heard writing, even when
        // fanotify did not listen while it wrote in this interval.
        for (auto it = s.reading.commitsByPid.begin(); it != s.reading.commitsByPid.end(); ++it) {
            if (it.value() > 0 && !s.reading.wroteByPid.contains(it.key()))
                s.reading.wroteByPid.insert(it.key(), s.heardFiles.value(it.key(), { u"wal"_s }));
        }
    }
    if (!s.heard.isEmpty()) {
        s.heardBefore = std::exchange(s.heard, {});
        for (auto it = s.heardFiles.begin(); it != s.heardFiles.end();)
            it = s.heardBefore.contains(it.key()) ? std::next(it) : s.heardFiles.erase(it);
    }
    Reading out = s.reading;
    s.reading.intervalCommits = 0;
    s.reading.commitsByPid.clear();
    s.reading.wroteByPid.clear();
    s.reading.writersExact = true;
    return out;
}

void CommitCounter::State::run()
{
    Clock::time_point lastCommits = Clock::now() - BusyAfter;
    for (;;) {
        pollfd fds[3]
            = { { stopFd, POLLIN, 0 }, { folder.fd(), POLLIN, 0 }, { writes ? writes->fd() : -1, POLLIN, 0 } };
        const int n = ::poll(fds, writes ? 3 : 2, -1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 || (fds[0].revents & POLLIN))
            return;
        const Clock::time_point now = Clock::now();
        if (wakeUp(false) == 0)
            continue;
        // Commits twice within BusyAfter, and no -wal came or went lately: a busy cache. Follow it
        // on a timer until it is quiet again instead of waking on (and queueing) every write.
        if (now - lastCommits < BusyAfter && now - lastWalChurn > ChurnMemory) {
            if (!followBusy())
                return;
            lastCommits = Clock::now() - BusyAfter;
        } else {
            lastCommits = now;
        }
    }
}

// While a cache is busy, the writers' write() calls raise no event: FolderEvents reports only files
// created, deleted or renamed and fanotify listens one Tick in every ListenEvery (which one is drawn
// at random for each ListenEvery Ticks). Every Tick the
// files are read as a wake-up reads them (the -wal frames through the fds held, the -shm's
// counter, the rollback header's counter), so counts stay exact: nothing was counted from events.
// A -wal created meanwhile is assumed written (counted as missed if it is gone before it is
// opened and fanotify did not hand it over), and any -wal coming or going ends the busy spell.
// After QuietTicks with no commit, events are turned on again and read once more (what came in
// between). false: stop asked for.
bool CommitCounter::State::followBusy()
{
    folder.setModifyEvents(false);
    bool listening = true;
    int quiet = 0;
    int listenAt = 0; // the Tick of the current ListenEvery that listens, drawn anew for each
    for (int tick = 0; quiet < QuietTicks && Clock::now() - lastWalChurn > ChurnMemory; ++tick) {
        // Not a fixed phase: a writer committing every N x ListenEvery Ticks would write in the
        // same deaf Ticks every time and never be named (the demo named 2 or 3 of its 4 workers).
        if (tick % ListenEvery == 0)
            listenAt = int(QRandomGenerator::global()->bounded(ListenEvery));
        if (writes && listening != (tick % ListenEvery == listenAt))
            listening = writes->setListening(!listening) ? !listening : listening;
        pollfd stop { stopFd, POLLIN, 0 };
        if (::poll(&stop, 1, int(Tick.count())) != 0 && (stop.revents & POLLIN))
            return false;
        quiet = wakeUp(true) > 0 ? 0 : quiet + 1;
    }
    folder.setModifyEvents(true);
    if (writes && !listening)
        writes->setListening(true);
    wakeUp(true);
    return true;
}

void CommitCounter::State::missed(const QString& reason)
{
    const std::lock_guard lock(mutex);
    if (reading.exact) {
        reading.exact = false;
        reading.missedReason = reason;
    }
}

bool CommitCounter::State::holds(quint64 device, quint64 inode) const
{
    return std::any_of(tails.begin(), tails.end(),
        [&](const std::unique_ptr<WalTail>& t) { return t->device() == device && t->inode() == inode; });
}

void CommitCounter::State::openCurrentWal()
{
    struct stat st { };
    if (::lstat(QFile::encodeName(walPath).constData(), &st) != 0 || holds(quint64(st.st_dev), quint64(st.st_ino)))
        return;
    if (WalTail* tail = WalTail::open(walPath))
        tails.emplace_back(tail);
}

// Which of the cache's files a fanotify event's fd is; a -wal nobody holds yet is adopted (the fd
// then belongs to its WalTail).
CommitCounter::State::Kind CommitCounter::State::identify(int fd, bool& adopted, bool& adoptedUnlinked)
{
    adopted = adoptedUnlinked = false;
    struct stat st { };
    if (::fstat(fd, &st) != 0)
        return Kind::Other;
    if (holds(quint64(st.st_dev), quint64(st.st_ino)))
        return Kind::Wal;
    if (rollback.isOpen() && quint64(st.st_dev) == rollback.device() && quint64(st.st_ino) == rollback.inode())
        return Kind::Db;
    char link[4096];
    const ssize_t n
        = ::readlink(QByteArray("/proc/self/fd/" + QByteArray::number(fd)).constData(), link, sizeof link - 1);
    if (n <= 0)
        return Kind::Other;
    QString path = QFile::decodeName(QByteArray(link, int(n)));
    const bool unlinked = st.st_nlink == 0 && path.endsWith(u" (deleted)"_s);
    if (unlinked)
        path.chop(10);
    if (path == walPath && S_ISREG(st.st_mode)) {
        tails.emplace_back(new WalTail(fd, quint64(st.st_dev), quint64(st.st_ino)));
        adopted = true;
        adoptedUnlinked = unlinked;
        return Kind::Wal;
    }
    if (path == journalPath)
        return Kind::Journal;
    if (path == dbPath)
        return Kind::Db;
    return Kind::Other;
}

// Reads what changed; busy: the files are read whether or not an event said they changed.
// Returns the commits counted.
qint64 CommitCounter::State::wakeUp(bool busy)
{
    const QList<FolderEvents::Event> events = folder.drain(); // first: fanotify's are then at least as new
    bool overflow = false;
    const QList<WriteEvents::Event> written = writes ? writes->drain(&overflow) : QList<WriteEvents::Event>();
    QHash<qint64, int> walWriters, dbWriters;
    QHash<qint64, QStringList> wrote;
    int adoptedGone = 0;
    for (const WriteEvents::Event& event : written) {
        bool adopted = false, adoptedUnlinked = false;
        const Kind kind = identify(event.fd, adopted, adoptedUnlinked);
        if (!adopted)
            ::close(event.fd);
        adoptedGone += adoptedUnlinked ? 1 : 0;
        if (kind == Kind::Other || event.pid <= 0)
            continue;
        const QString name = kind == Kind::Wal ? u"wal"_s : kind == Kind::Db ? u"db"_s : u"journal"_s;
        if (!wrote[event.pid].contains(name))
            wrote[event.pid].append(name);
        if (kind == Kind::Wal)
            ++walWriters[event.pid];
        else
            ++dbWriters[event.pid];
    }
    if (overflow)
        missed(u"the kernel dropped write events (fanotify queue overflow)"_s);

    // inotify, in order. A -wal created, written and deleted within one wake-up was never open
    // to us: those commits are lost unless fanotify handed over its fd.
    bool walChanged = busy || !walWriters.isEmpty();
    bool dbChanged = busy || !dbWriters.isEmpty();
    bool segmentOpen = false, segmentWritten = false;
    int unseenWals = 0;
    for (const FolderEvents::Event& event : events) {
        using Type = FolderEvents::Event::Type;
        if (event.type == Type::Overflow) {
            missed(u"the kernel dropped folder events (inotify queue overflow)"_s);
            walChanged = dbChanged = true;
            continue;
        }
        if (event.type == Type::FolderGone) {
            missed(u"the cache's folder was removed or renamed: nothing in it can be followed any more"_s);
            continue;
        }
        if (event.name == walName) {
            walChanged = true;
            if (event.type != Type::Modified)
                lastWalChurn = Clock::now();
            if (event.type == Type::Created) {
                segmentOpen = true;
                segmentWritten = busy; // no Modified events while busy: assume it was
            } else if (event.type == Type::Modified) {
                segmentWritten = segmentWritten || segmentOpen;
            } else {
                if (segmentOpen && segmentWritten)
                    ++unseenWals;
                segmentOpen = false;
            }
        } else if (event.name == dbName) {
            dbChanged = true;
            if (event.type == Type::Created)
                rollback.open(dbPath); // a new database file: its counter is the new baseline
            else if (event.type == Type::Deleted)
                rollback.close();
        } else if (event.name == journalName) {
            dbChanged = true;
        }
    }
    if (unseenWals > adoptedGone)
        missed(u"a -wal was created, written and deleted before it could be opened"_s);

    qint64 walCommits = 0, frames = 0;
    if (walChanged) {
        bool continuous = false;
        const std::optional<qint64> shmTotal = shmLowerBound(continuous); // before the frames (see State)
        openCurrentWal();
        QString lost;
        for (auto it = tails.begin(); it != tails.end();) {
            const WalTail::Read read = (*it)->read(generations);
            walCommits += read.commits;
            frames += read.frames;
            if (!read.missed.isEmpty())
                lost = read.missed;
            // Deleted and read to its end: nothing more can be written that anyone will see.
            it = (*it)->unlinked() ? tails.erase(it) : std::next(it);
        }
        qint64 counted = 0;
        {
            const std::lock_guard lock(mutex);
            counted = reading.commitsTotal;
        }
        if (shmTotal && *shmTotal > counted + walCommits)
            walCommits = *shmTotal - counted; // commits whose frames were overwritten unread
        // A -shm followed since before this wake-up counts what the lost frames held (now or at the
        // next wake-up): nothing is missed then.
        if (!lost.isEmpty() && !continuous)
            missed(lost);
    }
    qint64 dbCommits = 0;
    if (dbChanged) {
        if (!rollback.isOpen())
            rollback.open(dbPath);
        dbCommits = rollback.read().commits;
    }
    const std::lock_guard lock(mutex);
    reading.commitsTotal += walCommits + dbCommits;
    reading.framesTotal += frames;
    reading.intervalCommits += walCommits + dbCommits;
    for (auto it = wrote.begin(); it != wrote.end(); ++it) {
        heardFiles.insert(it.key(), it.value());
        QStringList& files = reading.wroteByPid[it.key()];
        for (const QString& file : it.value()) {
            if (!files.contains(file))
                files.append(file);
        }
    }
    if (writes) {
        const QHash<qint64, int>& anyWriters = anyWritersOf(walWriters, dbWriters);
        for (auto it = anyWriters.begin(); it != anyWriters.end(); ++it)
            heard[it.key()] += it.value();
        // Commits with nobody to give them to wait one wake-up (fanotify's event may be read a
        // moment after inotify's), then stay unattributed. Busy, fanotify listens only now and
        // then: they are split at take() among the writers it heard in the interval.
        const qint64 pending = std::exchange(carried, 0);
        if (busy && walCommits + dbCommits > 0)
            reading.writersExact = false; // fanotify listens only part of the time meanwhile
        if (busy && anyWriters.isEmpty()) {
            busyCommits += walCommits + dbCommits + pending;
        } else if (walCommits + dbCommits + pending > 0 && anyWriters.isEmpty()) {
            carried = walCommits + dbCommits;
            reading.writersExact = reading.writersExact && pending == 0; // those stay unattributed
        } else {
            attribute(walCommits, walWriters.isEmpty() ? dbWriters : walWriters);
            attribute(dbCommits, dbWriters.isEmpty() ? walWriters : dbWriters);
            attribute(pending, anyWriters);
        }
    }
    return walCommits + dbCommits;
}

// The -shm's count since it was first read, added to the total counted before that read: a
// lower bound of the commits so far (read before the frames of a wake-up, so everything it
// counts is also in the -wal unless a reset overwrote it). continuous: the same live -shm was
// followed at the previous wake-up too.
std::optional<qint64> CommitCounter::State::shmLowerBound(bool& continuous)
{
    continuous = false;
    // A -shm that cannot be read now (being initialised, left over) keeps its epoch: a later
    // read of the same inode whose counter did not go back still counts from the same start.
    const Result<WalIndex::Header> header = shm->read();
    if (!header || !header->isLive())
        return std::nullopt;
    const quint64 inode = quint64(shm->inode());
    qint64 counted = 0;
    {
        const std::lock_guard lock(mutex);
        counted = reading.commitsTotal;
    }
    const quint32 delta = header->commitCounter - shmLast;
    if (inode != shmEpoch || delta > 0x7fffffffU) { // a new -shm, or its counter went back: a new epoch
        shmEpoch = inode;
        shmFirst = shmLast = header->commitCounter;
        shmBase = counted;
        return std::nullopt;
    }
    continuous = true;
    shmLast = header->commitCounter;
    return shmBase + qint64(quint32(shmLast - shmFirst));
}

// Splits commits among the pids that wrote in this wake-up, in proportion to their writes
// (largest remainder): exact when one process wrote, which is nearly always the case.
void CommitCounter::State::attribute(qint64 commits, const QHash<qint64, int>& writers)
{
    if (commits <= 0 || writers.isEmpty())
        return;
    if (writers.size() > 1)
        reading.writersExact = false; // split by their writes: an estimate
    qint64 events = 0;
    for (int n : writers)
        events += n;
    QList<std::pair<double, qint64>> remainders;
    qint64 given = 0;
    for (auto it = writers.begin(); it != writers.end(); ++it) {
        const double share = double(commits) * it.value() / double(events);
        const qint64 whole = qint64(share);
        reading.commitsByPid[it.key()] += whole;
        given += whole;
        remainders.append({ share - double(whole), it.key() });
    }
    std::sort(remainders.begin(), remainders.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    for (qsizetype i = 0; given < commits && i < remainders.size(); ++i, ++given)
        reading.commitsByPid[remainders.at(i).second] += 1;
}
