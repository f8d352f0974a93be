// SPDX-License-Identifier: GPL-3.0-or-later
// The GUI on a remote cache (#26) through a real sshd (tests/support SshServer): the title and
// status say where the cache lives and the round trip; Overview (info), Entries paged through
// `entries --after`, Activity (the watch stream seeing a real writer), SQL and maintenance run
// there; a dropped connection is said and the window reconnects; recent remotes remembered.
#include "dialogs/checkpointdialog.h"
#include "dialogs/deletedialog.h"
#include "dialogs/openremotedialog.h"
#include "dialogs/prunedialog.h"
#include "dialogs/scandialog.h"
#include "dialogs/vacuumdialog.h"
#include "models/activityfeed.h"
#include "models/remoteentrymodel.h"
#include "models/remotesession.h"
#include "pages/activitypage.h"
#include "pages/overviewpage.h"
#include "pages/remotecommandspage.h"
#include "pages/remoteentriespage.h"
#include "remote/remotecommand.h"
#include "sshserver.h"
#include "testsupport.h"
#include "window/remotewindow.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidgetItem>

#include <algorithm>
#include <csignal>

#include <unistd.h>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

namespace {
// The `watch` serving the Activity tab there (other calls come and go).
QList<qint64> servedWatches(const QString& db)
{
    return SshServer::servedProcesses(db, u"watch"_s);
}

// CPU time a process has used (user + system), from /proc/PID/stat; 0 when it is gone.
qint64 cpuMs(qint64 pid)
{
    const QByteArray stat = fileBytes(u"/proc/%1/stat"_s.arg(pid));
    const QList<QByteArray> fields = stat.mid(stat.lastIndexOf(')') + 2).split(' ');
    if (fields.size() < 13)
        return 0;
    return (fields.at(11).toLongLong() + fields.at(12).toLongLong()) * 1000 / ::sysconf(_SC_CLK_TCK);
}
} // namespace

class TestRemoteWindow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase() { m_server.stop(); }
    void everyTabWorksThere();
    void convertToWalThere();
    void pruneThere();
    void checkpointAndVacuumDialogsThere();
    void deleteDialogThere();
    void scanThere();
    void droppedConnectionIsSaidAndReconnects();
    void closedMidQueryLeavesNothingThere();
    void unreachableHostSaysWhy();
    void recentRemotesAreRemembered();
    void commandLineOpensRemoteCache();

private:
    std::unique_ptr<RemoteWindow> open(const QString& db, const QString& alias = SshServer::host())
    {
        return std::unique_ptr<RemoteWindow>(new RemoteWindow(
            CacheAddress::parse(SshServer::address(db, alias)).value(), QStringLiteral(CACHESCOPE_CLI_PATH)));
    }
    SshServer m_server;
    QTemporaryDir m_dir;
};

void TestRemoteWindow::initTestCase()
{
    QCoreApplication::setOrganizationName(u"CacheScopeTests"_s);
    QVERIFY(m_dir.isValid());
    CACHESCOPE_START_SSH_OR_SKIP(m_server);
    m_server.exportEnvironment(); // the window's children (the local cachescope-cli) reach the server
}

