// SPDX-License-Identifier: GPL-3.0-or-later
#include "live/watchline.h"

#include "common/format.h"
#include "live/ratewindow.h"
#include "live/snapshot.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>
#include <functional>

using namespace Qt::Literals::StringLiterals;

namespace {
// How one C++ type becomes a JSON value and back. `set` says whether a key written only when set
// (Field::optional) is present.
template <class T> struct Codec;
template <> struct Codec<qint64> {
    static QJsonValue write(qint64 v) { return v; }
    static void read(const QJsonValue& j, qint64& v) { v = j.toInteger(v); }
    static bool set(qint64) { return true; }
};
template <> struct Codec<int> {
    static QJsonValue write(int v) { return v; }
    static void read(const QJsonValue& j, int& v) { v = j.toInt(v); }
    static bool set(int) { return true; }
};
template <> struct Codec<double> {
    static QJsonValue write(double v) { return v; }
    static void read(const QJsonValue& j, double& v) { v = j.toDouble(v); }
    static bool set(double) { return true; }
};
template <> struct Codec<bool> {
    static QJsonValue write(bool v) { return v; }
    static void read(const QJsonValue& j, bool& v) { v = j.toBool(v); }
    static bool set(bool) { return true; }
};
template <> struct Codec<QString> {
    static QJsonValue write(const QString& v) { return v; }
    static void read(const QJsonValue& j, QString& v) { v = j.toString(v); }
    static bool set(const QString&) { return true; }
};
template <> struct Codec<QStringList> {
    static QJsonValue write(const QStringList& v) { return QJsonArray::fromStringList(v); }
    static void read(const QJsonValue& j, QStringList& v)
    {
        v.clear();
        for (const QJsonValue& e : j.toArray())
            v << e.toString();
    }
    static bool set(const QStringList& v) { return !v.isEmpty(); }
};
template <> struct Codec<HealthWarning> {
    static QJsonValue write(const HealthWarning& v) { return v.toJson(); }
    static void read(const QJsonValue& j, HealthWarning& v)
    {
        v.code = j.toObject().value(u"code"_s).toString();
        v.message = j.toObject().value(u"message"_s).toString();
    }
};
template <class T> struct Codec<std::optional<T>> {
    static QJsonValue write(const std::optional<T>& v)
    {
        return v ? Codec<T>::write(*v) : QJsonValue(QJsonValue::Null);
    }
    static void read(const QJsonValue& j, std::optional<T>& v)
    {
        if (j.isNull() || j.isUndefined()) {
            v.reset();
            return;
        }
        T value {};
        Codec<T>::read(j, value);
        v = value;
    }
    static bool set(const std::optional<T>& v) { return v.has_value(); }
};
template <class T> struct Codec<QList<T>> {
    static QJsonValue write(const QList<T>& v)
    {
        QJsonArray array;
        for (const T& e : v)
            array.append(Codec<T>::write(e));
        return array;
    }
    static void read(const QJsonValue& j, QList<T>& v)
    {
        v.clear();
        for (const QJsonValue& e : j.toArray()) {
            T value {};
            Codec<T>::read(e, value);
            v.append(value);
        }
    }
    static bool set(const QList<T>& v) { return !v.isEmpty(); }
};

// One key of an object: how it is written and read. optional: written only when set.
template <class S> struct Field {
    QString key;
    std::function<QJsonValue(const S&)> write;
    std::function<void(S&, const QJsonValue&)> read;
    std::function<bool(const S&)> isSet;
    bool optional = false;
};
template <class S, class T, class C> Field<S> field(const QString& key, T C::*member, bool optional = false)
{
    return { key, [member](const S& s) { return Codec<T>::write(s.*member); },
        [member](S& s, const QJsonValue& j) { Codec<T>::read(j, s.*member); },
        [member](const S& s) { return Codec<T>::set(s.*member); }, optional };
}
template <class S> QJsonObject writeObject(const S& s, const QList<Field<S>>& fields)
{
    QJsonObject object;
    for (const Field<S>& f : fields) {
        if (!f.optional || f.isSet(s))
            object.insert(f.key, f.write(s));
    }
    return object;
}
template <class S> void readObject(const QJsonObject& object, S& s, const QList<Field<S>>& fields)
{
    for (const Field<S>& f : fields) {
        const QJsonValue value = object.value(f.key);
        if (!value.isUndefined())
            f.read(s, value);
    }
}

using W = WatchLine;
const QList<Field<W::Reader>>& readerFields()
{
    static const QList<Field<W::Reader>> fields { field<W::Reader>(u"pid"_s, &W::Reader::pid),
        field<W::Reader>(u"name"_s, &W::Reader::name), field<W::Reader>(u"cmdline"_s, &W::Reader::cmdline),
        field<W::Reader>(u"slot"_s, &W::Reader::slot), field<W::Reader>(u"read_mark"_s, &W::Reader::readMark),
        field<W::Reader>(u"is_writer"_s, &W::Reader::isWriter), field<W::Reader>(u"pinning"_s, &W::Reader::pinning) };
    return fields;
}
const QList<Field<W::Writer>>& writerFields()
{
    static const QList<Field<W::Writer>> fields { field<W::Writer>(u"pid"_s, &W::Writer::pid),
        field<W::Writer>(u"command"_s, &W::Writer::command), field<W::Writer>(u"name"_s, &W::Writer::name),
        field<W::Writer>(u"writes_per_s"_s, &W::Writer::writesPerSecond),
        field<W::Writer>(u"bytes_per_s"_s, &W::Writer::bytesPerSecond),
        field<W::Writer>(u"evidence"_s, &W::Writer::evidence), field<W::Writer>(u"lock_share"_s, &W::Writer::lockShare),
        field<W::Writer>(u"commits"_s, &W::Writer::commits), field<W::Writer>(u"files"_s, &W::Writer::files, true),
        field<W::Writer>(u"last_wrote_ms_ago"_s, &W::Writer::lastWroteMsAgo, true) };
    return fields;
}
const QList<Field<W::Process>>& processFields()
{
    static const QList<Field<W::Process>> fields { field<W::Process>(u"pid"_s, &W::Process::pid),
        field<W::Process>(u"name"_s, &W::Process::name), field<W::Process>(u"cmdline"_s, &W::Process::cmdline),
        field<W::Process>(u"files"_s, &W::Process::files),
        field<W::Process>(u"writable_files"_s, &W::Process::writableFiles),
        field<W::Process>(u"deleted_files"_s, &W::Process::deletedFiles, true) };
    return fields;
}
const QList<Field<W::WriterLock>>& writerLockFields()
{
    static const QList<Field<W::WriterLock>> fields { field<W::WriterLock>(u"pid"_s, &W::WriterLock::pid),
        field<W::WriterLock>(u"name"_s, &W::WriterLock::name),
        field<W::WriterLock>(u"cmdline"_s, &W::WriterLock::cmdline),
        field<W::WriterLock>(u"held_ms"_s, &W::WriterLock::heldMs) };
    return fields;
}
// The nested objects go through their own tables.
template <> struct Codec<W::Reader> {
    static QJsonValue write(const W::Reader& v) { return writeObject(v, readerFields()); }
    static void read(const QJsonValue& j, W::Reader& v) { readObject(j.toObject(), v, readerFields()); }
};
template <> struct Codec<W::Writer> {
    static QJsonValue write(const W::Writer& v) { return writeObject(v, writerFields()); }
    static void read(const QJsonValue& j, W::Writer& v) { readObject(j.toObject(), v, writerFields()); }
};
template <> struct Codec<W::Process> {
    static QJsonValue write(const W::Process& v) { return writeObject(v, processFields()); }
    static void read(const QJsonValue& j, W::Process& v) { readObject(j.toObject(), v, processFields()); }
};
template <> struct Codec<W::WriterLock> {
    static QJsonValue write(const W::WriterLock& v) { return writeObject(v, writerLockFields()); }
    static void read(const QJsonValue& j, W::WriterLock& v) { readObject(j.toObject(), v, writerLockFields()); }
};

// Every key of a line, once (docs/CLI.md, "watch --json").
const QList<Field<W>>& lineFields()
{
    static const QList<Field<W>> fields {
        field<W>(u"t_ms"_s, &W::tMs),
        field<W>(u"db_bytes"_s, &W::dbBytes),
        field<W>(u"wal_bytes"_s, &W::walBytes),
        field<W>(u"shm_bytes"_s, &W::shmBytes),
        field<W>(u"journal_bytes"_s, &W::journalBytes),
        field<W>(u"files_state"_s, &W::filesState),
        field<W>(u"journal_mode"_s, &W::journalMode),
        field<W>(u"wal_index"_s, &W::walIndexState),
        field<W>(u"wal_index_error"_s, &W::walIndexError),
        field<W>(u"committed_frame"_s, &W::committedFrame),
        field<W>(u"backfilled"_s, &W::backfilled),
        field<W>(u"commit_counter"_s, &W::commitCounter),
        field<W>(u"lag_frames"_s, &W::lagFrames),
        field<W>(u"backfill_attempted"_s, &W::backfillAttempted, true),
        field<W>(u"db_pages"_s, &W::dbPages, true),
        field<W>(u"page_size"_s, &W::pageSize, true),
        // A rate is null until the window has a step: ratesKnown mirrors that.
        { u"commits_per_s"_s,
            [](const W& w) { return w.ratesKnown ? QJsonValue(w.commitsPerSecond) : QJsonValue(QJsonValue::Null); },
            [](W& w, const QJsonValue& j) {
                w.ratesKnown = j.isDouble();
                w.commitsPerSecond = j.toDouble();
            },
            {}, false },
        { u"frames_per_s"_s,
            [](const W& w) { return w.ratesKnown ? QJsonValue(w.framesPerSecond) : QJsonValue(QJsonValue::Null); },
            [](W& w, const QJsonValue& j) { w.framesPerSecond = j.toDouble(); }, {}, false },
        field<W>(u"rates_lower_bound"_s, &W::ratesLowerBound),
        field<W>(u"rate_window_ms"_s, &W::rateWindowMs),
        field<W>(u"rate_span_ms"_s, &W::rateSpanMs),
        field<W>(u"wal_reset"_s, &W::walReset),
        field<W>(u"counter_restarts"_s, &W::counterRestarts),
        field<W>(u"sidecar_generations"_s, &W::sidecarGenerations),
        field<W>(u"commits_total"_s, &W::commitsTotal),
        field<W>(u"commits_exact"_s, &W::commitsExact),
        field<W>(u"commits_missed_reason"_s, &W::commitsMissedReason),
        field<W>(u"commits_interval"_s, &W::commitsInterval),
        field<W>(u"attribution"_s, &W::attribution),
        field<W>(u"attribution_note"_s, &W::attributionNote),
        field<W>(u"writers"_s, &W::writers),
        field<W>(u"recent_writers"_s, &W::recentWriters),
        field<W>(u"writers_recently"_s, &W::writersRecently),
        field<W>(u"writers_exact"_s, &W::writersExact),
        field<W>(u"excluded_wrote_ms_ago"_s, &W::excludedWroteMsAgo),
        field<W>(u"write_openers"_s, &W::writeOpeners),
        field<W>(u"rollback_lock"_s, &W::rollbackLock),
        field<W>(u"write_lock_busy"_s, &W::writeLockBusy),
        field<W>(u"writer_pid"_s, &W::writerPid),
        field<W>(u"writer"_s, &W::writer),
        field<W>(u"reader_pids"_s, &W::readerPids),
        field<W>(u"readers"_s, &W::readers),
        field<W>(u"pinning_pid"_s, &W::pinningPid),
        field<W>(u"checkpoint_pinned_ms"_s, &W::checkpointPinnedMs, true),
        field<W>(u"wal_valid_frames"_s, &W::walValidFrames),
        field<W>(u"wal_content_bytes"_s, &W::walContentBytes),
        field<W>(u"wal_read_deleted"_s, &W::walReadDeleted),
        field<W>(u"checkpoint_seq"_s, &W::checkpointSeq),
        field<W>(u"resets_seen"_s, &W::resetsSeen),
        field<W>(u"warnings"_s, &W::warnings),
        field<W>(u"notices"_s, &W::notices, true),
        field<W>(u"processes"_s, &W::processes, true),
    };
    return fields;
}

double rounded(double value, double scale)
{
    return std::round(value * scale) / scale;
}

std::optional<qint64> bytesOf(const CacheFiles::FileInfo& file)
{
    return file.exists ? std::optional<qint64>(file.bytes) : std::nullopt;
}

QStringList kindNames(const QList<CacheFiles::Kind>& kinds)
{
    QStringList names;
    for (int i = 0; i < CacheFiles::KindCount; ++i) {
        if (kinds.contains(CacheFiles::Kind(i)))
            names << CacheFiles::kindName(CacheFiles::Kind(i));
    }
    return names;
}

WatchLine::Writer writerOf(const Snapshot::ActiveWriter& w)
{
    WatchLine::Writer writer;
    writer.pid = w.pid;
    writer.name = w.name;
    writer.cmdline = w.cmdline;
    writer.command = w.cmdline.isEmpty() ? w.name : w.cmdline;
    if (w.writesPerSecond)
        writer.writesPerSecond = rounded(*w.writesPerSecond, 10);
    if (w.bytesPerSecond)
        writer.bytesPerSecond = rounded(*w.bytesPerSecond, 10);
    writer.evidence = w.evidence;
    writer.lockShare = rounded(w.lockShare, 1000);
    writer.commits = w.commits;
    writer.files = w.files;
    return writer;
}
} // namespace

