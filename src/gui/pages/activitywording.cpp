// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/activitywording.h"

#include "common/format.h"

using namespace Qt::Literals::StringLiterals;

QString ActivityWording::contentionText(const ActivitySample& sample)
{
    if (!sample.writeLockBusy)
        return tr("measuring… (needs a few samples)");
    const double busy = *sample.writeLockBusy;
    QString text = tr("%1 of the last 10 s").arg(Format::percent(busy));
    if (busy >= 0.5)
        text += u" — "_s
            + tr("writers queue: with a busy timeout each write waits; without one, writes fail (\"database is "
                 "locked\") and are lost");
    else if (busy >= 0.2)
        text += u" — "_s + tr("writers sometimes wait");
    else
        text += u" — "_s + tr("little contention");
    if (sample.journalMode == u"rollback"_s) {
        // The seed bug made visible: in rollback mode the writer locks the whole file.
        if (sample.rollbackLock)
            text += u"; "_s + tr("now: %1 lock held").arg(sample.rollbackLock->toUpper());
        if (sample.writeOpeners)
            text += u"; "_s
                + (*sample.writeOpeners == 1
                        ? tr("1 process has the database open for writing")
                        : tr("%1 processes have the database open for writing").arg(*sample.writeOpeners));
    }
    return text;
}

QString ActivityWording::commitsSinceText(const ActivitySample& sample)
{
    if (sample.commitsExact)
        return tr("%1 commits since watching began").arg(Format::count(sample.commitsTotal));
    // "≥ 0" beside a rate of hundreds a second says nothing true: the total was not counted
    // (the rate came from the -shm's counter), or only part of it was.
    if (sample.commitsTotal > 0)
        return tr("≥ %1 commits since watching began").arg(Format::count(sample.commitsTotal));
    return tr("commits since watching began not counted");
}

QString ActivityWording::attributionText(const ActivitySample& sample)
{
    const QString reason = sample.commitsMissedReason.value_or(tr("not counted"));
    QString counted = sample.commitsExact
        ? tr("%1 commits since watching began, every one counted (from the -wal's frames or the database's "
             "change counter, as they are written).")
              .arg(Format::count(sample.commitsTotal))
        : sample.commitsTotal > 0 ? tr("At least %1 commits since watching began — some may have been missed: %2.")
                                        .arg(Format::count(sample.commitsTotal), reason)
                                  : tr("Commits since watching began are not counted: %1.").arg(reason);
    QString named = sample.attribution == u"fanotify"_s
        ? tr("Writers are named by fanotify: the kernel reports the process of every write to the database, -wal "
             "and -journal — exact, and a process that only reads is never named.")
        : tr("Writers are sampled (%1): a process is named when caught holding the write lock, or when it has the "
             "database open for writing and its write calls (/proc/PID/io) grew while commits were counted. A "
             "process that writes to other files at the same time can be named too, and one that opens, writes and "
             "closes between two scans can be missed; run as root for exact names.")
              .arg(sample.attributionNote.value_or(tr("fanotify unavailable")));
    return counted + u' ' + named;
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
