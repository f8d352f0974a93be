// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>

// PodmanContainer: a real container run by Debian's podman for the tests of podman://
// addresses (#26): an image imported from a tarball of nothing but the usual top-level
// symlinks (bin, lib, lib64, sbin → usr/…), with this machine's /usr, this build's folder and
// the test's folder mounted at the same paths, running `sleep` until stop() (or its bound, for a
// test that crashed: --rm then removes it). No registry is needed. Where podman cannot run a
// container on this machine (no podman, a runtime that refuses: crun's "cgroups in hybrid
// mode not supported", setrlimit refused in a sandbox), start() is false and reason() says why;
// it tries the default runtime, then runc with limits no higher than ours.
class PodmanContainer {
public:
    ~PodmanContainer() { stop(); }
    bool start(const QString& sharedFolder);
    void stop();
    QString name() const { return m_name; }
    QString reason() const { return m_reason; }
    QString runtime() const { return m_runtime; } // "default" or "runc"
    // podman exec -i NAME ARGS, as a command line (for QProcess).
    QStringList execArguments(const QStringList& args) const;

private:
    QString m_name;
    QString m_reason;
    QString m_runtime;
};