WatchLine WatchLine::of(const Snapshot& s, qint64 tMs)
{
    WatchLine line;
    line.tMs = tMs;
    line.dbBytes = bytesOf(s.file(CacheFiles::Kind::Db));
    line.walBytes = bytesOf(s.file(CacheFiles::Kind::Wal));
    line.shmBytes = bytesOf(s.file(CacheFiles::Kind::Shm));
    line.journalBytes = bytesOf(s.file(CacheFiles::Kind::Journal));
    line.filesState = Snapshot::filesStateName(s.filesState);
    line.journalMode = s.journalMode;
    line.walIndexState = s.shmState;
    if (!s.walIndexProblem.isEmpty())
        line.walIndexError = s.walIndexProblem;
    // Counters only from a live -shm: a leftover's numbers describe connections long gone.
    if (s.walIndex && s.walIndex->isLive()) {
        line.committedFrame = qint64(s.walIndex->committedFrame);
        line.backfilled = qint64(s.walIndex->backfilled);
        line.commitCounter = qint64(s.walIndex->commitCounter);
        line.lagFrames = s.lagFrames();
        line.backfillAttempted = qint64(s.walIndex->backfillAttempted);
        line.dbPages = qint64(s.walIndex->dbPages);
        line.pageSize = qint64(s.walIndex->pageSize);
    }
    line.ratesKnown = s.ratesValid;
    line.commitsPerSecond = s.ratesValid ? rounded(s.commitsPerSecond, 10) : 0;
    line.framesPerSecond = s.ratesValid ? rounded(s.framesPerSecond, 10) : 0;
    line.ratesLowerBound = s.ratesLowerBound;
    line.rateWindowMs = RateWindow::WindowMs;
    line.rateSpanMs = s.ratesValid ? s.rateSpanMs : 0;
    line.walReset = s.walReset;
    line.counterRestarts = s.counterRestarts;
    line.sidecarGenerations = s.sidecarGenerations;
    line.commitsTotal = s.commitsTotal;
    line.commitsExact = s.counted && s.commitsExact;
    if (!line.commitsExact)
        line.commitsMissedReason = s.commitsMissedReason;
    line.commitsInterval = s.intervalCommits;
    line.attribution = s.attribution;
    if (!s.attributionNote.isEmpty())
        line.attributionNote = s.attributionNote;
    for (const Snapshot::ActiveWriter& w : s.writers)
        line.writers.append(writerOf(w));
    for (const Snapshot::ActiveWriter& w : s.recentWriters) {
        Writer writer = writerOf(w);
        writer.lastWroteMsAgo = s.takenAtMs - w.lastWroteMs;
        line.recentWriters.append(writer);
    }
    line.writersRecently = s.writersRecently;
    line.writersExact = s.writersExact;
    if (s.excludedWroteMs)
        line.excludedWroteMsAgo = s.takenAtMs - *s.excludedWroteMs;
    line.writeOpeners = s.writeOpeners;
    if (!s.rollbackLock.isEmpty())
        line.rollbackLock = s.rollbackLock;
    if (s.writeLockBusy)
        line.writeLockBusy = rounded(*s.writeLockBusy, 1000);
    if (s.writer) {
        line.writerPid = s.writer->pid;
        line.writer = WriterLock { { s.writer->pid, s.writer->name, s.writer->cmdline }, s.writer->heldForMs };
    }
    line.readerPids = s.readerPids();
    for (int i = 0; i < s.readers.size(); ++i) {
        const Snapshot::Reader& r = s.readers.at(i);
        line.readers.append(
            { { r.pid, r.name, r.cmdline }, r.slot, qint64(r.readMark), r.isWriter, i == s.pinningReader });
    }
    if (const Snapshot::Reader* pinning = s.pinning()) {
        line.pinningPid = pinning->pid;
        line.checkpointPinnedMs = s.pinnedForMs;
    }
    line.walValidFrames = s.walFile.validFrames;
    line.walContentBytes = s.walFile.committedBytes();
    line.walReadDeleted = s.walFile.deleted;
    line.checkpointSeq = qint64(s.walFile.header.checkpointSeq);
    line.resetsSeen = s.resetsSeen;
    line.warnings = s.warnings;
    line.notices = s.notices;
    if (s.processesScanned) {
        QList<Process> processes;
        for (const ProcessTable::Process& p : s.processes.processes()) {
            if (p.isSelf)
                continue;
            processes.append({ { p.pid, p.name, p.cmdline }, kindNames(p.files), kindNames(p.writableFiles),
                kindNames(p.deletedFiles) });
        }
        line.processes = processes;
    }
    return line;
}

