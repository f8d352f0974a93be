// SPDX-License-Identifier: GPL-3.0-or-later
// `query DB SQL`: one read-only SQL statement on a live cache, through Qt Sql. Writes are
// refused, rows are capped and the statement is finalised before printing (docs/CLI.md).
#include "command.h"
#include "query/readonlyquery.h"
#include "sqlite/database.h"
#include "stopsignals.h"

using namespace Qt::Literals::StringLiterals;

namespace {
int runQuery(const QStringList& args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Run one read-only SQL statement on the cache DB. Statements that write, "
                                     "transactions, ATTACH and setting pragmas are refused (exit 3)."_s);
    Cli::addCommonOptions(parser);
    Cli::addReadInPlaceOption(parser);
    parser.addOption({ u"max-rows"_s, u"Stop after this many rows (default 10000); \"truncated\" says so."_s, u"n"_s });
    parser.addOption({ u"timeout-ms"_s,
        u"Interrupt the query after this long (default 10000, or --statement-timeout-ms when given)."_s, u"ms"_s });
    parser.addPositionalArgument(u"DB"_s, u"The SQLite database file."_s);
    parser.addPositionalArgument(u"SQL"_s, u"One SQL statement, e.g. \"SELECT count(*) FROM Cache\"."_s);
    if (int code = Cli::parse(parser, u"query"_s, args, 2); code >= 0)
        return code;
    QueryLimits limits;
    qint64 maxRows = limits.maxRows;
    qint64 timeout = limits.timeoutMs;
    if (parser.isSet(u"statement-timeout-ms"_s) && Database::defaultStatementTimeoutMs() > 0)
        timeout = Database::defaultStatementTimeoutMs();
    if (!Cli::intOption(parser, u"max-rows"_s, maxRows, 1, 1000000)
        || !Cli::intOption(parser, u"timeout-ms"_s, timeout, 1))
        return Cli::Usage;
    limits.maxRows = int(maxRows);
    limits.timeoutMs = int(timeout);

    StopSignals::install(); // Ctrl-C cancels the running statement instead of killing the process
    const QStringList positionals = parser.positionalArguments();
    // Waiting for another process's lock is --busy-timeout-ms (3 s by default, as for every
    // read-only command); the query's own run time is --timeout-ms.
    // A snapshot that a writer changed while it was read is read again.
    auto result = [&]() -> Result<QueryResult> {
        for (int attempt = 1;; ++attempt) {
            auto query
                = ReadOnlyQuery::open(positionals.at(0), Database::defaultBusyTimeoutMs(Database::Mode::ReadOnly));
            if (!query)
                return query.error();
            auto ran = query.value()->run(positionals.at(1), limits, &StopSignals::requested());
            if (attempt >= Database::SnapshotAttempts || StopSignals::requested() || !query.value()->snapshotOutdated())
                return ran;
            Database::pauseBeforeAttempt(attempt);
        }
    }();
    if (!result) {
        Cli::fail(result.error());
        const auto kind = result.error().kind;
        return kind == Error::Kind::ReadOnly || kind == Error::Kind::Locked || kind == Error::Kind::Refused
            ? Cli::Refused
            : Cli::Failure;
    }
    Cli::printAsAsked(parser, result.value());
    return Cli::Ok;
}

const Cli::RegisterCommand registration({ u"query"_s, u"run one read-only SQL statement"_s, runQuery });
} // namespace
