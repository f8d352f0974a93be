// SPDX-License-Identifier: GPL-3.0-or-later
// `prune DB|DIR [--expired] [--older-than D] [--match T] [--group V] [--max-bytes S] [--column NAME=TEXT]
// [--table T] [--dry-run] [--backup FILE] [--batch-ms N]`: remove entries from a live cache in short
// write batches (maintenance/prune.h). Ctrl-C stops between batches.
#include "command.h"
#include "maintenance/prune.h"
#include "stopsignals.h"

#include <QElapsedTimer>

#include <cstdio>
#include <unistd.h>

using namespace Qt::Literals::StringLiterals;

namespace {

void addOptions(QCommandLineParser& parser)
{
    parser.addOption({ u"expired"_s, u"Entries whose own expiry time has passed (diskcache, requests-cache)."_s });
    parser.addOption({ u"older-than"_s, u"Entries created (stored) more than DURATION ago: 90s, 30m, 12h, 30d, 2w."_s,
        u"DURATION"_s });
    parser.addOption({ u"match"_s,
        u"Entries containing TEXT, matched as `entries --search` matches (also inside pickles and JSON escapes)."_s,
        u"TEXT"_s });
    parser.addOption({ u"group"_s,
        u"Entries of one group as the Overview groups them: the model (LLM caches), the tag (diskcache) or the host "
        "(requests-cache)."_s,
        u"VALUE"_s });
    parser.addOption({ u"max-bytes"_s,
        u"Trim to a budget: of the entries the other selectors choose (all, alone), remove the first to be evicted "
        "(diskcache: by its eviction_policy; else oldest first) until the rest fit SIZE (500M, 1G, bytes)."_s,
        u"SIZE"_s });
    parser.addOption({ u"column"_s,
        u"Entries whose column NAME (as `entries` shows it) contains TEXT; may be repeated."_s, u"NAME=TEXT"_s });
    parser.addOption({ u"table"_s,
        u"The table (default: the cache format's entries table). Needed for a table of no known format."_s, u"T"_s });
    parser.addOption({ u"dry-run"_s, u"Only count what would go (entries, bytes, value files, a few keys)."_s });
    parser.addOption({ u"backup"_s,
        u"Write every removed entry (key decoded, value raw) to FILE as JSON Lines, synced before each batch is "
        "deleted. FILE must not exist."_s,
        u"FILE"_s });
    parser.addOption(
        { u"batch-ms"_s, u"Longest time one batch may hold the write lock (default 50; 1–60000)."_s, u"ms"_s });
    Cli::addForeignWalOption(parser);
    parser.addPositionalArgument(u"DB"_s, u"The SQLite database file, a diskcache folder or a FanoutCache folder."_s);
}

// The selection from the options; -1 on success, else the exit code.
int selectionFrom(const QCommandLineParser& parser, PruneSelection& selection)
{
    selection.table = parser.value(u"table"_s);
    if (parser.isSet(u"expired"_s))
        selection.filter.expiry = EntryFilter::Expiry::ExpiredOnly;
    if (parser.isSet(u"match"_s)) {
        selection.filter.text = parser.value(u"match"_s);
        if (selection.filter.text.isEmpty())
            return Cli::usageError(u"--match needs a text to match"_s);
    }
    if (parser.isSet(u"group"_s))
        selection.group = parser.value(u"group"_s);
    if (parser.isSet(u"older-than"_s)) {
        const auto secs = PruneSelection::parseDuration(parser.value(u"older-than"_s));
        if (!secs)
            return Cli::usageError(u"--older-than needs a duration like 90s, 30m, 12h, 30d or 2w, not \"%1\""_s.arg(
                parser.value(u"older-than"_s).left(40)));
        selection.olderThanSecs = *secs;
    }
    if (parser.isSet(u"max-bytes"_s)) {
        const auto bytes = PruneSelection::parseSize(parser.value(u"max-bytes"_s));
        if (!bytes)
            return Cli::usageError(u"--max-bytes needs a size like 500M, 1G or a number of bytes, not \"%1\""_s.arg(
                parser.value(u"max-bytes"_s).left(40)));
        selection.maxBytes = *bytes;
    }
    for (const QString& column : parser.values(u"column"_s)) {
        const qsizetype at = column.indexOf(u'=');
        if (at <= 0 || at == column.size() - 1)
            return Cli::usageError(u"--column needs NAME=TEXT, not \"%1\""_s.arg(column.left(60)));
        selection.columnsByName.insert(column.left(at), column.mid(at + 1));
    }
    if (selection.isEmpty())
        return Cli::usageError(u"prune: say which entries go: --expired, --older-than, --match, --group, --max-bytes "
                               "or --column (see cachescope-cli prune --help)"_s);
    return -1;
}

// Test hook (CACHESCOPE_TEST_HOOKS builds only): CACHESCOPE_PRUNE_PAUSE_MS=N announces "batch K"
// on stderr after each batch committed and waits N ms, so a test can interrupt a prune between
// batches.
std::function<void(int)> pauseHook()
{
#ifndef CACHESCOPE_TEST_HOOKS
    return {};
#else
    bool ok = false;
    const int pauseMs = qEnvironmentVariableIntValue("CACHESCOPE_PRUNE_PAUSE_MS", &ok);
    if (!ok || pauseMs <= 0)
        return {};
    return [pauseMs](int batch) {
        std::fprintf(stderr, "batch %d\n", batch);
        std::fflush(stderr);
        StopSignals::sleepMs(pauseMs);
    };
#endif
}

// On a terminal: one progress line on stderr at most every second.
std::function<void(const Prune::Progress&)> progressPrinter()
{
    if (!::isatty(STDERR_FILENO))
        return {};
    auto timer = std::make_shared<QElapsedTimer>();
    return [timer](const Prune::Progress& progress) {
        if (timer->isValid() && timer->elapsed() < 1000 && progress.matched >= 0)
            return;
        timer->start();
        const QString shard = progress.shard.isEmpty() ? QString() : u"shard %1: "_s.arg(progress.shard);
        if (progress.matched < 0)
            std::fprintf(stderr, "cachescope-cli: %schoosing entries…\n", shard.toUtf8().constData());
        else
            std::fprintf(stderr, "cachescope-cli: %sremoved %lld of %lld (%d batches)\n", shard.toUtf8().constData(),
                static_cast<long long>(progress.removed), static_cast<long long>(progress.matched), progress.batches);
    };
}

int runPrune(const QStringList& args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Remove entries from a live cache in short write batches, so its writers wait at most about --batch-ms: "
        "diskcache value files and Settings counters, requests-cache redirects, GPTCache answers and llm logs' "
        "related rows go with their entries. Selectors combine with AND. Ctrl-C stops between batches."_s);
    Cli::addCommonOptions(parser);
    Cli::addReadInPlaceOption(parser);
    addOptions(parser);
    if (int code = Cli::parse(parser, u"prune"_s, args, 1); code >= 0)
        return code;
    PruneSelection selection;
    if (int code = selectionFrom(parser, selection); code >= 0)
        return code;
    qint64 batchMs = 50;
    if (!Cli::intOption(parser, u"batch-ms"_s, batchMs, 1, 60000))
        return Cli::Usage;
    if (parser.isSet(u"backup"_s) && parser.value(u"backup"_s).trimmed().isEmpty())
        return Cli::usageError(u"--backup needs a file name"_s);
    StopSignals::install();
    Prune::Options options;
    options.dryRun = parser.isSet(u"dry-run"_s);
    options.backupPath = parser.value(u"backup"_s);
    options.batchMs = int(batchMs);
    options.busyTimeoutMs = -1;
    options.acceptForeignWal = parser.isSet(u"accept-foreign-wal"_s);
    options.cancel = &StopSignals::requested();
    options.afterBatch = pauseHook();
    const bool json = parser.isSet(u"json"_s);
    if (!json)
        options.progress = progressPrinter();
    auto outcome = Prune::run(parser.positionalArguments().first(), selection, options);
    if (!outcome) {
        Error error = outcome.error();
        if (error.kind == Error::Kind::Refused && error.message.contains(u"refusing to prune"_s))
            error.message += u" Pass --accept-foreign-wal to go ahead anyway."_s;
        return Cli::fail(error);
    }
    if (json)
        Cli::printJson(outcome->toJson());
    else
        Cli::printText(outcome->toText());
    return outcome->cancelled ? Cli::Failure : Cli::Ok;
}

const Cli::RegisterCommand registration(
    { u"prune"_s, u"remove expired, old or matching entries in short write batches"_s, runPrune });
} // namespace
