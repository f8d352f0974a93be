// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/activitywording.h"

#include "common/format.h"
#include "live/healthcheck.h"
#include "live/ratewindow.h"
#include "pages/visiblename.h"

#include <algorithm>

#include <QRegularExpression>

using namespace Qt::Literals::StringLiterals;

namespace {
// "1 commit", "1,204 commits": never "1 commits".
QString commits(qint64 number)
{
    return Format::counted(number, ActivityWording::tr("commit"), ActivityWording::tr("commits"));
}
} // namespace

QString ActivityWording::lockMeaning(const QString& lock)
{
    if (lock == u"shared"_s)
        return tr("a process is reading; nobody can write until it ends");
    if (lock == u"reserved"_s)
        return tr("a process is about to write; others can still read");
    if (lock == u"pending"_s)
        return tr("a process waits for the readers to finish so that it can write; no new reader can start");
    if (lock == u"exclusive"_s)
        return tr("a process is writing; nobody else can read or write");
    return QString();
}

QString ActivityWording::contentionText(const ActivitySample& sample)
{
    QString text;
    if (!busyShown(sample)) {
        // No share yet, so no word on it; the lock held now (rollback) is still said.
        text = tr("measuring… (needs a second of samples)");
    } else {
        const double busy = *sample.writeLockBusy;
        text = tr("%1 of %2").arg(Format::percent(busy), busySpanText(sample)) + u" — "_s
            + (busy >= 0.5 ? tr("any other writer has to wait: with a busy timeout each write waits; without one, "
                                "writes fail (\"database is locked\") and are lost")
                    : busy >= 0.2 ? tr("writers sometimes wait")
                                  : tr("little contention"));
    }
    if (sample.journalMode == u"rollback"_s) {
        // The seed bug made visible: in rollback mode the writer locks the whole file.
        if (sample.rollbackLock) {
            const QString meaning = lockMeaning(*sample.rollbackLock);
            text += u"; "_s + tr("now: %1 lock held").arg(sample.rollbackLock->toUpper())
                + (meaning.isEmpty() ? QString() : u" ("_s + meaning + u')');
        }
        if (sample.writeOpeners)
            text += u"; "_s
                + (*sample.writeOpeners == 1 ? tr("1 process has the database open for writing")
                                             : tr("%1 processes have the database open for writing")
                                                   .arg(Format::count(*sample.writeOpeners)));
    }
    return text;
}

QString ActivityWording::commitsSinceText(const ActivitySample& sample)
{
    if (sample.commitsExact)
        return tr("%1 since watching began").arg(commits(sample.commitsTotal));
    // "≥ 0" beside a rate of hundreds a second says nothing true: the total was not counted
    // (the rate came from the -shm's counter), or only part of it was.
    if (sample.commitsTotal > 0)
        return tr("≥ %1 since watching began").arg(commits(sample.commitsTotal));
    return tr("commits since watching began not counted");
}

bool ActivityWording::busyShown(const ActivitySample& sample)
{
    return sample.writeLockBusy && sample.ratesShown();
}

bool ActivityWording::exactNames(const ActivitySample& sample)
{
    return sample.attribution == u"fanotify"_s && sample.writersExact.value_or(false);
}

QString ActivityWording::rateSpanText(const ActivitySample& sample)
{
    // As core's messages say it (the contention warning, the limits): RateWindow::shownSpanMs.
    return tr("the last %1").arg(Format::duration(RateWindow::shownSpanMs(sample.rateSpanMs, sample.rateWindowMs)));
}

QString ActivityWording::busySpanText(const ActivitySample& sample)
{
    // WriterTracker's share and the rates cover the same window (RateWindow::WindowMs == BusyWindowMs) from the same
    // first sample on: while it is not full, the rates' span is the share's too.
    if (!sample.ratesKnown || sample.rateSpanMs <= 0)
        return tr("the first samples");
    return rateSpanText(sample);
}

QString ActivityWording::writerCommits(const ActivitySample& sample, const ActivitySample::Writer& writer)
{
    if (!writer.commits || !sample.ratesShown())
        return QString();
    const qint64 commits = *writer.commits;
    return (exactNames(sample) ? QString() : u"≈"_s) + (commits == 1 ? tr("1 commit") : tr("%1 commits").arg(commits));
}

QString ActivityWording::wroteLately(const ActivitySample& sample, const ActivitySample::Writer& writer)
{
    // How it was named goes in the tooltip. A writer gone before the probe read its name: its pid, never "PID 915 ()".
    const QString name
        = writer.name.isEmpty() ? tr("PID %1").arg(writer.pid) : tr("PID %1 (%2)").arg(writer.pid).arg(writer.name);
    const QString commits = writerCommits(sample, writer);
    return commits.isEmpty() ? name : name + u" — "_s + commits;
}

