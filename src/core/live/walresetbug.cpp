// SPDX-License-Identifier: GPL-3.0-or-later
#include "live/walresetbug.h"

#include <QVersionNumber>

using namespace Qt::Literals::StringLiterals;

bool WalResetBug::affects(const QString& sqliteVersion)
{
    const QVersionNumber v = QVersionNumber::fromString(sqliteVersion.trimmed());
    if (v.segmentCount() < 2)
        return false;
    return v >= QVersionNumber(3, 7, 0) && v <= QVersionNumber(3, 51, 2);
}

HealthWarning WalResetBug::notice(const QString& sqliteVersion, const QString& detail)
{
    QString message = u"SQLite %1 has the WAL-reset bug of 3.7.0–3.51.2: a checkpoint running at the same "
                      "moment as writers can, rarely, corrupt the database. Prefer checkpoints while writers are "
                      "stopped, or upgrade SQLite."_s.arg(sqliteVersion);
    if (!detail.isEmpty())
        message += u' ' + detail;
    return { Code, message };
}

HealthWarnings WalResetBug::whileWriting(const QString& sqliteVersion, const QList<qint64>& writerPids)
{
    if (writerPids.isEmpty() || !affects(sqliteVersion))
        return {};
    QStringList pids;
    for (qint64 pid : writerPids)
        pids << QString::number(pid);
    // "PID 12", as every panel names a process (#28: "pid" here, "PID" everywhere else).
    return { notice(sqliteVersion,
        u"Writers are active now (%1 %2): stop them first."_s.arg(
            pids.size() == 1 ? u"PID"_s : u"PIDs"_s, pids.join(u", "_s))) };
}
