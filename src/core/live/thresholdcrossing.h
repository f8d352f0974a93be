// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QString>

// ThresholdCrossing: one limit a reading of a cache went past — which limit (the `check`
// option's name without its dashes, e.g. "max-wal-bytes", or "warning" for a health warning),
// the value measured and the limit, and a sentence naming both (description, message()). A plain value; any thread.
struct ThresholdCrossing {
    QString path; // the database
    QString limit; // "max-wal-bytes", … or "warning"
    double value = 0; // measured (a warning: 1)
    double maximum = 0; // the limit (a warning: 0)
    QString code; // the warning's code; empty for a limit
    // What was crossed, for a reader who never typed the option (the GUI's limits are set in its
    // Preferences): "WAL 12.0 MiB is over the limit 10.0 MiB"; a warning's own message.
    QString description;

    // The same with the option's name, as `check` prints it (its "message"): "WAL 12.0 MiB is over
    // the limit 10.0 MiB (--max-wal-bytes)", "warning CODE: …". Derived, so the two never differ.
    QString message() const;
    // A stable identity: the same limit (or warning code) on the same database.
    QString key() const { return path + u'\n' + limit + u'\n' + code; }
    QJsonObject toJson() const;
};
