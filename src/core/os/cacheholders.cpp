// SPDX-License-Identifier: GPL-3.0-or-later
#include "os/cacheholders.h"

#include <QCoreApplication>
#include <QJsonArray>

#include "os/cachefiles.h"
#include "os/locktable.h"
#include "os/processtable.h"

using namespace Qt::Literals::StringLiterals;

QJsonObject CacheHolders::Process::toJson() const
{
    return QJsonObject { { u"pid"_s, pid }, { u"name"_s, name }, { u"cmdline"_s, cmdline },
        { u"files"_s, QJsonArray::fromStringList(files) }, { u"locks"_s, QJsonArray::fromStringList(locks) } };
}

QString CacheHolders::Process::describe() const
{
    const QString command = cmdline.isEmpty() ? name : cmdline.simplified(); // python -c scripts span lines
    QString text = u"pid %1 (%2)"_s.arg(pid).arg(command.size() > 160 ? command.left(157) + u"…"_s : command);
    if (!files.isEmpty())
        text += u" — files: "_s + files.join(u", "_s);
    if (!locks.isEmpty())
        text += u"; locks: "_s + locks.join(u", "_s);
    return text;
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

} // namespace

QList<CacheHolders::Process> CacheHolders::of(const QString& dbPath)
{
    const CacheFiles files(dbPath);
    CacheFiles::FileInfo infos[CacheFiles::KindCount];
    for (int i = 0; i < CacheFiles::KindCount; ++i)
        infos[i] = files.stat(CacheFiles::Kind(i));
    const QList<LockTable::Target> targets = LockTable::targetsOf(infos);
    if (targets.isEmpty())
        return {};
    const ProcessTable table = ProcessTable::scan(dbPath, targets);
    QList<Process> holders;
    for (const auto& open : table.others()) {
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
