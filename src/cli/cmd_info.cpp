// SPDX-License-Identifier: GPL-3.0-or-later
// `info DB`: one read-only snapshot of a cache. Never modifies the file or leaves sidecars.
#include "report/cachereport.h"
#include "command.h"

using namespace Qt::Literals::StringLiterals;

namespace {
int runInfo(const QStringList& args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Show one read-only snapshot of the cache DB."_s);
    Cli::addCommonOptions(parser);
    parser.addPositionalArgument(u"DB"_s, u"The SQLite database file."_s);
    if (int code = Cli::parse(parser, u"info"_s, args, 1); code >= 0)
        return code;
    qint64 timeout = Database::defaultBusyTimeoutMs(Database::Mode::ReadOnly);
    if (!Cli::intOption(parser, u"busy-timeout-ms"_s, timeout, 0))
        return Cli::Usage;
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