void TestRemoteWindow::everyTabWorksThere()
{
    const QString db = m_dir.filePath(u"remote.db"_s);
    WalWriterChild writer(db);
    QVERIFY(writer.waitReady());
    QCOMPARE(writer.ask("commit 450"), QList<QByteArray> { "done" });
    auto window = open(db);
    window->show();
    QCOMPARE(window->windowTitle(), u"remote.db on cachescope-test — CacheScope"_s);
    // Overview: the local window's page, from `info --json` there and the watch's samples.
    QTRY_VERIFY_WITH_TIMEOUT(window->overview()->cacheText().contains(u"450 entries"_s), 30000);
    QCOMPARE(window->overview()->shownBytes(CacheFiles::Kind::Db), QFileInfo(db).size());
    QVERIFY(window->overview()->shownBytes(CacheFiles::Kind::Wal) > 0);
    QVERIFY2(window->overview()->contentsText().contains(u": 450 entries"_s),
        qPrintable(window->overview()->contentsText()));
    QTRY_VERIFY_WITH_TIMEOUT(window->statusText().contains(u"round trip"_s), 30000);
    QVERIFY(window->statusText().contains(u"On cachescope-test"_s));
    // Entries: the first page, then the next one through its cursor when the view asks.
    RemoteEntryModel* model = window->entries()->model();
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), RemoteEntryModel::PageRows, 30000);
    QVERIFY(model->canFetchMore());
    model->fetchMore();
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 2 * RemoteEntryModel::PageRows, 30000);
    QCOMPARE(model->index(0, 0).data().toString(), u"1"_s);
    QCOMPARE(
        model->index(RemoteEntryModel::PageRows, 0).data().toString(), QString::number(RemoteEntryModel::PageRows + 1));
    // Overview and both pages came as requests to one `serve` there, no command of their own.
    QVERIFY(window->session()->childPid() > 0);
    QVERIFY(window->session()->requestsSent() >= 3);
    QTRY_COMPARE_WITH_TIMEOUT(SshServer::servedSessions(db).size(), 1, 10000);
    const qint64 session = SshServer::servedSessions(db).first();
    model->fetchMore();
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 450, 30000); // the last page: 50 rows
    QCOMPARE(SshServer::servedSessions(db), QList<qint64> { session });
    // Activity: the watch stream over ssh sees the writer's commits.
    QTRY_VERIFY_WITH_TIMEOUT(window->isConnected(), 30000);
    QTRY_VERIFY_WITH_TIMEOUT(window->activity()->samplesShown() > 0, 30000);
    QVERIFY(window->statusText().contains(u"live"_s));
    QCOMPARE(servedWatches(db).size(), 1); // the watch there
    QTRY_VERIFY_WITH_TIMEOUT(window->overview()->writersText().contains(u"commits/s"_s), 30000);
    QVERIFY(!window->overview()->healthText().isEmpty());
    window->tabs()->setCurrentIndex(0);
    window->grab().save(screenshotPath(u"remotewindow-overview.png"_s));
    window->tabs()->setCurrentIndex(1);
    window->grab().save(screenshotPath(u"remotewindow-entries.png"_s));
    window->tabs()->setCurrentIndex(2);
    window->grab().save(screenshotPath(u"remotewindow-activity.png"_s));
    // SQL and maintenance there.
    window->commands()->runQuery(u"SELECT count(*) AS n FROM t"_s);
    QTRY_COMPARE_WITH_TIMEOUT(window->commands()->resultTable()->rowCount(), 1, 30000);
    QCOMPARE(window->commands()->resultTable()->item(0, 0)->text(), u"450"_s);
    QSignalSpy finished(window->commands(), &RemoteCommandsPage::finished);
    window->commands()->runMaintenance(u"delete"_s, false); // the writer holds it: refused there
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000);
    QCOMPARE(finished.at(0).at(1).toInt(), 3);
    QVERIFY(window->commands()->log()->toPlainText().contains(u"held by PID"_s));
    QVERIFY(QFileInfo::exists(db));
    window->commands()->runMaintenance(u"checkpoint"_s, false);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, 30000);
    QCOMPARE(finished.at(1).at(1).toInt(), 0);
    // Closing the window ends the watch there.
    window.reset();
    QTRY_VERIFY_WITH_TIMEOUT(SshServer::servedProcesses(db).isEmpty(), 15000);
}

void TestRemoteWindow::convertToWalThere()
{
    // The Activity banner's "Convert this cache to WAL…" runs enable-wal there with the window's
    // program (--remote-cli), as the watch does; the watch leaves no local pid out there.
    const QString db = m_dir.filePath(u"rollback.db"_s);
    makeCache(db, u"delete"_s, 20);
    QCOMPARE(fileBytes(db).at(18), char(1)); // the header's write version: 1 rollback, 2 WAL
    auto window = open(db);
    QTRY_VERIFY_WITH_TIMEOUT(window->activity()->samplesShown() > 0, 30000);
    QVERIFY(!window->activity()->feed()->arguments().contains(u"--exclude-pid"_s));
    QVERIFY(window->activity()->warningText().contains(u"convert-to-wal"_s));
    QSignalSpy converted(window->activity(), &ActivityPage::conversionFinished);
    window->activity()->convertToWal(false);
    QTRY_COMPARE_WITH_TIMEOUT(converted.size(), 1, 30000);
    QVERIFY(converted.at(0).at(0).toBool());
    QCOMPARE(fileBytes(db).at(18), char(2));
}

