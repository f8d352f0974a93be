// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QString>

struct Snapshot;

// WatchLine: one line of `cachescope-cli watch` made from one Snapshot — the docs/CLI.md JSON
// object (t_ms plus Snapshot::sampleJson()) or an aligned text line. Pure functions; any thread.
struct WatchLine {
    static QJsonObject json(const Snapshot& snapshot, qint64 tMs);
    static QString textHeader();
    static QString text(const Snapshot& snapshot, qint64 tMs); // columns as in textHeader()
};
