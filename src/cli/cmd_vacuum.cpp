// SPDX-License-Identifier: GPL-3.0-or-later
// `vacuum DB [--into FILE]`: compact the cache (then TRUNCATE-checkpoint it) or write a
// consistent copy of it to a new file. Ctrl+C cancels cleanly: SQLite rolls the VACUUM back.
#include "command.h"
#include "maintenance/vacuum.h"

#include <atomic>
#include <csignal>
#include <cstdio>

using namespace Qt::Literals::StringLiterals;

namespace {
std::atomic<bool> s_interrupted { false };

void onSignal(int)
{
    s_interrupted = true;
}

void installInterruptHandler()
{
    struct sigaction action { };
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    ::sigaction(SIGINT, &action, nullptr);
    ::sigaction(SIGTERM, &action, nullptr);
}

int runVacuum(const QStringList& args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Compact the cache DB (VACUUM + TRUNCATE checkpoint), or copy it consistently "
                                     "with --into. Holds the write lock for its whole run; Ctrl+C cancels."_s);
    Cli::addCommonOptions(parser);
    parser.addOption({ u"into"_s, u"Write a compacted copy to FILE (must not exist) instead."_s, u"FILE"_s });
    parser.addOption({ u"timeout-ms"_s, u"Longest wait for the write lock (default 5000)."_s, u"ms"_s });
    parser.addPositionalArgument(u"DB"_s, u"The SQLite database file."_s);
    if (int code = Cli::parse(parser, u"vacuum"_s, args, 1); code >= 0)
        return code;
    qint64 timeout = 5000;
    if (!Cli::intOption(parser, u"timeout-ms"_s, timeout, 0) || !Cli::intOption(parser, u"busy-timeout-ms"_s, timeout, 0))
        return Cli::Usage;
    const QString path = parser.positionalArguments().first();
    const bool json = parser.isSet(u"json"_s);
    if (!json) {
        Cli::printWarnings(Vacuum::warningsBefore(path));
    }
    installInterruptHandler();
    Vacuum::Options options;
    options.intoPath = parser.value(u"into"_s);
    options.busyTimeoutMs = int(timeout);
    options.progress = [](const Vacuum::Progress&) { return !s_interrupted.load(); };
    auto outcome = Vacuum::run(path, options);
    if (!outcome)
        return Cli::fail(outcome.error());
    if (json)
        Cli::printJson(outcome->toJson());
    else
        Cli::printText(outcome->toText());
    return outcome->cancelled ? Cli::Failure : Cli::Ok;
}

const Cli::RegisterCommand registration({ u"vacuum"_s, u"compact a cache, or copy it with --into FILE"_s, runVacuum });
} // namespace
