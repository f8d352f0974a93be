// SPDX-License-Identifier: GPL-3.0-or-later
#include "dialogs/pruneoutcometext.h"

#include "common/format.h"

#include <QStringList>

using namespace Qt::Literals::StringLiterals;

QString PruneOutcomeText::headline(const QString& entries, qint64 bytes, qint64 valueFiles, const PruneOutcome& outcome,
    qint64 keysOf, qsizetype sampleKeys)
{
    // A table that keeps no value or size weighs nothing here: no "(0 B)" beside its rows.
    QString text = bytes > 0 ? entries.arg(Format::bytesNoBreak(bytes)) : QString(entries).remove(u" (%2)"_s);
    if (valueFiles > 0)
        text += tr(", with %1").arg(Format::counted(valueFiles, tr("value file"), tr("value files")));
    if (!outcome.parts.isEmpty())
        text += tr(" — table %1 (%2)").arg(outcome.parts.first().table, outcome.parts.first().profile);
    // The list below says what it is.
    if (sampleKeys == 0)
        return text + u'.';
    if (sampleKeys >= keysOf)
        return text + (keysOf == 1 ? tr(". Its key:") : tr(". Their keys:"));
    return text + tr(". The first of their keys:");
}

QString PruneOutcomeText::preview(const PruneOutcome& outcome, qsizetype sampleKeys)
{
    const PruneCounts& total = outcome.total;
    return headline(tr("%1 would go (%2)").arg(Format::entries(total.matched)), total.matchedBytes,
        total.valueFilesMatched, outcome, total.matched, sampleKeys);
}

QString PruneOutcomeText::gone(const PruneOutcome& outcome, qsizetype sampleKeys)
{
    const PruneCounts& total = outcome.total;
    const QString went = tr("%1 went (%2)").arg(Format::entries(total.removed));
    // The list still holds the preview's keys: they all went only when nothing was left alone.
    if (sampleKeys > 0 && (total.removed < total.matched || outcome.cancelled))
        return headline(went, total.bytesRemoved, total.valueFilesRemoved, outcome, total.removed, 0).chopped(1)
            + tr(". The keys the preview chose (not all of them went):");
    return headline(went, total.bytesRemoved, total.valueFilesRemoved, outcome, total.removed, sampleKeys);
}

QString PruneOutcomeText::result(const PruneOutcome& outcome)
{
    const PruneCounts& total = outcome.total;
    QString text = outcome.parts.size() == 1 && !outcome.cancelled ? inWords(outcome) : outcome.toText();
    if (outcome.parts.size() > 1) // a FanoutCache: the whole first, then shard by shard
        text.prepend(tr("Removed %1 in all (%2) from %3.\n")
                         .arg(Format::entries(total.removed), Format::bytesNoBreak(total.bytesRemoved),
                             Format::counted(outcome.parts.size(), tr("shard"), tr("shards"))));
    if (total.freedPages > 0 && (outcome.parts.size() != 1 || outcome.cancelled))
        text += tr("%1 free — Vacuum Now… gives them back to the file system.")
                    .arg(Format::counted(total.freedPages, tr("page"), tr("pages")));
    return text;
}

QString PruneOutcomeText::inWords(const PruneOutcome& outcome)
{
    const PruneCounts& counts = outcome.total;
    QStringList lines;
    if (!outcome.backupPath.isEmpty())
        lines << tr("Backed up to %1 first.").arg(outcome.backupPath);
    const QString removed = counts.bytesRemoved > 0
        ? tr("%1 (%2)").arg(Format::entries(counts.removed), Format::bytesNoBreak(counts.bytesRemoved))
        : Format::entries(counts.removed);
    lines << tr("Removed %1 in %2; the write lock was held at most %3 at a time.")
                 .arg(removed, Format::counted(counts.batches, tr("write batch"), tr("write batches")),
                     Format::duration(counts.maxBatchMs));
    if (counts.dependentsRemoved > 0)
        lines << tr("%1 of other tables that belonged to them went too.")
                     .arg(Format::counted(counts.dependentsRemoved, tr("row"), tr("rows")));
    if (counts.valueFilesRemoved > 0)
        lines << tr("%1 removed.").arg(Format::counted(counts.valueFilesRemoved, tr("value file"), tr("value files")));
    if (counts.changedMeanwhile > 0)
        lines << tr("%1 changed by a writer after the preview and were left alone.")
                     .arg(Format::entries(counts.changedMeanwhile));
    for (const PrunePart& part : outcome.parts)
        lines += part.valueFileProblems;
    if (counts.freedPages > 0)
        lines << tr("The database now has %1 (%2): Vacuum Now… gives that space back to the file system.")
                     .arg(Format::counted(counts.freedPages, tr("free page"), tr("free pages")),
                         Format::bytesNoBreak(counts.freedPages * counts.pageSize));
    return lines.join(u"\n"_s);
}
