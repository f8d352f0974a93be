// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/error.h"

#include <QString>

// CacheAddress: where a cache lives. A local path, or a cache on another host or in a
// container that CacheScope reaches by running `cachescope-cli` there (docs/CLI.md, "Remote
// caches"): ssh://[USER@]HOST[:PORT]/ABSOLUTE/PATH (HOST may be an alias from the user's ssh
// config, an IPv6 address in brackets), docker://CONTAINER/PATH, podman://CONTAINER/PATH.
// The path is taken as written (no %-decoding): everything after the host, from its '/'.
// Nothing that could be read as an option by ssh, docker or podman is accepted as a name.
class CacheAddress {
public:
    enum class Transport { Local, Ssh, Docker, Podman };

    // Whether text starts with one of the remote schemes (ssh://, docker://, podman://).
    static bool isRemoteText(const QString& text);
    // A remote address, or Invalid with what is wrong; any other text is a Local path.
    static Result<CacheAddress> parse(const QString& text);

    Transport transport() const { return m_transport; }
    bool isRemote() const { return m_transport != Transport::Local; }
    QString user() const { return m_user; } // ssh only; empty: the ssh config's or the login's
    QString host() const { return m_host; } // ssh: the host or alias; containers: the container
    int port() const { return m_port; } // ssh only; 0: the ssh config's or 22
    QString path() const { return m_path; } // the path there
    // Where the cache lives, for messages and titles: "HOST", "USER@HOST:PORT", "docker container C".
    QString where() const;
    // The address written back (ssh://… or the local path).
    QString toString() const;
    // The same place with another path (a cache's folder, a file beside it).
    CacheAddress withPath(const QString& path) const;

private:
    Transport m_transport = Transport::Local;
    QString m_user;
    QString m_host;
    int m_port = 0;
    QString m_path;
};
