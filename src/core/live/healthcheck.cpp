// SPDX-License-Identifier: GPL-3.0-or-later
#include "live/healthcheck.h"

#include "common/format.h"
#include "live/ratewindow.h"
#include "live/snapshot.h"
#include "live/warningcatalog.h"

#include <QFileInfo>

using namespace Qt::Literals::StringLiterals;

QString HealthCheck::describe(qint64 pid, const QString& name, const QString& cmdline)
{
    // /proc/locks gives 0 for a process in another pid namespace and -1 for a lock no process owns: never "PID 0".
    if (pid <= 0)
        return u"a process CacheScope cannot see (in another container, or a lock the kernel names no process for)"_s;
    // "PID 7 (python3)", as the Writers box, Activity, the dialogs and the CLI name a process (#28: one format).
    const QString what = cmdline.isEmpty() ? name : cmdline;
    return what.isEmpty() ? u"PID %1"_s.arg(pid) : u"PID %1 (%2)"_s.arg(pid).arg(what);
}

QString HealthCheck::notWalMessage(const QString& journalMode)
{
    const QString mode = journalMode == u"rollback"_s ? u"DELETE"_s : journalMode.toUpper();
    return u"The cache is in %1 journal mode, not WAL: concurrent writers get \"database is locked\". Switch it to "
           "WAL (cachescope-cli enable-wal)."_s.arg(mode);
}

HealthWarnings HealthCheck::evaluate(const Snapshot& s, const Snapshot* previous)
{
    HealthWarnings out;
    // On a network filesystem WAL is the danger, not the way out: only network_filesystem's
    // advice (move it to a local disk) is given there, never "switch it to WAL".
    if (s.journalMode == u"rollback"_s && !s.filesystem.network)
        out.append({ WarningCode::NotWal, notWalMessage(s.journalMode) });
    if (s.filesystem.network)
        out.append({ WarningCode::NetworkFilesystem,
            u"The cache is on a network filesystem (%1). WAL needs shared memory between all processes "
            "and does not work across machines; writers on different hosts can corrupt it."_s.arg(s.filesystem.type) });
    checkStarved(s, previous, out);
    checkWalSize(s, out);
    checkShm(s, out);
    checkDeleted(s, out);
    checkRollbackWriters(s, out);
    checkContention(s, out);
    return out;
}

void HealthCheck::checkStarved(const Snapshot& s, const Snapshot* previous, HealthWarnings& out)
{
    const Snapshot::Reader* reader = s.pinning();
    if (!reader)
        return;
    const qint64 lag = s.lagFrames();
    const bool growing
        = previous && s.pinnedSamples >= GrowingSamples && lag >= GrowingLagFrames && lag > previous->lagFrames();
    if (lag < StarvedLagFrames && !growing)
        return;
    out.append({ WarningCode::CheckpointStarved,
        u"The checkpoint is stuck: %1 holds a read snapshot ending at frame %2, so %3 newer frames "
        "cannot be copied into the database and the -wal keeps growing until it ends its transaction."_s
            .arg(describe(reader->pid, reader->name, reader->cmdline))
            .arg(reader->slot == 0 ? qint64(s.walIndex->backfilled) : qint64(reader->readMark))
            .arg(lag) });
}

void HealthCheck::checkWalSize(const Snapshot& s, HealthWarnings& out)
{
    const qint64 bytes = s.fileBytes(CacheFiles::Kind::Wal);
    qint64 content = s.walFile.committedBytes();
    if (s.walIndex && s.walIndex->isLive() && s.walFile.frameBytes() > 0)
        content = std::max(content, 32 + qint64(s.walIndex->committedFrame) * s.walFile.frameBytes());
    // The size the automatic checkpoint keeps it near (unknown without a -wal header: then the size alone).
    const qint64 steady = s.walFile.frameBytes() > 0 ? 32 + AutocheckpointFrames * s.walFile.frameBytes() : 0;
    if (bytes < LargeWalBytes || bytes <= LargeWalFactor * content || bytes <= SteadyWalFactor * steady)
        return;
    const QString normal = steady > 0 ? u". SQLite's automatic checkpoint keeps a -wal near %1 (%2 pages)"_s.arg(
                               Format::bytes(steady), Format::count(AutocheckpointFrames))
                                      : QString();
    out.append({ WarningCode::WalMuchLargerThanContent,
        u"The -wal file is %1 but holds only %2 of current content%3: its size is a high-water mark from an "
        "earlier burst. A TRUNCATE checkpoint or PRAGMA journal_size_limit gives the space back."_s.arg(
            Format::bytes(bytes), Format::bytes(content), normal) });
}

