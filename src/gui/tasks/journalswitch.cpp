// SPDX-License-Identifier: GPL-3.0-or-later
#include "tasks/journalswitch.h"

#include "os/cacheholders.h"
#include "sqlite/database.h"

#include <QStringList>

using namespace Qt::Literals::StringLiterals;

Result<QString> JournalSwitch::to(const QString& path, const QString& mode)
{
    QStringList holders;
    for (const CacheHolders::Process& process : CacheHolders::of(path))
        holders << process.describe();
    if (!holders.isEmpty())
        return Error { Error::Kind::Locked,
            u"not switched to %1: another process has %2 open (%3); switching the journal mode needs the cache "
            "alone"_s.arg(mode.toUpper(), path, holders.join(u"; "_s)) };
    Database::Options options;
    options.mode = Database::Mode::ReadWrite;
    options.busyTimeoutMs = BusyTimeoutMs;
    options.walSwitchTimeoutMs = BusyTimeoutMs;
    options.switchToWal = mode == u"wal"_s;
    auto database = Database::open(path, options);
    if (!database)
        return Error { database.error().kind,
            u"not switched to %1: %2"_s.arg(mode.toUpper(), database.error().message) };
    if (mode == u"wal"_s)
        return database.value()->journalMode();
    static const QStringList rollbackModes { u"delete"_s, u"truncate"_s, u"persist"_s };
    if (!rollbackModes.contains(mode))
        return Error { Error::Kind::Other, u"not switched: unknown journal mode %1"_s.arg(mode) };
    auto now = database.value()->queryValue(u"PRAGMA journal_mode=%1"_s.arg(mode));
    if (!now)
        return Error { now.error().kind, u"not switched to %1: %2"_s.arg(mode.toUpper(), now.error().message) };
    if (now->toString().toLower() != mode)
        return Error { Error::Kind::Locked,
            u"not switched to %1: SQLite kept journal mode %2 (another connection has the cache open)"_s.arg(
                mode.toUpper(), now->toString().toUpper()) };
    return mode;
}
