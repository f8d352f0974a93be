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
    if (!m_server.start()) {
        if (m_server.reason().contains(u"not installed"_s) || m_server.reason().contains(u"/run/sshd"_s))
            QSKIP(qPrintable(m_server.reason()));
        QFAIL(qPrintable(m_server.reason()));
    }
}

void SshCliTest::init()
{
    QVERIFY(m_dir.renew());
}

} // namespace TestSupport
