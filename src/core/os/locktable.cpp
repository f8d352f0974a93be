// SPDX-License-Identifier: GPL-3.0-or-later
#include "os/locktable.h"

#include <QFile>
#include <QHash>
#include <QJsonObject>
#include <QSet>

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <limits>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

using namespace Qt::Literals::StringLiterals;

namespace {
struct NamedRange {
    CacheFiles::Kind kind;
    qint64 first;
    qint64 last;
    const char* name;
};

// docs/WAL.md §3 (unix VFS lock bytes).
constexpr qint64 Pending = 0x40000000;
const NamedRange namedRanges[] = {
    { CacheFiles::Kind::Shm, 120, 120, "write" },
    { CacheFiles::Kind::Shm, 121, 121, "checkpoint" },
    { CacheFiles::Kind::Shm, 122, 122, "recover" },
    { CacheFiles::Kind::Shm, 123, 123, "read0" },
    { CacheFiles::Kind::Shm, 124, 124, "read1" },
    { CacheFiles::Kind::Shm, 125, 125, "read2" },
    { CacheFiles::Kind::Shm, 126, 126, "read3" },
    { CacheFiles::Kind::Shm, 127, 127, "read4" },
    { CacheFiles::Kind::Shm, 128, 128, "dms" },
    { CacheFiles::Kind::Db, Pending, Pending, "db_pending" },
    { CacheFiles::Kind::Db, Pending + 1, Pending + 1, "db_reserved" },
    { CacheFiles::Kind::Db, Pending + 2, Pending + 2 + 509, "db_shared" },
};

bool parseDevice(const QByteArray& token, LockTable::Entry& entry)
{
    // maj:min:inode, major and minor in hex, the inode in decimal.
    const QList<QByteArray> parts = token.split(':');
    if (parts.size() != 3)
        return false;
    bool ok1 = false, ok2 = false, ok3 = false;
    entry.major = parts.at(0).toUInt(&ok1, 16);
    entry.minor = parts.at(1).toUInt(&ok2, 16);
    entry.inode = parts.at(2).toULongLong(&ok3, 10);
    return ok1 && ok2 && ok3;
}

// The lines of one read of /proc/locks without their ordinals ("12: "), each with how often it
// came; a POSIX lock's line counts once (a repeat is the read's artefact, see parse()), other
// classes' lines as often as they came (two OFD locks of one range read alike).
class ProcLocksLines {
public:
    ProcLocksLines() = default;
    explicit ProcLocksLines(const QByteArray& text)
    {
        for (const QByteArray& line : text.split('\n')) {
            const qsizetype colon = line.indexOf(':');
            if (colon < 0)
                continue;
            const QByteArray lock = line.mid(colon + 1).simplified();
            if (lock.isEmpty())
                continue;
            const bool posix = lock.startsWith("POSIX ") || lock.startsWith("-> POSIX ");
            int& count = m_counts[lock];
            if (count == 0)
                m_order.append(lock);
            if (count == 0 || !posix)
                ++count;
        }
    }
    bool sameLocksAs(const ProcLocksLines& other) const { return m_counts == other.m_counts; }
    // Every line either listed, as often as the read that listed it most.
    void unite(const ProcLocksLines& other)
    {
        for (const QByteArray& lock : other.m_order) {
            int& count = m_counts[lock];
            if (count == 0)
                m_order.append(lock);
            count = std::max(count, other.m_counts.value(lock));
        }
    }
    // As /proc/locks writes it, numbered anew.
    QByteArray text() const
    {
        QByteArray out;
        int ordinal = 0;
        for (const QByteArray& lock : m_order) {
            for (int i = m_counts.value(lock); i > 0; --i)
                out += QByteArray::number(++ordinal) + ": " + lock + '\n';
        }
        return out;
    }

private:
    QHash<QByteArray, int> m_counts;
    QList<QByteArray> m_order;
};

// /proc/locks read whole in read() calls of at most `pieceSize` bytes each.
Result<QByteArray> readProcLocksInPieces(qsizetype pieceSize)
{
    const auto failed = [] {
        return Error { Error::Kind::Io, u"cannot read /proc/locks: %1"_s.arg(qt_error_string(errno)) };
    };
    const int fd = ::open("/proc/locks", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return failed();
    QByteArray text;
    for (;;) {
        const qsizetype at = text.size();
        text.resize(at + pieceSize);
        const ssize_t got = ::read(fd, text.data() + at, size_t(pieceSize));
        if (got < 0 && errno == EINTR) {
            text.resize(at);
            continue;
        }
        if (got < 0) {
            const Error error = failed();
            ::close(fd);
            return error;
        }
        text.resize(at + got);
        if (got == 0)
            break;
    }
    ::close(fd);
    return text;
}

bool parseLine(const QByteArray& line, LockTable::Entry& entry)
{
    QList<QByteArray> tokens = line.simplified().split(' ');
    if (tokens.size() < 2 || !tokens.at(0).endsWith(':'))
        return false;
    tokens.removeFirst(); // "N:"
    if (tokens.first() == "->") {
        entry.waiting = true;
        tokens.removeFirst();
    }
    // class, mode (ADVISORY/MANDATORY/ACTIVE/…), type, pid, dev:ino, start, end
    if (tokens.size() < 7)
        return false;
    entry.lockClass = tokens.at(0);
    const QByteArray type = tokens.at(2);
    if (type != "READ" && type != "WRITE")
        return false; // UNLCK, leases being broken, …
    entry.write = type == "WRITE";
    bool ok = false;
    entry.pid = tokens.at(3).toLongLong(&ok);
    if (!ok || !parseDevice(tokens.at(4), entry))
        return false;
    entry.start = tokens.at(5).toLongLong(&ok);
    if (!ok)
        return false;
    entry.end = tokens.at(6) == "EOF" ? -1 : tokens.at(6).toLongLong(&ok);
    return ok;
}
} // namespace

QJsonObject LockTable::Lock::toJson() const
{
    QJsonObject object { { u"pid"_s, pid }, { u"lock"_s, name }, { u"type"_s, typeName() },
        { u"file"_s, CacheFiles::kindName(file) } };
    if (ofd)
        object.insert(u"ofd"_s, true);
    if (waiting)
        object.insert(u"waiting"_s, true);
    if (deletedFile)
        object.insert(u"deleted_file"_s, true);
    return object;
}

QList<LockTable::Entry> LockTable::parse(const QByteArray& procLocksText)
{
    // The kernel writes /proc/locks a page per read() and lets go of the lock list in between: a
    // lock taken or released meanwhile by any process on the machine shifts the rest, so a line
    // can come twice (seen: one process's dms lock counted as two holders). A POSIX lock is one
    // line per owner and range, so a repeated line is the same lock: kept once.
    QList<Entry> entries;
    QSet<QByteArray> seen;
    for (const QByteArray& line : procLocksText.split('\n')) {
        Entry entry;
        if (!parseLine(line, entry))
            continue;
        const QByteArray withoutOrdinal = line.mid(line.indexOf(':') + 1).simplified();
        if (!seen.contains(withoutOrdinal) || entry.lockClass != "POSIX") {
            seen.insert(withoutOrdinal);
            entries.append(entry);
        }
    }
    return entries;
}

Result<QByteArray> LockTable::readProcLocks()
{
    // The kernel hands /proc/locks out a buffer (at most a page, 4 KiB, about 60 locks) per
    // read() and lets go of the machine's lock list in between, then finds its place again by
    // counting lines: a lock taken meanwhile before that place shifts the rest down (a line comes
    // twice: parse() keeps it once), a lock released there shifts them up — a line is skipped,
    // and a lock held all along is missing from that read. SQLite takes and releases -shm locks
    // at every transaction, so a busy cache's own writers do this to its idle connections' lines.
    // Measured with a process holding 300 locks and two others taking and releasing 20 in a loop
    // (tst_locktable::heldLocksSeenWhileOthersComeAndGo): 265 of 1,000 single reads missed some
    // of the 300. Reads in the same pieces skip the same lines again, so each read here cuts the
    // file at other places (its own read() size), at least three times and until two reads in a
    // row list the same locks, at most seven times; the answer is every lock any of them listed.
    // Two reads were the least once: under ASan (each read slower, so more churn between pages)
    // the first two agreed on missing the same line in 1 of 1,000 calls (CI of 834b127). A lock
    // let go of during the reads (a millisecond or so) counts as held; a held lock is not left out.
    static constexpr qsizetype pieceSizes[] = { 64 * 1024, 1536, 2816, 3584, 1024, 2304, 3072 };
    constexpr qsizetype LeastReads = 3;
    ProcLocksLines seen;
    ProcLocksLines previous;
    for (qsizetype read = 0; read < qsizetype(std::size(pieceSizes)); ++read) {
        auto text = readProcLocksInPieces(pieceSizes[read]);
        if (!text)
            return text.error();
        ProcLocksLines lines(text.value());
        seen.unite(lines);
        if (read + 1 >= LeastReads && lines.sameLocksAs(previous))
            break;
        previous = std::move(lines);
    }
    return seen.text();
}

QList<LockTable::Target> LockTable::targetsOf(const CacheFiles::FileInfo (&files)[CacheFiles::KindCount])
{
    QList<Target> targets;
    for (int i = 0; i < CacheFiles::KindCount; ++i) {
        if (files[i].exists)
            targets.append(
                { CacheFiles::Kind(i), quint64(files[i].device), quint64(files[i].inode), false, files[i].path });
    }
    return targets;
}

void LockTable::addNamedLocks(const Entry& entry, const Target& target, QList<Lock>& out)
{
    const qint64 end = entry.end < 0 ? std::numeric_limits<qint64>::max() : entry.end;
    Lock lock;
    lock.pid = entry.pid;
    lock.ofd = entry.lockClass == "OFDLCK";
    lock.waiting = entry.waiting;
    lock.file = target.kind;
    lock.write = entry.write;
    lock.deletedFile = target.former;
    bool named = false;
    for (const NamedRange& range : namedRanges) {
        if (range.kind != target.kind || range.last < entry.start || range.first > end)
            continue;
        lock.name = QLatin1String(range.name);
        out.append(lock);
        named = true;
    }
    if (!named) {
        lock.name = u"other"_s;
        out.append(lock);
    }
}

LockTable LockTable::match(const QList<Entry>& entries, const QList<Target>& targets, qint64 excludePid)
{
    LockTable table;
    for (const Entry& entry : entries) {
        if (excludePid != 0 && entry.pid == excludePid)
            continue;
        for (const Target& target : targets) {
            if (entry.inode == target.inode && entry.major == major(target.device)
                && entry.minor == minor(target.device)) {
                addNamedLocks(entry, target, table.m_locks);
                break;
            }
        }
    }
    return table;
}

Result<LockTable> LockTable::collect(const QList<Target>& targets, qint64 excludePid)
{
    auto text = readProcLocks();
    if (!text)
        return text.error();
    QList<Target> still;
    for (const Target& target : targets) {
        struct stat st { };
        if (!target.former && !target.path.isEmpty()
            && (::lstat(QFile::encodeName(target.path).constData(), &st) != 0 || quint64(st.st_ino) != target.inode
                || quint64(st.st_dev) != target.device))
            continue;
        still.append(target);
    }
    return match(parse(text.value()), still, excludePid);
}

QList<LockTable::Lock> LockTable::holders(const QString& name) const
{
    QList<Lock> result;
    for (const Lock& lock : m_locks) {
        if (lock.name == name && !lock.waiting)
            result.append(lock);
    }
    return result;
}

bool LockTable::anyOnDeletedFile() const
{
    return std::any_of(m_locks.begin(), m_locks.end(), [](const Lock& lock) { return lock.deletedFile; });
}

bool LockTable::anyOn(CacheFiles::Kind kind) const
{
    return std::any_of(
        m_locks.begin(), m_locks.end(), [kind](const Lock& lock) { return lock.file == kind && !lock.deletedFile; });
}

QJsonArray LockTable::toJson() const
{
    QJsonArray array;
    for (const Lock& lock : m_locks)
        array.append(lock.toJson());
    return array;
}
