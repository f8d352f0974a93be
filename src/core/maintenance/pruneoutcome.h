// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

// PruneOutcome: what a prune (Prune) chose and removed — in total (PruneCounts) and per database
// (PrunePart: one per FanoutCache shard) — as JSON (docs/CLI.md, `prune --json`) and text.
// Plain values.
struct PruneCounts {
    qint64 matched = 0;
    qint64 matchedBytes = 0;
    qint64 valueFilesMatched = 0;
    qint64 removed = 0;
    qint64 bytesRemoved = 0;
    qint64 valueFilesRemoved = 0;
    qint64 dependentsRemoved = 0; // rows of other tables that belonged to removed entries
    qint64 changedMeanwhile = 0; // chosen, then changed or removed by a writer: left alone
    int batches = 0;
    qint64 maxBatchMs = 0;
    qint64 freedPages = 0; // free pages in the file afterwards
    qint64 pagesReturned = 0; // by PRAGMA incremental_vacuum
    qint64 pageSize = 0;
    void add(const PruneCounts& other);
};
struct PrunePart {
    QString shard; // FanoutCache shard ("000"), else empty
    QString dbPath;
    QString table;
    QString profile;
    QString evictionOrder; // with a budget: the order entries went in
    QStringList sampleKeys;
    QStringList valueFileProblems; // value files that could not be removed, with the reason
    PruneCounts counts;
};
struct PruneOutcome {
    QString path;
    QString layout; // "file", "diskcache", "fanout"
    QString selection; // PruneSelection::describe()
    QString backupPath; // empty: none
    bool dryRun = false;
    bool cancelled = false;
    PruneCounts total;
    QList<PrunePart> parts;
    QJsonObject toJson() const;
    QString toText() const;
    // Read back from toJson()'s object (a prune run by the CLI elsewhere: a remote cache).
    static PruneOutcome fromJson(const QJsonObject& json);
};
