// SPDX-License-Identifier: GPL-3.0-or-later
#include "maintenance/pruneoutcome.h"

#include "common/format.h"

#include <QJsonArray>
#include <QLocale>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace {
QJsonObject countsJson(const PruneCounts& counts, bool dryRun)
{
    return QJsonObject {
        { u"matched"_s, counts.matched },
        { u"matched_bytes"_s, counts.matchedBytes },
        { u"removed"_s, counts.removed },
        { u"bytes_removed"_s, counts.bytesRemoved },
        { u"value_files_matched"_s, counts.valueFilesMatched },
        { u"value_files_removed"_s, counts.valueFilesRemoved },
        { u"related_rows_removed"_s, counts.dependentsRemoved },
        { u"changed_meanwhile"_s, counts.changedMeanwhile },
        { u"batches"_s, counts.batches },
        { u"max_batch_ms"_s, counts.maxBatchMs },
        { u"freed_pages"_s, counts.freedPages },
        { u"freed_bytes"_s, counts.freedPages * counts.pageSize },
        { u"pages_returned"_s, counts.pagesReturned },
        { u"dry_run"_s, dryRun },
    };
}

PruneCounts countsFromJson(const QJsonObject& json)
{
    PruneCounts counts;
    counts.matched = json[u"matched"_s].toInteger();
    counts.matchedBytes = json[u"matched_bytes"_s].toInteger();
    counts.removed = json[u"removed"_s].toInteger();
    counts.bytesRemoved = json[u"bytes_removed"_s].toInteger();
    counts.valueFilesMatched = json[u"value_files_matched"_s].toInteger();
    counts.valueFilesRemoved = json[u"value_files_removed"_s].toInteger();
    counts.dependentsRemoved = json[u"related_rows_removed"_s].toInteger();
    counts.changedMeanwhile = json[u"changed_meanwhile"_s].toInteger();
    counts.batches = int(json[u"batches"_s].toInteger());
    counts.maxBatchMs = json[u"max_batch_ms"_s].toInteger();
    counts.freedPages = json[u"freed_pages"_s].toInteger();
    counts.pagesReturned = json[u"pages_returned"_s].toInteger();
    counts.pageSize = counts.freedPages > 0 ? json[u"freed_bytes"_s].toInteger() / counts.freedPages : 0;
    return counts;
}

QString number(qint64 n)
{
    return QLocale().toString(n);
}
} // namespace

void PruneCounts::add(const PruneCounts& other)
{
    matched += other.matched;
    matchedBytes += other.matchedBytes;
    valueFilesMatched += other.valueFilesMatched;
    removed += other.removed;
    bytesRemoved += other.bytesRemoved;
    valueFilesRemoved += other.valueFilesRemoved;
    dependentsRemoved += other.dependentsRemoved;
    changedMeanwhile += other.changedMeanwhile;
    batches += other.batches;
    maxBatchMs = std::max(maxBatchMs, other.maxBatchMs);
    freedPages += other.freedPages;
    pagesReturned += other.pagesReturned;
    pageSize = std::max(pageSize, other.pageSize);
}

QJsonObject PruneOutcome::toJson() const
{
    QJsonObject json = countsJson(total, dryRun);
    json.insert(u"path"_s, path);
    json.insert(u"layout"_s, layout);
    json.insert(u"selection"_s, selection);
    json.insert(u"backup"_s, backupPath.isEmpty() ? QJsonValue() : QJsonValue(backupPath));
    json.insert(u"cancelled"_s, cancelled);
    QJsonArray list;
    for (const PrunePart& part : parts) {
        QJsonObject one = countsJson(part.counts, dryRun);
        one.insert(u"db"_s, part.dbPath);
        one.insert(u"shard"_s, part.shard.isEmpty() ? QJsonValue() : QJsonValue(part.shard));
        one.insert(u"table"_s, part.table);
        one.insert(u"profile"_s, part.profile);
        one.insert(u"eviction_order"_s, part.evictionOrder.isEmpty() ? QJsonValue() : QJsonValue(part.evictionOrder));
        one.insert(u"sample_keys"_s, QJsonArray::fromStringList(part.sampleKeys));
        one.insert(u"value_file_problems"_s, QJsonArray::fromStringList(part.valueFileProblems));
        list.append(one);
    }
    json.insert(u"parts"_s, list);
    if (parts.size() == 1) { // one database: its table and keys at the top too
        json.insert(u"table"_s, parts.first().table);
        json.insert(u"profile"_s, parts.first().profile);
        json.insert(u"sample_keys"_s, QJsonArray::fromStringList(parts.first().sampleKeys));
    }
    return json;
}

