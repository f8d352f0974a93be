// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "maintenance/prune.h"

#include <QCoreApplication>
#include <QString>

// PruneOutcomeText: what the Prune dialog says of a prune, in sentences — the preview's headline
// ("12 entries would go (4.0 KiB), with 3 value files — table Cache (diskcache)") and the
// result (what went, in how many write batches, how long writers waited at most, what a
// FanoutCache lost shard by shard, the free pages Vacuum Now… gives back). Pure wording, from a
// PruneOutcome of this host's prune or of one run there. GUI thread.
class PruneOutcomeText {
    Q_DECLARE_TR_FUNCTIONS(PruneOutcomeText)

public:
    // The preview's sentence, ending with what the list of keys below it holds (sampleKeys:
    // how many keys it lists).
    static QString preview(const PruneOutcome& outcome, qsizetype sampleKeys);
    // The same headline once the prune ran: what went ("12 entries went (4.0 KiB), with 3 value
    // files — table Cache (diskcache)"), and what the list of keys from the preview now is.
    static QString gone(const PruneOutcome& outcome, qsizetype sampleKeys);
    // The prune's result, whole: one database in sentences, a FanoutCache the whole first then
    // shard by shard, a cancelled prune as far as it went.
    static QString result(const PruneOutcome& outcome);
    // A prune of one database in sentences (what went, how long writers waited, what is free now).
    static QString inWords(const PruneOutcome& outcome);

private:
    // entries ("%1 would go (%2)" with its count filled in), then the bytes, value files, table and
    // what the list of keys holds (keysOf: how many keys there are in all).
    static QString headline(const QString& entries, qint64 bytes, qint64 valueFiles, const PruneOutcome& outcome,
        qint64 keysOf, qsizetype sampleKeys);
};
