// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/error.h"
#include "live/briefwatch.h"
#include "live/healthwarning.h"

#include <QCommandLineParser>
#include <QJsonObject>
#include <QList>
#include <QStringList>

#include <functional>
#include <optional>

// The CLI's subcommands. Each lives in its own cmd_<name>.cpp and registers itself with a
// static RegisterCommand, so adding a subcommand touches no other file.
namespace Cli {

enum ExitCode { Ok = 0, Failure = 1, Usage = 2, Refused = 3, LimitCrossed = 4 };

struct Command {
    QString name;
    QString summary;
    // args: everything after the subcommand's name.
    std::function<int(const QStringList& args)> run;
};

QList<Command>& commands();

struct RegisterCommand {
    explicit RegisterCommand(Command command) { commands().append(std::move(command)); }
};

// Sets up the options every command shares (--json, --help, --busy-timeout-ms,
// --statement-timeout-ms); parse() applies the timeouts to every Database the command opens.
void addCommonOptions(QCommandLineParser& parser);
// Parses args for subcommand `name`. Returns -1 on success, else the exit code to return
// (Usage after printing the problem, Ok after printing --help).
int parse(QCommandLineParser& parser, const QString& name, const QStringList& args, int positionals);
// Reads an integer option; on a bad value prints a usage error and returns false. Every option
// has a range (command.cpp lists them; maximum -1 takes it from there), so no value overflows.
bool intOption(
    const QCommandLineParser& parser, const QString& option, qint64& value, qint64 minimum, qint64 maximum = -1);

void printJson(const QJsonObject& object);
// Human output: control and bidi characters from cache data are escaped (newlines kept).
void printText(const QString& text);
// A command's result as --json asks: its toJson() as one JSON object, else its toText().
template <typename Printable> void printAsAsked(const QCommandLineParser& parser, const Printable& result)
{
    if (parser.isSet(QStringLiteral("json")))
        printJson(result.toJson());
    else
        printText(result.toText());
}
// Prints "cachescope-cli: <reason>" to stderr and returns Failure — or, for a busy database,
// names the processes holding it and returns Refused (exit 3); a refusal (Error::Kind::Refused)
// is exit 3 too. Control characters are escaped.
int fail(const Error& error);
// "cachescope-cli: held by PID … — db, wal" for every other process holding dbPath's files.
void printHolders(const QString& dbPath);
// Prints the cachescope.database category's info messages (how a cache was opened: a private
// copy, an immutable read) as "cachescope-cli: note: …" on stderr; other messages go where Qt
// sends them. Called once by main().
void printDatabaseNotes();
int usageError(const QString& message);
// For the commands that watch a path without opening it (watch, check, metrics): a FIFO, device
// or socket is "not a regular file", exit 1 — never sampled as an empty cache at rest.
// -1 when path is a regular file, a directory or missing (the command says what it says then).
int refuseSpecialFile(const QString& path);
// --accept-foreign-wal, for the commands that make SQLite adopt the -wal (checkpoint, vacuum,
// enable-wal); refuseForeignWal() returns -1 when the -wal may be adopted (none, its own, or
// accepted), else prints the refusal and returns Refused (exit 3), before anything is opened.
void addForeignWalOption(QCommandLineParser& parser);
int refuseForeignWal(const QCommandLineParser& parser, const QString& dbPath, const QString& action);
// --read-in-place, for the commands that read a cache (info, entries, query, scan, check,
// prune --dry-run, metrics): parse() makes every read-only open of the command read a cache at
// rest whose -wal holds changes where it is — SQLite writes the -shm beside it, nothing else —
// instead of through a private copy (Database::setDefaultReadInPlace).
void addReadInPlaceOption(QCommandLineParser& parser);
// Prints each warning as "cachescope-cli: warning: <message>" to stderr (before acting).
void printWarnings(const HealthWarnings& warnings);
// --watch-ms, for the commands that stall or are stopped by writers (checkpoint, vacuum): how
// long watchBefore() watches the cache (BriefWatch, at most BriefWatch::MaxMs; default that).
void addWatchOption(QCommandLineParser& parser);
// --watch-ms as given (default BriefWatch::MaxMs), read once before anything is watched;
// nullopt after a usage error (said on stderr).
std::optional<qint64> watchMs(const QCommandLineParser& parser);
// Watches dbPath for watchMs (watchMs()) and, without --json, says on stderr who wrote to it
// ("cachescope-cli: note: 1 process is writing to this cache: PID 7 (python3) — seen in the last
// 1.0 s", Checkpoint::writingNowText) and with sayPinning the reader pinning the checkpoint.
// Call it with no SQLite connection to dbPath open.
// A FanoutCache's parts share the watch: each is watched watchMs / parts, at least 200 ms.
BriefWatch::Seen watchBefore(
    const QCommandLineParser& parser, qint64 watchMs, const QString& dbPath, bool sayPinning, qsizetype parts = 1);

} // namespace Cli