void HealthCheck::checkShm(const Snapshot& s, HealthWarnings& out)
{
    // In use when anyone holds its DMS byte — the probe asks the kernel about every process,
    // including one left out of the lock table (the GUI that runs `watch`), and whether or not
    // the header could be trusted.
    if (!s.file(CacheFiles::Kind::Shm).exists || s.shmInUse || !s.locks.holders(u"dms"_s).isEmpty())
        return;
    if (s.walIndex && s.walIndex->liveness != WalIndex::Liveness::Stale)
        return;
    if (s.fileHolders.isEmpty()) {
        out.append({ WarningCode::StaleShm,
            u"The -shm file is a leftover: no process has a live connection to this cache. The next "
            "connection rebuilds it; it is safe to ignore."_s });
        return;
    }
    // Someone has the files open, only not through a WAL connection (a snapshot reader, a copy, a
    // process mid-open): name them rather than say nobody is there.
    QStringList who;
    for (const Snapshot::Holder& h : s.fileHolders)
        who << describe(h.pid, h.name, h.cmdline);
    who.first()[0] = who.first()[0].toUpper(); // it starts the sentence
    out.append({ WarningCode::StaleShm,
        u"The -shm file is a leftover: no SQLite connection uses it (nobody holds its lock). %1 %2 the "
        "cache's files open, but not through a live WAL connection. The next connection rebuilds it; it is "
        "safe to ignore."_s.arg(who.join(u", "_s), who.size() == 1 ? u"has"_s : u"have"_s) });
}

void HealthCheck::checkDeleted(const Snapshot& s, HealthWarnings& out)
{
    // Only what /proc says: an fd open for writing whose link is "<the cache's path> (deleted)",
    // held by the same process at two scans running (Sampler) — never a remembered inode number.
    QStringList who;
    for (qint64 pid : s.deletedWriters) {
        const ProcessTable::Process* p = s.processes.find(pid);
        const QString text = p ? describe(pid, p->name, p->cmdline)
                               : describe(pid, ProcessTable::processName(pid), ProcessTable::processCommandLine(pid));
        if (!who.contains(text))
            who << text;
    }
    if (who.isEmpty())
        return;
    out.append({ WarningCode::WritingToDeletedFile,
        u"%1 still has a deleted copy of %2 open for writing: whatever it writes goes into a file nobody else "
        "can see and is lost when it exits. Restart it."_s.arg(who.join(u", "_s), QFileInfo(s.path).fileName()) });
}

void HealthCheck::checkRollbackWriters(const Snapshot& s, HealthWarnings& out)
{
    if (s.journalMode != u"rollback"_s)
        return;
    const int openers = s.writeOpeners.value_or(0);
    if (s.writersRecently < 2 && openers < 2)
        return;
    const int several = std::max(s.writersRecently, openers);
    out.append({ WarningCode::RollbackWritersCollide,
        u"%1 processes write this DELETE-mode cache at once. In a rollback-journal mode like DELETE a writer locks the "
        u"whole file: "
        "the others get \"database is locked\" and, without a busy timeout, lose that write. Switch it to WAL "
        "(readers and one writer at a time without blocking each other), open every connection with a 30 s busy "
        "timeout and use synchronous=NORMAL."_s.arg(several) });
}

void HealthCheck::checkContention(const Snapshot& s, HealthWarnings& out)
{
    if (!s.writeLockBusy || *s.writeLockBusy < BusyShare || !s.ratesValid || s.rateSpanMs < ContentionSpanMs)
        return;
    // The share covers the rates' samples (RateWindow::WindowMs == WriterTracker::BusyWindowMs, from the same first
    // sample): "of the last 3.4 s" after 3.4 s of watching, never "of the last 10 s" (#28).
    // It begins with the number: the title says what it is about ("The write lock is held most of the time"), and
    // every place shows the title before it (the banner, Health, `check`'s text: ThresholdCrossing) (#28).
    const QString held = u"%1 of %2."_s.arg(Format::percent(*s.writeLockBusy), RateWindow::spanText(s.rateSpanMs));
    // The processes seen writing: the holder now and those named over the window (a rollback cache: those with it
    // open for writing too). "Writers wait" only when a second one was seen (#28: one open transaction is no queue).
    QList<qint64> seen;
    if (s.writer && s.writer->pid > 0)
        seen.append(s.writer->pid);
    for (const Snapshot::ActiveWriter& w : s.recentWriters) {
        if (w.pid > 0 && !seen.contains(w.pid))
            seen.append(w.pid);
    }
    const qint64 openers = s.journalMode == u"rollback"_s ? s.writeOpeners.value_or(0) : 0;
    const qint64 several = std::max<qint64>(seen.size(), openers);
    const QString consequence = u"with a busy timeout each commit takes longer, and waits beyond the timeout fail "
                                "with \"database is locked\"; without one a writer fails at once and loses that "
                                "write."_s;
    if (several >= 2) {
        out.append({ WarningCode::WriteLockContention,
            u"%1 %2 processes were seen writing: only one can write at a time, so the others wait in line — "
            "%3"_s.arg(held, QString::number(several), consequence) });
        return;
    }
    // One process, or none whose pid is visible: say who holds it and what any other writer would meet.
    // By its name ("PID 7 (python3)"), as the Writers box says it: a `python3 -c` script's command line is the
    // whole script.
    const auto byName
        = [](const Snapshot::Holder& h) { return describe(h.pid, h.name, h.name.isEmpty() ? h.cmdline : QString()); };
    QString who;
    if (s.writer)
        who = byName(*s.writer);
    else if (!s.recentWriters.isEmpty())
        who = byName(s.recentWriters.first());
    const QString holder = who.isEmpty() ? u"No process could be named holding it or writing"_s
        : seen.isEmpty()                 ? u"It is held by %1"_s.arg(who)
                                         : u"Only one process was seen holding it or writing: %1"_s.arg(who);
    out.append({ WarningCode::WriteLockContention,
        held + u' ' + holder + u". Any other writer would have to wait for it: "_s + consequence });
}
