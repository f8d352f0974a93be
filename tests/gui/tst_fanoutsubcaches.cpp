// SPDX-License-Identifier: GPL-3.0-or-later
// A FanoutCache's named sub-caches in the GUI (#23.2): FanoutCache.index('sessions') and
// FanoutCache.cache('pages'), written by Debian's python3-diskcache, are listed in Entries below
// headings naming them; selecting one's table shows that sub-cache's entries — every key the
// library returns, pickled values decoded in the detail, search and the expiry filter there,
// entries the library writes meanwhile appearing — and the Overview counts each one.
#include "entrycells.h"
#include "models/entrymodel.h"
#include "models/queryresultmodel.h"
#include "openedwindow.h"
#include "pages/entriespage.h"
#include "pages/overviewpage.h"
#include "pages/sqlpage.h"
#include "scratchdir.h"
#include "testsupport.h"

#include <QComboBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QListWidget>
#include <QProcess>
#include <QSet>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

namespace {
// What the library returns for the cache at argv[1], as JSON: each sub-cache's keys with their
// values (text as it is, anything else as its repr) and the keys it counts expired.
const QString ReadScript = u"import diskcache, json, sys\n"
                           "c = diskcache.FanoutCache(sys.argv[1], shards=4)\n"
                           "missing = object()\n"
                           "def entries(d):\n"
                           "    return {k: v if isinstance(v, str) else repr(v) for k, v in ((k, d[k]) for k in d)}\n"
                           "pages = c.cache('pages')\n"
                           "stored = list(pages.iterkeys())\n"
                           "print(json.dumps({'sessions': entries(c.index('sessions')),\n"
                           "    'pages': stored, 'pages_expired': [k for k in stored if pages.get(k, missing) is "
                           "missing],\n"
                           "    'pages_live': {k: pages[k] for k in stored if pages.get(k, missing) is not missing},\n"
                           "    'main': len(c)}))\n"_s;

QJsonObject readByLibrary(const QString& folder)
{
    const auto read = runPythonScript(ReadScript, { folder });
    return read.exitCode == 0 ? QJsonDocument::fromJson(read.out).object() : QJsonObject();
}

// Every row of the model: key → the value column's text.
QMap<QString, QString> everyRow(EntryModel* model)
{
    const int key = model->view().columnIndex(EntryColumn::Role::Key);
    const int value = model->view().columnIndex(EntryColumn::Role::Value);
    QMap<QString, QString> rows;
    for (int row = 0; row < model->rowCount(); ++row)
        rows.insert(cell(model, row, key).toString(), cell(model, row, value).toString());
    return rows;
}
} // namespace

class TestFanoutSubCaches : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void subCachesListedAndShown();
    void searchExpiryAndLiveInASubCache();
    void overviewCountsEachSubCache();
    void sqlRunsOnTheChosenFile();

private:
    // Opens the folder in window (shown at 1000×708) and selects the table `Cache` of the
    // sub-cache `name` as a user would, in the list below its heading; its model once counted.
    EntryModel* showSubCache(MainWindow& window, const QString& name);
    // Shows window at 1000×708 with the folder open read-only.
    bool showReadOnly(MainWindow& window);
    ScratchDir m_dir;
    QString m_folder;
};

void TestFanoutSubCaches::initTestCase()
{
    QCoreApplication::setOrganizationName(u"CacheScopeTests"_s);
    QCoreApplication::setApplicationName(u"tst_fanoutsubcaches"_s);
    QVERIFY(m_dir.renew());
    m_folder = m_dir.filePath(u"fan"_s);
    const auto made = runPythonScript(u"import diskcache, sys, time\n"
                                      "c = diskcache.FanoutCache(sys.argv[1], shards=4, cull_limit=0)\n"
                                      "for i in range(50): c.set('main%d' % i, i)\n"
                                      "s = c.index('sessions')\n"
                                      "for i in range(40): s['user-%d' % i] = 'session of user %d' % i\n"
                                      "s['user-profile'] = {'user': 3, 'roles': ['admin', 'ops'], 'active': True}\n"
                                      "p = c.cache('pages')\n"
                                      "for i in range(30): p.set('/page/%d' % i, '<html>%d</html>' % i)\n"
                                      "for i in range(7): p.set('/old/%d' % i, 'stale', expire=0.2)\n"
                                      "time.sleep(0.3)\n"
                                      "c.close()\n"_s,
        { m_folder });
    QVERIFY2(made.exitCode == 0, made.err.constData());
}

