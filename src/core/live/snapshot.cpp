// SPDX-License-Identifier: GPL-3.0-or-later
#include "live/snapshot.h"

#include <QJsonArray>

#include <cmath>

using namespace Qt::Literals::StringLiterals;

QList<qint64> Snapshot::readerPids() const
{
    QList<qint64> pids;
    for (const Reader& reader : readers) {
        if (!pids.contains(reader.pid))
            pids.append(reader.pid);
    }
    return pids;
}

bool Snapshot::hasWarning(const QString& code) const
{
    return std::any_of(warnings.begin(), warnings.end(), [&code](const HealthWarning& w) { return w.code == code; });
}

QJsonValue Snapshot::walJson() const
{
    if (!walIndex && walFile.state != WalFile::State::Valid)
        return QJsonValue::Null;
    QJsonObject wal { { u"frames"_s, walFile.validFrames }, { u"valid_frames"_s, walFile.validFrames },
        { u"commit_frames"_s, walFile.commitFrames }, { u"high_water_bytes"_s, walFile.fileBytes },
        { u"content_bytes"_s, walFile.committedBytes() }, { u"wal_state"_s, WalFile::stateName(walFile.state) },
        { u"checkpoint_seq"_s, qint64(walFile.header.checkpointSeq) }, { u"resets_seen"_s, resetsSeen } };
    if (!walFile.problem.isEmpty())
        wal.insert(u"wal_problem"_s, walFile.problem);
    if (walIndex) {
        wal.insert(u"committed_frame"_s, qint64(walIndex->committedFrame));
        wal.insert(u"backfilled"_s, qint64(walIndex->backfilled));
        wal.insert(u"backfill_attempted"_s, qint64(walIndex->backfillAttempted));
        wal.insert(u"commit_counter"_s, qint64(walIndex->commitCounter));
        wal.insert(u"page_size"_s, walIndex->pageSize);
        wal.insert(u"lag_frames"_s, lagFrames());
        wal.insert(u"shm_state"_s, WalIndex::livenessName(walIndex->liveness));
    } else {
        wal.insert(u"committed_frame"_s, walFile.lastCommitFrame);
        wal.insert(u"backfilled"_s, QJsonValue::Null);
        wal.insert(u"commit_counter"_s, QJsonValue::Null);
        wal.insert(u"page_size"_s, qint64(walFile.header.pageSize));
        wal.insert(u"shm_problem"_s, walIndexProblem);
    }
    return wal;
}

QJsonValue Snapshot::writerJson() const
{
    if (!writer)
        return QJsonValue::Null;
    return QJsonObject { { u"pid"_s, writer->pid }, { u"name"_s, writer->name }, { u"cmdline"_s, writer->cmdline },
        { u"held_ms"_s, writer->heldForMs } };
}

QJsonArray Snapshot::readersJson() const
{
    QJsonArray array;
    for (int i = 0; i < readers.size(); ++i) {
        const Reader& r = readers.at(i);
        array.append(QJsonObject { { u"pid"_s, r.pid }, { u"name"_s, r.name }, { u"cmdline"_s, r.cmdline },
            { u"slot"_s, r.slot }, { u"read_mark"_s, qint64(r.readMark) }, { u"is_writer"_s, r.isWriter },
            { u"pinning"_s, i == pinningReader } });
    }
    return array;
}

QString Snapshot::filesStateName(FilesState state)
{
    switch (state) {
    case FilesState::AtRest:
        return u"at_rest"_s;
    case FilesState::Live:
        return u"live"_s;
    case FilesState::Stale:
        return u"stale"_s;
    }
    return {};
}

Snapshot::Holder Snapshot::holderFor(const LockTable::Lock& lock) const
{
    Holder holder;
    holder.pid = lock.pid;
    holder.ofd = lock.ofd;
    if (lock.pid <= 0)
        return holder; // OFD lock (no pid) or a holder in another pid namespace
    if (const auto* process = processes.find(lock.pid)) {
        holder.name = process->name;
        holder.cmdline = process->cmdline;
    } else {
        holder.name = ProcessTable::processName(lock.pid);
        holder.cmdline = ProcessTable::processCommandLine(lock.pid);
    }
    return holder;
}

void Snapshot::derive(const Snapshot* previous)
{
    deriveWriter(previous);
    deriveReaders();
    derivePinning(previous);
}

void Snapshot::deriveWriter(const Snapshot* previous)
{
    for (const LockTable::Lock& lock : locks.holders(u"write"_s)) {
        if (!lock.write || lock.file != CacheFiles::Kind::Shm || lock.deletedFile)
            continue;
        Writer w;
        static_cast<Holder&>(w) = holderFor(lock);
        const bool same = previous && previous->writer && previous->writer->pid == w.pid;
        w.heldSinceMs = same ? previous->writer->heldSinceMs : takenAtMs;
        w.heldForMs = takenAtMs - w.heldSinceMs;
        writer = w;
        return;
    }
}

void Snapshot::deriveReaders()
{
    for (int slot = 0; slot < 5; ++slot) {
        for (const LockTable::Lock& lock : locks.holders(u"read"_s + QString::number(slot))) {
            // A write lock on a read byte is a connection updating that slot's mark, not a reader.
            if (lock.write || lock.file != CacheFiles::Kind::Shm || lock.deletedFile)
                continue;
            Reader r;
            static_cast<Holder&>(r) = holderFor(lock);
            r.slot = slot;
            r.readMark = walIndex ? walIndex->readMarks.at(size_t(slot)) : WalIndex::UnusedReadMark;
            if (slot == 0)
                r.readMark = 0;
            r.isWriter = writer && writer->pid == r.pid && r.pid > 0;
            readers.append(r);
        }
    }
}

void Snapshot::derivePinning(const Snapshot* previous)
{
    if (!walIndex || !walIndex->isLive())
        return;
    const quint32 committed = walIndex->committedFrame;
    const quint32 backfilled = walIndex->backfilled;
    if (committed <= backfilled)
        return;
    quint32 lowest = 0;
    for (int i = 0; i < readers.size(); ++i) {
        const Reader& r = readers.at(i);
        if (r.slot != 0 && r.readMark == WalIndex::UnusedReadMark)
            continue;
        // A slot-0 reader reads only the db file: no frame may be copied while it reads.
        const quint32 end = r.slot == 0 ? backfilled : r.readMark;
        // It pins when the checkpoint has caught up with its snapshot and cannot go further.
        if (end < committed && backfilled >= end && (pinningReader < 0 || end < lowest)) {
            pinningReader = i;
            lowest = end;
        }
    }
    if (const Reader* reader = pinning()) {
        const Reader* before = previous ? previous->pinning() : nullptr;
        const bool same = before && before->pid == reader->pid;
        pinnedSamples = same ? previous->pinnedSamples + 1 : 1;
        pinnedForMs = same ? previous->pinnedForMs + (takenAtMs - previous->takenAtMs) : 0;
    }
}
