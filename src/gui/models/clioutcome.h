// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

// CliOutcome: how one `cachescope-cli` command ended, as CliCall (a child of its own) and
// RemoteSession (a request to `serve`) hand it back.
struct CliOutcome {
    bool started = false;
    int exitCode = -1;
    QByteArray out;
    QString error; // stderr, trimmed (the reason when exitCode != 0)
    qint64 elapsedMs = 0; // the whole call: for a remote cache, the round trip
    bool ok() const { return started && exitCode == 0; }
};
