// SPDX-License-Identifier: GPL-3.0-or-later
// A FanoutCache is one cache in the GUI too (#23.2): a real diskcache.FanoutCache written by
// Debian's python3-diskcache, opened as a folder. Entries lists every shard's entries, shard after
// shard, each with the shard the library put it in; search and the expiry filter work across
// shards; paging through small windows meets every entry once; entries written by the library
// while the window is open appear; the Overview counts the whole cache; Open Recent keeps the
// folder and Delete removes every shard and named sub-cache.
#include "dialogs/deletedialog.h"
#include "entrycells.h"
#include "models/fanoutentrymodel.h"
#include "openedwindow.h"
#include "pages/entriespage.h"
#include "pages/overviewpage.h"
#include "scratchdir.h"
#include "testsupport.h"
#include "window/maintenancemenu.h"
#include "window/recentfiles.h"

#include <QTabWidget>

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDirIterator>
#include <QHeaderView>
#include <QLineEdit>
#include <QPushButton>
#include <QSet>
#include <QSettings>
#include <QTableView>
#include <QTest>
#include <QTimer>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

namespace {
// key → shard index, as the library placed them: one "SHARD KEY" line per live entry.
const QString ShardsScript = u"import diskcache, sys\n"
                             "c = diskcache.FanoutCache(sys.argv[1], shards=4)\n"
                             "for i, shard in enumerate(c._shards):\n"
                             "    for k in shard: print(i, k)\n"_s;

QMap<QString, int> placedByLibrary(const QString& folder)
{
    const auto listed = runPythonScript(ShardsScript, { folder });
    QMap<QString, int> placed;
    for (const QByteArray& line : listed.out.split('\n')) {
        const int space = line.indexOf(' ');
        if (space > 0)
            placed.insert(QString::fromUtf8(line.mid(space + 1)), line.left(space).toInt());
    }
    return placed;
}

// Every row of the model, window after window: key → shard label (a key met twice fails).
QMap<QString, QString> everyRow(FanoutEntryModel* model, int keyColumn)
{
    QMap<QString, QString> rows;
    for (int window = 0; window < model->windowCount(); ++window) {
        model->showWindow(window);
        for (int row = 0; row < model->rowCount(); ++row) {
            const QString key = cell(model, row, keyColumn).toString();
            const QString shard = model->data(model->index(row, model->shardColumn())).toString();
            if (rows.contains(key))
                rows.insert(key, u"twice"_s);
            else
                rows.insert(key, shard);
        }
    }
    model->showWindow(0);
    return rows;
}
} // namespace

class TestFanoutEntries : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(u"CacheScopeTests"_s);
        QCoreApplication::setApplicationName(u"tst_fanoutentries"_s);
    }
    void init();
    void everyShardInOneList();
    void searchAndExpiryAcrossShards();
    void smallWindowsPageThroughEveryShard();
    void entriesWrittenWhileOpenAppear();
    void overviewCountsTheWholeCache();
    void recentAndDeleteTakeTheWholeFolder();

private:
    FanoutEntryModel* openFanout(MainWindow& window);
    ScratchDir m_dir;
    QString m_folder;
    int m_keyColumn = -1;
};

void TestFanoutEntries::init()
{
    QVERIFY(m_dir.renew());
    m_folder = m_dir.filePath(u"fan"_s);
    const auto made = runPythonScript(
        u"import diskcache, sys, time\n"
        "c = diskcache.FanoutCache(sys.argv[1], shards=4, cull_limit=0)  # no set() removes the expired\n"
        "for i in range(600): c.set('k%d' % i, 'value %d' % i)\n"
        "for i in range(30): c.set('needle%d' % i, i)\n"
        "for i in range(25): c.set('old%d' % i, i, expire=0.2)\n"
        "time.sleep(0.3)\n"
        "c.close()\n"_s,
        { m_folder });
    QVERIFY2(made.exitCode == 0, made.err.constData());
}

FanoutEntryModel* TestFanoutEntries::openFanout(MainWindow& window)
{
    if (!openAndWait(window, m_folder, Database::Mode::ReadWrite, MainWindow::Remember::No))
        return nullptr;
    FanoutEntryModel* model = window.entriesPage()->fanoutModel();
    if (model) {
        m_keyColumn = model->view().columnIndex(EntryColumn::Role::Key);
        (void)QTest::qWaitFor([model] { return model->isCountExact(); }, 30000);
    }
    return model;
}