bool TestFanoutSubCaches::showReadOnly(MainWindow& window)
{
    window.resize(1000, 708);
    window.show();
    return QTest::qWaitForWindowExposed(&window)
        && openAndWait(window, m_folder, Database::Mode::ReadOnly, MainWindow::Remember::No);
}

EntryModel* TestFanoutSubCaches::showSubCache(MainWindow& window, const QString& name)
{
    window.resize(1000, 708);
    window.show();
    if (!QTest::qWaitForWindowExposed(&window)
        || !openAndWait(window, m_folder, Database::Mode::ReadWrite, MainWindow::Remember::No))
        return nullptr;
    window.pages()->setCurrentWidget(window.entriesPage());
    auto* list = window.entriesPage()->findChild<QListWidget*>(u"tableList"_s);
    const auto headings = list->findItems(u"Sub-cache "_s + name, Qt::MatchExactly);
    if (headings.size() != 1)
        return nullptr;
    int table = list->row(headings.first()) + 1; // its tables, up to the next heading: diskcache's Cache
    while (table < list->count() && list->item(table)->data(Qt::UserRole).toString() != u"Cache"_s
        && !list->item(table)->data(Qt::UserRole).toString().isEmpty())
        ++table;
    if (table >= list->count() || list->item(table)->data(Qt::UserRole).toString() != u"Cache"_s)
        return nullptr;
    list->setCurrentRow(table);
    EntryModel* model = window.entriesPage()->entryModel();
    if (model)
        (void)QTest::qWaitFor([model] { return model->isCountExact() && !model->isFiltering(); }, 30000);
    return model;
}

void TestFanoutSubCaches::subCachesListedAndShown()
{
    const QJsonObject library = readByLibrary(m_folder);
    const QJsonObject sessions = library[u"sessions"_s].toObject();
    QCOMPARE(sessions.size(), 41);
    MainWindow window;
    EntryModel* model = showSubCache(window, u"index/sessions"_s);
    QVERIFY2(model, "the sub-cache index/sessions is listed below its heading, its table selectable");
    EntriesPage* page = window.entriesPage();
    QVERIFY2(!page->fanoutModel(), "a sub-cache's table is its own, not every shard's");
    QCOMPARE(model->totalCount(), qint64(sessions.size()));
    // Every key and text value the library returns, and no other.
    const QMap<QString, QString> rows = everyRow(model);
    const QStringList keys = sessions.keys();
    QCOMPARE(QSet<QString>(rows.keyBegin(), rows.keyEnd()), QSet<QString>(keys.cbegin(), keys.cend()));
    for (auto it = sessions.constBegin(); it != sessions.constEnd(); ++it) {
        if (it.key() != u"user-profile"_s)
            QCOMPARE(rows.value(it.key()), it.value().toString());
    }
    const QString status = page->findChild<QLabel*>(u"statusLabel"_s)->text();
    QVERIFY2(status.contains(u"sub-cache index/sessions"_s), qPrintable(status));
    // The pickled dict decoded in the detail, read from the sub-cache's own database.
    auto* rowsView = page->findChild<QTableView*>(u"rowsView"_s);
    const int key = model->view().columnIndex(EntryColumn::Role::Key);
    int profileRow = -1;
    for (int row = 0; row < model->rowCount() && profileRow < 0; ++row)
        profileRow = cell(model, row, key).toString() == u"user-profile"_s ? row : -1;
    QVERIFY(profileRow >= 0);
    rowsView->selectRow(profileRow);
    const QString detail = shownDetail(page);
    // As Python's repr() writes it (PythonRepr, #28 defect 13): in the order stored, Python's quotes and True.
    QVERIFY2(
        detail.contains(u"{'user': 3, 'roles': ['admin', 'ops'], 'active': True}"_s), qPrintable(detail.left(2000)));
    QVERIFY(!detail.contains(u"not unpickled"_s));
    // "Copy key" names the sub-cache, and the CLI finds exactly that entry by it.
    const QString option = page->copyText(u"cli-key"_s);
    QCOMPARE(option, u"--key 'user-profile' --shard index/sessions"_s);
    const auto found = runCli(
        { u"entries"_s, m_folder, u"--key"_s, u"user-profile"_s, u"--shard"_s, u"index/sessions"_s, u"--json"_s });
    QVERIFY2(found.exitCode == 0, found.err.constData());
    const QJsonArray foundRows = QJsonDocument::fromJson(found.out)[u"rows"_s].toArray();
    QCOMPARE(foundRows.size(), 1);
    QCOMPARE(foundRows.at(0).toObject().value(u"key"_s).toString(), u"user-profile"_s);
    // Deleting prunes the sub-cache's own file (Prune of the folder would take the shards'
    // entries); tst_fanoutmaintenance deletes them and reads the library back.
    QSignalSpy pruneRequested(page, &EntriesPage::pruneRequested);
    page->requestDelete(false);
    QCOMPARE(pruneRequested.size(), 1);
    const auto selection = pruneRequested.first().first().value<PruneSelection>();
    QCOMPARE(selection.database, m_folder + u"/index/sessions/cache.db"_s);
    QVERIFY(selection.rowids && selection.rowids->size() == 1 && !selection.rowidsByShard);

    // The table list: the FanoutCache's own tables, then a heading per sub-cache with its tables.
    auto* list = page->findChild<QListWidget*>(u"tableList"_s);
    QStringList items;
    for (int i = 0; i < list->count(); ++i)
        items << list->item(i)->text();
    QVERIFY2(items.contains(u"Sub-cache cache/pages"_s), qPrintable(items.join(u" | "_s)));
    QCOMPARE(page->tableNames().count(u"Cache"_s), 1); // the open database's own, once
    settleEvents();
    const int widest = list->fontMetrics().horizontalAdvance(u"Sub-cache index/sessions"_s);
    QVERIFY2(list->viewport()->width() >= widest, qPrintable(u"%1 < %2"_s.arg(list->viewport()->width()).arg(widest)));
    QVERIFY(window.grab().save(screenshotPath(u"entries-fanout-subcaches.png"_s)));
}

