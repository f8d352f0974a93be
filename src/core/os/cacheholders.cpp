// SPDX-License-Identifier: GPL-3.0-or-later
#include "os/cacheholders.h"

#include <QCoreApplication>
#include <QJsonArray>

#include "os/cachefiles.h"
#include "os/locktable.h"
#include "os/processtable.h"

#include <QHash>

#include <sys/sysmacros.h>

using namespace Qt::Literals::StringLiterals;

QJsonObject CacheHolders::Process::toJson() const
{
    return QJsonObject { { u"pid"_s, pid }, { u"name"_s, name }, { u"cmdline"_s, cmdline },
        { u"files"_s, QJsonArray::fromStringList(files) }, { u"locks"_s, QJsonArray::fromStringList(locks) } };
}

CacheHolders::Process CacheHolders::Process::fromJson(const QJsonObject& json)
{
    Process process;
    process.pid = json[u"pid"_s].toInteger();
    process.name = json[u"name"_s].toString();
    process.cmdline = json[u"cmdline"_s].toString();
    process.files = json[u"files"_s].toVariant().toStringList();
    process.locks = json[u"locks"_s].toVariant().toStringList();
    return process;
}

QString CacheHolders::Process::describe() const
{
    const QString command = cmdline.isEmpty() ? name : cmdline.simplified(); // python -c scripts span lines
    QString text = u"PID %1 (%2)"_s.arg(pid).arg(command.size() > 160 ? command.left(157) + u"…"_s : command);
    if (!files.isEmpty())
        text += u" — files: "_s + files.join(u", "_s);
    if (!locks.isEmpty())
        text += u"; locks: "_s + locks.join(u", "_s);
    return text;
}

QString CacheHolders::filesText(const QStringList& files)
{
    QStringList words;
    for (const QString& file : files) {
        const qsizetype space = file.indexOf(u' ');
        const QString name = space < 0 ? file : file.left(space); // "db (locked)": its name, then what follows
        const QString rest = space < 0 ? QString() : file.mid(space);
        if (name == u"db"_s)
            words << QCoreApplication::translate("CacheHolders", "database")
                    + rest; // shown as it is, like WarningCatalog's
        else if (name == u"wal"_s || name == u"shm"_s || name == u"journal"_s)
            words << u'-' + name + rest;
        else
            words << file; // a value file's label, or "…"
    }
    return words.join(u", "_s);
}

namespace {

CacheHolders::Process& entryFor(QList<CacheHolders::Process>& list, qint64 pid)
{
    for (auto& process : list) {
        if (process.pid == pid)
            return process;
    }
    CacheHolders::Process process;
    process.pid = pid;
    if (pid > 0) {
        process.name = ProcessTable::processName(pid);
        process.cmdline = ProcessTable::processCommandLine(pid);
    } else {
        process.name = u"unknown (OFD lock or another PID namespace)"_s;
    }
    list.append(process);
    return list.last();
}

void addUnique(QStringList& list, const QString& value)
{
    if (!list.contains(value))
        list.append(value);
}

// Test hook (CACHESCOPE_TEST_HOOKS builds only; the tests run as root, which may read every
// process): CACHESCOPE_TEST_NO_FD_SCAN=1 makes every other process uninspectable, as other users'
// processes are for a normal user. A release build always scans.
bool skipFdScan()
{
#ifdef CACHESCOPE_TEST_HOOKS
    return qEnvironmentVariableIntValue("CACHESCOPE_TEST_NO_FD_SCAN") == 1;
#else
    return false;
#endif
}

// Every other process.
QList<qint64> otherProcessIds()
{
    QList<qint64> pids = ProcessTable::processIds();
    pids.removeAll(QCoreApplication::applicationPid());
    return pids;
}

quint64 deviceOf(quint32 major, quint32 minor)
{
    return quint64(makedev(major, minor));
}

} // namespace

QList<CacheHolders::Process> CacheHolders::of(const QString& dbPath)
{
    return of(dbPath, nullptr);
}

