// SPDX-License-Identifier: GPL-3.0-or-later
// The maintenance dialogs of a remote window (#26, #28) know what the Overview's `info` read there, through a real sshd
// (tests/support SshServer): Vacuum words a copy for the cache's journal mode there, not for the WAL mode it once
// assumed; Prune offers the cache's tables there to choose from, as locally (they were typed).
#include "dialogs/prunedialog.h"
#include "dialogs/vacuumdialog.h"
#include "sshserver.h"
#include "testsupport.h"
#include "window/remotewindow.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
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
    void pruneOffersTheTablesThere();
    void pruneSaysWhyTheTablesAreUnknown();

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
    CACHESCOPE_START_SSH_OR_SKIP(m_server);
    m_server.exportEnvironment(); // the window's children (the local cachescope-cli) reach the server
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

void TestRemoteDialogs::pruneOffersTheTablesThere()
{
    // A database of no known format there with two tables: both offered, nothing to type; the second chosen as a
    // user does, its preview and prune run there on it alone.
    const QString db = m_dir.filePath(u"generic-prune.db"_s);
    const CliResult made = runPythonScript(uR"PY(
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, name TEXT)")
db.execute("CREATE TABLE notes (body TEXT)")
for i in range(50):
    db.execute("INSERT INTO events (name) VALUES (?)", ("event %d" % i,))
for i in range(12):
    db.execute("INSERT INTO notes VALUES (?)", (("old note %d" if i % 4 == 0 else "note %d") % i,))
db.commit()
)PY"_s,
        { db });
    QVERIFY2(made.exitCode == 0, made.err.constData());
    auto window = open(db);
    window->resize(1000, 708);
    window->show();
    PruneDialog* dialog = window->openPrune(); // before `info` answered: the tables come with it
    QComboBox* tables = dialog->tableBox();
    QVERIFY(!tables->isEditable());
    QTRY_COMPARE_WITH_TIMEOUT(tables->count(), 2, 30000);
    QCOMPARE(tables->itemText(0), u"events"_s);
    QCOMPARE(tables->itemText(1), u"notes"_s);
    QVERIFY2(dialog->tableText().contains(u"checked where the cache lives"_s), qPrintable(dialog->tableText()));
    tables->setFocus();
    QTest::keyClick(tables, Qt::Key_Down);
    QCOMPARE(tables->currentText(), u"notes"_s);
    QTest::keyClicks(dialog->matchEdit(), u"old note"_s);
    QSignalSpy previewed(dialog, &PruneDialog::previewFinished);
    dialog->preview();
    QTRY_COMPARE_WITH_TIMEOUT(previewed.size(), 1, 30000);
    QVERIFY2(previewed.at(0).at(0).toBool(), qPrintable(dialog->previewText()));
    QVERIFY2(dialog->previewText().contains(u"3 entries would go"_s), qPrintable(dialog->previewText()));
    settleEvents();
    QVERIFY(dialog->grab().save(screenshotPath(u"remotewindow-prune-tables.png"_s)));
    QSignalSpy done(dialog, &PruneDialog::finished);
    QVERIFY(dialog->pruneButton()->isEnabled());
    dialog->start();
    QTRY_COMPARE_WITH_TIMEOUT(done.size(), 1, 30000);
    QVERIFY2(done.at(0).at(0).toBool(), qPrintable(dialog->resultText()));
    QCOMPARE(queryInt(db, u"SELECT count(*) FROM notes"_s), 9);
    QCOMPARE(queryInt(db, u"SELECT count(*) FROM events"_s), 50);
    // A dialog opened once `info` has answered lists them at once; a diskcache there: its entries table alone.
    dialog->close();
    QTRY_VERIFY(!window->findChild<PruneDialog*>());
    QCOMPARE(window->openPrune()->tableBox()->count(), 2);
    const QString folder = m_dir.filePath(u"diskcache-prune"_s);
    QVERIFY(runPythonScript(
                u"import diskcache, sys; c = diskcache.Cache(sys.argv[1]); c.set('k', 1); c.close()"_s, { folder })
                .exitCode
        == 0);
    auto diskcache = open(folder);
    PruneDialog* format = diskcache->openPrune();
    QTRY_COMPARE_WITH_TIMEOUT(format->tableBox()->count(), 1, 30000);
    QCOMPARE(format->tableBox()->itemText(0), u"Cache (diskcache entries)"_s);
}

// The tables can no longer be typed (pruneOffersTheTablesThere): when `info` there fails, the dialog said "Reading the
// tables…" for ever (review of stop 50). A file there that is not a database: it says why, before and after Preview.
void TestRemoteDialogs::pruneSaysWhyTheTablesAreUnknown()
{
    const QString file = m_dir.filePath(u"not-a-database.db"_s);
    QFile junk(file);
    QVERIFY(junk.open(QIODevice::WriteOnly));
    QVERIFY(junk.write(QByteArray(8192, 'x')) == 8192);
    junk.close();
    auto window = open(file);
    window->resize(1000, 708);
    window->show();
    PruneDialog* dialog = window->openPrune();
    auto* label = dialog->findChild<QLabel*>(u"previewLabel"_s);
    QVERIFY(label);
    QTRY_VERIFY2_WITH_TIMEOUT(label->text().contains(u"could not be read there"_s), qPrintable(label->text()), 30000);
    QTest::keyClicks(dialog->matchEdit(), u"note"_s); // a choice, then Preview
    dialog->preview();
    QVERIFY2(label->text().contains(u"could not be read there"_s), qPrintable(label->text()));
    QVERIFY(!dialog->pruneButton()->isEnabled());
    // A dialog opened after the failure says it at once.
    dialog->close();
    QTRY_VERIFY(!window->findChild<PruneDialog*>());
    auto* again = window->openPrune()->findChild<QLabel*>(u"previewLabel"_s);
    QVERIFY2(again->text().contains(u"could not be read there"_s), qPrintable(again->text()));
}

QTEST_MAIN(TestRemoteDialogs)
#include "tst_remotedialogs.moc"
