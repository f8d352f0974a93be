// SPDX-License-Identifier: GPL-3.0-or-later
// SafeDelete::Outcome as the CLI and the GUI present it: JSON, text, counts and bytes per kind.
#include "maintenance/safedelete.h"

#include "common/format.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace {
const QString KindOrder[] = { u"value"_s, u"wal"_s, u"journal"_s, u"shm"_s, u"db"_s };

// A kind's count with its noun: "2 value files", "1 database", "1 -wal", "3 -shm files" (#28: "2 value" had none).
QString kindCounted(const QString& kind, int count)
{
    if (kind == u"db"_s)
        return Format::counted(count, u"database"_s, u"databases"_s);
    if (kind == u"value"_s)
        return Format::counted(count, u"value file"_s, u"value files"_s);
    return Format::counted(count, u'-' + kind, u"-%1 files"_s.arg(kind));
}

// The folders removed because they were left empty, by what they were: a diskcache's value folders (no database
// was in them), a FanoutCache's shard folders (each held a shard's database, right under the cache folder), and its
// sub-caches' folders (index/NAME, index, …): "2 value folders", "8 shard folders and 3 sub-cache folders".
QString removedFoldersInWords(const SafeDelete::Outcome& outcome)
{
    const QString root = QDir::cleanPath(QDir(outcome.dbPath).absolutePath());
    int values = 0, shards = 0, subCaches = 0;
    for (const QString& folder : outcome.removedFolders) {
        const bool heldDatabase = std::any_of(outcome.files.begin(), outcome.files.end(), [&folder](const auto& file) {
            const QString dir = QFileInfo(file.path).absolutePath();
            return file.kind == u"db"_s && (dir == folder || dir.startsWith(folder + u'/'));
        });
        if (!heldDatabase)
            ++values;
        else if (outcome.layout == u"fanout"_s && QFileInfo(folder).absolutePath() == root
            && std::any_of(outcome.files.begin(), outcome.files.end(), [&folder](const auto& file) {
                   return file.kind == u"db"_s && QFileInfo(file.path).absolutePath() == folder;
               }))
            ++shards;
        else
            ++subCaches;
    }
    QStringList parts;
    if (values > 0)
        parts << Format::counted(values, u"value folder"_s, u"value folders"_s);
    if (shards > 0)
        parts << Format::counted(shards, u"shard folder"_s, u"shard folders"_s);
    if (subCaches > 0)
        parts << Format::counted(subCaches, u"sub-cache folder"_s, u"sub-cache folders"_s);
    const QString last = parts.isEmpty() ? QString() : parts.takeLast();
    return parts.isEmpty() ? last : u"%1 and %2"_s.arg(parts.join(u", "_s), last);
}
} // namespace

QList<SafeDelete::KindTotal> SafeDelete::Outcome::totals() const
{
    QList<KindTotal> list;
    for (const QString& kind : KindOrder) {
        KindTotal total { kind, 0, 0 };
        for (const File& file : files) {
            if (file.kind == kind) {
                ++total.count;
                total.bytes += file.bytes;
            }
        }
        if (total.count > 0)
            list << total;
    }
    return list;
}

QJsonObject SafeDelete::Outcome::toJson() const
{
    QJsonArray holderList;
    for (const auto& holder : holders)
        holderList.append(holder.toJson());
    QJsonArray fileList;
    for (const auto& file : files)
        fileList.append(QJsonObject { { u"kind"_s, file.kind }, { u"path"_s, file.path }, { u"bytes"_s, file.bytes } });
    QJsonObject totalsJson;
    qint64 allBytes = 0;
    for (const KindTotal& total : totals()) {
        totalsJson.insert(total.kind, QJsonObject { { u"count"_s, total.count }, { u"bytes"_s, total.bytes } });
        allBytes += total.bytes;
    }
    QJsonObject json { { u"path"_s, dbPath }, { u"deleted"_s, QJsonArray::fromStringList(deleted) },
        { u"refused"_s, refused }, { u"holders"_s, holderList }, { u"files"_s, fileList }, { u"dry_run"_s, dryRun },
        { u"layout"_s, layout }, { u"databases"_s, QJsonArray::fromStringList(databases) }, { u"totals"_s, totalsJson },
        { u"total_bytes"_s, allBytes }, { u"removed_folders"_s, QJsonArray::fromStringList(removedFolders) },
        { u"missing_value_files"_s, missingValueFiles }, { u"uninspectable_processes"_s, uninspectableProcesses } };
    if (refused)
        json.insert(u"reason"_s, reason);
    if (!trashedTo.isEmpty())
        json.insert(u"trashed_to"_s, QJsonArray::fromStringList(trashedTo));
    return json;
}

