// SPDX-License-Identifier: GPL-3.0-or-later
// `info DB`: one read-only snapshot of a cache. Never modifies the file or leaves sidecars.
#include "command.h"
#include "common/format.h"
#include "fanoutjson.h"
#include "maintenance/cachefolder.h"
#include "report/cachereport.h"

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace {
// The FanoutCache's own entries: its shards' contents summed (a shard without contents: null).
QJsonValue wholeContents(const QList<std::optional<CacheContents>>& shards)
{
    qint64 entries = 0, bytes = 0, expired = 0, expiredBytes = 0;
    bool sized = true, expires = true, complete = true;
    for (const auto& contents : shards) {
        if (!contents)
            return QJsonValue();
        entries += contents->entries;
        sized = sized && contents->bytes >= 0;
        bytes += std::max<qint64>(contents->bytes, 0);
        expires = expires && contents->expiredEntries >= 0;
        expired += std::max<qint64>(contents->expiredEntries, 0);
        expiredBytes += std::max<qint64>(contents->expiredBytes, 0);
        complete = complete && contents->complete;
    }
    return QJsonObject { { u"entries"_s, entries }, { u"bytes"_s, sized ? QJsonValue(bytes) : QJsonValue() },
        { u"expired_entries"_s, expires ? QJsonValue(expired) : QJsonValue() },
        { u"expired_bytes"_s, expires ? QJsonValue(expiredBytes) : QJsonValue() }, { u"complete"_s, complete },
        { u"shards"_s, int(shards.size()) } };
}

QString contentsText(const std::optional<CacheContents>& contents)
{
    if (!contents)
        return u"entries unknown"_s;
    QString text = u"%1 entries"_s.arg(Format::count(contents->entries));
    if (contents->expiredEntries > 0)
        text += u" (%1 expired)"_s.arg(Format::count(contents->expiredEntries));
    return text;
}

// A FanoutCache: the whole cache's entries and size, every shard's report and every named
// sub-cache's (FanoutCache.index('NAME'), .cache('NAME'), .deque('NAME')).
int infoShards(const CacheFolder& folder, int timeoutMs, bool json)
{
    FanoutJson fanout;
    QList<std::optional<CacheContents>> shardContents;
    QString lines;
    qint64 total = 0;
    const QStringList databases = folder.everyDatabase();
    const QStringList labels = folder.labels();
    for (qsizetype i = 0; i < databases.size(); ++i) {
        const bool shard = i < folder.databases.size();
        const QString what = shard ? u"shard %1"_s.arg(labels.at(i)) : u"sub-cache %1"_s.arg(labels.at(i));
        auto report = CacheReport::collect(databases.at(i), timeoutMs);
        if (!report)
            return Cli::fail({ report.error().kind, u"%1: %2"_s.arg(what, report.error().message) });
        total += report->totalBytes();
        if (shard) {
            fanout.addShard(labels.at(i), report->toJson());
            shardContents << report->contents;
        } else {
            fanout.addSubCache(labels.at(i), report->toJson());
        }
        const int values = report->values ? int(report->values->present.size()) : 0;
        const bool writer = report->activity && report->activity->writer;
        lines += u"  %1  %2  %3  %4  writer %5  %6\n"_s.arg(what, contentsText(report->contents),
            Format::bytes(report->totalBytes()), Format::counted(values, u"value file"_s, u"value files"_s),
            writer ? u"PID %1"_s.arg(report->activity->writer->pid) : u"none"_s,
            Format::counted(report->warnings.size(), u"warning"_s, u"warnings"_s));
    }
    const QJsonValue whole = wholeContents(shardContents);
    if (json) {
        QJsonObject object = fanout.toJson(folder.root);
        object.insert(u"contents"_s, whole);
        object.insert(u"total_bytes"_s, total);
        Cli::printJson(object);
        return Cli::Ok;
    }
    QString text
        = u"FanoutCache %1: %2"_s.arg(folder.root, Format::counted(folder.shards.size(), u"shard"_s, u"shards"_s));
    if (!folder.subCaches.isEmpty())
        text
            += (folder.subCaches.size() == 1 ? u", sub-cache "_s : u", sub-caches "_s) + folder.subCaches.join(u", "_s);
    text += u'\n';
    if (whole.isObject()) {
        const QJsonObject contents = whole.toObject();
        text += u"entries         %1 in its shards"_s.arg(Format::count(contents.value(u"entries"_s).toInteger()));
        if (contents.value(u"expired_entries"_s).toInteger() > 0)
            text += u", %1 expired"_s.arg(Format::count(contents.value(u"expired_entries"_s).toInteger()));
        text += u'\n';
    }
    Cli::printText(text + lines + u"total size      %1 (every shard and sub-cache)\n"_s.arg(Format::bytes(total)));
    return Cli::Ok;
}

int runInfo(const QStringList& args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Show one read-only snapshot of the cache DB."_s);
    Cli::addCommonOptions(parser);
    Cli::addReadInPlaceOption(parser);
    parser.addPositionalArgument(u"DB"_s, u"The SQLite database file, or a cache folder (diskcache, FanoutCache)."_s);
    if (int code = Cli::parse(parser, u"info"_s, args, 1); code >= 0)
        return code;
    qint64 timeout = Database::defaultBusyTimeoutMs(Database::Mode::ReadOnly);
    if (!Cli::intOption(parser, u"busy-timeout-ms"_s, timeout, 0))
        return Cli::Usage;
    auto folder = CacheFolder::resolve(parser.positionalArguments().first());
    if (folder && folder->layout == CacheFolder::Layout::Fanout)
        return infoShards(folder.value(), int(timeout), parser.isSet(u"json"_s));
    auto report = CacheReport::collect(parser.positionalArguments().first(), int(timeout));
    if (!report)
        return Cli::fail(report.error());
    Cli::printAsAsked(parser, report.value());
    return Cli::Ok;
}

const Cli::RegisterCommand registration({ u"info"_s, u"one read-only snapshot of a cache"_s, runInfo });
} // namespace
