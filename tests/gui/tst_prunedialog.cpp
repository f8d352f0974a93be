// SPDX-License-Identifier: GPL-3.0-or-later
// Maintenance ▸ Prune Entries… (PruneDialog) and the Entries page's "Delete … Entries…" offscreen:
// the preview (a dry run), the prune with a backup on a diskcache written by Debian's
// python3-diskcache and reopened by it, Enter cancelling, and the Entries page's selection and
// filter removed through the same code.
#include "common/format.h"
#include "dialogs/prunedialog.h"
#include "models/activityfeed.h"
#include "models/entrymodel.h"
#include "openedwindow.h"
#include "pages/activitypage.h"
#include "pages/entriespage.h"
#include "prunecaches.h"
#include "testsupport.h"
#include "window/maintenancemenu.h"
#include "window/mainwindow.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QLabel>
#include <QLayout>
#include <QLineEdit>
#include <QListWidget>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

namespace {
// 60 entries, the even ones expired, every 6th value in a file.
const QString MakeDiskcache = uR"py(
import diskcache, sys, time
c = diskcache.Cache(sys.argv[1], cull_limit=0)
for i in range(60):
    c.set("k%d" % i, ("v%d " % i) * (12000 if i % 6 == 0 else 1), expire=0.001 if i % 2 == 0 else None)
time.sleep(0.05)
c.close()
)py"_s;

const QString CheckDiskcache = uR"py(
import diskcache, os, sys
c = diskcache.Cache(sys.argv[1])
files = sum(len([f for f in fs if f.endswith(".val")]) for _, _, fs in os.walk(sys.argv[1]))
print(len(c), [str(w.message) for w in c.check()], files)
)py"_s;
} // namespace

class TestPruneDialog : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(u"CacheScopeTests"_s);
        qputenv("CACHESCOPE_CLI", QByteArrayLiteral(CACHESCOPE_CLI_PATH)); // the Activity feed's watcher
        QVERIFY(m_dir.isValid());
    }
    void previewThenPruneWithBackup();
    void enterCancels();
    void entriesPageDeletesSelectionAndFilter();
    void unreadSelectedRowsAreNamed();
    void ownPruneIsNoWriter();
    void shortFormsSaidInWords();

private:
    // #28: shown, the Delete Entries dialog keeps no empty bands: each visible part follows the one above at the
    // layout's spacing, and the list of keys is as tall as its keys.
    static void checkNoGaps(PruneDialog& dialog);
    // #28: after the delete ran, what it deleted is in sight at the dialog's size — not under its buttons.
    static void checkResultInSight(PruneDialog& dialog);

private:
    QTemporaryDir m_dir;
};

void TestPruneDialog::previewThenPruneWithBackup()
{
    const QString dir = m_dir.filePath(u"dc"_s);
    runPython(MakeDiskcache, { dir });
    QCOMPARE(runPython(CheckDiskcache, { dir }), QByteArray("60 [] 10"));
    PruneDialog dialog(dir + u"/cache.db"_s);
    QVERIFY(dialog.cancelButton()->isDefault());
    QSignalSpy previewed(&dialog, &PruneDialog::previewFinished);
    dialog.preview(); // nothing chosen yet: says so, runs nothing
    QVERIFY2(dialog.previewText().contains(u"Choose"_s), qPrintable(dialog.previewText()));
    dialog.expiredBox()->setChecked(true);
    dialog.preview();
    QVERIFY(previewed.wait(30000));
    QCOMPARE(previewed.at(0).at(0).toBool(), true);
    QVERIFY2(dialog.previewText().contains(u"30 entries would go"_s), qPrintable(dialog.previewText()));
    QVERIFY2(dialog.previewText().contains(u"10 value file"_s), qPrintable(dialog.previewText()));
    QCOMPARE(dialog.findChild<QListWidget*>(u"sampleKeys"_s)->count(), 5);
    QCOMPARE(runPython(CheckDiskcache, { dir }), QByteArray("60 [] 10")); // the preview changed nothing
    const QString backup = m_dir.filePath(u"removed.jsonl"_s);
    QTest::keyClicks(dialog.backupEdit(), backup); // typing turns the backup on
    QSignalSpy finished(&dialog, &PruneDialog::finished);
    auto* bar = dialog.findChild<QProgressBar*>();
    QVERIFY(bar);
    QVERIFY(!bar->isVisibleTo(&dialog)); // no idle "0%" before the first run
    dialog.pruneButton()->click();
    QVERIFY(dialog.isRunning());
    QVERIFY(bar->isVisibleTo(&dialog));
    QVERIFY(finished.wait(60000));
    QCOMPARE(finished.at(0).at(0).toBool(), true);
    QVERIFY(bar->isVisibleTo(&dialog)); // how the run ended stays in sight
    QVERIFY2(dialog.resultText().contains(u"Removed 30 entries ("_s), qPrintable(dialog.resultText()));
    QCOMPARE(runPython(CheckDiskcache, { dir }), QByteArray("30 [] 0"));
    // #28: the headline above the keys says what went, no longer what "would go".
    const QString headline = dialog.previewText();
    QVERIFY2(headline.startsWith(u"30 entries went ("_s) && headline.contains(u", with 10 value files — table Cache"_s)
            && headline.endsWith(u". The first of their keys:"_s) && !headline.contains(u"would"_s),
        qPrintable(headline));
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QVERIFY(dialog.grab().save(screenshotPath(u"prune-dialog-after-prune.png"_s)));
    QCOMPARE(fileBytes(backup).count('\n'), 30);
}