QString ActivityWording::wroteLatelyList(const ActivitySample& sample)
{
    QStringList names;
    bool counted = false;
    for (const ActivitySample::Writer& writer : sample.recentWriters) {
        names << wroteLately(sample, writer);
        counted = counted || !writerCommits(sample, writer).isEmpty();
    }
    const QString list = names.join(u", "_s);
    if (!counted)
        return list;
    // After the last of several it read as that writer's only (review of stop 49).
    return names.size() == 1 ? tr("%1 (in %2)").arg(list, rateSpanText(sample))
                             : tr("In %1: %2").arg(rateSpanText(sample), list);
}

QString ActivityWording::attributionText(const ActivitySample& sample)
{
    // The reason some were missed or none counted, when watch gave one (never "not counted: not counted").
    const QString reason = sample.commitsMissedReason ? u": "_s + *sample.commitsMissedReason : QString();
    QString counted = sample.commitsExact
        ? tr("%1 since watching began, every one counted (from the -wal's frames or the database's "
             "change counter, as they are written).")
              .arg(commits(sample.commitsTotal))
        : sample.commitsTotal > 0 ? tr("At least %1 since watching began — some may have been missed%2.")
                                        .arg(commits(sample.commitsTotal), reason)
                                  : tr("Commits since watching began are not counted%1.").arg(reason);
    QString named = exactNames(sample)
        ? tr("Writers are named exactly, from the kernel's write events (fanotify): the kernel reports the process "
             "of every write to the database, -wal and -journal, and a process that only reads is never named.")
        : sample.attribution == u"fanotify"_s && sample.writersExact
        ? tr("Writers are named from the kernel's write events (fanotify), which are listened to only part of the "
             "time while the cache is busy, so the writers keep their speed, and which on a network filesystem "
             "come only from this machine: commits per writer are estimated (split by their writes when several "
             "wrote at once), and a writer can go unnamed. A process that only reads is never named.")
        : sample.attribution == u"fanotify"_s
        ? tr("Writers are named from the kernel's write events (fanotify): the kernel reports the process of every "
             "write to the database, -wal and -journal it hears, and a process that only reads is never named.")
        : tr("Writers are sampled (%1): a process is named when caught holding the write lock, or when it has the "
             "database open for writing and its write calls (/proc/PID/io) grew while commits were counted. A "
             "process that writes to other files at the same time can be named too, and one that opens, writes and "
             "closes between two scans can be missed; run as root for exact names.")
              .arg(sample.attributionNote.value_or(tr("the kernel's write events (fanotify) are not available")));
    return counted + u' ' + named;
}

QString ActivityWording::attributionSummary(const ActivitySample& sample)
{
    const QString counted = sample.commitsExact ? tr("Every commit counted")
        : sample.commitsTotal > 0               ? tr("Some commits may have been missed")
                                                : tr("Commits not counted");
    const QString named = exactNames(sample) ? tr("writers named exactly, from the kernel's write events")
        : sample.attribution == u"fanotify"_s && sample.writersExact
        ? tr("writers named from the write events heard, commits per writer estimated")
        : sample.attribution == u"fanotify"_s
        ? tr("writers named from the kernel's write events")
        : tr("writers named by sampling who holds the lock and who makes write calls, so a brief writer can be "
             "missed");
    return tr("%1; %2.").arg(counted, named);
}

QString ActivityWording::evidenceText(const QStringList& evidence)
{
    QStringList said;
    for (const QString& kind : evidence) {
        if (kind == u"fanotify"_s)
            said << tr("the kernel reported it writing the cache's files (fanotify)");
        else if (kind == u"lock"_s)
            said << tr("it was seen holding the write lock");
        else if (kind == u"io"_s)
            said << tr("its write calls grew while it had the database open for writing");
        else
            said << kind;
    }
    return said.isEmpty() ? tr("how it was named is not known") : said.join(tr(" and "));
}

QString ActivityWording::holderName(qint64 pid, const QString& name)
{
    // The words of the health warnings (#28: "process 7" there beside "PID 7" here): one function.
    return HealthCheck::describe(pid, name, QString());
}

bool ActivityWording::countedUnnamed(const ActivitySample& sample)
{
    return sample.recentWriters.isEmpty() && sample.commitsPerSecond > 0 && !sample.writerIsThisProcess
        && !sample.excludedWroteMsAgo;
}

