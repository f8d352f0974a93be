// SPDX-License-Identifier: GPL-3.0-or-later
// `enable-wal DB`: switch a cache to WAL journal mode.
#include "command.h"
#include "live/warningcatalog.h"
#include "sqlite/database.h"
#include "wal/walorigin.h"

#include <QJsonArray>

using namespace Qt::Literals::StringLiterals;

namespace {
int runEnableWal(const QStringList& args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Switch the cache DB to WAL journal mode (needs it exclusively)."_s);
    Cli::addCommonOptions(parser);
    Cli::addForeignWalOption(parser);
    parser.addPositionalArgument(u"DB"_s, u"The SQLite database file."_s);
    if (int code = Cli::parse(parser, u"enable-wal"_s, args, 1); code >= 0)
        return code;
    const bool json = parser.isSet(u"json"_s);
    if (int refused = Cli::refuseForeignWal(parser, parser.positionalArguments().first(), u"enable WAL"_s);
        refused >= 0)
        return refused;
    HealthWarnings warnings;
    if (const QString foreign = WalOrigin::problem(parser.positionalArguments().first()); !foreign.isEmpty())
        warnings << HealthWarning { WarningCode::ForeignWal, foreign };
    if (!json)
        Cli::printWarnings(warnings); // before SQLite adopts the -wal
    Database::Options options;
    options.switchToWal = false;
    auto db = Database::open(parser.positionalArguments().first(), options);
    if (!db)
        return Cli::fail(db.error());
    const QString previous = db.value()->journalMode();
    auto now = db.value()->enableWal();
    if (!now)
        return Cli::fail(now.error());
    if (json) {
        QJsonArray warningList;
        for (const HealthWarning& warning : warnings)
            warningList.append(warning.toJson());
        Cli::printJson(
            { { u"path"_s, db.value()->path() }, { u"previous"_s, previous }, { u"journal_mode"_s, now.value() },
                { u"changed"_s, previous != now.value() }, { u"warnings"_s, warningList } });
    } else
        Cli::printText(previous == now.value()
                ? u"already in %1 mode\n"_s.arg(now.value().toUpper())
                : u"journal mode: %1 → %2\n"_s.arg(previous.toUpper(), now.value().toUpper()));
    return Cli::Ok;
}

const Cli::RegisterCommand registration({ u"enable-wal"_s, u"switch a cache to WAL journal mode"_s, runEnableWal });
} // namespace