void TestFanoutEntries::everyShardInOneList()
{
    MainWindow window;
    FanoutEntryModel* model = openFanout(window);
    QVERIFY2(model, "a FanoutCache folder shows its entries across shards");
    QVERIFY(m_keyColumn >= 0);
    QCOMPARE(model->shardCount(), 4);
    QVERIFY(model->isCountExact());
    const QMap<QString, int> placed = placedByLibrary(m_folder); // expired entries are still stored
    QCOMPARE(placed.size(), 655);
    QCOMPARE(model->totalCount(), 655);
    const QMap<QString, QString> rows = everyRow(model, m_keyColumn);
    QCOMPARE(rows.size(), placed.size());
    for (auto it = placed.cbegin(); it != placed.cend(); ++it)
        QCOMPARE(rows.value(it.key()), u"%1"_s.arg(it.value(), 3, 10, QChar(u'0')));
    QCOMPARE(model->headerData(model->shardColumn(), Qt::Horizontal).toString(), u"shard"_s);
    // The shard column is shown first; the status names the shards.
    QVERIFY(window.entriesPage()
                ->findChild<QTableView*>(u"rowsView"_s)
                ->horizontalHeader()
                ->visualIndex(model->shardColumn())
        == 0);
    // The detail pane reads the entry from its own shard.
    const int last = model->rowCount() - 1;
    const QString key = cell(model, last, m_keyColumn).toString();
    window.entriesPage()->findChild<QTableView*>(u"rowsView"_s)->selectRow(last);
    QVERIFY2(shownDetail(window.entriesPage()).contains(key), qPrintable(window.entriesPage()->detailText()));
    QCOMPARE(window.entriesPage()->copyText(u"cli-key"_s),
        u"--key '%1' --shard %2"_s.arg(key).arg(placed.value(key), 3, 10, QChar(u'0')));
}

void TestFanoutEntries::searchAndExpiryAcrossShards()
{
    MainWindow window;
    FanoutEntryModel* model = openFanout(window);
    QVERIFY(model);
    const QMap<QString, int> placed = placedByLibrary(m_folder);
    QSet<int> needleShards;
    for (auto it = placed.cbegin(); it != placed.cend(); ++it)
        if (it.key().startsWith(u"needle"_s))
            needleShards << it.value();
    QVERIFY2(needleShards.size() > 1, "the library spread the 30 needles over several shards");
    window.entriesPage()->setFilterText(u"needle"_s);
    QTRY_VERIFY_WITH_TIMEOUT(model->isCountExact() && !model->isFiltering(), 30000);
    QCOMPARE(model->totalCount(), 30);
    const QMap<QString, QString> found = everyRow(model, m_keyColumn);
    QCOMPARE(found.size(), 30);
    for (auto it = found.cbegin(); it != found.cend(); ++it) {
        QVERIFY2(it.key().startsWith(u"needle"_s), qPrintable(it.key()));
        QCOMPARE(it.value(), u"%1"_s.arg(placed.value(it.key()), 3, 10, QChar(u'0')));
    }
    window.entriesPage()->setFilterText(QString());
    auto* expiry = window.entriesPage()->findChild<QComboBox*>(u"expiryFilter"_s);
    QVERIFY(expiry && !expiry->isHidden());
    expiry->setCurrentIndex(2); // Expired only
    QTRY_VERIFY_WITH_TIMEOUT(
        model->filter().expiry == EntryFilter::Expiry::ExpiredOnly && model->isCountExact() && !model->isFiltering(),
        30000);
    QCOMPARE(model->totalCount(), 25);
    for (const QString& key : everyRow(model, m_keyColumn).keys())
        QVERIFY2(key.startsWith(u"old"_s), qPrintable(key));
    expiry->setCurrentIndex(1); // Live only
    QTRY_VERIFY_WITH_TIMEOUT(
        model->filter().expiry == EntryFilter::Expiry::LiveOnly && model->isCountExact() && !model->isFiltering(),
        30000);
    QCOMPARE(model->totalCount(), 630);
}

void TestFanoutEntries::smallWindowsPageThroughEveryShard()
{
    MainWindow window;
    FanoutEntryModel* model = openFanout(window);
    QVERIFY(model);
    model->setWindowRows(256); // 655 entries: three windows, each crossing a shard boundary
    QCOMPARE(model->windowCount(), 3);
    const QMap<QString, QString> rows = everyRow(model, m_keyColumn);
    QCOMPARE(rows.size(), 655);
    QVERIFY(!rows.values().contains(u"twice"_s));
    // Ctrl+End lands on the last entry of the last shard.
    window.pages()->setCurrentWidget(window.entriesPage());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QTableView* view = window.entriesPage()->findChild<QTableView*>(u"rowsView"_s);
    view->setFocus();
    QTest::keyClick(view, Qt::Key_End, Qt::ControlModifier);
    QCOMPARE(model->currentWindow(), 2);
    QCOMPARE(view->currentIndex().row(), model->rowCount() - 1);
    QTRY_COMPARE(model->data(model->index(view->currentIndex().row(), model->shardColumn())).toString(), u"003"_s);
}