QString ActivityWording::unnamedCommitsText(const ActivitySample& sample)
{
    // The rate times its span is what was counted over the window (c662233): at least the one commit the rate saw.
    const qint64 counted = std::max<qint64>(1, qRound64(sample.commitsPerSecond * double(sample.rateSpanMs) / 1000.0));
    return tr("%1%2 in %3, writer not identified")
        .arg(sample.ratesLowerBound ? u"≥ "_s : u"≈"_s, commits(counted), busySpanText(sample));
}

QString ActivityWording::writersText(const ActivitySample& sample)
{
    // The writers' list covers the rates' samples (one window from the same first sample): "in the last 3.4 s" while
    // watching has lasted less than 10 s, never "in the last 10 s" (#28).
    const QString span = busySpanText(sample);
    QStringList writers;
    if (!sample.recentWriters.isEmpty()) {
        QStringList names;
        for (const ActivitySample::Writer& writer : sample.recentWriters) {
            // A writer gone before the probe read its name (a short script) is its pid: never "915 (, 1 commit)".
            QStringList about;
            if (!writer.name.isEmpty())
                about << visibleName(writer.name);
            if (const QString commits = writerCommits(sample, writer); !commits.isEmpty())
                about << commits;
            // "PID 965 (…)" as the Activity tab says it: a bare number read as a count.
            names << (about.isEmpty() ? tr("PID %1").arg(writer.pid)
                                      : tr("PID %1 (%2)").arg(writer.pid).arg(about.join(u", "_s)));
        }
        writers << (sample.recentWriters.size() == 1
                ? tr("1 process wrote in %1: %2.").arg(span, names.first())
                : tr("%1 processes wrote in %2: %3.")
                      .arg(Format::count(sample.recentWriters.size()), span, names.join(u", "_s)));
    } else if (sample.writerIsThisProcess || (sample.excludedWroteMsAgo && !sample.writer)) {
        writers << tr("No other process wrote in %1.").arg(span);
    } else if (countedUnnamed(sample)) {
        writers << unnamedCommitsText(sample) + u'.';
    } else if (!sample.writer) {
        writers << tr("Nobody wrote in %1.").arg(span);
    }
    // A holder that has not committed (BEGIN IMMEDIATE and an open transaction, or a long write): "Nobody wrote"
    // beside "PID 7 holds the write lock now" and "0.0 commits/s" read as a contradiction (#28).
    const bool holdsWithoutCommits = sample.writer && !sample.writerIsThisProcess && sample.recentWriters.isEmpty()
        && sample.commitsPerSecond <= 0;
    if (sample.writerIsThisProcess)
        writers << tr("CacheScope (this window) holds the write lock now, for its own maintenance (%1 so far).")
                       .arg(Format::duration(sample.writerHeldMs()));
    else if (sample.writer) {
        const QString holder = holderName(sample.writer->pid, visibleName(sample.writer->name));
        const QString held = Format::duration(sample.writerHeldMs());
        writers << (holdsWithoutCommits ? tr("No commit in %1; %2 holds the write lock now (%3 so far) — a write in "
                                             "progress or an open transaction.")
                                              .arg(span, holder, held)
                                        : tr("%1 holds the write lock now (%2 so far).").arg(holder, held));
    }
    // The rate over the same samples as the commits named above (RateWindow::WindowMs is the writers' window).
    const QString bound = sample.ratesLowerBound ? u"≥ "_s : QString();
    if (!sample.ratesShown())
        writers << tr("Commits/s: measuring…");
    else if (sample.journalMode == u"rollback"_s || !sample.lagFrames) // no -wal frames to count or copy back
        writers << tr("%1%2 commits/s over %3.")
                       .arg(bound, Format::decimal(sample.commitsPerSecond, 1), rateSpanText(sample));
    else
        writers << tr("%1%2 commits/s, %3 frames/s over %4; %5 not yet copied back into the database.")
                       .arg(bound, Format::decimal(sample.commitsPerSecond, 1),
                           Format::decimal(sample.framesPerSecond, 1), rateSpanText(sample),
                           Format::counted(*sample.lagFrames, tr("frame"), tr("frames")));
    if (busyShown(sample))
        writers << tr("The write lock was held %1 of %2%3.")
                       .arg(Format::percent(*sample.writeLockBusy), busySpanText(sample),
                           *sample.writeLockBusy > 0.8 ? tr(" — any other writer has to wait for it") : QString());
    if (sample.journalMode == u"rollback"_s && sample.writeOpeners)
        writers << (*sample.writeOpeners == 1
                ? tr("1 process has the database open for writing.")
                : tr("%1 processes have the database open for writing.").arg(Format::count(*sample.writeOpeners)));
    if (connectionsUnseen(sample))
        writers << tr("Processes with the cache's files open: 0 visible to CacheScope; the -shm shows live connections "
                      "(processes in another container or pid namespace cannot be seen).");
    else if (sample.processes)
        writers << tr("Processes with the cache's files open: %1.").arg(Format::count(sample.processes->size()));
    // How commits are counted and writers named, as the Activity tab's last line says it; how, on hover.
    writers << u'(' + ActivityWording::attributionSummary(sample) + u')';
    return writers.join(u' ');
}

