// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// CallerHangup: a cachescope-cli run for a caller on another host (over ssh, docker exec -i)
// ends when its caller does. The caller keeps this process's stdin open and writes only a
// newline every RemoteCommand::HeartbeatMs to it; when the caller ends (exits, is killed, its
// connection closes) stdin reaches end of file, and when its connection is gone without closing
// nothing arrives for RemoteCommand::CallerSilenceMs — either way the command is stopped as by
// SIGTERM, once the command handles SIGTERM (watch, prune, query, vacuum, simulate stop
// cleanly); a command that does not simply finishes. So nothing keeps running on the cache's
// host after its local side is gone.
namespace CallerHangup {
// Starts watching stdin on a thread of its own; call from the main thread.
void watch();
} // namespace CallerHangup
