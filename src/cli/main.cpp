// SPDX-License-Identifier: GPL-3.0-or-later
// cachescope-cli: the CacheScope core without a GUI, for scripts, CI and the tests.
#include "command.h"
#include "common/privatedirs.h"
#include "sqlite/database.h"

#include <QCoreApplication>

#include <algorithm>
#include <cstdio>

using namespace Qt::Literals::StringLiterals;

namespace {
QString usage()
{
    auto list = Cli::commands();
    std::sort(list.begin(), list.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    QString text = u"Usage: cachescope-cli <command> [options]\n\n"
                   "Inspect and maintain live SQLite caches written by several processes.\n\nCommands:\n"_s;
    for (const auto& command : list)
        text += u"  "_s + command.name.leftJustified(12) + command.summary + u'\n';
    text += u"\nEvery command takes --json, --help, --busy-timeout-ms and --statement-timeout-ms.\n"
            "Exit codes: 0 ok, 1 error, 2 usage, 3 refused or busy, 4 a check limit crossed.\n"_s;
    return text;
}
} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"cachescope-cli"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(CACHESCOPE_VERSION));
    Cli::printDatabaseNotes();
    // Ctrl-C or SIGTERM in a command that does not handle them: no private copy stays in TMPDIR.
    PrivateDirs::removeOnFatalSignals();
    QStringList args = QCoreApplication::arguments().mid(1);
    if (args.isEmpty()) {
        std::fputs(usage().toUtf8().constData(), stderr);
        return Cli::Usage;
    }
    const QString name = args.takeFirst();
    if (name == u"--help"_s || name == u"-h"_s || name == u"help"_s) {
        Cli::printText(usage());
        return Cli::Ok;
    }
    if (name == u"--version"_s) {
        Cli::printText(
            u"cachescope-cli %1 (Qt %2)\n"_s.arg(QStringLiteral(CACHESCOPE_VERSION), QString::fromLatin1(qVersion())));
        return Cli::Ok;
    }
    for (const auto& command : Cli::commands()) {
        if (command.name == name)
            return command.run(args);
    }
    return Cli::usageError(u"unknown command \"%1\"\n\n"_s.arg(name) + usage());
}
