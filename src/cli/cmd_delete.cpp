// SPDX-License-Identifier: GPL-3.0-or-later
// `delete DB|FOLDER [--trash] [--dry-run]`: safe delete of a database and its -wal/-shm/-journal
// (and a diskcache's value files; a cache folder: every database in it), refused (exit 3,
// holders named) while any other process has them open or locked. Not an SQLite database: exit 1.
#include "command.h"
#include "maintenance/safedelete.h"

#include <QThread>

#include <cstdio>

using namespace Qt::Literals::StringLiterals;

namespace {

// Test hook (CACHESCOPE_TEST_HOOKS builds only): CACHESCOPE_DELETE_PAUSE_MS=N holds the locks N ms
// before removing anything, announcing "locked" on stderr, so a test can show that a writer
// starting now is refused.
std::function<void()> pauseHook()
{
#ifndef CACHESCOPE_TEST_HOOKS
    return {};
#else
    bool ok = false;
    const int pauseMs = qEnvironmentVariableIntValue("CACHESCOPE_DELETE_PAUSE_MS", &ok);
    if (!ok || pauseMs <= 0)
        return {};
    return [pauseMs] {
        std::fputs("locked\n", stderr);
        std::fflush(stderr);
        QThread::msleep(static_cast<unsigned long>(pauseMs));
    };
#endif
}

int runDelete(const QStringList& args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Delete the cache DB together with its -wal, -shm and -journal — and for a diskcache the value files it "
        "references — only when no other process has any of them open or locked. A cache folder (diskcache, "
        "FanoutCache) deletes every database in it with its files; unrelated files stay. A file that is not an "
        "SQLite database is refused, and so is a DB path that is a symbolic link (delete the target itself)."_s);
    Cli::addCommonOptions(parser);
    parser.addOption({ u"trash"_s,
        u"Move the files to the desktop trash instead of removing them (refused, removing nothing, when there is "
        "no usable trash)."_s });
    parser.addOption({ u"dry-run"_s, u"Only list what would be removed and who blocks it."_s });
    parser.addPositionalArgument(u"DB"_s, u"The SQLite database file, or a cache folder."_s);
    if (int code = Cli::parse(parser, u"delete"_s, args, 1); code >= 0)
        return code;
    SafeDelete::Options options;
    options.trash = parser.isSet(u"trash"_s);
    options.dryRun = parser.isSet(u"dry-run"_s);
    options.whileLocked = pauseHook();
    const QString path = parser.positionalArguments().first();
    if (path.isEmpty())
        return Cli::usageError(u"delete: the DB path is empty"_s);
    auto outcome = SafeDelete::run(path, options);
    if (!outcome)
        return Cli::fail(outcome.error());
    Cli::printAsAsked(parser, outcome.value());
    return outcome->refused ? Cli::Refused : Cli::Ok;
}

const Cli::RegisterCommand registration(
    { u"delete"_s, u"safely delete a cache with its -wal/-shm/-journal"_s, runDelete });
} // namespace