PruneOutcome PruneOutcome::fromJson(const QJsonObject& json)
{
    PruneOutcome outcome;
    outcome.path = json[u"path"_s].toString();
    outcome.layout = json[u"layout"_s].toString();
    outcome.selection = json[u"selection"_s].toString();
    outcome.backupPath = json[u"backup"_s].toString();
    outcome.dryRun = json[u"dry_run"_s].toBool();
    outcome.cancelled = json[u"cancelled"_s].toBool();
    outcome.total = countsFromJson(json);
    for (const QJsonValue& value : json[u"parts"_s].toArray()) {
        const QJsonObject one = value.toObject();
        PrunePart part;
        part.dbPath = one[u"db"_s].toString();
        part.shard = one[u"shard"_s].toString();
        part.table = one[u"table"_s].toString();
        part.profile = one[u"profile"_s].toString();
        part.evictionOrder = one[u"eviction_order"_s].toString();
        part.sampleKeys = one[u"sample_keys"_s].toVariant().toStringList();
        part.valueFileProblems = one[u"value_file_problems"_s].toVariant().toStringList();
        part.counts = countsFromJson(one);
        outcome.parts.append(part);
    }
    return outcome;
}

QString PruneOutcome::toText() const
{
    QString text;
    for (const PrunePart& part : parts) {
        const PruneCounts& c = part.counts;
        const QString where = part.shard.isEmpty() ? u"%1 (%2)"_s.arg(part.table, part.profile)
                                                   : u"shard %1: %2 (%3)"_s.arg(part.shard, part.table, part.profile);
        text += u"%1: %2 selected (%3)"_s.arg(where, Format::entries(c.matched), Format::bytes(c.matchedBytes));
        if (c.valueFilesMatched > 0)
            text += u", "_s + Format::counted(c.valueFilesMatched, u"value file"_s, u"value files"_s);
        text += u'\n';
        if (!part.evictionOrder.isEmpty())
            text += u"  chosen by %1\n"_s.arg(part.evictionOrder);
        if (!part.sampleKeys.isEmpty())
            text += u"  e.g. "_s + part.sampleKeys.join(u"\n       "_s) + u'\n';
        if (!dryRun) {
            text += u"  removed %1 (%2) in %3, longest held the write lock %4 ms"_s.arg(Format::entries(c.removed),
                Format::bytes(c.bytesRemoved), Format::counted(c.batches, u"batch"_s, u"batches"_s),
                number(c.maxBatchMs));
            if (c.valueFilesRemoved > 0)
                text += u"; %1 removed"_s.arg(Format::counted(c.valueFilesRemoved, u"value file"_s, u"value files"_s));
            if (c.dependentsRemoved > 0)
                text
                    += u"; %1 removed"_s.arg(Format::counted(c.dependentsRemoved, u"related row"_s, u"related rows"_s));
            text += u'\n';
            if (c.changedMeanwhile > 0)
                text += u"  %1 changed or removed by a writer meanwhile and left alone\n"_s.arg(
                    Format::entries(c.changedMeanwhile));
        }
        for (const QString& problem : part.valueFileProblems.mid(0, 5))
            text += u"  value file not removed: "_s + problem + u'\n';
    }
    if (dryRun)
        text += u"dry run: nothing was changed%1\n"_s.arg(
            backupPath.isEmpty() ? QString() : u" (the backup %1 would be written)"_s.arg(backupPath));
    else if (!backupPath.isEmpty())
        text += u"backup: %1\n"_s.arg(backupPath);
    if (cancelled)
        text += u"cancelled: %1 removed in the batches that completed; the rest stay\n"_s.arg(
            Format::entries(total.removed));
    if (total.pagesReturned > 0)
        text += u"%1 free pages returned to the file system (auto_vacuum=INCREMENTAL)\n"_s.arg(
            number(total.pagesReturned));
    if (!dryRun && total.freedPages > 0)
        text += u"%1 pages free (%2) — run `cachescope-cli vacuum %3` to give them back to the file system\n"_s.arg(
            number(total.freedPages), Format::bytes(total.freedPages * total.pageSize), path);
    return text;
}
