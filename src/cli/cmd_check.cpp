// SPDX-License-Identifier: GPL-3.0-or-later
// `check DB|DIR [--max-wal-bytes SIZE] [--max-checkpoint-lag-frames N] [--max-checkpoint-pinned-s S]
// [--max-write-lock-busy R] [--max-expired-ratio R] [--no-warnings]`: one look at a cache against
// limits (Thresholds), for cron, CI and container health checks: exit 0 when all hold, 4 when one
// is crossed, each crossed limit named with its value. The look is a short watch (Sampler, no
// SQLite connection, no lock) — the write lock's busy share and how long a reader pins the
// checkpoint need several samples — then, only for --max-expired-ratio, one pass over the entries
// (CacheSummary, short statements) once every file the samplers kept open is closed.
#include "command.h"
#include "common/format.h"
#include "live/ratewindow.h"
#include "live/sampler.h"
#include "live/thresholds.h"
#include "live/watchline.h"
#include "maintenance/cachefolder.h"
#include "maintenance/pruneselection.h"
#include "report/cachesummary.h"
#include "stopsignals.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QLocale>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <vector>

using namespace Qt::Literals::StringLiterals;

namespace {
constexpr qint64 SampleIntervalMs = 100;

void addOptions(QCommandLineParser& parser)
{
    parser.addOption({ QString::fromLatin1(Thresholds::MaxWalBytes),
        u"Crossed when the -wal is larger than SIZE (500M, 1G, bytes)."_s, u"SIZE"_s });
    parser.addOption({ QString::fromLatin1(Thresholds::MaxCheckpointLagFrames),
        u"Crossed when more than N committed frames wait to be copied back into the database."_s, u"N"_s });
    parser.addOption({ QString::fromLatin1(Thresholds::MaxCheckpointPinnedS),
        u"Crossed when one reader has kept the checkpoint from going further for more than S seconds. While a "
        "reader pins it, check watches up to S seconds longer to see whether it lets go."_s,
        u"S"_s });
    parser.addOption({ QString::fromLatin1(Thresholds::MaxWriteLockBusy),
        u"Crossed when the write lock was held more than R of the time watched (0.8 or 80%)."_s, u"R"_s });
    parser.addOption({ QString::fromLatin1(Thresholds::MaxExpiredRatio),
        u"Crossed when more than R of the entries have expired (0.5 or 50%); counts the entries in short "
        "statements (formats that keep an expiry time)."_s,
        u"R"_s });
    parser.addOption({ u"no-warnings"_s,
        u"Only the limits given count; without it every health warning (as `watch` reports them) is crossed too."_s });
    parser.addOption({ u"window-ms"_s,
        u"How long to watch the cache (default 2000; 500–600000); samples every 100 ms."_s, u"ms"_s });
    parser.addPositionalArgument(u"DB"_s, u"The SQLite database file, a diskcache folder or a FanoutCache folder."_s);
}

// The limits from the options; -1 on success, else the exit code.
int thresholdsFrom(const QCommandLineParser& parser, Thresholds& limits)
{
    const QString walOption = QString::fromLatin1(Thresholds::MaxWalBytes);
    if (parser.isSet(walOption)) {
        limits.maxWalBytes = PruneSelection::parseSize(parser.value(walOption));
        if (!limits.maxWalBytes)
            return Cli::usageError(u"--%1 needs a size like 500M, 1G or a number of bytes, not \"%2\""_s.arg(
                walOption, parser.value(walOption).left(40)));
    }
    const QString lagOption = QString::fromLatin1(Thresholds::MaxCheckpointLagFrames);
    qint64 lag = -1;
    if (!Cli::intOption(parser, lagOption, lag, 0))
        return Cli::Usage;
    if (lag >= 0)
        limits.maxCheckpointLagFrames = lag;
    const QString pinnedOption = QString::fromLatin1(Thresholds::MaxCheckpointPinnedS);
    if (parser.isSet(pinnedOption)) {
        bool ok = false;
        const double seconds = QLocale::c().toDouble(parser.value(pinnedOption).trimmed(), &ok);
        if (!ok || !(seconds >= 0) || seconds > 86400)
            return Cli::usageError(u"--%1 needs a number of seconds from 0 to 86400, not \"%2\""_s.arg(
                pinnedOption, parser.value(pinnedOption).left(40)));
        limits.maxCheckpointPinnedS = seconds;
    }
    for (auto [name, ratio] : { std::pair { Thresholds::MaxWriteLockBusy, &limits.maxWriteLockBusy },
             std::pair { Thresholds::MaxExpiredRatio, &limits.maxExpiredRatio } }) {
        const QString option = QString::fromLatin1(name);
        if (!parser.isSet(option))
            continue;
        *ratio = Thresholds::parseRatio(parser.value(option));
        if (!*ratio)
            return Cli::usageError(u"--%1 needs a ratio from 0 to 1 (0.8) or a percentage (80%), not \"%2\""_s.arg(
                option, parser.value(option).left(40)));
    }
    limits.warnings = !parser.isSet(u"no-warnings"_s);
    return -1;
}

// Whether to go on watching after the window: a reader pins the checkpoint and has not yet been
// seen to pin it for longer than the limit (nor let go).
bool pinStillOpen(const Thresholds& limits, const std::vector<std::unique_ptr<Sampler>>& samplers)
{
    if (!limits.maxCheckpointPinnedS)
        return false;
    for (const auto& sampler : samplers) {
        const Snapshot* last = sampler->previous();
        if (last && last->pinning() && double(last->pinnedForMs) <= *limits.maxCheckpointPinnedS * 1000.0)
            return true;
    }
    return false;
}

void notePins(const std::vector<std::unique_ptr<Sampler>>& samplers, double limitS)
{
    for (const auto& sampler : samplers) {
        const Snapshot* last = sampler->previous();
        if (last && last->pinning())
            std::fprintf(stderr,
                "cachescope-cli: note: pid %lld pins the checkpoint of %s: watching up to %s s more to see whether it "
                "lets go\n",
                last->pinning()->pid, qPrintable(Format::escapeControl(last->path)),
                qPrintable(QLocale::c().toString(limitS - double(last->pinnedForMs) / 1000.0, 'f', 1)));
    }
}

// Whether a cache's rates cover less than the window (up to RateWindow's): its first sample came late (a slow first
// open or process scan on a loaded machine), so a share "of the last 1.9 s" would miss write_lock_contention's 2 s.
bool ratesShort(const std::vector<std::unique_ptr<Sampler>>& samplers, qint64 windowMs)
{
    const qint64 needed = std::min(windowMs, RateWindow::WindowMs);
    return std::any_of(samplers.begin(), samplers.end(), [needed](const std::unique_ptr<Sampler>& sampler) {
        const Snapshot* last = sampler->previous();
        return last && last->ratesValid && last->rateSpanMs < needed;
    });
}

// Watches every database together for windowMs (longer while a pin is still open, or up to a second longer while
// ratesShort); the last sample of each. The samplers (and the files they keep open) are gone when this returns.
QList<ThresholdReading> watch(const QStringList& databases, const Thresholds& limits, qint64 windowMs)
{
    std::vector<std::unique_ptr<Sampler>> samplers;
    for (const QString& db : databases)
        samplers.push_back(std::make_unique<Sampler>(db));
    const qint64 pinLimitMs = limits.maxCheckpointPinnedS ? qint64(*limits.maxCheckpointPinnedS * 1000.0) : 0;
    // Up to a second past the window when the rates still cover less of it (ratesShort).
    const qint64 lateMs = 10 * SampleIntervalMs;
    const qint64 endMs = windowMs + std::max(pinLimitMs + 2 * SampleIntervalMs, lateMs);
    QElapsedTimer clock;
    clock.start();
    bool pinNoted = false;
    for (qint64 tick = 1;; ++tick) {
        Sampler::Options options;
        options.excludePid = QCoreApplication::applicationPid();
        options.scanProcesses = tick % 10 == 1; // twice at least: a deleted file is reported when held at both
        for (const auto& sampler : samplers)
            sampler->sample(options);
        const qint64 next = tick * SampleIntervalMs;
        if (StopSignals::requested().load() || next > endMs)
            break;
        if (next > windowMs) {
            const bool pinned = pinStillOpen(limits, samplers);
            if (!pinned && (!ratesShort(samplers, windowMs) || next > windowMs + lateMs))
                break;
            if (pinned && !pinNoted) // say why the look takes longer than the window
                notePins(samplers, *limits.maxCheckpointPinnedS);
            pinNoted = pinNoted || pinned;
        }
        StopSignals::sleepMs(next - clock.elapsed());
    }
    QList<ThresholdReading> readings;
    for (const auto& sampler : samplers)
        readings.append(ThresholdReading::of(*sampler->previous()));
    return readings;
}

// Entries and expired entries, through a short read-only connection (after watch(): no sampler
// holds an fd on the files while it is open). The reason when they cannot be counted.
QString countEntries(ThresholdReading& reading)
{
    const std::atomic_bool never { false };
    auto summary = CacheSummary::gather(reading.path, never, true);
    if (!summary)
        return summary.error().message;
    if (!summary->contents)
        return u"no table of entries"_s;
    reading.entries = summary->contents->entries;
    if (summary->contents->expiredEntries < 0)
        return u"the %1 format keeps no expiry time"_s.arg(summary->contents->profile);
    reading.expiredEntries = summary->contents->expiredEntries;
    return {};
}

QString measuredText(const ThresholdReading& r)
{
    QStringList parts { u"WAL %1"_s.arg(Format::bytes(r.walBytes)),
        u"checkpoint lag %1 frames"_s.arg(Format::count(r.checkpointLagFrames)),
        u"pinned %1 s"_s.arg(QLocale::c().toString(r.checkpointPinnedS, 'f', 1)) };
    if (r.writeLockBusy)
        parts << u"write lock busy %1"_s.arg(Format::percent(*r.writeLockBusy));
    if (const auto ratio = r.expiredRatio())
        parts << u"expired %1 of %2 (%3)"_s.arg(
            Format::count(*r.expiredEntries), Format::count(*r.entries), Format::percent(*ratio));
    parts << Format::counted(r.warnings.size(), u"warning"_s, u"warnings"_s);
    return parts.join(u", "_s);
}

int runCheck(const QStringList& args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Look at the cache DB once against limits: exit 0 when all hold, 4 when one is crossed (each named with its "
        "value). For cron, CI and container health checks. Takes no lock; --max-expired-ratio also counts the "
        "entries through a short read-only connection."_s);
    Cli::addCommonOptions(parser);
    Cli::addReadInPlaceOption(parser);
    addOptions(parser);
    if (int code = Cli::parse(parser, u"check"_s, args, 1); code >= 0)
        return code;
    Thresholds limits;
    if (int code = thresholdsFrom(parser, limits); code >= 0)
        return code;
    qint64 windowMs = 2000;
    if (!Cli::intOption(parser, u"window-ms"_s, windowMs, 500, 600000))
        return Cli::Usage;
    const QString given = parser.positionalArguments().first();
    const QFileInfo info(given);
    if (!info.exists() && !QFileInfo::exists(given + u"-wal"_s))
        return Cli::fail({ Error::Kind::NotFound, u"no such file: %1"_s.arg(given) });
    if (int code = Cli::refuseSpecialFile(given); code >= 0) // never "ok" for /dev/null
        return code;
    auto folder = CacheFolder::resolve(given);
    if (!folder)
        return Cli::fail(folder.error());
    StopSignals::install();
    QElapsedTimer clock;
    clock.start();
    QList<ThresholdReading> readings = watch(folder->databases, limits, windowMs);
    const qint64 watchedMs = clock.elapsed();
    QJsonArray unchecked;
    if (limits.maxExpiredRatio) {
        for (ThresholdReading& reading : readings) {
            if (const QString why = countEntries(reading); !why.isEmpty()) {
                unchecked.append(QJsonObject { { u"path"_s, reading.path },
                    { u"limit"_s, QString::fromLatin1(Thresholds::MaxExpiredRatio) }, { u"reason"_s, why } });
                std::fprintf(stderr, "cachescope-cli: note: --%s not checked for %s: %s\n", Thresholds::MaxExpiredRatio,
                    qPrintable(Format::escapeControl(reading.path)), qPrintable(Format::escapeControl(why)));
            }
        }
    }
    if (limits.maxWriteLockBusy) {
        // A share of the time is judged over at least a second (Thresholds::crossedBy): a shorter watch (--window-ms
        // under 1000, or samples that came late) leaves it unchecked, and says so — never "ok" without a look.
        for (const ThresholdReading& reading : std::as_const(readings)) {
            if (reading.writeLockBusySpanMs >= WatchLine::MinShownRateSpanMs)
                continue;
            const QString why = u"the write lock's share was seen over %1 ms, less than the %2 ms it is judged over"_s
                                    .arg(reading.writeLockBusySpanMs)
                                    .arg(WatchLine::MinShownRateSpanMs);
            unchecked.append(QJsonObject { { u"path"_s, reading.path },
                { u"limit"_s, QString::fromLatin1(Thresholds::MaxWriteLockBusy) }, { u"reason"_s, why } });
            std::fprintf(stderr, "cachescope-cli: note: --%s not checked for %s: %s\n", Thresholds::MaxWriteLockBusy,
                qPrintable(Format::escapeControl(reading.path)), qPrintable(why));
        }
    }
    QList<ThresholdCrossing> crossed;
    QJsonArray cachesJson, crossedJson;
    QString text;
    for (const ThresholdReading& reading : std::as_const(readings)) {
        const QList<ThresholdCrossing> mine = limits.crossedBy(reading);
        crossed += mine;
        cachesJson.append(reading.toJson());
        text += u"%1: %2\n  %3\n"_s.arg(reading.path,
            mine.isEmpty() ? u"ok"_s : Format::counted(mine.size(), u"limit"_s, u"limits"_s) + u" crossed"_s,
            measuredText(reading));
        for (const ThresholdCrossing& crossing : mine) {
            crossedJson.append(crossing.toJson());
            text += u"  CROSSED %1\n"_s.arg(crossing.message());
        }
    }
    if (parser.isSet(u"json"_s))
        Cli::printJson(
            QJsonObject { { u"path"_s, given }, { u"ok"_s, crossed.isEmpty() }, { u"watched_ms"_s, watchedMs },
                { u"caches"_s, cachesJson }, { u"crossed"_s, crossedJson }, { u"unchecked"_s, unchecked } });
    else
        Cli::printText(text);
    return crossed.isEmpty() ? Cli::Ok : Cli::LimitCrossed;
}

const Cli::RegisterCommand registration(
    { u"check"_s, u"one look against limits: exit 4 when one is crossed"_s, runCheck });
} // namespace
