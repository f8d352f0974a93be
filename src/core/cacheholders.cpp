// SPDX-License-Identifier: GPL-3.0-or-later
#include "cacheholders.h"

#include <QJsonArray>

using namespace Qt::Literals::StringLiterals;

QJsonObject CacheHolders::Process::toJson() const
{
    return QJsonObject { { u"pid"_s, pid }, { u"name"_s, name }, { u"cmdline"_s, cmdline },
        { u"files"_s, QJsonArray::fromStringList(files) }, { u"locks"_s, QJsonArray::fromStringList(locks) } };
}

QString CacheHolders::Process::describe() const
{
    QString text = u"pid %1 (%2)"_s.arg(pid).arg(cmdline.isEmpty() ? name : cmdline);
    if (!files.isEmpty())
        text += u" — files: "_s + files.join(u", "_s);
    if (!locks.isEmpty())
        text += u"; locks: "_s + locks.join(u", "_s);
    return text;
}

QList<CacheHolders::Process> CacheHolders::of(const QString& dbPath)
{
    // TODO(#4): fill from LockTable (/proc/locks) and ProcessTable (/proc/*/fd) once merged.
    Q_UNUSED(dbPath);
    return {};
}

QList<CacheHolders::Process> CacheHolders::holdingAny(const QList<Process>& processes, const QStringList& lockNames)
{
    QList<Process> matching;
    for (const Process& process : processes) {
        for (const QString& lock : process.locks) {
            if (lockNames.contains(lock)) {
                matching << process;
                break;
            }
        }
    }
    return matching;
}

QList<CacheHolders::Process> CacheHolders::writers(const QString& dbPath)
{
    return holdingAny(of(dbPath), { u"write"_s, u"db_reserved"_s, u"db_pending"_s });
}