void TestRemoteWindow::pruneThere()
{
    // The Prune dialog as locally, each step a `prune` run there (the table chosen from those `info` read there):
    // the preview counts what would go and removes nothing, the backup is a path there, the prune removes exactly that.
    const QString db = m_dir.filePath(u"prune.db"_s);
    makeCache(db, u"wal"_s, 300);
    const qint64 chosen = queryInt(db, u"SELECT count(*) FROM entries WHERE key LIKE '%key-2%'"_s);
    QVERIFY(chosen > 0);
    auto window = open(db);
    PruneDialog* dialog = window->openPrune();
    QTRY_COMPARE_WITH_TIMEOUT(dialog->tableBox()->count(), 1, 30000); // a table of no known format, as `info` read it
    QCOMPARE(dialog->tableBox()->currentText(), u"entries"_s);
    QTest::keyClicks(dialog->matchEdit(), u"key-2"_s); // typing turns "Containing" on
    QSignalSpy previewed(dialog, &PruneDialog::previewFinished);
    dialog->preview();
    QTRY_COMPARE_WITH_TIMEOUT(previewed.size(), 1, 30000);
    QVERIFY2(previewed.at(0).at(0).toBool(), qPrintable(dialog->previewText()));
    QVERIFY2(dialog->previewText().contains(u"%1 entries would go"_s.arg(chosen)), qPrintable(dialog->previewText()));
    QCOMPARE(queryInt(db, u"SELECT count(*) FROM entries"_s), 300);
    const QString backup = m_dir.filePath(u"pruned.jsonl"_s);
    QTest::keyClicks(dialog->backupEdit(), backup); // a path there (the test's sshd is this host)
    QSignalSpy done(dialog, &PruneDialog::finished);
    dialog->start();
    QVERIFY(dialog->isRunning());
    QTRY_COMPARE_WITH_TIMEOUT(done.size(), 1, 30000);
    QVERIFY2(done.at(0).at(0).toBool(), qPrintable(dialog->resultText()));
    QVERIFY2(dialog->resultText().contains(u"Removed %1 entries ("_s.arg(chosen)), qPrintable(dialog->resultText()));
    QCOMPARE(queryInt(db, u"SELECT count(*) FROM entries"_s), 300 - chosen);
    QCOMPARE(fileBytes(backup).count('\n'), chosen);
    QVERIFY(window->commands()->log()->toPlainText().contains(u"prune: done there"_s));
    // A refusal there comes back with its reason: the backup file exists now.
    dialog->start();
    QTRY_COMPARE_WITH_TIMEOUT(done.size(), 2, 30000);
    QVERIFY(!done.at(1).at(0).toBool());
    QVERIFY2(dialog->resultText().contains(u"Prune failed"_s), qPrintable(dialog->resultText()));
}

void TestRemoteWindow::checkpointAndVacuumDialogsThere()
{
    // The local window's Checkpoint dialog in any mode, run there: PASSIVE copies frames back and
    // leaves the -wal; TRUNCATE empties it. The Vacuum dialog writes a copy into a path there.
    const QString db = m_dir.filePath(u"maintained.db"_s);
    WalWriterChild writer(db);
    QVERIFY(writer.waitReady());
    QCOMPARE(writer.ask("commit 40"), QList<QByteArray> { "done" });
    const qint64 walBefore = QFileInfo(db + u"-wal"_s).size();
    QVERIFY(walBefore > 0);
    auto window = open(db);
    CheckpointDialog* checkpoint = window->openCheckpoint();
    QSignalSpy checkpointed(checkpoint, &CheckpointDialog::finished);
    checkpoint->setMode(Checkpoint::Mode::Passive);
    checkpoint->start();
    QTRY_COMPARE_WITH_TIMEOUT(checkpointed.size(), 1, 30000);
    QVERIFY2(checkpointed.at(0).at(0).toBool(), qPrintable(checkpoint->resultText()));
    QVERIFY2(checkpoint->resultText().startsWith(u"The PASSIVE checkpoint is complete"_s),
        qPrintable(checkpoint->resultText()));
    QCOMPARE(QFileInfo(db + u"-wal"_s).size(), walBefore); // PASSIVE never truncates
    checkpoint->setMode(Checkpoint::Mode::Truncate);
    checkpoint->start();
    QTRY_COMPARE_WITH_TIMEOUT(checkpointed.size(), 2, 30000);
    QVERIFY2(checkpoint->resultText().startsWith(u"The TRUNCATE checkpoint is complete"_s),
        qPrintable(checkpoint->resultText()));
    QCOMPARE(QFileInfo(db + u"-wal"_s).size(), 0);
    QVERIFY(window->commands()->log()->toPlainText().contains(u"checkpoint: complete there"_s));
    VacuumDialog* vacuum = window->openVacuum();
    QVERIFY(vacuum->introText().contains(u"It runs on cachescope-test"_s));
    const QString copy = m_dir.filePath(u"maintained-copy.db"_s);
    vacuum->setIntoPath(copy); // a path there (the test's sshd is this host)
    QSignalSpy vacuumed(vacuum, &VacuumDialog::finished);
    vacuum->start();
    QTRY_COMPARE_WITH_TIMEOUT(vacuumed.size(), 1, 30000);
    QVERIFY2(vacuumed.at(0).at(0).toBool(), qPrintable(vacuum->resultText()));
    QCOMPARE(queryInt(copy, u"SELECT count(*) FROM t"_s), 40);
    QVERIFY2(vacuum->resultText().contains(copy), qPrintable(vacuum->resultText()));
}

