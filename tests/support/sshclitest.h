// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "scratchdir.h"
#include "sshserver.h"
#include "testsupport.h"

#include <QObject>

namespace TestSupport {

// SshCliTest: the base of a test class that runs cachescope-cli on caches "on another host": a
// real sshd on 127.0.0.1 (SshServer) started once for the class (skipped where sshd is not
// installed or cannot run), and a fresh folder for each test function.
class SshCliTest : public QObject {
    Q_OBJECT
protected:
    QString path(const QString& name) const { return m_dir.filePath(name); }
    // cachescope-cli COMMAND ssh://cachescope-test/TARGET ARGS --remote-cli <this build's>
    CliResult remote(const QString& command, const QString& target, const QStringList& args = {}) const;
    SshServer m_server;
    ScratchDir m_dir;

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase() { m_server.stop(); }
    void init();
};

} // namespace TestSupport
