// SPDX-License-Identifier: GPL-3.0-or-later
// `scan DIR`: every SQLite database below DIR (by header) with its sidecars, and orphaned sidecars.
#include "command.h"
#include "maintenance/scanner.h"

using namespace Qt::Literals::StringLiterals;

namespace {
int runScan(const QStringList& args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Find every SQLite database below DIR (by header, not extension), with journal "
                                     "mode, sidecar sizes and the processes using it, and orphaned sidecars. "
                                     "Symbolic links are not followed."_s);
    Cli::addCommonOptions(parser);
    Cli::addReadInPlaceOption(parser);
    parser.addOption({ u"no-processes"_s, u"Skip the /proc scan for processes that have the files open."_s });
    parser.addOption({ u"no-profiles"_s, u"Do not open the databases to recognise their cache format."_s });
    parser.addPositionalArgument(u"DIR"_s, u"The directory to scan."_s);
    if (int code = Cli::parse(parser, u"scan"_s, args, 1); code >= 0)
        return code;
    Scanner::Options options;
    options.holders = !parser.isSet(u"no-processes"_s);
    options.profiles = !parser.isSet(u"no-profiles"_s);
    auto report = Scanner::scan(parser.positionalArguments().first(), options);
    if (!report)
        return Cli::fail(report.error());
    Cli::printAsAsked(parser, report.value());
    return Cli::Ok;
}

const Cli::RegisterCommand registration(
    { u"scan"_s, u"find SQLite databases and orphaned sidecars below DIR"_s, runScan });
} // namespace