void TestRemoteWindow::deleteDialogThere()
{
    // The local window's Delete dialog, run there: a writer there holding the cache blocks it,
    // named as it is there; once it has gone the plan lists the files (the checks remove
    // nothing) and Delete removes them there.
    const QString db = m_dir.filePath(u"doomed.db"_s);
    auto writer = std::make_unique<WalWriterChild>(db);
    QVERIFY(writer->waitReady());
    QCOMPARE(writer->ask("commit 5"), QList<QByteArray> { "done" });
    auto window = open(db);
    DeleteDialog* dialog = window->openDelete();
    QTRY_VERIFY_WITH_TIMEOUT(dialog->holderCount() >= 1, 30000);
    QVERIFY2(dialog->statusText().contains(u"Blocked"_s), qPrintable(dialog->statusText()));
    QVERIFY(!dialog->deleteButton()->isEnabled());
    QVERIFY(dialog->movesToTrash()); // the trash there, by default
    writer.reset();
    QTRY_VERIFY_WITH_TIMEOUT(dialog->deleteButton()->isEnabled(), 30000);
    QCOMPARE(dialog->holderCount(), 0);
    QVERIFY(dialog->fileCount() >= 1);
    QVERIFY2(dialog->totalsText().startsWith(u"Will move the database"_s), qPrintable(dialog->totalsText()));
    QVERIFY(QFileInfo::exists(db)); // the dry runs removed nothing
    dialog->findChild<QCheckBox*>(u"trashCheck"_s)->setChecked(false); // for good: no trash of this user touched
    dialog->deleteButton()->click();
    QTRY_VERIFY_WITH_TIMEOUT(!QFileInfo::exists(db), 30000);
    QTRY_VERIFY_WITH_TIMEOUT(window->commands()->log()->toPlainText().contains(u"delete: done there"_s), 10000);
}

void TestRemoteWindow::scanThere()
{
    // The Scan dialog as locally on the cache's folder there: databases and an orphaned -wal as
    // `scan` finds them there; a database found opens in a window of its own at its address.
    const QString folder = m_dir.filePath(u"scanned"_s);
    QVERIFY(QDir().mkpath(folder));
    makeCache(folder + u"/a.db"_s, u"wal"_s, 5);
    makeCache(folder + u"/b.db"_s, u"delete"_s, 5);
    QFile orphan(folder + u"/gone.db-wal"_s);
    QVERIFY(orphan.open(QIODevice::WriteOnly));
    orphan.write(QByteArray(4096, 'x'));
    orphan.close();
    auto window = open(folder + u"/a.db"_s);
    ScanDialog* dialog = window->openScan();
    QSignalSpy scanned(dialog, &ScanDialog::scanned);
    QTRY_COMPARE_WITH_TIMEOUT(scanned.size(), 1, 30000);
    QCOMPARE(dialog->databaseCount(), 2);
    QCOMPARE(dialog->orphanCount(), 1);
    QVERIFY2(dialog->statusText().startsWith(u"2 databases, 1 orphaned sidecar."_s), qPrintable(dialog->statusText()));
    QTreeWidgetItem* item = dialog->databaseItem(1);
    QCOMPARE(item->text(0), folder + u"/b.db"_s);
    QPointer<ScanDialog> closed(dialog);
    QVERIFY(dialog->openResult(item));
    RemoteWindow* opened = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT(([&] {
        for (QWidget* widget : QApplication::topLevelWidgets()) {
            auto* candidate = qobject_cast<RemoteWindow*>(widget);
            if (candidate && candidate != window.get() && candidate->windowTitle().startsWith(u"b.db on "_s))
                opened = candidate;
        }
        return opened != nullptr;
    }()),
        10000);
    QTRY_VERIFY_WITH_TIMEOUT(opened->overview()->cacheText().contains(u"5 entries"_s), 30000);
    opened->close(); // deleted on close
    // Opening a result closed the dialog (as locally); the next one says why a folder is missing.
    QTRY_VERIFY(closed.isNull());
    ScanDialog* again = window->openScan();
    QSignalSpy rescanned(again, &ScanDialog::scanned);
    QTRY_COMPARE_WITH_TIMEOUT(rescanned.size(), 1, 30000);
    again->setDirectory(m_dir.filePath(u"no-such-folder"_s));
    again->startScan();
    QTRY_COMPARE_WITH_TIMEOUT(rescanned.size(), 2, 30000);
    QCOMPARE(again->databaseCount(), 0);
    QVERIFY2(again->statusText().contains(u"no-such-folder"_s), qPrintable(again->statusText()));
}