QJsonObject WatchLine::toJson() const
{
    return writeObject(*this, lineFields());
}

WatchLine WatchLine::fromJson(const QJsonObject& object)
{
    WatchLine line;
    readObject(object, line, lineFields());
    if (!line.writer && line.writerPid) // a line with the contract's writer_pid only
        line.writer = WriterLock { { *line.writerPid, {}, {} }, 0 };
    return line;
}

std::optional<WatchLine> WatchLine::fromJson(const QByteArray& line)
{
    QJsonParseError error {};
    const QJsonDocument document = QJsonDocument::fromJson(line, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    return fromJson(document.object());
}

const WatchLine::Reader* WatchLine::pinningReader() const
{
    for (const Reader& reader : readers) {
        if (reader.pinning)
            return &reader;
    }
    return nullptr;
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

QString WatchLine::text() const
{
    const auto size = [](const std::optional<qint64>& bytes) {
        return (bytes ? Format::bytes(*bytes) : u"—"_s).rightJustified(10);
    };
    const auto number = [](const std::optional<qint64>& value, int width) {
        return (value ? QString::number(*value) : u"—"_s).rightJustified(width);
    };
    const auto rate = [this](double value) {
        QString text = ratesKnown ? QString::number(value, 'f', 1) : u"—"_s;
        if (ratesKnown && ratesLowerBound)
            text.prepend(u'≥');
        return text.rightJustified(10);
    };
    QString index = walIndexState;
    if (filesState == u"at_rest"_s)
        index = u"at rest (no -wal, no -shm)"_s;
    else if (walIndexError && walIndexState != u"live"_s)
        index += u": "_s + *walIndexError;
    index += u"  total %1%2"_s.arg(commitsTotal).arg(commitsExact ? QString() : u" (at least)"_s);
    QStringList names;
    for (const Writer& w : writers)
        names << (w.commits ? u"%1 (%2, %3 commits)"_s.arg(w.pid).arg(w.evidence.join(u'+')).arg(*w.commits)
                            : u"%1 (%2)"_s.arg(w.pid).arg(w.evidence.join(u'+')));
    if (!names.isEmpty())
        index += u"  writers: "_s + names.join(u", "_s);
    if (writeLockBusy)
        index += u"  write lock busy %1"_s.arg(*writeLockBusy, 0, 'f', 2);
    return u"%1 %2 %3 %4 %5 %6 %7 %8 %9  %10"_s.arg(tMs, 8)
        .arg(size(dbBytes), size(walBytes), size(shmBytes))
        .arg(number(committedFrame, 8), number(backfilled, 8), number(commitCounter, 10))
        .arg(rate(commitsPerSecond), rate(framesPerSecond))
        .arg(index);
}