SafeDelete::Outcome SafeDelete::Outcome::fromJson(const QJsonObject& json)
{
    const auto strings = [&json](const QString& key) {
        QStringList list;
        for (const QJsonValue& value : json[key].toArray())
            list.append(value.toString());
        return list;
    };
    Outcome outcome;
    outcome.dbPath = json[u"path"_s].toString();
    outcome.layout = json[u"layout"_s].toString(outcome.layout);
    outcome.databases = strings(u"databases"_s);
    outcome.dryRun = json[u"dry_run"_s].toBool();
    outcome.refused = json[u"refused"_s].toBool();
    outcome.reason = json[u"reason"_s].toString();
    for (const QJsonValue& value : json[u"files"_s].toArray()) {
        const QJsonObject file = value.toObject();
        outcome.files.append({ file[u"kind"_s].toString(), file[u"path"_s].toString(), file[u"bytes"_s].toInteger() });
    }
    outcome.deleted = strings(u"deleted"_s);
    outcome.trashedTo = strings(u"trashed_to"_s);
    outcome.removedFolders = strings(u"removed_folders"_s);
    outcome.missingValueFiles = json[u"missing_value_files"_s].toInt();
    outcome.uninspectableProcesses = json[u"uninspectable_processes"_s].toInt();
    for (const QJsonValue& holder : json[u"holders"_s].toArray())
        outcome.holders.append(CacheHolders::Process::fromJson(holder.toObject()));
    return outcome;
}

QString SafeDelete::Outcome::toText() const
{
    QString text;
    if (refused)
        text += u"refused: "_s + reason + u'\n';
    for (const auto& holder : holders)
        text += u"  held by "_s + holder.describe() + u'\n';
    if (uninspectableProcesses > 0)
        text += u"note: %1 of other users could not be inspected for open files; only their locks were seen "
                "(run as root to see them all)\n"_s.arg(
                    Format::counted(uninspectableProcesses, u"process"_s, u"processes"_s));
    const bool done = !dryRun && !refused;
    const QString verb = !done ? u"would remove"_s : trashedTo.isEmpty() ? u"removed"_s : u"moved to the trash"_s;
    int values = 0;
    qint64 valueBytes = 0;
    for (const auto& file : files) {
        if (done && !deleted.contains(file.path))
            continue;
        if (file.kind == u"value"_s) {
            ++values;
            valueBytes += file.bytes;
            continue;
        }
        text += u"%1 %2 (%3)\n"_s.arg(verb, file.path, Format::bytes(file.bytes));
    }
    if (values > 0)
        text += u"%1 %2 the cache references (%3)\n"_s.arg(
            verb, Format::counted(values, u"value file"_s, u"value files"_s), Format::bytes(valueBytes));
    if (!removedFolders.isEmpty())
        text += u"removed %1 left empty\n"_s.arg(removedFoldersInWords(*this));
    if (missingValueFiles > 0)
        text += u"note: %1 the cache references %2 already missing\n"_s.arg(
            Format::counted(missingValueFiles, u"value file"_s, u"value files"_s),
            missingValueFiles == 1 ? u"was"_s : u"were"_s);
    QStringList parts;
    qint64 all = 0;
    for (const KindTotal& total : totals()) {
        parts << u"%1 (%2)"_s.arg(kindCounted(total.kind, total.count), Format::bytes(total.bytes));
        all += total.bytes;
    }
    if (!parts.isEmpty())
        text += u"total: %1 — %2\n"_s.arg(parts.join(u", "_s), Format::bytes(all));
    if (done && !deleted.isEmpty())
        text += u"Writers that open the database with CREATE will make a new empty one: stop them first.\n"_s;
    return text;
}