bool ActivityWording::connectionsUnseen(const ActivitySample& sample)
{
    if (!sample.processes || !sample.processes->isEmpty())
        return false;
    const bool lockWithoutPid = (sample.writer && sample.writer->pid <= 0)
        || std::any_of(sample.readers.cbegin(), sample.readers.cend(),
            [](const ActivitySample::Reader& reader) { return reader.pid <= 0; });
    return sample.filesState == u"live"_s || lockWithoutPid;
}

QString ActivityWording::noProcessesText(const ActivitySample& sample)
{
    return connectionsUnseen(sample)
        ? tr("No process visible to CacheScope has the cache's files open, but the -shm shows live connections: "
             "processes in another container or pid namespace cannot be seen.")
        : tr("No process has the database, -wal, -shm or -journal open.");
}

QString ActivityWording::ratesText(const ActivitySample& sample)
{
    const QString bound = sample.ratesLowerBound ? u"≥ "_s : QString();
    // Over the span the rates cover, the same samples as the writers' commits (one window, as the Overview's
    // Writers box says it); not at all over less than a second.
    if (!sample.ratesShown())
        return tr("measuring…");
    if (sample.journalMode == u"rollback"_s) // no -wal frames to count (as the Overview's Writers box)
        return tr("%1%2 commits/s (over %3); %4")
            .arg(bound, Format::decimal(sample.commitsPerSecond, 1), rateSpanText(sample), commitsSinceText(sample));
    return tr("%1%2 commits/s, %1%3 frames/s (over %4); %5")
        .arg(bound, Format::decimal(sample.commitsPerSecond, 1), Format::decimal(sample.framesPerSecond, 1),
            rateSpanText(sample), commitsSinceText(sample));
}

QString ActivityWording::ratesToolTip(const ActivitySample& sample)
{
    if (!sample.commitsExact && sample.commitsTotal == 0)
        return tr("Not counted: %1")
            .arg(sample.commitsMissedReason.value_or(tr("commits are not counted from events")));
    if (sample.ratesLowerBound || !sample.commitsExact)
        return tr("A lower bound: %1")
            .arg(sample.commitsMissedReason.value_or(tr("part of the activity could not be counted")));
    return tr("Exact: every commit is counted from the -wal's frames (or the database's change counter) as it is "
              "written.");
}

QString ActivityWording::filesStateText(const ActivitySample& sample)
{
    if (sample.journalMode == u"rollback"_s)
        return (sample.filesState == u"stale"_s ? tr("left over: -wal/-shm exist but no connection uses them")
                                                : tr("no -wal, no -shm"))
            + u"; "_s
            + tr("this cache uses a rollback journal (DELETE mode), so the WAL figures (frames, checkpoints) do not "
                 "apply");
    if (sample.filesState == u"at_rest"_s)
        return tr("at rest: no -wal, no -shm (nobody has it open in WAL mode)");
    if (sample.filesState == u"stale"_s)
        return tr("left over: -wal/-shm exist but no connection uses them");
    if (sample.filesState == u"live"_s)
        return tr("live: connections have the cache open");
    return u"—"_s;
}

QString ActivityWording::keepUnits(const QString& text)
{
    // The space after a number and before its unit (time, size, a rate or what was counted), after "≥"/"≈"/"PID" and
    // before a number. Units are whole words: "5 s)" and "5 s." but never "5 seconds" or "5 shards".
    static const QRegularExpression space(
        uR"((?<=\d) (?=(?:ms|s|min|h|B|KiB|MiB|GiB|TiB|commits?|frames?|processes|process|write calls)(?![\p{L}\p{N}]))|(?<=[≥≤≈]|\bPID) (?=\d))"_s);
    QString kept = text;
    kept.replace(space, QString(QChar(0x00A0)));
    return kept;
}
