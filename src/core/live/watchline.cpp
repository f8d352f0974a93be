// SPDX-License-Identifier: GPL-3.0-or-later
#include "live/watchline.h"

#include "common/format.h"
#include "live/snapshot.h"

using namespace Qt::Literals::StringLiterals;

namespace {
QString sizeColumn(const CacheFiles::FileInfo& file)
{
    return (file.exists ? Format::bytes(file.bytes) : u"—"_s).rightJustified(10);
}

QString numberColumn(const Snapshot& s, quint32 WalIndex::Header::*member, int width)
{
    const bool live = s.walIndex && s.walIndex->isLive();
    return (live ? QString::number(qint64((*s.walIndex).*member)) : u"—"_s).rightJustified(width);
}

QString rateColumn(const Snapshot& s, double rate)
{
    QString text = s.ratesValid ? QString::number(rate, 'f', 1) : u"—"_s;
    if (s.ratesValid && s.ratesLowerBound)
        text.prepend(u'≥');
    return text.rightJustified(10);
}
} // namespace

QJsonObject WatchLine::json(const Snapshot& snapshot, qint64 tMs)
{
    QJsonObject object = snapshot.sampleJson();
    object.insert(u"t_ms"_s, tMs);
    return object;
}

QString WatchLine::textHeader()
{
    return u"%1 %2 %3 %4 %5 %6 %7 %8 %9  %10"_s.arg(u"t_ms"_s, 8)
        .arg(u"db"_s, 10)
        .arg(u"wal"_s, 10)
        .arg(u"shm"_s, 10)
        .arg(u"frame"_s, 8)
        .arg(u"backfill"_s, 8)
        .arg(u"commits"_s, 10)
        .arg(u"commits/s"_s, 10)
        .arg(u"frames/s"_s, 10)
        .arg(u"index"_s);
}

QString WatchLine::text(const Snapshot& s, qint64 tMs)
{
    QString index = s.shmState;
    if (s.filesState == Snapshot::FilesState::AtRest)
        index = u"at rest (no -wal, no -shm)"_s;
    else if (!s.walIndexProblem.isEmpty() && s.shmState != u"live"_s)
        index += u": "_s + s.walIndexProblem;
    QStringList writers;
    for (const Snapshot::ActiveWriter& w : s.writers)
        writers << u"%1 (%2)"_s.arg(w.pid).arg(w.evidence.join(u'+'));
    if (!writers.isEmpty())
        index += u"  writers: "_s + writers.join(u", "_s);
    if (s.writeLockBusy)
        index += u"  write lock busy %1"_s.arg(*s.writeLockBusy, 0, 'f', 2);
    return u"%1 %2 %3 %4 %5 %6 %7 %8 %9  %10"_s.arg(tMs, 8)
        .arg(sizeColumn(s.file(CacheFiles::Kind::Db)), sizeColumn(s.file(CacheFiles::Kind::Wal)),
            sizeColumn(s.file(CacheFiles::Kind::Shm)))
        .arg(numberColumn(s, &WalIndex::Header::committedFrame, 8))
        .arg(numberColumn(s, &WalIndex::Header::backfilled, 8))
        .arg(numberColumn(s, &WalIndex::Header::commitCounter, 10))
        .arg(rateColumn(s, s.commitsPerSecond), rateColumn(s, s.framesPerSecond))
        .arg(index);
}
