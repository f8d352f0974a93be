// SPDX-License-Identifier: GPL-3.0-or-later
#include "command.h"

#include "callerhangup.h"
#include "common/format.h"
#include "common/logging.h"
#include "maintenance/checkpoint.h"
#include "os/cacheholders.h"
#include "remote/remotefailure.h"
#include "remoterun.h"
#include "sqlite/database.h"
#include "wal/walorigin.h"

#include <QFileInfo>
#include <QHash>
#include <QJsonDocument>

#include <algorithm>
#include <climits>
#include <cstdio>

using namespace Qt::Literals::StringLiterals;

namespace Cli {

namespace {
    // The file the current command is about (its DB argument), to name who holds it when busy.
    QString s_subject;

    struct Range {
        qint64 minimum;
        qint64 maximum;
    };

    // Every numeric option's largest sensible value, so no value overflows a product or an int.
    const QHash<QString, Range>& ranges()
    {
        static const QHash<QString, Range> table {
            { u"busy-timeout-ms"_s, { 0, 3600000 } },
            { u"timeout-ms"_s, { 0, 3600000 } },
            { u"statement-timeout-ms"_s, { 0, 86400000 } },
            { u"limit"_s, { 1, 1000000 } },
            { u"interval-ms"_s, { 10, 86400000 } },
            { u"window-ms"_s, { 500, 600000 } },
            { u"max-checkpoint-lag-frames"_s, { 0, INT_MAX } },
            { u"duration-s"_s, { 0, 31536000 } },
            { u"processes"_s, { 0, 1000000 } },
            { u"workers"_s, { 1, 256 } },
            { u"entries"_s, { 1, 1000000000 } },
            { u"payload-bytes"_s, { 0, 64 << 20 } },
            { u"worker-index"_s, { 0, 255 } },
            { u"worker-parent"_s, { 1, INT_MAX } },
            { u"worker-entries"_s, { -1, 1000000000 } },
            { u"worker-duration-ms"_s, { 0, 31536000000LL } },
            { u"watch-ms"_s, { 0, BriefWatch::MaxMs } },
        };
        return table;
    }

    // Applies --busy-timeout-ms and --statement-timeout-ms to every database the command opens.
    bool applyTimeouts(const QCommandLineParser& parser)
    {
        qint64 busy = -1, statement = -1;
        if (!intOption(parser, u"busy-timeout-ms"_s, busy, 0)
            || !intOption(parser, u"statement-timeout-ms"_s, statement, 0))
            return false;
        if (busy >= 0) {
            Database::setDefaultBusyTimeoutMs(Database::Mode::ReadOnly, int(busy));
            Database::setDefaultBusyTimeoutMs(Database::Mode::ReadWrite, int(busy));
        }
        if (statement >= 0)
            Database::setDefaultStatementTimeoutMs(int(statement));
        return true;
    }

    void printError(const QString& message)
    {
        std::fprintf(stderr, "cachescope-cli: %s\n", Format::escapeControl(message, true).toUtf8().constData());
    }

    const QString RemoteCliOption = u"remote-cli"_s;
    const QString ReadInPlaceOption = u"read-in-place"_s;

    // Run for a caller on another host (--caller-version): refuse another version, and end
    // when the caller does (serve reads its stdin itself: requests, then its end). -1 to go on,
    // else the exit code.
    int serveCaller(const QCommandLineParser& parser, const QString& name)
    {
        const QString caller = parser.value(RemoteFailure::CallerVersionOption);
        if (caller.isEmpty())
            return -1;
        if (caller != QLatin1StringView(CACHESCOPE_VERSION)) {
            printError(RemoteFailure::VersionMismatch
                + u" this is cachescope-cli %1, the caller is %2"_s.arg(
                    QStringLiteral(CACHESCOPE_VERSION), caller.left(40)));
            return Failure;
        }
        if (name != u"serve"_s)
            CallerHangup::watch();
        return -1;
    }

    QStringList withProgram(const QString& name, const QStringList& args)
    {
        return QStringList { u"cachescope-cli "_s + name } + args;
    }

    // Which of args is the first positional argument (an option's value may be the same text):
    // the one that, replaced, changes the first positional.
    qsizetype firstPositionalIndex(QCommandLineParser& parser, const QString& name, const QStringList& args)
    {
        const QString first = parser.positionalArguments().value(0);
        qsizetype found = -1;
        for (qsizetype i = 0; i < args.size() && found < 0; ++i) {
            if (args.at(i) != first)
                continue;
            QStringList probe = args;
            probe[i] = u"\x01probe"_s;
            if (parser.parse(withProgram(name, probe)) && parser.positionalArguments().value(0) == probe.at(i))
                found = i;
        }
        parser.parse(withProgram(name, args));
        return found;
    }

    bool isRemoteCliToken(const QString& arg)
    {
        const QString option = arg.startsWith(u"--"_s) ? arg.mid(2) : arg.mid(1);
        return arg.startsWith(u'-') && (option == RemoteCliOption || option.startsWith(RemoteCliOption + u'='));
    }

