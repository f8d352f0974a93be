// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/error.h"
#include "remote/remotecommand.h"

#include <optional>

// RemoteFailure: why a remote `cachescope-cli` did not run as itself, from the exit code and
// stderr of the local ssh, docker or podman process — the host unknown or unreachable, the
// login refused ("set up a key or ssh-agent"), a host key that is not known or has changed
// (never accepted), the program missing there ("install cachescope on HOST: …") or of
// another version. Anything else is the remote program's own answer, its exit code its own.
class RemoteFailure {
public:
    // The line a served cachescope-cli prints when its caller is another version.
    static constexpr QLatin1StringView VersionMismatch { "version mismatch:" };
    // The hidden option the caller passes to name its version (docs/CLI.md, "Remote caches").
    static constexpr QLatin1StringView CallerVersionOption { "caller-version" };

    // std::nullopt when the remote program ran and exitCode is its answer.
    static std::optional<Error> explain(const RemoteCommand& command, int exitCode, const QString& errorOutput);
    // The local ssh (docker, podman) could not be started, or crashed.
    static Error notStarted(const RemoteCommand& command, const QString& why);
    static Error crashed(const RemoteCommand& command);
    // What to tell when the remote program is missing or of another version.
    static Error programMissing(const RemoteCommand& command, const QString& detail);
    static Error otherVersion(const RemoteCommand& command, const QString& detail);
};