void TestFanoutSubCaches::searchExpiryAndLiveInASubCache()
{
    QJsonObject library = readByLibrary(m_folder);
    const QJsonArray stored = library[u"pages"_s].toArray();
    const QJsonArray expired = library[u"pages_expired"_s].toArray();
    QVERIFY2(!expired.isEmpty(), "the library counts some pages expired");
    MainWindow window;
    EntryModel* model = showSubCache(window, u"cache/pages"_s);
    QVERIFY(model);
    QCOMPARE(model->totalCount(), qint64(stored.size()));
    const QMap<QString, QString> rows = everyRow(model);
    const QJsonObject live = library[u"pages_live"_s].toObject();
    for (auto it = live.constBegin(); it != live.constEnd(); ++it)
        QCOMPARE(rows.value(it.key(), u"(missing)"_s), it.value().toString());
    // Search: the keys the library holds with "/page/1" in them.
    qint64 matching = 0;
    for (const QJsonValue& key : stored)
        matching += key.toString().contains(u"/page/1"_s) ? 1 : 0;
    window.entriesPage()->setFilterText(u"/page/1"_s);
    QTRY_VERIFY_WITH_TIMEOUT(!model->isFiltering() && model->isCountExact(), 30000);
    QCOMPARE(model->totalCount(), matching);
    for (const QString& key : everyRow(model).keys())
        QVERIFY2(key.contains(u"/page/1"_s), qPrintable(key));
    window.entriesPage()->setFilterText(QString());
    auto* expiry = window.entriesPage()->findChild<QComboBox*>(u"expiryFilter"_s);
    QVERIFY(expiry && !expiry->isHidden());
    expiry->setCurrentIndex(2); // Expired only
    QTRY_VERIFY_WITH_TIMEOUT(
        model->filter().expiry == EntryFilter::Expiry::ExpiredOnly && !model->isFiltering() && model->isCountExact(),
        30000);
    QSet<QString> expiredKeys;
    for (const QJsonValue& key : expired)
        expiredKeys << key.toString();
    const QMap<QString, QString> shownExpired = everyRow(model);
    QCOMPARE(QSet<QString>(shownExpired.keyBegin(), shownExpired.keyEnd()), expiredKeys);
    expiry->setCurrentIndex(0);
    QTRY_VERIFY_WITH_TIMEOUT(model->filter().expiry == EntryFilter::Expiry::Any && model->isCountExact(), 30000);
    // The library writes to the sub-cache while it is shown: its entries appear.
    const auto wrote = runPythonScript(u"import diskcache, sys\n"
                                       "c = diskcache.FanoutCache(sys.argv[1], shards=4)\n"
                                       "p = c.cache('pages')\n"
                                       "for i in range(12): p.set('/late/%d' % i, 'late %d' % i)\n"
                                       "c.close()\n"_s,
        { m_folder });
    QVERIFY2(wrote.exitCode == 0, wrote.err.constData());
    library = readByLibrary(m_folder); // its sets may have culled expired entries meanwhile
    const qint64 now = library[u"pages"_s].toArray().size();
    QVERIFY(now >= stored.size() - expired.size() + 12);
    QTRY_COMPARE_WITH_TIMEOUT(model->totalCount(), now, 30000);
    QTRY_VERIFY_WITH_TIMEOUT(model->isCountExact(), 30000);
    const QMap<QString, QString> after = everyRow(model);
    for (int i = 0; i < 12; ++i)
        QCOMPARE(after.value(u"/late/%1"_s.arg(i)), u"late %1"_s.arg(i));
}