void TestRemoteWindow::droppedConnectionIsSaidAndReconnects()
{
    const QString db = m_dir.filePath(u"dropped.db"_s);
    makeCache(db, u"wal"_s, 10);
    auto window = open(db);
    QSignalSpy changed(window.get(), &RemoteWindow::connectionChanged);
    QTRY_VERIFY_WITH_TIMEOUT(window->isConnected(), 30000);
    // The connection drops: the program serving the stream there dies.
    QTRY_COMPARE_WITH_TIMEOUT(servedWatches(db).size(), 1, 10000);
    const QList<qint64> served = servedWatches(db);
    ::kill(pid_t(served.first()), SIGKILL);
    QTRY_VERIFY_WITH_TIMEOUT(!window->isConnected(), 30000);
    QVERIFY2(window->statusText().contains(u"connection lost"_s), qPrintable(window->statusText()));
    QVERIFY(window->statusText().contains(u"reconnecting"_s));
    // …and comes back by itself.
    QTRY_VERIFY_WITH_TIMEOUT(window->isConnected(), 30000);
    QVERIFY(window->statusText().contains(u"live"_s));
    QTRY_COMPARE_WITH_TIMEOUT(servedWatches(db).size(), 1, 10000);
    QVERIFY(!servedWatches(db).contains(served.first()));
    // The connection itself goes, as when the network or the host drops it: the server's side
    // of every connection is killed. Said (seen when it is said: the window may be back before
    // the next look), and back by itself over a new connection; nothing left there.
    const QList<qint64> before = servedWatches(db);
    QString saidWhenLost;
    const auto lost = connect(window.get(), &RemoteWindow::connectionChanged, this, [&](bool connected) {
        if (!connected)
            saidWhenLost = window->statusText();
    });
    m_server.dropConnections();
    QTRY_VERIFY2_WITH_TIMEOUT(!saidWhenLost.isEmpty(), qPrintable(SshServer::describeServed(db)), 30000);
    disconnect(lost);
    QVERIFY2(saidWhenLost.contains(u"connection lost"_s), qPrintable(saidWhenLost));
    QTRY_VERIFY_WITH_TIMEOUT(window->isConnected(), 30000);
    QTRY_COMPARE_WITH_TIMEOUT(servedWatches(db).size(), 1, 15000);
    QVERIFY(!servedWatches(db).contains(before.first()));
}

void TestRemoteWindow::closedMidQueryLeavesNothingThere()
{
    // An idle window keeps its session and watch there past the silence limit (its heartbeats);
    // a query that would run for its whole statement limit (30 s) there, and the watch: closing
    // the window ends both there long before that.
    const QString db = m_dir.filePath(u"closed.db"_s);
    makeCache(db, u"wal"_s, 10);
    auto window = open(db);
    QTRY_VERIFY_WITH_TIMEOUT(window->isConnected(), 30000);
    // serve there (not a request it forked: its parent is no serve)
    const auto session = [&db] { return SshServer::servedSessions(db).value(0); };
    QTRY_VERIFY_WITH_TIMEOUT(session() > 0, 30000); // started by the Overview's info
    const qint64 before = session();
    const QList<qint64> watch = servedWatches(db);
    // The measurement itself: longer than the silence limit with nothing asked, the session and
    // the watch must still be there (kept by the heartbeats); only time passing shows that.
    QTest::qWait(RemoteCommand::CallerSilenceMs + 2 * RemoteCommand::HeartbeatMs);
    QCOMPARE(session(), before);
    QCOMPARE(servedWatches(db), watch);
    QVERIFY(window->isConnected());
    window->commands()->runQuery(
        u"WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"_s);
    // serve there and the query it forked for the request, beside the watch: the request that
    // keeps a core busy (the Overview's and Entries' own requests come and go beside it).
    const auto queryRuns = [before] {
        const QList<qint64> requests = childPids(before);
        return std::any_of(requests.begin(), requests.end(), [](qint64 pid) { return cpuMs(pid) >= 500; });
    };
    QTRY_VERIFY2_WITH_TIMEOUT(queryRuns(), qPrintable(SshServer::describeServed(db)), 30000);
    QCOMPARE(SshServer::servedSessions(db), QList<qint64> { before });
    QCOMPARE(servedWatches(db).size(), 1);
    QElapsedTimer closed;
    closed.start();
    window.reset();
    QTRY_VERIFY_WITH_TIMEOUT(SshServer::servedProcesses(db).isEmpty(), 15000);
    QVERIFY2(closed.elapsed() < 15000, qPrintable(QString::number(closed.elapsed())));
}

