// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/clioutcome.h"

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
    using Outcome = CliOutcome;
    // Returns the child (owned by context; deleted once done ran): terminate() stops the command
    // as Ctrl-C does — a remote one ends there as cleanly and its report still comes to done.
    // info, entries and query on an address whose window holds a RemoteSession go through it
    // instead: no child of their own (nullptr).
    static QProcess* run(QObject* context, const QStringList& args, std::function<void(const Outcome&)> done);
};
