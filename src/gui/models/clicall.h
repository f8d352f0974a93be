// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>
#include <QStringList>

#include <functional>

class QProcess;

// CliCall: one `cachescope-cli ARGS` run as a child process, its output handed to `done` on
// the GUI thread when it ends — the seam the live probe (ActivityFeed) already uses, for the
// other commands of a remote cache: the local cachescope-cli reaches the cache's host (ssh,
// docker, podman) and prints what the program there printed. Nothing blocks: the child is a
// QProcess owned by `context`; when the context goes first, the child is killed (its remote
// side then ends, see docs/CLI.md "Remote caches") and `done` is never called.
class CliCall {
public:
    struct Outcome {
        bool started = false;
        int exitCode = -1;
        QByteArray out;
        QString error; // stderr, trimmed (the reason when exitCode != 0)
        qint64 elapsedMs = 0; // the whole call: for a remote cache, the round trip
        bool ok() const { return started && exitCode == 0; }
    };
    // Returns the child (owned by context; deleted once done ran): terminate() stops the command
    // as Ctrl-C does — a remote one ends there as cleanly and its report still comes to done.
    static QProcess* run(QObject* context, const QStringList& args, std::function<void(const Outcome&)> done);
};
