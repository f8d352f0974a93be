// SPDX-License-Identifier: GPL-3.0-or-later
// `simulate DB`: the concurrent-writer simulator (the seed scenario). The same executable,
// started with the hidden --worker-* options, is one worker process.
#include "command.h"
#include "simulation/simulator.h"
#include "simulation/simulatorworker.h"
#include "stopsignals.h"

#include <QCoreApplication>
#include <QJsonDocument>

#include <cmath>
#include <csignal>
#include <sys/prctl.h>
#include <unistd.h>

using namespace Qt::Literals::StringLiterals;

namespace {
void describe(QCommandLineParser& parser)
{
    parser.setApplicationDescription(
        u"Run N worker processes that write LLM-cache entries into DB concurrently, one transaction per entry,\n"
        "and report stored entries and \"database is locked\" errors per worker.\n"
        "Exit status: 0 when every entry was stored, 3 when some were not."_s);
    Cli::addCommonOptions(parser);
    parser.addOptions({
        { u"workers"_s, u"Worker processes (default 4)."_s, u"N"_s },
        { u"entries"_s, u"Entries in total (default 400; no limit with --duration-s)."_s, u"M"_s },
        { u"journal"_s, u"Journal mode: wal (default) or delete."_s, u"mode"_s },
        { u"payload-bytes"_s, u"Size of each JSON response (default 2000)."_s, u"B"_s },
        { u"duration-s"_s, u"Run for S seconds instead of a fixed count (0: until stopped)."_s, u"S"_s },
        { u"rate-per-worker"_s, u"Commits per second per worker (default: as fast as possible)."_s, u"N"_s },
    });
    for (const char* name :
        { "worker-index", "worker-parent", "worker-run-id", "worker-entries", "worker-duration-ms" }) {
        QCommandLineOption option(QString::fromLatin1(name), u"internal"_s, u"value"_s);
        option.setFlags(QCommandLineOption::HiddenFromHelp);
        parser.addOption(option);
    }
}

bool readRate(const QCommandLineParser& parser, double& rate)
{
    if (!parser.isSet(u"rate-per-worker"_s))
        return true;
    bool ok = false;
    rate = parser.value(u"rate-per-worker"_s).toDouble(&ok);
    if (!ok || !std::isfinite(rate) || rate < 0 || rate > 1e6) {
        Cli::usageError(u"--rate-per-worker needs a number from 0 to 1000000, not \"%1\""_s.arg(
            parser.value(u"rate-per-worker"_s)));
        return false;
    }
    return true;
}

bool readJournal(const QCommandLineParser& parser, QString& journal)
{
    journal = parser.value(u"journal"_s).toLower();
    if (journal.isEmpty())
        journal = u"wal"_s;
    if (journal == u"wal"_s || journal == u"delete"_s)
        return true;
    Cli::usageError(u"--journal must be wal or delete, not \"%1\""_s.arg(journal));
    return false;
}

int runWorker(const QCommandLineParser& parser, const QString& journal, double rate)
{
    qint64 index = 0, parent = 0, entries = -1, durationMs = 0, timeout = 30000, payload = 2000;
    if (!Cli::intOption(parser, u"worker-index"_s, index, 0) || !Cli::intOption(parser, u"worker-parent"_s, parent, 1)
        || !Cli::intOption(parser, u"worker-entries"_s, entries, -1)
        || !Cli::intOption(parser, u"worker-duration-ms"_s, durationMs, 0)
        || !Cli::intOption(parser, u"busy-timeout-ms"_s, timeout, 0)
        || !Cli::intOption(parser, u"payload-bytes"_s, payload, 0))
        return Cli::Usage;
    // Die with the parent; if it already died before prctl took effect, getppid() tells.
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    SimulatorWorker::Settings settings;
    settings.dbPath = parser.positionalArguments().first();
    settings.journal = journal;
    settings.busyTimeoutMs = int(timeout);
    settings.payloadBytes = int(payload);
    settings.entries = entries;
    settings.durationMs = durationMs;
    settings.ratePerSecond = rate;
    settings.parentPid = pid_t(parent);
    settings.index = int(index);
    settings.runId = parser.value(u"worker-run-id"_s);
    SimulatorWorker::Counts counts;
    if (::getppid() == settings.parentPid) {
        auto result = SimulatorWorker(settings).run(StopSignals::requested());
        if (result) {
            counts = result.value();
        } else {
            counts.pid = ::getpid();
            counts.errors = std::max<qint64>(entries, 1);
            counts.lastError = result.error().message;
        }
    }
    counts.pid = ::getpid();
    Cli::printJson(counts.toJson()); // the report the parent reads from the pipe
    return Cli::Ok;
}

int runSimulate(const QStringList& args)
{
    QCommandLineParser parser;
    describe(parser);
    parser.addPositionalArgument(u"DB"_s, u"The SQLite database to write (created if missing)."_s);
    if (int code = Cli::parse(parser, u"simulate"_s, args, 1); code >= 0)
        return code;
    QString journal;
    double rate = 0;
    if (!readJournal(parser, journal) || !readRate(parser, rate))
        return Cli::Usage;
    StopSignals::install();
    if (parser.isSet(u"worker-index"_s))
        return runWorker(parser, journal, rate);
    Simulator::Options options;
    options.dbPath = parser.positionalArguments().first();
    options.workerProgram = QCoreApplication::applicationFilePath();
    options.journal = journal;
    options.ratePerWorker = rate;
    qint64 workers = 4, entries = 400, timeout = 30000, payload = 2000, durationS = -1;
    if (!Cli::intOption(parser, u"workers"_s, workers, 1) || !Cli::intOption(parser, u"entries"_s, entries, 1)
        || !Cli::intOption(parser, u"busy-timeout-ms"_s, timeout, 0)
        || !Cli::intOption(parser, u"payload-bytes"_s, payload, 0)
        || !Cli::intOption(parser, u"duration-s"_s, durationS, 0))
        return Cli::Usage;
    options.workers = int(workers);
    options.entries = parser.isSet(u"duration-s"_s) && !parser.isSet(u"entries"_s) ? -1 : entries;
    options.busyTimeoutMs = int(timeout);
    options.payloadBytes = int(payload);
    options.durationMs = durationS > 0 ? durationS * 1000 : 0;
    auto summary = Simulator(options).run(StopSignals::requests());
    if (!summary)
        return Cli::fail(summary.error());
    Cli::printAsAsked(parser, summary.value());
    return summary->complete() ? Cli::Ok : Cli::Refused;
}

const Cli::RegisterCommand registration(
    { u"simulate"_s, u"concurrent writer processes (the seed scenario)"_s, runSimulate });
} // namespace
