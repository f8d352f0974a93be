// SPDX-License-Identifier: GPL-3.0-or-later
#include "sshclitest.h"

#include <QTest>

using namespace Qt::Literals::StringLiterals;

namespace TestSupport {

CliResult SshCliTest::remote(const QString& command, const QString& target, const QStringList& args) const
{
    return m_server.runCli(QStringList { command, SshServer::address(target) } + args
        + QStringList { u"--remote-cli"_s, QStringLiteral(CACHESCOPE_CLI_PATH) });
}

void SshCliTest::initTestCase()
{
    CACHESCOPE_START_SSH_OR_SKIP(m_server);
}

void SshCliTest::init()
{
    QVERIFY(m_dir.renew());
}

} // namespace TestSupport
