// SPDX-License-Identifier: GPL-3.0-or-later
// #28 defect 5: Maintenance ▸ Prune Entries… on a database of no known cache format. The dialog
// lists its tables, offers only what the chosen one can be pruned by (by age from a column read
// as a creation time, by text in any column) and says why not more, never as CLI flags; Prune
// stays disabled until a choice was previewed, and the prune removes exactly the rows the
// preview counted — counted again through a separate connection.
#include "dialogs/prunedialog.h"
#include "openedwindow.h"
#include "testsupport.h"
#include "window/maintenancemenu.h"
#include "window/mainwindow.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

namespace {
// A table of no known format: 120 events, created_at in epoch seconds, every third one 40 days
// old; and a second table, notes, with no time at all.
const QString MakeGeneric = uR"py(
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1])
db.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, name TEXT, created_at INTEGER)")
db.execute("CREATE TABLE notes (body TEXT)")
now = int(time.time())
for i in range(120):
    db.execute("INSERT INTO events (name, created_at) VALUES (?, ?)",
               ("event %d" % i, now - (40 * 86400 if i % 3 == 0 else 3600)))
for i in range(10):
    db.execute("INSERT INTO notes VALUES (?)", ("note %d" % i,))
db.commit()
db.close()
)py"_s;
} // namespace

class TestPruneGeneric : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(u"CacheScopeTests"_s);
        qputenv("CACHESCOPE_CLI", QByteArrayLiteral(CACHESCOPE_CLI_PATH)); // the Activity feed's watcher
        QVERIFY(m_dir.isValid());
    }
    void choosesByAgeThenPrunesWhatWasPlanned();

private:
    QTemporaryDir m_dir;
};

void TestPruneGeneric::choosesByAgeThenPrunesWhatWasPlanned()
{
    const QString db = m_dir.filePath(u"events.db"_s);
    runPython(MakeGeneric, { db });
    MainWindow window;
    window.resize(1000, 708);
    QVERIFY(showAndOpen(window, db, Database::Mode::ReadWrite));
    window.findChild<MaintenanceMenu*>()->prune();
    auto* dialog = window.findChild<PruneDialog*>();
    QVERIFY(dialog);
    QVERIFY(!dialog->pruneButton()->isEnabled()); // nothing chosen: nothing to remove
    QComboBox* tables = dialog->tableBox();
    QTRY_COMPARE_WITH_TIMEOUT(tables->count(), 2, 30000);
    QCOMPARE(tables->itemText(0), u"events"_s);
    QCOMPARE(tables->itemText(1), u"notes"_s);
    QVERIFY(!dialog->pruneButton()->isEnabled());
    // What events can be pruned by, and why not more, in words.
    const QString said = dialog->tableText();
    QVERIFY2(said.contains(u"by age from its column created_at"_s), qPrintable(said));
    QVERIFY2(said.contains(u"expired (it keeps no expiry time)"_s), qPrintable(said));
    QVERIFY2(!said.contains(u"--"_s), qPrintable(said)); // no CLI flags as the way to do it
    QVERIFY(!dialog->expiredBox()->isEnabled());
    auto* older = dialog->findChild<QLineEdit*>(u"olderEdit"_s);
    QVERIFY(older && older->isEnabled());
    // Preview with nothing chosen says what can be chosen, and runs nothing.
    dialog->previewButton()->click();
    QVERIFY2(dialog->previewText().contains(u"by age"_s) && !dialog->previewText().contains(u"--"_s),
        qPrintable(dialog->previewText()));
    QVERIFY(!dialog->pruneButton()->isEnabled());
    // The choice: created_at more than 30 days ago.
    older->selectAll();
    QTest::keyClicks(older, u"30d"_s); // typing turns the age on
    QVERIFY(!dialog->pruneButton()->isEnabled()); // chosen, but no plan shown yet
    QSignalSpy previewed(dialog, &PruneDialog::previewFinished);
    dialog->previewButton()->click();
    QVERIFY(previewed.wait(30000));
    QVERIFY2(previewed.at(0).at(0).toBool(), qPrintable(dialog->previewText()));
    const qint64 cutoff = QDateTime::currentSecsSinceEpoch() - 30 * 86400;
    const qint64 planned = queryInt(db, u"SELECT count(*) FROM events WHERE created_at < %1"_s.arg(cutoff));
    QCOMPARE(planned, 40);
    QVERIFY2(dialog->previewText().startsWith(u"40 entries would go — table events"_s), // no size kept: no "(0 B)"
        qPrintable(dialog->previewText()));
    QVERIFY(dialog->pruneButton()->isEnabled());
    dialog->show();
    QVERIFY(QTest::qWaitForWindowExposed(dialog));
    QVERIFY(dialog->grab().save(screenshotPath(u"prune-generic-preview.png"_s)));
    QVERIFY(window.grab().save(screenshotPath(u"prune-generic-window.png"_s)));
    // A changed choice drops the plan: Prune waits for a new preview.
    tables->setCurrentIndex(1);
    QVERIFY(!dialog->pruneButton()->isEnabled());
    QVERIFY(!dialog->findChild<QLineEdit*>(u"olderEdit"_s)->isEnabled()); // notes keeps no time
    QVERIFY2(dialog->tableText().contains(u"by age (none of its columns reads as a creation time)"_s),
        qPrintable(dialog->tableText()));
    tables->setCurrentIndex(0);
    QVERIFY(!dialog->pruneButton()->isEnabled());
    older->selectAll();
    QTest::keyClicks(older, u"30d"_s); // the age chosen again (notes had turned it off)
    QVERIFY(!dialog->pruneButton()->isEnabled());
    dialog->previewButton()->click();
    QVERIFY(previewed.wait(30000));
    QVERIFY2(dialog->previewText().startsWith(u"40 entries would go"_s), qPrintable(dialog->previewText()));
    QCOMPARE(queryInt(db, u"SELECT count(*) FROM events"_s), 120); // the previews removed nothing
    QVERIFY(dialog->pruneButton()->isEnabled());
    QSignalSpy finished(dialog, &PruneDialog::finished);
    dialog->pruneButton()->click();
    QVERIFY(finished.wait(60000));
    QVERIFY2(finished.at(0).at(0).toBool(), qPrintable(dialog->resultText()));
    QVERIFY2(dialog->resultText().startsWith(u"Removed 40 entries in "_s), qPrintable(dialog->resultText()));
    // Exactly the planned rows went, counted through a connection of this test's own.
    QCOMPARE(queryInt(db, u"SELECT count(*) FROM events"_s), 80);
    QCOMPARE(queryInt(db, u"SELECT count(*) FROM events WHERE created_at < %1"_s.arg(cutoff)), 0);
    QCOMPARE(queryInt(db, u"SELECT count(*) FROM events WHERE id % 3 = 1"_s), 0); // rows 0, 3, 6, … (ids 1, 4, 7, …)
    QCOMPARE(queryInt(db, u"SELECT count(*) FROM notes"_s), 10);
    QVERIFY(!dialog->pruneButton()->isEnabled()); // what it chose is gone
    QVERIFY(dialog->grab().save(screenshotPath(u"prune-generic-done.png"_s)));
    dialog->close();
}

QTEST_MAIN(TestPruneGeneric)
#include "tst_prunegeneric.moc"
