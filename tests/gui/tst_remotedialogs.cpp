// SPDX-License-Identifier: GPL-3.0-or-later
// The maintenance dialogs of a remote window (#26, #28) know what the Overview's `info` read there, through a real sshd
// (tests/support SshServer): Vacuum words a copy for the cache's journal mode there, not for the WAL mode it once
// assumed.
#include "dialogs/vacuumdialog.h"
#include "sshserver.h"
#include "testsupport.h"
#include "window/remotewindow.h"

#include <QLabel>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

class TestRemoteDialogs : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase() { m_server.stop(); }
    void vacuumKnowsTheJournalModeThere();

private:
    std::unique_ptr<RemoteWindow> open(const QString& db)
    {
        return std::unique_ptr<RemoteWindow>(
            new RemoteWindow(CacheAddress::parse(SshServer::address(db)).value(), QStringLiteral(CACHESCOPE_CLI_PATH)));
    }
    SshServer m_server;
    QTemporaryDir m_dir;
};

void TestRemoteDialogs::initTestCase()
{
    QCoreApplication::setOrganizationName(u"CacheScopeTests"_s);
    QVERIFY(m_dir.isValid());
    if (!m_server.start()) {
        if (m_server.reason().contains(u"not installed"_s) || m_server.reason().contains(u"/run/sshd"_s))
            QSKIP(qPrintable(m_server.reason()));
        QFAIL(qPrintable(m_server.reason()));
    }
    const QProcessEnvironment env = m_server.environment();
    for (const QString& name : { u"XDG_RUNTIME_DIR"_s, u"CACHESCOPE_SSH_COMMAND"_s })
        qputenv(name.toUtf8().constData(), env.value(name).toUtf8());
    qunsetenv("SSH_AUTH_SOCK");
    qputenv("CACHESCOPE_CLI", CACHESCOPE_CLI_PATH);
}

void TestRemoteDialogs::vacuumKnowsTheJournalModeThere()
{
    // A DELETE-mode cache there: the Vacuum dialog's copy is worded for a rollback journal (its read holds a shared
    // lock that holds writers back), as the Overview's `info` read it, not for the WAL mode it once assumed; in a
    // dialog opened before that answer came and in one opened after.
    const QString db = m_dir.filePath(u"rollback-vacuum.db"_s);
    makeCache(db, u"delete"_s, 30);
    auto window = open(db);
    window->resize(1000, 708);
    window->show();
    VacuumDialog* early = window->openVacuum();
    auto* info = early->findChild<QLabel*>(u"infoLabel"_s);
    QVERIFY(info);
    const QString copy = m_dir.filePath(u"rollback-vacuum-copy.db"_s);
    early->setIntoPath(copy);
    QTRY_VERIFY2_WITH_TIMEOUT(info->text().contains(u"DELETE-mode"_s), qPrintable(info->text()), 30000);
    QVERIFY2(info->text().contains(u"holds a shared lock for the whole copy"_s), qPrintable(info->text()));
    QVERIFY2(!info->text().contains(u"never takes its write lock"_s), qPrintable(info->text()));
    early->close();
    QTRY_VERIFY(!window->findChild<VacuumDialog*>());
    VacuumDialog* vacuum = window->openVacuum();
    info = vacuum->findChild<QLabel*>(u"infoLabel"_s);
    vacuum->setIntoPath(copy);
    QVERIFY2(info->text().contains(u"DELETE-mode"_s), qPrintable(info->text()));
    settleEvents();
    QVERIFY(vacuum->grab().save(screenshotPath(u"remotewindow-vacuum-delete.png"_s)));
    // In place: the write lock, whatever the mode.
    vacuum->setIntoPath(QString());
    QVERIFY2(info->text().contains(u"holds the write lock for its whole run"_s), qPrintable(info->text()));
    // The copy there, and the cache still in DELETE mode (header write version 1).
    vacuum->setIntoPath(copy);
    QSignalSpy vacuumed(vacuum, &VacuumDialog::finished);
    vacuum->start();
    QTRY_COMPARE_WITH_TIMEOUT(vacuumed.size(), 1, 30000);
    QVERIFY2(vacuumed.at(0).at(0).toBool(), qPrintable(vacuum->resultText()));
    QCOMPARE(queryInt(copy, u"SELECT count(*) FROM entries"_s), 30);
    QCOMPARE(fileBytes(db).at(18), char(1));
}

QTEST_MAIN(TestRemoteDialogs)
#include "tst_remotedialogs.moc"
