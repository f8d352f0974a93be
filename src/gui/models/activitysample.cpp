// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/activitysample.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::Literals::StringLiterals;

namespace {
std::optional<qint64> optionalInt(const QJsonObject& object, const QString& key)
{
    const QJsonValue value = object.value(key);
    if (!value.isDouble())
        return std::nullopt;
    return value.toInteger();
}

ActivitySample::Holder holderFrom(const QJsonObject& object)
{
    ActivitySample::Holder holder;
    holder.pid = object.value(u"pid"_s).toInteger();
    holder.name = object.value(u"name"_s).toString();
    holder.cmdline = object.value(u"cmdline"_s).toString();
    return holder;
}
} // namespace

std::optional<ActivitySample> ActivitySample::fromJson(const QByteArray& line)
{
    QJsonParseError error {};
    const QJsonDocument document = QJsonDocument::fromJson(line, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    return fromJson(document.object());
}

ActivitySample ActivitySample::fromJson(const QJsonObject& o)
{
    ActivitySample s;
    s.tMs = o.value(u"t_ms"_s).toInteger();
    s.walBytes = o.value(u"wal_bytes"_s).toInteger();
    s.shmBytes = o.value(u"shm_bytes"_s).toInteger();
    s.dbBytes = o.value(u"db_bytes"_s).toInteger();
    s.committedFrame = optionalInt(o, u"committed_frame"_s);
    s.backfilled = optionalInt(o, u"backfilled"_s);
    s.commitCounter = optionalInt(o, u"commit_counter"_s);
    s.commitsPerSecond = o.value(u"commits_per_s"_s).toDouble();
    s.framesPerSecond = o.value(u"frames_per_s"_s).toDouble();
    s.lagFrames = o.value(u"lag_frames"_s).toInteger();
    s.ratesKnown = o.value(u"commits_per_s"_s).isDouble();
    s.ratesLowerBound = o.value(u"rates_lower_bound"_s).toBool();
    s.filesState = o.value(u"files_state"_s).toString();
    if (o.value(u"write_lock_busy"_s).isDouble())
        s.writeLockBusy = o.value(u"write_lock_busy"_s).toDouble();
    for (const QJsonValue& value : o.value(u"writers"_s).toArray()) {
        const QJsonObject w = value.toObject();
        Writer writer;
        static_cast<Holder&>(writer) = holderFrom(w);
        if (writer.cmdline.isEmpty())
            writer.cmdline = w.value(u"command"_s).toString();
        if (w.value(u"writes_per_s"_s).isDouble())
            writer.writesPerSecond = w.value(u"writes_per_s"_s).toDouble();
        for (const QJsonValue& e : w.value(u"evidence"_s).toArray())
            writer.evidence << e.toString();
        writer.lockShare = w.value(u"lock_share"_s).toDouble();
        s.writers.append(writer);
    }
    for (const QJsonValue& value : o.value(u"notices"_s).toArray())
        s.notices.append(
            { value.toObject().value(u"code"_s).toString(), value.toObject().value(u"message"_s).toString() });
    if (o.value(u"writer"_s).isObject()) {
        s.writer = holderFrom(o.value(u"writer"_s).toObject());
        s.writerHeldMs = o.value(u"writer"_s).toObject().value(u"held_ms"_s).toInteger();
    } else if (o.value(u"writer_pid"_s).isDouble()) {
        s.writer = Holder { o.value(u"writer_pid"_s).toInteger(), {}, {} };
    }
    for (const QJsonValue& value : o.value(u"readers"_s).toArray()) {
        Reader reader;
        static_cast<Holder&>(reader) = holderFrom(value.toObject());
        reader.slot = value.toObject().value(u"slot"_s).toInt();
        reader.readMark = value.toObject().value(u"read_mark"_s).toInteger();
        reader.isWriter = value.toObject().value(u"is_writer"_s).toBool();
        reader.pinning = value.toObject().value(u"pinning"_s).toBool();
        s.readers.append(reader);
    }
    s.walValidFrames = o.value(u"wal_valid_frames"_s).toInteger();
    s.walContentBytes = o.value(u"wal_content_bytes"_s).toInteger();
    s.checkpointSeq = o.value(u"checkpoint_seq"_s).toInteger();
    s.resetsSeen = o.value(u"resets_seen"_s).toInteger();
    for (const QJsonValue& value : o.value(u"warnings"_s).toArray())
        s.warnings.append(
            { value.toObject().value(u"code"_s).toString(), value.toObject().value(u"message"_s).toString() });
    if (o.value(u"processes"_s).isArray()) {
        QList<Process> processes;
        for (const QJsonValue& value : o.value(u"processes"_s).toArray()) {
            Process process;
            static_cast<Holder&>(process) = holderFrom(value.toObject());
            for (const QJsonValue& file : value.toObject().value(u"files"_s).toArray())
                process.files << file.toString();
            processes.append(process);
        }
        s.processes = processes;
    }
    return s;
}

const ActivitySample::Reader* ActivitySample::pinningReader() const
{
    for (const Reader& reader : readers) {
        if (reader.pinning)
            return &reader;
    }
    return nullptr;
}
