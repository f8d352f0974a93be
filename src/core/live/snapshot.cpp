// SPDX-License-Identifier: GPL-3.0-or-later
#include "live/snapshot.h"

#include "live/ratewindow.h"

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

QJsonArray Snapshot::warningsJson() const
{
    QJsonArray array;
    for (const HealthWarning& warning : warnings)
        array.append(warning.toJson());
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

QJsonArray Snapshot::writersJson() const
{
    QJsonArray array;
    const auto rate = [](const std::optional<double>& value) {
        return value ? QJsonValue(std::round(*value * 10.0) / 10.0) : QJsonValue(QJsonValue::Null);
    };
    for (const ActiveWriter& w : writers) {
        const QString command = w.cmdline.isEmpty() ? w.name : w.cmdline;
        array.append(QJsonObject { { u"pid"_s, w.pid }, { u"command"_s, command }, { u"name"_s, w.name },
            { u"writes_per_s"_s, rate(w.writesPerSecond) }, { u"bytes_per_s"_s, rate(w.bytesPerSecond) },
            { u"evidence"_s, QJsonArray::fromStringList(w.evidence) },
            { u"lock_share"_s, std::round(w.lockShare * 1000.0) / 1000.0 } });
    }
    return array;
}

QJsonObject Snapshot::sampleJson() const
{
    QJsonArray readerPidsJson;
    for (qint64 pid : readerPids())
        readerPidsJson.append(pid);
    // Counters only from a live -shm: a leftover's numbers describe connections long gone.
    const bool live = walIndex && walIndex->isLive();
    const auto counter = [this, live](quint32 WalIndex::Header::*field) {
        return live ? QJsonValue(qint64((*walIndex).*field)) : QJsonValue(QJsonValue::Null);
    };
    const auto bytes = [this](CacheFiles::Kind kind) {
        return file(kind).exists ? QJsonValue(file(kind).bytes) : QJsonValue(QJsonValue::Null);
    };
    const auto rate = [this](double value) {
        return ratesValid ? QJsonValue(std::round(value * 10.0) / 10.0) : QJsonValue(QJsonValue::Null);
    };
    QJsonObject json {
        { u"wal_bytes"_s, bytes(CacheFiles::Kind::Wal) },
        { u"shm_bytes"_s, bytes(CacheFiles::Kind::Shm) },
        { u"db_bytes"_s, bytes(CacheFiles::Kind::Db) },
        { u"journal_bytes"_s, bytes(CacheFiles::Kind::Journal) },
        { u"files_state"_s, filesStateName(filesState) },
        { u"wal_index"_s, shmState },
        { u"wal_index_error"_s,
            walIndexProblem.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(walIndexProblem) },
        { u"committed_frame"_s, counter(&WalIndex::Header::committedFrame) },
        { u"backfilled"_s, counter(&WalIndex::Header::backfilled) },
        { u"commit_counter"_s, counter(&WalIndex::Header::commitCounter) },
        { u"commits_per_s"_s, rate(commitsPerSecond) },
        { u"frames_per_s"_s, rate(framesPerSecond) },
        { u"rates_lower_bound"_s, ratesLowerBound },
        { u"rate_window_ms"_s, RateWindow::WindowMs },
        { u"wal_reset"_s, walReset },
        { u"counter_restarts"_s, counterRestarts },
        { u"sidecar_generations"_s, sidecarGenerations },
        { u"writers"_s, writersJson() },
        { u"write_lock_busy"_s,
            writeLockBusy ? QJsonValue(std::round(*writeLockBusy * 1000.0) / 1000.0) : QJsonValue(QJsonValue::Null) },
        { u"writer_pid"_s, writer ? QJsonValue(writer->pid) : QJsonValue(QJsonValue::Null) },
        { u"reader_pids"_s, readerPidsJson },
        { u"lag_frames"_s, live ? QJsonValue(lagFrames()) : QJsonValue(QJsonValue::Null) },
        { u"writer"_s, writerJson() },
        { u"readers"_s, readersJson() },
        { u"pinning_pid"_s, pinning() ? QJsonValue(pinning()->pid) : QJsonValue(QJsonValue::Null) },
        { u"wal_valid_frames"_s, walFile.validFrames },
        { u"wal_content_bytes"_s, walFile.committedBytes() },
        { u"wal_read_deleted"_s, walFile.deleted },
        { u"checkpoint_seq"_s, qint64(walFile.header.checkpointSeq) },
        { u"resets_seen"_s, resetsSeen },
        { u"journal_mode"_s, journalMode },
        { u"warnings"_s, warningsJson() },
    };
    if (live) {
        json.insert(u"backfill_attempted"_s, qint64(walIndex->backfillAttempted));
        json.insert(u"db_pages"_s, qint64(walIndex->dbPages));
        json.insert(u"page_size"_s, walIndex->pageSize);
    }
    if (!notices.isEmpty()) {
        QJsonArray array;
        for (const HealthWarning& notice : notices)
            array.append(notice.toJson());
        json.insert(u"notices"_s, array);
    }
    if (processesScanned)
        json.insert(u"processes"_s, processes.toJson());
    return json;
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
        pinnedSamples = before && before->pid == reader->pid ? previous->pinnedSamples + 1 : 1;
    }
}