void TestRemoteWindow::unreachableHostSaysWhy()
{
    const QString db = m_dir.filePath(u"cache.db"_s);
    makeCache(db, u"wal"_s, 3);
    auto window = open(db, u"cachescope-test-nokey"_s);
    QTRY_VERIFY_WITH_TIMEOUT(window->overview()->cacheText().contains(u"set up a key or ssh-agent"_s), 30000);
    QTRY_VERIFY_WITH_TIMEOUT(window->statusText().contains(u"connection lost"_s), 30000);
    QVERIFY(!window->isConnected());
}

void TestRemoteWindow::recentRemotesAreRemembered()
{
    QSettings().remove(u"remote/recent"_s);
    const auto address = CacheAddress::parse(u"ssh://me@build:2222/var/cache/llm.db"_s).value();
    delete RemoteWindow::open(address, u"/opt/cachescope/bin/cachescope-cli"_s);
    OpenRemoteDialog::remember({ u"docker://web/app/cache.db"_s, QString() });
    const auto recent = OpenRemoteDialog::recent();
    QCOMPARE(recent.size(), 2);
    QCOMPARE(recent.at(0).address, u"docker://web/app/cache.db"_s);
    QCOMPARE(recent.at(1).address, u"ssh://me@build:2222/var/cache/llm.db"_s);
    QCOMPARE(recent.at(1).program, u"/opt/cachescope/bin/cachescope-cli"_s);
    OpenRemoteDialog dialog;
    dialog.setRemote(recent.at(1));
    QCOMPARE(dialog.remote().address, recent.at(1).address);
    QCOMPARE(dialog.remote().program, recent.at(1).program);
    QCOMPARE(OpenRemoteDialog::addressOf(u"docker://web/"_s, u"app/c.db"_s), u"docker://web/app/c.db"_s);
    QSettings().remove(u"remote/recent"_s);
}

void TestRemoteWindow::commandLineOpensRemoteCache()
{
    // `cachescope ssh://…`: the window reads the cache there; killing the GUI ends the watch there.
    const QString db = m_dir.filePath(u"cmdline.db"_s);
    makeCache(db, u"wal"_s, 5);
    QProcessEnvironment env = m_server.environment();
    env.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
    QProcess gui;
    gui.setProcessEnvironment(env);
    gui.start(QStringLiteral(CACHESCOPE_GUI_PATH),
        { SshServer::address(db), u"--remote-cli"_s, QStringLiteral(CACHESCOPE_CLI_PATH) });
    QVERIFY(gui.waitForStarted());
    QTRY_COMPARE_WITH_TIMEOUT(servedWatches(db).size(), 1, 30000);
    // One session (the Overview's info started it; its requests come and go).
    QTRY_VERIFY2_WITH_TIMEOUT(
        SshServer::servedSessions(db).size() == 1, qPrintable(SshServer::describeServed(db)), 30000);
    gui.kill();
    QVERIFY(gui.waitForFinished(10000));
    QTRY_VERIFY_WITH_TIMEOUT(SshServer::servedProcesses(db).isEmpty(), 15000); // the watch and the session
    // A malformed address is refused before any window: exit 2 with the reason.
    const auto bad = runProgram(QStringLiteral(CACHESCOPE_GUI_PATH), { u"ssh://-oProxyCommand=x/c.db"_s }, 30000, env);
    QCOMPARE(bad.exitCode, 2);
    QVERIFY(bad.err.contains("may not start with '-'"));
}

QTEST_MAIN(TestRemoteWindow)
#include "tst_remotewindow.moc"