void TestFanoutEntries::entriesWrittenWhileOpenAppear()
{
    MainWindow window;
    FanoutEntryModel* model = openFanout(window);
    QVERIFY(model);
    QCOMPARE(model->totalCount(), 655);
    const auto wrote = runPythonScript(u"import diskcache, sys\n"
                                       "c = diskcache.FanoutCache(sys.argv[1], shards=4)\n"
                                       "for i in range(40): c.set('late%d' % i, i)\n"
                                       "c.close()\n"_s,
        { m_folder });
    QVERIFY2(wrote.exitCode == 0, wrote.err.constData());
    QTRY_COMPARE_WITH_TIMEOUT(model->totalCount(), 695, 30000);
    QTRY_VERIFY_WITH_TIMEOUT(model->isCountExact(), 30000);
    const QMap<QString, QString> rows = everyRow(model, m_keyColumn);
    const QMap<QString, int> placed = placedByLibrary(m_folder);
    QCOMPARE(rows.size(), placed.size());
    for (int i = 0; i < 40; ++i) {
        const QString key = u"late%1"_s.arg(i);
        QCOMPARE(rows.value(key), u"%1"_s.arg(placed.value(key), 3, 10, QChar(u'0')));
    }
}

void TestFanoutEntries::overviewCountsTheWholeCache()
{
    MainWindow window;
    QVERIFY(openFanout(window));
    OverviewPage* overview = window.overviewPage();
    QTRY_VERIFY_WITH_TIMEOUT(overview->contentsText().contains(u"shards of the FanoutCache"_s), 30000);
    const QString contents = overview->contentsText();
    QVERIFY2(contents.contains(u"655 entries"_s), qPrintable(contents));
    QVERIFY2(contents.contains(u"25 entries have expired"_s), qPrintable(contents));
    QVERIFY2(overview->cacheText().contains(u"655 entries in its 4 shards"_s), qPrintable(overview->cacheText()));
}

// Open Recent keeps the folder (shard 000's cache.db would reopen one shard of four), and
// Maintenance › Delete removes every shard and the named sub-caches, not shard 000 alone.
void TestFanoutEntries::recentAndDeleteTakeTheWholeFolder()
{
    const auto sub = runPythonScript(u"import diskcache, sys\n"
                                     "c = diskcache.FanoutCache(sys.argv[1], shards=4)\n"
                                     "s = c.index('sessions')\n"
                                     "for i in range(20): s['s%d' % i] = i\n"
                                     "c.cache('blobs')['b'] = b'x' * 100\n"
                                     "c.close()\n"_s,
        { m_folder });
    QVERIFY2(sub.exitCode == 0, sub.err.constData());
    QSettings().remove(u"recentFiles"_s);
    MainWindow window;
    QVERIFY(showAndOpen(window, m_folder, Database::Mode::ReadWrite, MainWindow::Remember::Yes));
    QCOMPARE(window.database()->path(), m_folder + u"/000/cache.db"_s);
    QCOMPARE(RecentFiles().paths().value(0), m_folder);
    auto* maintenance = window.findChild<MaintenanceMenu*>();
    QVERIFY(maintenance);
    bool sawDialog = false;
    QString totals;
    QTimer::singleShot(0, this, [&] {
        auto* dialog = qobject_cast<DeleteDialog*>(QApplication::activeModalWidget());
        sawDialog = dialog != nullptr;
        if (!dialog)
            return;
        QTRY_VERIFY_WITH_TIMEOUT(dialog->deleteButton()->isEnabled(), 30000);
        totals = dialog->totalsText();
        if (auto* trash = dialog->findChild<QCheckBox*>(u"trashCheck"_s))
            trash->setChecked(false); // for good: nothing of the test left in a trash
        dialog->deleteButton()->click();
    });
    maintenance->deleteCache();
    QVERIFY(sawDialog);
    QVERIFY2(totals.contains(u"6 databases"_s), qPrintable(totals)); // 4 shards, index/sessions, cache/blobs
    QVERIFY(window.database() == nullptr);
    QStringList left;
    for (QDirIterator it(m_folder, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories); it.hasNext();)
        left << it.next();
    QVERIFY2(left.isEmpty(), qPrintable(left.join(u", "_s)));
}

QTEST_MAIN(TestFanoutEntries)
#include "tst_fanoutentries.moc"
