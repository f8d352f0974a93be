// SPDX-License-Identifier: GPL-3.0-or-later
// Maintenance of a FanoutCache opened in the window acts on the whole cache (#23.2): a real
// diskcache.FanoutCache of 4 shards with the named sub-caches index('sessions') and
// cache('blobs'), written by Debian's python3-diskcache. Checkpoint empties every shard's and
// sub-cache's -wal while the library holds them open; Vacuum into a folder writes a copy the
// library reads back whole, key by key; Prune removes the expired entries of every shard; the
// status bar names the FanoutCache and sums its files. Before, all of these took shard 000.
#include "dialogs/checkpointdialog.h"
#include "dialogs/prunedialog.h"
#include "dialogs/vacuumdialog.h"
#include "maintenance/cachefolder.h"
#include "models/activityfeed.h"
#include "models/fanoutentrymodel.h"
#include "openedwindow.h"
#include "pages/activitypage.h"
#include "pages/entriespage.h"
#include "scratchdir.h"
#include "testsupport.h"
#include "window/maintenancemenu.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileInfo>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTableView>
#include <QTest>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

namespace {
// argv[1]: the folder. 4 shards, 200 entries (25 of them expired), index('sessions') of 20,
// cache('blobs') of one; with argv[2] == "hold" it keeps the cache open (its -wal files
// non-empty) until stdin closes.
const QString MakeFanout = u"import diskcache, sys, time\n"
                           "c = diskcache.FanoutCache(sys.argv[1], shards=4, cull_limit=0)\n"
                           "for i in range(175): c.set('k%d' % i, 'value %d ' % i * 20)\n"
                           "for i in range(25): c.set('old%d' % i, i, expire=0.2)\n"
                           "s = c.index('sessions')\n"
                           "for i in range(20): s['s%d' % i] = i\n"
                           "c.cache('blobs')['b'] = b'x' * 100\n"
                           "time.sleep(0.3)\n"
                           "if len(sys.argv) > 2:\n"
                           "    print('ready', flush=True)\n"
                           "    sys.stdin.read()\n"
                           "c.close()\n"_s;

// What the library reads from a FanoutCache folder on one line: the entries stored per shard
// (expired ones too), the live ones, the sessions index and the blob.
const QString ReadFanout = u"import diskcache, hashlib, sys\n"
                           "c = diskcache.FanoutCache(sys.argv[1], shards=4)\n"
                           "counts = [len(list(s.iterkeys())) for s in c._shards]\n"
                           "live = sorted((k, c.get(k)) for k in c if c.get(k) is not None)\n"
                           "s = c.index('sessions')\n"
                           "print('stored', sum(counts), counts, 'live', len(live), "
                           "hashlib.sha256(repr(live).encode()).hexdigest(), 'sessions',\n"
                           "      sorted(s.items()), 'blob', c.cache('blobs').get('b') == b'x' * 100)\n"_s;

// "Delete All Entries Matching This Filter…" as from the context menu, on the Entries page's
// current table; the PruneDialog it opens previewed (`count` entries), then run.
bool deleteMatching(MainWindow& window, int count)
{
    auto* view = window.entriesPage()->findChild<QTableView*>(u"rowsView"_s);
    view->findChild<QAction*>(u"deleteMatchingAction"_s)->trigger();
    auto* dialog = window.findChild<PruneDialog*>();
    if (!dialog)
        return false;
    QSignalSpy previewed(dialog, &PruneDialog::previewFinished);
    if (!previewed.wait(60000) || !dialog->previewText().contains(u"%1 entries would go"_s.arg(count))) {
        qWarning() << "preview:" << dialog->previewText();
        return false;
    }
    QSignalSpy finished(dialog, &PruneDialog::finished);
    dialog->pruneButton()->click();
    const bool ok = finished.wait(60000) && finished.first().first().toBool();
    dialog->close();
    return ok;
}

// Every key the library stores, one per line: "main KEY" for the shards', "sessions KEY" for
// the index's (expired entries too).
const QString EveryKey = u"import diskcache, sys\n"
                         "c = diskcache.FanoutCache(sys.argv[1], shards=4)\n"
                         "for s in c._shards:\n"
                         "    for k in s.iterkeys(): print('main', k)\n"
                         "for k in c.index('sessions').keys(): print('sessions', k)\n"_s;

// The Entries page's current table: these rows selected, then "Delete Selected Entries…" as
// from the context menu; the PruneDialog it opens previewed, then run. The keys of those rows.
QStringList deleteRows(MainWindow& window, const QList<int>& rows)
{
    EntriesPage* page = window.entriesPage();
    auto* view = page->findChild<QTableView*>(u"rowsView"_s);
    const EntryTableModel* model = qobject_cast<const EntryTableModel*>(view->model());
    const int key = model->view().columnIndex(EntryColumn::Role::Key);
    QStringList keys;
    view->clearSelection();
    for (int row : rows) { // each shown, as a user selecting it sees it: its page read
        view->scrollTo(model->index(row, 0));
        if (!QTest::qWaitFor([model, row] { return model->rowAt(row).has_value(); }, 30000))
            return {};
        view->selectionModel()->select(model->index(row, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
        keys << model->data(model->index(row, key)).toString();
    }
    view->findChild<QAction*>(u"deleteSelectedAction"_s)->trigger();
    auto* dialog = window.findChild<PruneDialog*>();
    if (!dialog)
        return {};
    QSignalSpy previewed(dialog, &PruneDialog::previewFinished); // the preview runs off this thread
    if (!previewed.wait(60000) || !dialog->previewText().contains(u"%1 entries would go"_s.arg(rows.size()))) {
        qWarning() << "preview:" << (dialog ? dialog->previewText() : u"no dialog"_s);
        return {};
    }
    QSignalSpy finished(dialog, &PruneDialog::finished);
    dialog->pruneButton()->click();
    if (!finished.wait(60000) || !finished.first().first().toBool()) {
        qWarning() << "result:" << dialog->resultText();
        return {};
    }
    dialog->close();
    return keys;
}
} // namespace

class TestFanoutMaintenance : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void checkpointEmptiesEveryWal();
    void vacuumIntoCopiesTheWholeCache();
    void pruneTakesEveryShard();
    void entriesDeletedInTheirShardAndSubCache();
    void statusBarNamesTheWholeCache();
    void activityWatchesTheChosenPart();

private:
    ScratchDir m_dir;
    QString m_folder;
};

void TestFanoutMaintenance::initTestCase()
{
    QCoreApplication::setOrganizationName(u"CacheScopeTests"_s);
    QCoreApplication::setApplicationName(u"tst_fanoutmaintenance"_s);
    qputenv("CACHESCOPE_CLI", QByteArrayLiteral(CACHESCOPE_CLI_PATH)); // Activity's watch child
}

void TestFanoutMaintenance::init()
{
    QVERIFY(m_dir.renew());
    m_folder = m_dir.filePath(u"fan"_s);
}

void TestFanoutMaintenance::checkpointEmptiesEveryWal()
{
    PythonChild library(MakeFanout, { m_folder, u"hold"_s });
    QVERIFY(library.waitReady(60000));
    const auto folder = CacheFolder::resolve(m_folder);
    QVERIFY(folder);
    QCOMPARE(folder->everyDatabase().size(), 6);
    for (const QString& database : folder->everyDatabase())
        QVERIFY2(QFileInfo(database + u"-wal"_s).size() > 0, qPrintable(database)); // frames not yet copied back
    MainWindow window;
    QVERIFY(openAndWait(window, m_folder, Database::Mode::ReadWrite, MainWindow::Remember::No));
    window.findChild<MaintenanceMenu*>()->checkpoint();
    auto* dialog = window.findChild<CheckpointDialog*>();
    QVERIFY(dialog);
    dialog->setMode(Checkpoint::Mode::Truncate);
    QSignalSpy finished(dialog, &CheckpointDialog::finished);
    dialog->start();
    QVERIFY(finished.wait(60000));
    const QString result = dialog->resultText();
    QVERIFY2(finished.first().first().toBool(), qPrintable(result));
    for (const QString& what :
        { u"shard 000: "_s, u"shard 003: "_s, u"sub-cache index/sessions: "_s, u"sub-cache cache/blobs: "_s })
        QVERIFY2(result.contains(what + u"The TRUNCATE checkpoint is complete"_s), qPrintable(result));
    for (const QString& database : folder->everyDatabase())
        QVERIFY2(QFileInfo(database + u"-wal"_s).size() == 0, qPrintable(database));
    library.stop();
}

void TestFanoutMaintenance::vacuumIntoCopiesTheWholeCache()
{
    runPython(MakeFanout, { m_folder });
    const QByteArray original = runPython(ReadFanout, { m_folder });
    QVERIFY2(original.startsWith("stored 200 "), original.constData());
    QVERIFY2(original.contains(" live 175 "), original.constData());
    QVERIFY2(original.contains("('s9', 9)] blob True"), original.constData());
    MainWindow window;
    QVERIFY(openAndWait(window, m_folder, Database::Mode::ReadWrite, MainWindow::Remember::No));
    window.findChild<MaintenanceMenu*>()->vacuum();
    auto* dialog = window.findChild<VacuumDialog*>();
    QVERIFY(dialog);
    QTRY_VERIFY2_WITH_TIMEOUT(dialog->introText().contains(u"4 shards, then its 2 named sub-caches"_s),
        qPrintable(dialog->introText()), 30000);
    const QString copy = m_dir.filePath(u"copy"_s);
    dialog->setIntoPath(copy);
    QSignalSpy finished(dialog, &VacuumDialog::finished);
    dialog->start();
    QVERIFY(finished.wait(60000));
    QVERIFY2(finished.first().first().toBool(), qPrintable(dialog->resultText()));
    QVERIFY2(dialog->resultText().contains(u"sub-cache index/sessions: "_s), qPrintable(dialog->resultText()));
    // The library reads the copy as it reads the original: every shard's entries, the index, the blob.
    QCOMPARE(runPython(ReadFanout, { copy }), original);
}

void TestFanoutMaintenance::pruneTakesEveryShard()
{
    runPython(MakeFanout, { m_folder });
    const QByteArray before = runPython(ReadFanout, { m_folder });
    QVERIFY2(before.startsWith("stored 200 ") && before.contains(" live 175 "), before.constData());
    MainWindow window;
    QVERIFY(openAndWait(window, m_folder, Database::Mode::ReadWrite, MainWindow::Remember::No));
    window.findChild<MaintenanceMenu*>()->prune();
    auto* dialog = window.findChild<PruneDialog*>();
    QVERIFY(dialog);
    dialog->expiredBox()->setChecked(true);
    QSignalSpy previewed(dialog, &PruneDialog::previewFinished);
    dialog->preview();
    QVERIFY(previewed.wait(60000));
    QVERIFY2(dialog->previewText().contains(u"25 entries would go"_s), qPrintable(dialog->previewText()));
    QSignalSpy finished(dialog, &PruneDialog::finished);
    dialog->start();
    QVERIFY(finished.wait(60000));
    QVERIFY2(dialog->resultText().startsWith(u"Removed 25 entries in all"_s), qPrintable(dialog->resultText()));
    QVERIFY2(dialog->resultText().contains(u"from 4 shards"_s), qPrintable(dialog->resultText()));
    const QByteArray after = runPython(ReadFanout, { m_folder });
    // 175 entries left in all, the live ones, the same; the sub-caches untouched.
    QVERIFY2(after.startsWith("stored 175 "), after.constData());
    QCOMPARE(after.mid(after.indexOf(" live ")), before.mid(before.indexOf(" live ")));
    const auto folder = CacheFolder::resolve(m_folder);
    QVERIFY(folder);
    qint64 stored = 0;
    for (const QString& shard : folder->databases)
        stored += queryInt(shard, u"SELECT count(*) FROM Cache"_s);
    QCOMPARE(stored, 175);
}

// Rows chosen in the Entries page of a FanoutCache go from their own shard (every shard numbers
// its rows from 1: shard 000's rowids would name other entries), and rows of a named sub-cache
// from its own database. Before, both were refused with "open the shard's cache.db".
void TestFanoutMaintenance::entriesDeletedInTheirShardAndSubCache()
{
    runPython(MakeFanout, { m_folder });
    const auto keys = [this] {
        QStringList lines = QString::fromUtf8(runPython(EveryKey, { m_folder })).split(u'\n', Qt::SkipEmptyParts);
        lines.sort();
        return lines;
    };
    QStringList expected = keys();
    QCOMPARE(expected.size(), 220);
    MainWindow window;
    QVERIFY(openAndWait(window, m_folder, Database::Mode::ReadWrite, MainWindow::Remember::No));
    FanoutEntryModel* fanout = window.entriesPage()->fanoutModel();
    QVERIFY(fanout);
    QTRY_VERIFY_WITH_TIMEOUT(fanout->isCountExact() && fanout->rowCount() == 200, 30000);
    // The first row and the last: shard 000's first, shard 003's last — the same rowid, 1, in
    // two shards when each has its own numbering.
    const int last = fanout->rowCount() - 1;
    QCOMPARE(fanout->shardOfRow(0), 0);
    QCOMPARE(fanout->shardOfRow(last), 3);
    const QStringList gone = deleteRows(window, { 0, last });
    QCOMPARE(gone.size(), 2);
    for (const QString& key : gone)
        expected.removeOne(u"main "_s + key);
    QCOMPARE(keys(), expected);
    // Every entry the filter shows, in every shard: the old* left (25, or 24 when one went above).
    const auto isOld = [](const QString& line) { return line.startsWith(u"main old"_s); };
    const int old = int(std::count_if(expected.cbegin(), expected.cend(), isOld));
    QVERIFY(old >= 24);
    window.entriesPage()->setFilterText(u"old"_s);
    QTRY_VERIFY_WITH_TIMEOUT(fanout->isCountExact() && !fanout->isFiltering() && fanout->rowCount() == old, 30000);
    QVERIFY(deleteMatching(window, old));
    expected.erase(std::remove_if(expected.begin(), expected.end(), isOld), expected.end());
    QCOMPARE(keys(), expected);

    // The sub-cache index('sessions'): its own table, its rows from its own database.
    auto* list = window.entriesPage()->findChild<QListWidget*>(u"tableList"_s);
    const auto headings = list->findItems(u"Sub-cache index/sessions"_s, Qt::MatchExactly);
    QCOMPARE(headings.size(), 1);
    int table = list->row(headings.first()) + 1;
    while (table < list->count() && list->item(table)->data(Qt::UserRole).toString() != u"Cache"_s)
        ++table;
    QVERIFY(table < list->count());
    list->setCurrentRow(table);
    EntryModel* sessions = window.entriesPage()->entryModel();
    QVERIFY(sessions && !window.entriesPage()->fanoutModel());
    QTRY_VERIFY_WITH_TIMEOUT(sessions->isCountExact() && sessions->rowCount() == 20, 30000);
    const QStringList goneSessions = deleteRows(window, { 1, 2, 3 });
    QCOMPARE(goneSessions.size(), 3);
    for (const QString& key : goneSessions)
        expected.removeOne(u"sessions "_s + key);
    QCOMPARE(keys(), expected); // the shards' entries untouched
}

void TestFanoutMaintenance::statusBarNamesTheWholeCache()
{
    runPython(MakeFanout, { m_folder });
    MainWindow window;
    QVERIFY(openAndWait(window, m_folder, Database::Mode::ReadWrite, MainWindow::Remember::No));
    auto* status = window.statusBar()->findChild<QLabel*>(u"cacheStatus"_s);
    QVERIFY(status);
    QVERIFY2(status->text().contains(u"FanoutCache: 4 shards, 2 sub-caches"_s), qPrintable(status->text()));
    QVERIFY2(window.windowTitle().contains(u" — FanoutCache, WAL — CacheScope"_s), qPrintable(window.windowTitle()));
}

// Each shard and sub-cache has its own -wal, lock and writers: Activity says so and watches the
// one chosen, shard 000 first.
void TestFanoutMaintenance::activityWatchesTheChosenPart()
{
    runPython(MakeFanout, { m_folder });
    MainWindow window;
    QVERIFY(openAndWait(window, m_folder, Database::Mode::ReadWrite, MainWindow::Remember::No));
    auto* activity = window.findChild<ActivityPage*>();
    auto* choice = activity->findChild<QComboBox*>(u"activityPart"_s);
    QVERIFY(choice);
    QCOMPARE(choice->count(), 6);
    QCOMPARE(choice->itemText(0), u"shard 000"_s);
    QCOMPARE(choice->itemText(5), u"sub-cache index/sessions"_s);
    QCOMPARE(activity->shownPart(), 0);
    QVERIFY(activity->feed()->arguments().contains(m_folder + u"/000/cache.db"_s));
    QSignalSpy sampled(activity->feed(), &ActivityFeed::sampleReceived);
    QSignalSpy failed(activity->feed(), &ActivityFeed::failed);
    activity->showPart(5);
    QCOMPARE(choice->currentIndex(), 5);
    QVERIFY(activity->feed()->arguments().contains(m_folder + u"/index/sessions/cache.db"_s));
    QVERIFY(!activity->feed()->arguments().contains(m_folder + u"/000/cache.db"_s));
    // The sub-cache's own samples arrive.
    QVERIFY2(sampled.wait(30000), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
}

QTEST_MAIN(TestFanoutMaintenance)
#include "tst_fanoutmaintenance.moc"