QList<CacheHolders::Process> CacheHolders::of(const QString& dbPath, int* uninspectable)
{
    const CacheFiles files(dbPath);
    CacheFiles::FileInfo infos[CacheFiles::KindCount];
    for (int i = 0; i < CacheFiles::KindCount; ++i)
        infos[i] = files.stat(CacheFiles::Kind(i));
    const QList<LockTable::Target> targets = LockTable::targetsOf(infos);
    if (targets.isEmpty())
        return {};
    const ProcessTable table = skipFdScan() ? ProcessTable() : ProcessTable::scan(dbPath, targets);
    if (uninspectable)
        *uninspectable = skipFdScan() ? int(otherProcessIds().size()) : table.unreadableProcesses();
    QList<Process> holders;
    for (const auto& open : table.others()) {
        // A CacheScope watcher (`cachescope-cli watch`, the GUI's Activity feed) keeps the db and
        // -wal open read-only to count commits (docs/WAL.md §10): no lock, nothing it could write,
        // so it blocks nothing. Its locks, if it ever had any, are still listed below.
        if (open.writableFiles.isEmpty() && open.name.startsWith(u"cachescope"_s))
            continue;
        Process& process = entryFor(holders, open.pid);
        process.name = open.name;
        process.cmdline = open.cmdline;
        for (CacheFiles::Kind kind : open.files)
            addUnique(process.files, CacheFiles::kindName(kind));
        for (CacheFiles::Kind kind : open.deletedFiles)
            addUnique(process.files, CacheFiles::kindName(kind) + u" (deleted)"_s);
    }
    const auto locks = LockTable::collect(targets + table.deletedTargets(), QCoreApplication::applicationPid());
    if (!locks)
        return holders;
    for (const auto& lock : locks->locks()) {
        if (lock.waiting)
            continue;
        Process& process = entryFor(holders, lock.pid);
        addUnique(process.files, CacheFiles::kindName(lock.file) + (lock.deletedFile ? u" (deleted)"_s : QString()));
        addUnique(process.locks, lock.name);
    }
    return holders;
}

QList<CacheHolders::Process> CacheHolders::holdingAny(const QList<Process>& processes, const QStringList& lockNames)
{
    QList<Process> matching;
    for (const Process& process : processes) {
        for (const QString& lock : process.locks) {
            if (lockNames.contains(lock)) {
                matching << process;
                break;
            }
        }
    }
    return matching;
}

QList<CacheHolders::Process> CacheHolders::writers(const QString& dbPath)
{
    return holdingAny(of(dbPath), { u"write"_s, u"db_reserved"_s, u"db_pending"_s });
}

QList<CacheHolders::Process> CacheHolders::ofFiles(const QList<FileId>& files, int* uninspectable)
{
    QList<Process> holders;
    if (uninspectable)
        *uninspectable = 0;
    if (files.isEmpty())
        return holders;
    QHash<QPair<quint64, quint64>, QString> labels;
    for (const FileId& file : files)
        labels.insert({ file.device, file.inode }, file.label);
    const auto add = [&holders](qint64 pid, const QString& label) {
        Process& process = entryFor(holders, pid);
        if (process.files.size() < 4)
            addUnique(process.files, label);
        else if (!process.files.contains(u"…"_s))
            process.files << u"…"_s;
    };
    for (qint64 pid : otherProcessIds()) {
        const auto access = skipFdScan() ? ProcessTable::FdAccess::Unreadable
                                         : ProcessTable::forEachOpenFile(pid, [&](const ProcessTable::OpenFile& file) {
                                               const auto found = labels.constFind({ file.device, file.inode });
                                               if (found != labels.constEnd())
                                                   add(pid, found.value());
                                           });
        if (uninspectable && access == ProcessTable::FdAccess::Unreadable)
            ++*uninspectable;
    }
    auto text = LockTable::readProcLocks();
    if (!text)
        return holders;
    for (const LockTable::Entry& entry : LockTable::parse(text.value())) {
        if (entry.waiting || entry.pid == QCoreApplication::applicationPid())
            continue;
        const auto found = labels.constFind({ deviceOf(entry.major, entry.minor), entry.inode });
        if (found != labels.constEnd())
            add(entry.pid > 0 ? entry.pid : -1, found.value() + u" (locked)"_s);
    }
    return holders;
}

void CacheHolders::merge(QList<Process>& into, const QList<Process>& more)
{
    for (const Process& process : more) {
        Process& target = entryFor(into, process.pid);
        if (target.name.isEmpty())
            target.name = process.name;
        if (target.cmdline.isEmpty())
            target.cmdline = process.cmdline;
        for (const QString& file : process.files)
            addUnique(target.files, file);
        for (const QString& lock : process.locks)
            addUnique(target.locks, lock);
    }
}

QList<qint64> CacheHolders::pids(const QList<Process>& processes)
{
    QList<qint64> pids;
    for (const Process& process : processes)
        pids << process.pid;
    return pids;
}

QString CacheHolders::pidList(const QList<qint64>& pids)
{
    QStringList texts;
    for (qint64 pid : pids)
        texts << QString::number(pid);
    return texts.join(u", "_s);
}
