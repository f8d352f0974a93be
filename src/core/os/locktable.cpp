// SPDX-License-Identifier: GPL-3.0-or-later
#include "os/locktable.h"

#include <QFile>
#include <QJsonObject>
#include <QSet>

#include <algorithm>
#include <limits>
#include <sys/stat.h>
#include <sys/sysmacros.h>

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
    QFile file(u"/proc/locks"_s);
    if (!file.open(QIODevice::ReadOnly))
        return Error { Error::Kind::Io, u"cannot read /proc/locks: %1"_s.arg(file.errorString()) };
    return file.readAll();
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
