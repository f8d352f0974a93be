// SPDX-License-Identifier: GPL-3.0-or-later
// Vacuum::Outcome as the CLI and the GUI present it: JSON and text.
#include "maintenance/vacuum.h"

#include "common/format.h"
#include "maintenance/checkpoint.h"

#include <QFileInfo>
#include <QJsonArray>

using namespace Qt::Literals::StringLiterals;

QJsonObject Vacuum::Outcome::toJson() const
{
    QJsonArray warningList;
    for (const auto& warning : warnings)
        warningList.append(warning.toJson());
    QJsonArray writerList;
    for (const auto& [pid, name] : writers)
        writerList.append(QJsonObject { { u"pid"_s, pid }, { u"name"_s, name } });
    return QJsonObject { { u"path"_s, dbPath }, { u"into"_s, intoPath.isEmpty() ? QJsonValue() : QJsonValue(intoPath) },
        { u"cancelled"_s, cancelled }, { u"db_bytes_before"_s, dbBytesBefore },
        { u"wal_bytes_before"_s, walBytesBefore }, { u"db_bytes_after"_s, dbBytesAfter },
        { u"wal_bytes_after"_s, walBytesAfter },
        { u"into_bytes"_s, intoBytes < 0 ? QJsonValue() : QJsonValue(intoBytes) },
        { u"free_pages_before"_s, freePagesBefore }, { u"checkpoint_busy"_s, checkpointBusy },
        { u"cancelled_after_commit"_s, cancelledAfterCommit }, { u"warnings"_s, warningList },
        { u"diskcache"_s, diskcache }, { u"value_files_copied"_s, valueFilesCopied },
        { u"value_bytes_copied"_s, valueBytesCopied },
        { u"value_files_lost"_s, QJsonArray::fromStringList(valueFilesLost) },
        { u"value_files_changed"_s, QJsonArray::fromStringList(valueFilesChanged) }, { u"others_wrote"_s, othersWrote },
        { u"writers_meanwhile"_s, writerList } };
}

QString Vacuum::Outcome::toText(bool withWarnings) const
{
    QString text;
    for (const auto& warning : withWarnings ? warnings : HealthWarnings())
        text += u"warning: "_s + warning.message + u'\n';
    if (cancelled)
        return text + u"vacuum cancelled: SQLite rolled it back; %1 is unchanged\n"_s.arg(dbPath);
    if (!intoPath.isEmpty()) {
        text += u"copied %1 into %2 (%3)\n"_s.arg(dbPath, intoPath, Format::bytes(intoBytes));
        if (cancelledAfterCommit)
            text += u"  Ctrl-C came after the copy was complete: it was kept\n"_s;
        if (diskcache)
            text += u"  and %1 (%2) into %3\n"_s.arg(
                Format::counted(valueFilesCopied, u"value file"_s, u"value files"_s), Format::bytes(valueBytesCopied),
                QFileInfo(intoPath).absolutePath());
        return text;
    }
    text += u"vacuumed %1 (%2 free pages before)\n"_s.arg(dbPath).arg(freePagesBefore);
    text += u"  db:    %1 → %2\n  -wal:  %3 → %4\n"_s.arg(Format::bytes(dbBytesBefore), Format::bytes(dbBytesAfter),
        Format::bytes(walBytesBefore), Format::bytes(walBytesAfter));
    if (const QString meanwhile = growthText(); !meanwhile.isEmpty())
        text += u"  "_s + meanwhile + u'\n';
    if (checkpointBusy)
        text += u"  the TRUNCATE checkpoint afterwards was busy: other readers keep the -wal until they finish\n"_s;
    if (cancelledAfterCommit)
        text
            += u"  Ctrl-C came after the vacuum had committed: it stands (a committed VACUUM cannot be rolled back)%1\n"_s
                   .arg(walBytesAfter > 0
                           ? u"; the checkpoint afterwards was stopped: the -wal keeps the vacuumed pages until the "
                             "next checkpoint"_s
                           : QString());
    return text;
}

QString Vacuum::Outcome::growthText() const
{
    const qint64 grew = dbBytesAfter - dbBytesBefore;
    if (othersWrote) {
        const QString who = writers.isEmpty() ? QString() : u" — "_s + Checkpoint::processesText(writers);
        if (grew > 0)
            return u"The database grew by %1 (%2 → %3): writers added rows while it ran%4."_s.arg(
                Format::bytesNoBreak(grew), Format::bytesNoBreak(dbBytesBefore), Format::bytesNoBreak(dbBytesAfter),
                who);
        return u"Writers added rows while it ran%1: the sizes after include them."_s.arg(who);
    }
    if (grew > 0 && walBytesBefore > 0 && intoPath.isEmpty() && !cancelled)
        return u"The database file grew by %1 (%2 → %3): the pages its -wal held were copied into it."_s.arg(
            Format::bytesNoBreak(grew), Format::bytesNoBreak(dbBytesBefore), Format::bytesNoBreak(dbBytesAfter));
    return {};
}