void TestPruneDialog::enterCancels()
{
    const QString dir = m_dir.filePath(u"enter"_s);
    runPython(MakeDiskcache, { dir });
    const QString before = cacheFingerprint(dir + u"/cache.db"_s);
    PruneDialog dialog(dir + u"/cache.db"_s);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QSignalSpy rejected(&dialog, &QDialog::rejected);
    QSignalSpy finished(&dialog, &PruneDialog::finished);
    dialog.matchEdit()->setFocus();
    QTest::keyClicks(dialog.matchEdit(), u"k1"_s);
    QTest::keyClick(dialog.matchEdit(), Qt::Key_Return);
    QCOMPARE(rejected.size(), 1);
    QCOMPARE(finished.size(), 0);
    QVERIFY(!dialog.isRunning());
    QCOMPARE(cacheFingerprint(dir + u"/cache.db"_s), before);
}

void TestPruneDialog::entriesPageDeletesSelectionAndFilter()
{
    const QString db = m_dir.filePath(u"seed.db"_s);
    QCOMPARE(PruneCaches::simulate(db, 1, 300).exitCode, 0);
    MainWindow window;
    QVERIFY(openAndWait(window, db, Database::Mode::ReadWrite, MainWindow::Remember::No));
    QAction* prune = window.menuBar()->findChild<QAction*>(u"pruneAction"_s);
    QVERIFY(prune);
    EntriesPage* page = window.entriesPage();
    page->selectTable(u"llm_cache"_s);
    QTRY_VERIFY_WITH_TIMEOUT(page->entryModel() && page->entryModel()->rowCount() == 300, 30000);
    auto* view = page->findChild<QTableView*>(u"rowsView"_s);
    QVERIFY(view->actions().size() >= 5); // copy ×3, separator, delete ×2
    QObject::disconnect(page, &EntriesPage::pruneRequested, nullptr, nullptr); // no modal dialog in the test
    QSignalSpy requested(page, &EntriesPage::pruneRequested);
    QTRY_VERIFY_WITH_TIMEOUT(page->entryModel()->rowAt(2).has_value(), 20000);
    QList<qint64> chosen;
    for (int row : { 0, 2 }) {
        view->selectionModel()->select(
            page->entryModel()->index(row, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
        chosen << page->entryModel()->rowAt(row)->key.first().toLongLong();
    }
    page->requestDelete(false);
    QCOMPARE(requested.size(), 1);
    auto selection = requested.at(0).at(0).value<PruneSelection>();
    QVERIFY(selection.rowids.has_value());
    QCOMPARE(*selection.rowids, chosen);
    {
        PruneDialog dialog(db);
        QSignalSpy previewed(&dialog, &PruneDialog::previewFinished);
        dialog.setSelection(selection, requested.at(0).at(1).toString());
        QVERIFY(previewed.wait(30000));
        QVERIFY2(dialog.previewText().contains(u"2 entries would go"_s), qPrintable(dialog.previewText()));
        QVERIFY2(dialog.previewText().endsWith(u"Their keys:"_s), qPrintable(dialog.previewText()));
        checkNoGaps(dialog);
        QSignalSpy finished(&dialog, &PruneDialog::finished);
        dialog.pruneButton()->click();
        QVERIFY(finished.wait(60000));
        checkResultInSight(dialog);
        if (QTest::currentTestFailed())
            return;
    }
    QCOMPARE(
        queryInt(db, u"SELECT count(*) FROM llm_cache WHERE rowid IN (%1, %2)"_s.arg(chosen[0]).arg(chosen[1])), 0);
    QCOMPARE(queryInt(db, u"SELECT count(*) FROM llm_cache"_s), 298);
    // Every entry the filter shows, also those not on screen: the model column holds gpt-4o-mini.
    const int model = int(page->entryModel()->view().columnNames().indexOf(u"model"_s));
    QVERIFY(model >= 0);
    page->setFilterText(u"gpt-4o-mini"_s, model);
    page->requestDelete(true);
    QCOMPARE(requested.size(), 2);
    selection = requested.at(1).at(0).value<PruneSelection>();
    QCOMPARE(selection.filter.columns.value(model), u"gpt-4o-mini"_s);
    {
        PruneDialog dialog(db);
        QSignalSpy previewed(&dialog, &PruneDialog::previewFinished);
        dialog.setSelection(selection, requested.at(1).at(1).toString());
        QVERIFY(previewed.wait(30000));
        QSignalSpy finished(&dialog, &PruneDialog::finished);
        dialog.pruneButton()->click();
        QVERIFY(finished.wait(60000));
    }
    QCOMPARE(queryInt(db, u"SELECT count(*) FROM llm_cache WHERE model = 'gpt-4o-mini'"_s), 0);
    QVERIFY(queryInt(db, u"SELECT count(*) FROM llm_cache"_s) >= 198);
}

// Ctrl+A on a table larger than what was read selects rows whose keys are not known yet: the
// request says how many of them stay instead of naming only the rows it read as "selected".
void TestPruneDialog::unreadSelectedRowsAreNamed()
{
    const QString db = m_dir.filePath(u"big.db"_s);
    QCOMPARE(PruneCaches::simulate(db, 1, 3000).exitCode, 0);
    MainWindow window;
    QVERIFY(openAndWait(window, db, Database::Mode::ReadWrite, MainWindow::Remember::No));
    EntriesPage* page = window.entriesPage();
    page->selectTable(u"llm_cache"_s);
    QTRY_VERIFY_WITH_TIMEOUT(page->entryModel() && page->entryModel()->rowCount() == 3000, 30000);
    EntryModel* model = page->entryModel();
    QTRY_VERIFY_WITH_TIMEOUT(model->rowAt(0).has_value(), 20000);
    auto* view = page->findChild<QTableView*>(u"rowsView"_s);
    view->setFocus();
    QTest::keyClick(view, Qt::Key_A, Qt::ControlModifier);
    QCOMPARE(view->selectionModel()->selectedRows().size(), 3000);
    QObject::disconnect(page, &EntriesPage::pruneRequested, nullptr, nullptr);
    QSignalSpy requested(page, &EntriesPage::pruneRequested);
    int read = 0; // counted with no event handled before the request: no page arrives between
    for (int row = 0; row < model->rowCount(); ++row)
        read += model->rowAt(row).has_value() ? 1 : 0;
    QVERIFY2(read < 3000, "only the pages shown are read");
    page->requestDelete(false);
    QCOMPARE(requested.size(), 1);
    const auto selection = requested.at(0).at(0).value<PruneSelection>();
    QVERIFY(selection.rowids);
    QCOMPARE(selection.rowids->size(), read);
    const QString description = requested.at(0).at(1).toString();
    QVERIFY2(description.contains(u"%1 other selected rows are not read yet"_s.arg(Format::count(3000 - read))),
        qPrintable(description));
}

// #28: a prune run from this window writes the cache as this window's pid (fanotify names the pid
// that wrote): Activity names it as this window's own maintenance, never as a writer of commits.
void TestPruneDialog::ownPruneIsNoWriter()
{
    const QString dir = m_dir.filePath(u"own"_s);
    runPython(MakeDiskcache, { dir });
    MainWindow window;
    window.resize(1000, 708);
    QVERIFY(showAndOpen(window, dir + u"/cache.db"_s, Database::Mode::ReadWrite));
    auto* activity = window.activityPage();
    ActivitySample last;
    QVERIFY(followActivity(window, this, last));
    if (last.attribution != u"fanotify"_s)
        QSKIP("writers are not named by fanotify here: this window is never seen writing");
    window.findChild<MaintenanceMenu*>()->prune();
    auto* dialog = window.findChild<PruneDialog*>();
    QVERIFY(dialog);
    QSignalSpy finished(dialog, &PruneDialog::finished);
    dialog->expiredBox()->setChecked(true);
    QSignalSpy previewed(dialog, &PruneDialog::previewFinished);
    dialog->preview(); // Prune is enabled once the preview showed what would go
    QVERIFY(previewed.wait(60000));
    QVERIFY(dialog->pruneButton()->isEnabled());
    dialog->pruneButton()->click();
    QVERIFY(finished.wait(60000));
    QVERIFY2(dialog->resultText().contains(u"Removed 30 entries"_s), qPrintable(dialog->resultText()));
    auto* wrote = activity->findChild<QLabel*>(u"writersValue"_s);
    QTRY_VERIFY2_WITH_TIMEOUT(
        wrote->text().contains(u"CacheScope (this window): prune"_s), qPrintable(wrote->text()), 20000);
    QVERIFY(last.excludedWroteMsAgo.has_value());
    const qint64 self = QCoreApplication::applicationPid();
    QVERIFY2(!wrote->text().contains(QString::number(self)), qPrintable(wrote->text()));
    QVERIFY(!activity->shownWriterPids().contains(self));
    for (const auto& writer : last.recentWriters)
        QVERIFY(writer.pid != self);
    QVERIFY(last.writersRecently == last.recentWriters.size());
    dialog->close();
    window.pages()->setCurrentWidget(activity);
    QTRY_VERIFY(activity->isVisible());
    QVERIFY(window.grab().save(screenshotPath(u"activity-own-prune.png"_s)));
}

void TestPruneDialog::checkNoGaps(PruneDialog& dialog)
{
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QTRY_VERIFY(dialog.findChild<QListWidget*>(u"sampleKeys"_s)->count() > 0);
    QCoreApplication::processEvents();
    QVERIFY(dialog.grab().save(screenshotPath(u"delete-entries-dialog.png"_s)));
    QLayout* layout = dialog.layout();
    int bottom = -1;
    for (int i = 0; i < layout->count(); ++i) {
        QWidget* part = layout->itemAt(i)->widget();
        if (!part || !part->isVisible())
            continue;
        if (bottom >= 0)
            QVERIFY2(part->y() - bottom <= layout->spacing() + 2,
                qPrintable(u"%1 px above %2"_s.arg(part->y() - bottom)
                               .arg(QString::fromLatin1(part->metaObject()->className()))));
        bottom = part->geometry().bottom() + 1;
    }
    auto* keys = dialog.findChild<QListWidget*>(u"sampleKeys"_s);
    const int needed = keys->count() * keys->sizeHintForRow(0) + 2 * keys->frameWidth();
    QVERIFY2(keys->height() <= std::max(needed, 2 * keys->sizeHintForRow(0) + 2 * keys->frameWidth()),
        qPrintable(u"%1 px for %2 keys"_s.arg(keys->height()).arg(keys->count())));
}

void TestPruneDialog::checkResultInSight(PruneDialog& dialog)
{
    settleEvents();
    QVERIFY(dialog.grab().save(screenshotPath(u"delete-entries-result.png"_s)));
    auto* result = dialog.findChild<QPlainTextEdit*>(u"resultText"_s);
    auto* buttons = dialog.findChild<QDialogButtonBox*>();
    QVERIFY(result && buttons && result->isVisible());
    QVERIFY2(!dialog.resultText().isEmpty(), "no result");
    const QRect box = result->geometry();
    const QString where = u"result %1,%2 %3×%4; buttons at y %5; dialog %6 px tall"_s.arg(box.x())
                              .arg(box.y())
                              .arg(box.width())
                              .arg(box.height())
                              .arg(buttons->y())
                              .arg(dialog.height());
    QVERIFY2(box.bottom() < buttons->y() && box.bottom() < dialog.height(), qPrintable(where));
    // Its lines whole: no scrolling inside the box to read what was deleted.
    QVERIFY2(result->verticalScrollBar()->maximum() == 0,
        qPrintable(where + u", %1 lines"_s.arg(result->document()->blockCount())));
}

// #28 review: "30d" and "1G" are accepted as typed, and said in plain words beside them, kept up to date as the user
// types.
void TestPruneDialog::shortFormsSaidInWords()
{
    const QString dir = m_dir.filePath(u"words"_s);
    runPython(MakeDiskcache, { dir });
    PruneDialog dialog(dir + u"/cache.db"_s);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    auto* older = dialog.findChild<QLineEdit*>(u"olderEdit"_s);
    auto* budget = dialog.findChild<QLineEdit*>(u"budgetEdit"_s);
    auto* olderWords = dialog.findChild<QLabel*>(u"olderMeaning"_s);
    auto* budgetWords = dialog.findChild<QLabel*>(u"budgetMeaning"_s);
    QVERIFY(older && budget && olderWords && budgetWords);
    QCOMPARE(olderWords->text(), u"30 days ago"_s);
    QCOMPARE(budgetWords->text(), u"1.0\u00a0GiB"_s);
    const auto type = [](QLineEdit* edit, const QString& text) {
        edit->setFocus();
        edit->selectAll();
        QTest::keyClicks(edit, text);
    };
    type(older, u"2w"_s);
    QCOMPARE(olderWords->text(), u"2 weeks ago"_s);
    type(older, u"90s"_s);
    QCOMPARE(olderWords->text(), u"90 seconds ago"_s);
    type(older, u"soon"_s);
    QVERIFY2(olderWords->text().startsWith(u"not a duration"_s), qPrintable(olderWords->text()));
    type(budget, u"500M"_s);
    QCOMPARE(budgetWords->text(), u"500\u00a0MiB"_s);
    QCOMPARE(PruneSelection::durationWords(86400), u"1 day"_s);
    settleEvents();
    QVERIFY(dialog.grab().save(screenshotPath(u"prune-dialog-words.png"_s)));
}

QTEST_MAIN(TestPruneDialog)
#include "tst_prunedialog.moc"
