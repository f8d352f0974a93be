// SPDX-License-Identifier: GPL-3.0-or-later
#include "live/watchsample.h"

#include "common/format.h"

#include <QJsonArray>

#include <cmath>

using namespace Qt::Literals::StringLiterals;

namespace {
QJsonValue bytesOrNull(qint64 bytes)
{
    return bytes < 0 ? QJsonValue() : QJsonValue(bytes);
}

template <typename T> QJsonValue optionalValue(const std::optional<T>& value)
{
    return value ? QJsonValue(*value) : QJsonValue();
}

QJsonValue roundedRate(const std::optional<double>& rate)
{
    return rate ? QJsonValue(std::round(*rate * 10.0) / 10.0) : QJsonValue();
}

QString sizeColumn(qint64 bytes)
{
    return (bytes < 0 ? u"—"_s : Format::bytes(bytes)).rightJustified(10);
}

QString numberColumn(const std::optional<qint64>& value, int width)
{
    return (value ? QString::number(*value) : u"—"_s).rightJustified(width);
}

QString rateColumn(const std::optional<double>& rate)
{
    return (rate ? QString::number(*rate, 'f', 1) : u"—"_s).rightJustified(10);
}
} // namespace

QString WatchSample::indexStateName(IndexState state)
{
    switch (state) {
    case IndexState::Absent:
        return u"absent"_s;
    case IndexState::Live:
        return u"live"_s;
    case IndexState::Initialising:
        return u"initialising"_s;
    case IndexState::Stale:
        return u"stale"_s;
    case IndexState::Invalid:
        return u"invalid"_s;
    }
    return {};
}

QJsonObject WatchSample::toJson() const
{
    QJsonObject object {
        { u"t_ms"_s, tMs },
        { u"db_bytes"_s, bytesOrNull(dbBytes) },
        { u"wal_bytes"_s, bytesOrNull(walBytes) },
        { u"shm_bytes"_s, bytesOrNull(shmBytes) },
        { u"journal_bytes"_s, bytesOrNull(journalBytes) },
        { u"committed_frame"_s, header ? QJsonValue(qint64(header->committedFrame)) : QJsonValue() },
        { u"backfilled"_s, header ? QJsonValue(qint64(header->backfilled)) : QJsonValue() },
        { u"commit_counter"_s, header ? QJsonValue(qint64(header->commitCounter)) : QJsonValue() },
        { u"commits_per_s"_s, roundedRate(commitsPerSecond) },
        { u"frames_per_s"_s, roundedRate(framesPerSecond) },
        { u"writer_pid"_s, optionalValue(writerPid) },
        { u"lag_frames"_s, optionalValue(lagFrames) },
        { u"wal_index"_s, indexStateName(indexState) },
        { u"wal_index_error"_s, indexError.isEmpty() ? QJsonValue() : QJsonValue(indexError) },
        { u"wal_reset"_s, walReset },
    };
    if (readerPids) {
        QJsonArray readers;
        for (qint64 pid : *readerPids)
            readers.append(pid);
        object.insert(u"reader_pids"_s, readers);
    } else {
        object.insert(u"reader_pids"_s, QJsonValue());
    }
    if (header) {
        object.insert(u"backfill_attempted"_s, qint64(header->backfillAttempted));
        object.insert(u"db_pages"_s, qint64(header->dbPages));
        object.insert(u"page_size"_s, header->pageSize);
    }
    return object;
}

QString WatchSample::textHeader()
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

QString WatchSample::toText() const
{
    auto field = [this](quint32 WalIndex::Header::*member) {
        return header ? std::optional<qint64>(qint64((*header).*member)) : std::nullopt;
    };
    return u"%1 %2 %3 %4 %5 %6 %7 %8 %9  %10"_s.arg(tMs, 8)
        .arg(sizeColumn(dbBytes), sizeColumn(walBytes), sizeColumn(shmBytes))
        .arg(numberColumn(field(&WalIndex::Header::committedFrame), 8))
        .arg(numberColumn(field(&WalIndex::Header::backfilled), 8))
        .arg(numberColumn(field(&WalIndex::Header::commitCounter), 10))
        .arg(rateColumn(commitsPerSecond), rateColumn(framesPerSecond))
        .arg(indexState == IndexState::Live
                ? indexStateName(indexState)
                : indexStateName(indexState) + (indexError.isEmpty() ? QString() : u": "_s + indexError));
}
