// SPDX-License-Identifier: GPL-3.0-or-later
#include "report/prometheustext.h"

#include "live/warningcatalog.h"

#include <QLocale>

#include <cmath>
#include <functional>

using namespace Qt::Literals::StringLiterals;

namespace {
struct Family {
    const char* name;
    const char* type;
    const char* help;
    std::function<std::optional<double>(const CacheMetrics&)> value;
};

template <class T> std::optional<double> asDouble(const std::optional<T>& v)
{
    return v ? std::optional<double>(double(*v)) : std::nullopt;
}

const QList<Family>& families()
{
    using M = CacheMetrics;
    static const QList<Family> list {
        { "cachescope_up", "gauge", "1 when the database file exists and its header was read at the last sample.",
            [](const M& m) { return m.up ? 1.0 : 0.0; } },
        { "cachescope_db_bytes", "gauge", "Size of the database file in bytes.",
            [](const M& m) { return double(m.dbBytes); } },
        { "cachescope_wal_bytes", "gauge", "Size of the -wal file in bytes (0 without one).",
            [](const M& m) { return double(m.walBytes); } },
        { "cachescope_shm_bytes", "gauge", "Size of the -shm file in bytes (0 without one).",
            [](const M& m) { return double(m.shmBytes); } },
        { "cachescope_value_files_bytes", "gauge", "Bytes of a diskcache's value files on disk.",
            [](const M& m) { return asDouble(m.valueFilesBytes); } },
        { "cachescope_commits_total", "counter",
            "Commits counted from events (every -wal commit frame, or the rollback change counter) since metrics "
            "started.",
            [](const M& m) { return double(m.commitsTotal); } },
        { "cachescope_wal_frames", "gauge", "Frames in the WAL (committed frames of a live -shm).",
            [](const M& m) { return double(m.walFrames); } },
        { "cachescope_checkpoint_lag_frames", "gauge",
            "Committed frames not yet copied back into the database by a checkpoint.",
            [](const M& m) { return double(m.checkpointLagFrames); } },
        { "cachescope_checkpoint_pinned_seconds", "gauge",
            "How long one reader has kept the checkpoint from going further (0: nobody), timed from the first sample "
            "that saw it.",
            [](const M& m) { return m.checkpointPinnedSeconds; } },
        { "cachescope_write_lock_busy_ratio", "gauge",
            "Share of the samples of the last 10 s in which some process held the write lock.",
            [](const M& m) { return m.writeLockBusy; } },
        { "cachescope_readers", "gauge", "Processes holding a read lock.",
            [](const M& m) { return double(m.readers); } },
        { "cachescope_writers", "gauge", "Processes that wrote during the last 10 s.",
            [](const M& m) { return double(m.writers); } },
        { "cachescope_entries", "gauge", "Entries in the main table (counted at the Overview's pace).",
            [](const M& m) { return asDouble(m.entries); } },
        { "cachescope_expired_entries", "gauge", "Entries whose expiry time has passed (formats that keep one).",
            [](const M& m) { return asDouble(m.expiredEntries); } },
    };
    return list;
}

QByteArray number(double value)
{
    if (std::isnan(value))
        return "NaN";
    if (value == std::floor(value) && std::abs(value) < 1e15)
        return QByteArray::number(qint64(value));
    return QByteArray::number(value, 'g', 17);
}

QByteArray labels(const CacheMetrics& m)
{
    return "path=\"" + PrometheusText::escapeLabel(m.path) + "\",format=\""
        + PrometheusText::escapeLabel(m.format.isEmpty() ? u"unknown"_s : m.format) + '"';
}
} // namespace

QByteArray PrometheusText::escapeLabel(const QString& value)
{
    QByteArray out;
    for (const char c : value.toUtf8()) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '"')
            out += "\\\"";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

QByteArray PrometheusText::render(const QList<CacheMetrics>& caches)
{
    QByteArray text;
    for (const Family& family : families()) {
        text += QByteArray("# HELP ") + family.name + ' ' + family.help + '\n';
        text += QByteArray("# TYPE ") + family.name + ' ' + family.type + '\n';
        for (const CacheMetrics& m : caches) {
            if (const auto value = family.value(m))
                text += QByteArray(family.name) + '{' + labels(m) + "} " + number(*value) + '\n';
        }
    }
    text += "# HELP cachescope_health_warning 1 while the health warning with this code is raised (docs/CLI.md).\n"
            "# TYPE cachescope_health_warning gauge\n";
    for (const CacheMetrics& m : caches) {
        QStringList codes;
        for (const WarningCatalog::Entry& entry : WarningCatalog::all())
            codes << entry.code;
        for (const QString& code : m.warningCodes) {
            if (!codes.contains(code))
                codes << code;
        }
        for (const QString& code : std::as_const(codes))
            text += "cachescope_health_warning{" + labels(m) + ",code=\"" + escapeLabel(code) + "\"} "
                + (m.warningCodes.contains(code) ? "1" : "0") + '\n';
    }
    return text;
}
