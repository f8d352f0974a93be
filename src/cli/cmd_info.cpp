// SPDX-License-Identifier: GPL-3.0-or-later
// `info DB`: one read-only snapshot of a cache. Never modifies the file or leaves sidecars.
#include "command.h"
#include "common/format.h"
#include "maintenance/cachefolder.h"
#include "report/cachereport.h"

#include <QJsonArray>

using namespace Qt::Literals::StringLiterals;

namespace {
// A FanoutCache: every shard's report, with the cache's total size.
int infoShards(const CacheFolder& folder, int timeoutMs, bool json)
{
    QJsonArray shards;
    QString text = u"FanoutCache %1: %2 shard(s)\n"_s.arg(folder.root).arg(folder.shards.size());
    qint64 total = 0;
    for (qsizetype i = 0; i < folder.databases.size(); ++i) {
        auto report = CacheReport::collect(folder.databases.at(i), timeoutMs);
        if (!report)
            return Cli::fail(
                { report.error().kind, u"shard %1: %2"_s.arg(folder.shards.at(i), report.error().message) });
        total += report->totalBytes();
        QJsonObject shard = report->toJson();
        shard.insert(u"shard"_s, folder.shards.at(i));
        shards.append(shard);
        const int values = report->values ? int(report->values->present.size()) : 0;
        const bool writer = report->activity && report->activity->writer;
        text += u"  shard %1  %2  %3 value file(s)  writer %4  %5 warning(s)\n"_s
                    .arg(folder.shards.at(i), Format::bytes(report->totalBytes()))
                    .arg(values)
                    .arg(writer ? u"pid %1"_s.arg(report->activity->writer->pid) : u"none"_s)
                    .arg(report->warnings.size());
    }
    text += u"total size      %1\n"_s.arg(Format::bytes(total));
    if (json)
        Cli::printJson(QJsonObject { { u"path"_s, folder.root }, { u"layout"_s, u"fanout"_s }, { u"shards"_s, shards },
            { u"total_bytes"_s, total } });
    else
        Cli::printText(text);
    return Cli::Ok;
}

int runInfo(const QStringList& args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Show one read-only snapshot of the cache DB."_s);
    Cli::addCommonOptions(parser);
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
    if (parser.isSet(u"json"_s))
        Cli::printJson(report->toJson());
    else
        Cli::printText(report->toText());
    return Cli::Ok;
}

const Cli::RegisterCommand registration({ u"info"_s, u"one read-only snapshot of a cache"_s, runInfo });
} // namespace