    // A remote address as the command's DB or DIR: the command runs there (RemoteRun) with the
    // address's path, the options as given, without --remote-cli. -1 when it is a local path.
    int forwardIfRemote(QCommandLineParser& parser, const QString& name, const QStringList& args)
    {
        const QString first = parser.positionalArguments().value(0);
        if (!CacheAddress::isRemoteText(first)) {
            if (parser.isSet(RemoteCliOption))
                return usageError(u"--remote-cli names the program run where a remote cache lives: give the cache as "
                                  "ssh://HOST/PATH, docker://CONTAINER/PATH or podman://CONTAINER/PATH"_s);
            return -1;
        }
        const auto address = CacheAddress::parse(first);
        if (!address)
            return usageError(address.error().message);
        for (const QString& option : { u"into"_s, u"backup"_s }) {
            if (parser.optionNames().contains(option) && CacheAddress::isRemoteText(parser.value(option)))
                return usageError(u"--%1 is a path on %2, where the command runs: give it without the address"_s.arg(
                    option, address->where()));
        }
        const qsizetype index = firstPositionalIndex(parser, name, args);
        QStringList remote { name, u"--"_s + RemoteFailure::CallerVersionOption, QStringLiteral(CACHESCOPE_VERSION) };
        for (qsizetype i = 0; i < args.size(); ++i) {
            if (i == index)
                remote.append(address->path());
            else if (isRemoteCliToken(args.at(i)))
                i += args.at(i).contains(u'=') ? 0 : 1;
            else
                remote.append(args.at(i));
        }
        // serve's stdin and stdout are its caller's requests and answers: handed to the remote side as they are.
        const auto stdio = name == u"serve"_s ? RemoteRun::Stdio::Passed : RemoteRun::Stdio::Relayed;
        const auto ran
            = RemoteRun(RemoteCommand(address.value(), parser.value(RemoteCliOption)), parser.isSet(u"json"_s), stdio)
                  .run(remote);
        return ran ? ran.value() : fail(ran.error());
    }
} // namespace

QList<Command>& commands()
{
    static QList<Command> list;
    return list;
}

void addCommonOptions(QCommandLineParser& parser)
{
    parser.addOption({ u"json"_s, u"Print machine-readable JSON."_s });
    parser.addOption({ u"busy-timeout-ms"_s,
        u"How long to wait for a lock another process holds (default: 3000 for read-only inspection, 30000 for "
        "changes). Still locked after that: exit 3, holders named."_s,
        u"ms"_s });
    parser.addOption({ u"statement-timeout-ms"_s,
        u"Stop any one read of the cache's data after this long (default 30000; 0: no limit)."_s, u"ms"_s });
    parser.addOption({ RemoteCliOption,
        u"For a cache on another host or in a container (ssh://[USER@]HOST[:PORT]/PATH, docker://CONTAINER/PATH, "
        "podman://CONTAINER/PATH): the cachescope-cli to run there (default: cachescope-cli on its PATH)."_s,
        u"path"_s });
    QCommandLineOption caller(RemoteFailure::CallerVersionOption, u"Run for a caller of this version."_s, u"version"_s);
    caller.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOption(caller);
    parser.addHelpOption();
}

int parse(QCommandLineParser& parser, const QString& name, const QStringList& args, int positionals)
{
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    if (!parser.parse(withProgram(name, args)))
        return usageError(parser.errorText());
    if (int code = serveCaller(parser, name); code >= 0)
        return code;
    if (parser.isSet(u"help"_s)) {
        printText(parser.helpText());
        return Ok;
    }
    if (parser.positionalArguments().size() != positionals)
        return usageError(u"%1 expects %2, got %3 (see cachescope-cli %4 --help)"_s.arg(name,
            Format::counted(positionals, u"argument"_s, u"arguments"_s),
            QString::number(parser.positionalArguments().size()), name));
    if (int code = forwardIfRemote(parser, name, args); code >= 0)
        return code;
    s_subject = positionals > 0 ? parser.positionalArguments().first() : QString();
    if (!applyTimeouts(parser))
        return Usage;
    if (parser.optionNames().contains(ReadInPlaceOption))
        Database::setDefaultReadInPlace(true);
    return -1;
}

bool intOption(const QCommandLineParser& parser, const QString& option, qint64& value, qint64 minimum, qint64 maximum)
{
    if (!parser.isSet(option))
        return true;
    const Range range = ranges().value(option, { minimum, INT_MAX });
    if (maximum < 0)
        maximum = range.maximum;
    minimum = std::max(minimum, range.minimum);
    bool ok = false;
    const QString text = parser.value(option);
    const qint64 parsed = text.trimmed().toLongLong(&ok);
    if (!ok || parsed < minimum || parsed > maximum) {
        usageError(u"--%1 needs a whole number from %2 to %3, not \"%4\""_s.arg(option).arg(minimum).arg(maximum).arg(
            text.left(40)));
        return false;
    }
    value = parsed;
    return true;
}

void printJson(const QJsonObject& object)
{
    const QByteArray json = QJsonDocument(object).toJson(QJsonDocument::Compact);
    std::fwrite(json.constData(), 1, size_t(json.size()), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

void printText(const QString& text)
{
    const QByteArray utf8 = Format::escapeControl(text, true).toUtf8();
    std::fwrite(utf8.constData(), 1, size_t(utf8.size()), stdout);
    std::fflush(stdout);
}

int fail(const Error& error)
{
    printError(error.message);
    if (error.kind == Error::Kind::Refused)
        return Refused;
    if (error.kind != Error::Kind::Locked)
        return Failure;
    if (!error.namesHolders)
        printHolders(s_subject);
    return Refused;
}

void printHolders(const QString& dbPath)
{
    if (dbPath.isEmpty())
        return;
    const QList<CacheHolders::Process> holders = CacheHolders::of(dbPath);
    for (const CacheHolders::Process& holder : holders)
        printError(u"held by "_s + holder.describe());
    if (holders.isEmpty())
        printError(u"no holder could be named: the process may belong to another user (run as that user or root to "
                   "see it)"_s);
}

namespace {
    QtMessageHandler s_otherMessages = nullptr;

    void printNoteOrPassOn(QtMsgType type, const QMessageLogContext& context, const QString& message)
    {
        if (type == QtInfoMsg && qstrcmp(context.category, lcDatabase().categoryName()) == 0)
            printError(u"note: "_s + message);
        else if (s_otherMessages)
            s_otherMessages(type, context, message);
    }
} // namespace

void printDatabaseNotes()
{
    QLoggingCategory::setFilterRules(u"cachescope.database.info=true"_s);
    s_otherMessages = qInstallMessageHandler(printNoteOrPassOn);
}

void addWatchOption(QCommandLineParser& parser)
{
    parser.addOption({ u"watch-ms"_s,
        u"Watch the cache for MS (0-%1, default %1) before acting and say who writes to it: a writer holds the "
        "write lock only while it commits, so a single look rarely sees it. 0: no watch."_s.arg(BriefWatch::MaxMs),
        u"ms"_s });
}

std::optional<qint64> watchMs(const QCommandLineParser& parser)
{
    qint64 watchMs = BriefWatch::MaxMs;
    if (!intOption(parser, u"watch-ms"_s, watchMs, 0))
        return std::nullopt;
    return watchMs;
}

BriefWatch::Seen watchBefore(
    const QCommandLineParser& parser, qint64 watchMs, const QString& dbPath, bool sayPinning, qsizetype parts)
{
    constexpr qint64 LeastPerPartMs = 200; // two samples apart at least: writes seen between them
    if (parts > 1)
        watchMs = std::max(watchMs / parts, std::min(watchMs, LeastPerPartMs));
    BriefWatch::Seen seen = BriefWatch::watch(dbPath, watchMs);
    if (parser.isSet(u"json"_s) || seen.watchedMs <= 0)
        return seen;
    const QString over = u"— seen in the last %1"_s.arg(Format::duration(seen.watchedMs));
    if (const QString writing = Checkpoint::writingNowText(seen.namedWriters(), over); !writing.isEmpty())
        printError(u"note: "_s + writing);
    if (sayPinning && seen.pinning)
        printError(u"note: "_s + Checkpoint::pinnedText(seen.pinning->pid, seen.pinning->name, seen.pinning->readMark));
    return seen;
}

void printWarnings(const HealthWarnings& warnings)
{
    for (const HealthWarning& warning : warnings)
        printError(u"warning: "_s + warning.message);
}

int refuseSpecialFile(const QString& path)
{
    const QFileInfo info(path);
    if (!info.exists() || info.isDir() || info.isFile())
        return -1;
    return fail({ Error::Kind::NotRegularFile, u"not a regular file (a device, FIFO or socket): %1"_s.arg(path) });
}

void addReadInPlaceOption(QCommandLineParser& parser)
{
    parser.addOption({ ReadInPlaceOption,
        u"A cache nobody has open whose -wal holds changes is read where it is, not through a private copy in "
        "TMPDIR: SQLite writes a -shm (its shared-memory index) beside the cache and nothing else; the database "
        "and its -wal stay byte-identical. For a cache too big to copy, or too little room in TMPDIR."_s });
}

void addForeignWalOption(QCommandLineParser& parser)
{
    parser.addOption({ u"accept-foreign-wal"_s,
        u"Go ahead although the -wal beside the database cannot belong to it (SQLite adopts it: the database's "
        "content is replaced by the -wal's). Without it such a -wal is refused, exit 3."_s });
}

int refuseForeignWal(const QCommandLineParser& parser, const QString& dbPath, const QString& action)
{
    if (parser.isSet(u"accept-foreign-wal"_s))
        return -1;
    Status foreign = WalOrigin::refuseForeign(dbPath, action);
    if (foreign)
        return -1;
    Error error = foreign.error();
    error.message += u" To go ahead anyway (SQLite adopts the -wal and the database's content becomes the -wal's), "
                     "pass --accept-foreign-wal."_s;
    return fail(error);
}

int usageError(const QString& message)
{
    printError(message);
    return Usage;
}

} // namespace Cli
