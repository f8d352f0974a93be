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