void TestFanoutSubCaches::overviewCountsEachSubCache()
{
    const QJsonObject library = readByLibrary(m_folder);
    MainWindow window;
    QVERIFY(showReadOnly(window));
    window.pages()->setCurrentWidget(window.overviewPage());
    OverviewPage* overview = window.overviewPage();
    QTRY_VERIFY_WITH_TIMEOUT(overview->cacheText().contains(u"Sub-cache"_s), 30000);
    const QString text = overview->cacheText();
    QVERIFY2(text.contains(u"Sub-cache <b>index/sessions</b> — format diskcache — %1 entries"_s.arg(
                 library[u"sessions"_s].toObject().size())),
        qPrintable(text));
    QVERIFY2(text.contains(u"Sub-cache <b>cache/pages</b> — format diskcache — %1 entries"_s.arg(
                 library[u"pages"_s].toArray().size())),
        qPrintable(text));
    // The FanoutCache's own entries stay the shards' alone.
    QVERIFY2(text.contains(u"%1 entries in its 4 shards"_s.arg(library[u"main"_s].toInt())), qPrintable(text));
    settleEvents();
    QVERIFY(window.grab().save(screenshotPath(u"overview-fanout-subcaches.png"_s)));
}

// The SQL tab on a FanoutCache (new-user review): "select count(*) from Cache" said 100 of 400 entries, from shard 000
// alone, and nothing said so. "Runs on" lists every file of the cache; a statement runs on the one chosen, and its
// result says which file it came from.
void TestFanoutSubCaches::sqlRunsOnTheChosenFile()
{
    const QJsonObject library = readByLibrary(m_folder);
    MainWindow window;
    QVERIFY(showReadOnly(window));
    auto* sql = window.findChild<SqlPage*>();
    QVERIFY(sql);
    window.pages()->setCurrentWidget(sql);
    QCOMPARE(sql->partLabels(),
        QStringList({ u"Runs on shard 000"_s, u"Runs on shard 001"_s, u"Runs on shard 002"_s, u"Runs on shard 003"_s,
            u"Runs on sub-cache cache/pages"_s, u"Runs on sub-cache index/sessions"_s }));
    auto* combo = sql->findChild<QComboBox*>(u"partCombo"_s);
    QVERIFY(combo && combo->isVisible());

    const auto count = [sql](int part) -> qint64 {
        sql->choosePart(part);
        sql->setSql(u"SELECT count(*) FROM Cache"_s);
        QSignalSpy finished(sql, &SqlPage::queryFinished);
        sql->run();
        if (!finished.wait(30000) || sql->model()->rowCount() != 1)
            return -1;
        return sql->model()->index(0, 0).data().toString().remove(u',').toLongLong();
    };
    qint64 shards = 0;
    for (int shard = 0; shard < 4; ++shard) {
        const qint64 rows = count(shard);
        QVERIFY2(rows >= 0, qPrintable(sql->statusText()));
        shards += rows;
        QVERIFY2(sql->statusText().contains(u"From shard 00%1 ("_s.arg(shard))
                && sql->statusText().contains(u"/00%1/cache.db) only, one file of the FanoutCache."_s.arg(shard)),
            qPrintable(sql->statusText()));
    }
    QCOMPARE(shards, qint64(library[u"main"_s].toInt()));
    QCOMPARE(count(5), qint64(library[u"sessions"_s].toObject().size()));
    QVERIFY2(sql->statusText().contains(u"From sub-cache index/sessions ("_s), qPrintable(sql->statusText()));
    settleEvents();
    QVERIFY(window.grab().save(screenshotPath(u"sql-fanout-runs-on.png"_s)));
}

QTEST_MAIN(TestFanoutSubCaches)
#include "tst_fanoutsubcaches.moc"
