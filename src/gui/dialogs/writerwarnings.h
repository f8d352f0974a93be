// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "live/healthwarning.h"
#include "models/activitysample.h"

#include <QList>
#include <QStringList>

#include <functional>

// WriterWarnings: what a maintenance dialog (Checkpoint, Vacuum) warns about before it runs,
// with one truth about who writes: the Activity tab's. Core reads the processes holding the write
// lock as the dialog opens (CacheHolders::writers, in warningsBefore); a python3-diskcache writer
// between two sets holds no lock then, yet Activity names it (it wrote in its last 10 s). Once a
// sample has come, the writer warnings read on opening give way to the same words for the writers
// that sample names (writersOf: the process holding the write lock at the sample and every recent
// writer, never this window). The words are core's (`wording`: Checkpoint::writerWarnings or
// Vacuum::writerWarnings); `codes` are the warning codes they use. A plain value; GUI thread.
class WriterWarnings {
public:
    using Wording = std::function<HealthWarnings(const QList<qint64>& writerPids)>;
    WriterWarnings(Wording wording, QStringList codes);

    void setRead(const HealthWarnings& warnings); // warningsBefore's (or an outcome's)
    bool setSample(const ActivitySample& sample); // true when what is shown changes
    HealthWarnings warnings() const;
    QString html() const; // a paragraph per warning, escaped

    // The other processes the sample names as writing: the recent writers, then the write lock's
    // holder, each once; never this process (its own checkpoint is no other writer).
    static QList<ActivitySample::Holder> writersOf(const ActivitySample& sample);

private:
    Wording m_wording;
    QStringList m_codes;
    HealthWarnings m_read;
    bool m_sampled = false;
    QList<qint64> m_writers; // the latest sample's
};
