// SPDX-License-Identifier: GPL-3.0-or-later
// Issue #28 (item 4): the demo walked through as a new user would, with the keyboard and the
// mouse on the real widgets — start it from the welcome page, browse Entries (Ctrl+F, select an
// entry, read its detail, copy its key), watch Activity, then clean: checkpoint and vacuum while
// Activity keeps drawing, delete the selected entry, and Delete Cache Safely (Cancel, then for
// real into the trash). Each step is a test function, so the first one that breaks is named;
// each takes screenshots at the default size (1000×708 with the frame) and maximised.
#include "dialogs/checkpointdialog.h"
#include "dialogs/deletedialog.h"
#include "dialogs/prunedialog.h"
#include "dialogs/vacuumdialog.h"
#include "entrycells.h"
#include "models/processmodel.h"
#include "openedwindow.h"
#include "pages/activitypage.h"
#include "pages/entriespage.h"
#include "pages/overviewpage.h"
#include "testsupport.h"
#include "window/statusline.h"
#include "window/welcomepage.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <functional>
#include <memory>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

class TestWalkthrough : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void init();
    void cleanup();
    void welcomeStartsTheDemo();
    void entriesSearchSelectReadAndCopy();
    void activityWatchesTheWriters();
    void checkpointWhileWatching();
    void vacuumWhileWatching();
    void deleteTheSelectedEntry();
    void deleteCacheCancelThenIntoTheTrash();
    void exportStartsBesideTheCache();

private:
    // The window at the default size, then maximised, saved as walk-NAME-default/-maximised.png;
    // a dialog is saved as walk-NAME-dialog.png too.
    void shoot(const QString& name, QWidget* dialog = nullptr);
    // A modeless dialog opened by action, once visible.
    QDialog* openModeless(const QString& actionName);
    // Activity draws another sample: watching goes on.
    void activityKeepsDrawing();
    // Runs open (a modal dialog's exec()), then inside it calls act(dialog) (which closes it).
    static void insideModal(const std::function<void()>& open, const std::function<void(QDialog*)>& act);
    QTableView* rows() const { return m_window->entriesPage()->findChild<QTableView*>(u"rowsView"_s); }
    void selectRow(int row);
    int trashedFiles() const { return int(QDir(m_dir.filePath(u"data/Trash/files"_s)).entryList(QDir::Files).size()); }

    QTemporaryDir m_dir;
    std::unique_ptr<MainWindow> m_window;
    QString m_db; // the demo's cache
    QString m_key; // the key searched for and copied
    bool m_stepFailed = false; // the walk stops at the first broken step (the export stands alone)
};

void TestWalkthrough::initTestCase()
{
    QCoreApplication::setOrganizationName(u"CacheScopeTests"_s);
    QCoreApplication::setApplicationName(u"tst_walkthrough"_s);
    QVERIFY(m_dir.isValid());
    qputenv("CACHESCOPE_CLI", QByteArrayLiteral(CACHESCOPE_CLI_PATH));
    for (const char* name : { "tmp", "data", "home" })
        QVERIFY(QDir(m_dir.path()).mkpath(QString::fromLatin1(name)));
    qputenv("TMPDIR", QFile::encodeName(m_dir.filePath(u"tmp"_s))); // the demo's files
    qputenv("XDG_DATA_HOME", QFile::encodeName(m_dir.filePath(u"data"_s))); // the trash
    qputenv("HOME", QFile::encodeName(m_dir.filePath(u"home"_s)));
    m_window = std::make_unique<MainWindow>();
    m_window->resize(1000, 680);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void TestWalkthrough::cleanupTestCase()
{
    if (m_window) {
        m_window->close();
        m_window->closeDatabase();
        m_window->stopDemo();
    }
}

void TestWalkthrough::init()
{
    if (m_stepFailed && QByteArrayView(QTest::currentTestFunction()) != "exportStartsBesideTheCache")
        QSKIP("an earlier step of the walk failed");
}

void TestWalkthrough::cleanup()
{
    m_stepFailed = m_stepFailed || QTest::currentTestFailed();
}

void TestWalkthrough::shoot(const QString& name, QWidget* dialog)
{
    settleEvents();
    QVERIFY(m_window->grab().save(screenshotPath(u"walk-%1-default.png"_s.arg(name))));
    if (dialog)
        QVERIFY(dialog->grab().save(screenshotPath(u"walk-%1-dialog.png"_s.arg(name))));
    m_window->resize(1920, 1050);
    QTRY_COMPARE(m_window->size(), QSize(1920, 1050));
    settleEvents();
    QVERIFY(m_window->grab().save(screenshotPath(u"walk-%1-maximised.png"_s.arg(name))));
    m_window->resize(1000, 680);
    QTRY_COMPARE(m_window->size(), QSize(1000, 680));
    settleEvents();
}

void TestWalkthrough::selectRow(int row)
{
    QTableView* view = rows();
    QTRY_VERIFY_WITH_TIMEOUT(view->model() && view->model()->rowCount() > row, 30000);
    (void)cell(view->model(), row, 0);
    const QRect rect = view->visualRect(view->model()->index(row, 0));
    QVERIFY(rect.isValid());
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, rect.center());
    QTRY_COMPARE(view->currentIndex().row(), row);
}

void TestWalkthrough::activityKeepsDrawing()
{
    const qint64 shown = m_window->activityPage()->samplesShown();
    QTRY_VERIFY_WITH_TIMEOUT(m_window->activityPage()->samplesShown() > shown + 1, 20000);
}

QDialog* TestWalkthrough::openModeless(const QString& actionName)
{
    auto* action = m_window->findChild<QAction*>(actionName);
    if (!action || !action->isEnabled())
        return nullptr;
    const QList<QDialog*> before = m_window->findChildren<QDialog*>();
    action->trigger();
    QDialog* dialog = nullptr;
    (void)QTest::qWaitFor(
        [&] {
            for (QDialog* d : m_window->findChildren<QDialog*>())
                if (!before.contains(d) && d->isVisible())
                    dialog = d;
            return dialog != nullptr;
        },
        10000);
    return dialog;
}

void TestWalkthrough::insideModal(const std::function<void()>& open, const std::function<void(QDialog*)>& act)
{
    bool acted = false;
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &poll, [&] {
        auto* dialog = qobject_cast<QDialog*>(QApplication::activeModalWidget());
        if (!dialog || acted)
            return;
        acted = true;
        poll.stop();
        act(dialog);
        if (dialog->isVisible())
            dialog->reject(); // act failed half-way: never leave a modal dialog open
    });
    poll.start(50);
    open();
    QVERIFY(acted);
}

void TestWalkthrough::welcomeStartsTheDemo()
{
    auto* welcome = m_window->findChild<WelcomePage*>();
    QVERIFY(welcome && welcome->isVisible());
    shoot(u"1-welcome"_s);
    QSignalSpy opened(m_window.get(), &MainWindow::openFinished);
    QTest::mouseClick(welcome->demoButton(), Qt::LeftButton);
    QVERIFY(opened.wait(60000));
    QVERIFY(opened.first().first().toBool());
    QVERIFY(m_window->isDemoRunning());
    QVERIFY(!welcome->isVisible());
    m_db = m_window->database()->path();
    QVERIFY(m_db.startsWith(m_dir.filePath(u"tmp"_s)));
    // The Overview counts the entries the writers add (never "0 entries" for long).
    QTRY_VERIFY2_WITH_TIMEOUT(!m_window->overviewPage()->contentsText().contains(u": 0 entries"_s)
            && m_window->overviewPage()->writersText().contains(u"commits/s"_s),
        qPrintable(m_window->overviewPage()->contentsText()), 30000);
    shoot(u"2-overview"_s);
}

void TestWalkthrough::entriesSearchSelectReadAndCopy()
{
    QVERIFY(m_window->database());
    QTest::keyClick(m_window.get(), Qt::Key_2, Qt::AltModifier);
    QCOMPARE(m_window->pages()->currentWidget(), m_window->entriesPage());
    EntryTableModel* model = m_window->entriesPage()->tableModel();
    QTRY_VERIFY_WITH_TIMEOUT((model = m_window->entriesPage()->tableModel()) && model->rowCount() > 2, 30000);
    const int keyColumn = model->view().columnIndex(EntryColumn::Role::Key);
    QVERIFY(keyColumn >= 0);
    // Search for what the first entry's prompt asks (the key of an LLM cache is a hash of it),
    // typed after Ctrl+F: "report 3 (worker 1".
    const int promptColumn = model->view().columnNames().indexOf(u"prompt"_s);
    QVERIFY(promptColumn >= 0);
    const QString prompt = cell(model, 0, promptColumn).toString();
    const qsizetype from = prompt.indexOf(u"report"_s);
    QVERIFY2(from >= 0 && prompt.indexOf(u',', from) > from, qPrintable(prompt));
    const QString word = prompt.mid(from, prompt.indexOf(u',', from) - from);
    QTest::keyClick(m_window.get(), Qt::Key_F, Qt::ControlModifier);
    auto* filter = m_window->entriesPage()->findChild<QLineEdit*>(u"filterEdit"_s);
    QTRY_VERIFY(filter->hasFocus());
    QVERIFY2(filter->placeholderText().contains(u"prompt"_s), qPrintable(filter->placeholderText()));
    QTest::keyClicks(filter, word);
    QTRY_VERIFY_WITH_TIMEOUT(model->filter().text == word, 20000);
    QTRY_VERIFY2_WITH_TIMEOUT(model->rowCount() >= 1 && cell(model, 0, promptColumn).toString().contains(word),
        qPrintable(u"%1 rows for \"%2\""_s.arg(model->rowCount()).arg(word)), 20000);
    shoot(u"3-entries-search"_s);
    // Select it: the detail shows its key and its value.
    selectRow(0);
    m_key = cell(model, 0, keyColumn).toString();
    const QString detail = shownDetail(m_window->entriesPage());
    QVERIFY2(detail.contains(m_key.left(40)), qPrintable(detail.left(300)));
    shoot(u"4-entry-detail"_s);
    // Copy its key from the table's context menu: the clipboard holds the key itself.
    QAction* copyKey = nullptr;
    for (QAction* action : rows()->actions())
        if (action->text() == u"Copy key"_s)
            copyKey = action;
    QVERIFY2(copyKey, "no \"Copy key\" in the table's context menu");
    QApplication::clipboard()->clear();
    copyKey->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(QApplication::clipboard()->text(), m_key, 20000);
}

void TestWalkthrough::activityWatchesTheWriters()
{
    QTest::keyClick(m_window.get(), Qt::Key_3, Qt::AltModifier);
    QCOMPARE(m_window->pages()->currentWidget(), m_window->activityPage());
    // The simulator's four workers have the cache open, besides CacheScope itself.
    const ProcessModel* processes = m_window->activityPage()->processModel();
    QTRY_VERIFY2_WITH_TIMEOUT(processes->rowCount() >= 5, qPrintable(QString::number(processes->rowCount())), 30000);
    activityKeepsDrawing();
    // The last line as tall as its text: the page was never shown before (100 px wide, where the
    // line wraps into 191 px), and that height stayed as an empty band under the tables.
    settleEvents();
    const auto* status = m_window->activityPage()->findChild<QLabel*>(u"feedStatus"_s);
    QVERIFY(status);
    QVERIFY2(status->height() <= 3 * status->fontMetrics().lineSpacing() + status->contentsMargins().bottom(),
        qPrintable(u"the last line is %1 px tall"_s.arg(status->height())));
    shoot(u"5-activity"_s);
}

void TestWalkthrough::checkpointWhileWatching()
{
    auto* dialog = qobject_cast<CheckpointDialog*>(openModeless(u"checkpointAction"_s));
    QVERIFY(dialog);
    QCOMPARE(QApplication::activeModalWidget(), nullptr); // Activity stays usable
    QTRY_VERIFY_WITH_TIMEOUT(dialog->hasCheckedBefore(), 20000);
    QSignalSpy finished(dialog, &CheckpointDialog::finished);
    QPushButton* run = nullptr;
    for (QPushButton* button : dialog->findChildren<QPushButton*>())
        if (button->text().remove(u'&') == u"Run checkpoint"_s)
            run = button;
    QVERIFY2(run, "no button that runs the checkpoint");
    QTest::mouseClick(run, Qt::LeftButton);
    QVERIFY(finished.wait(30000));
    activityKeepsDrawing(); // the window behind kept watching
    QVERIFY2(dialog->resultText().contains(u"-wal"_s), qPrintable(dialog->resultText()));
    shoot(u"6-checkpoint"_s, dialog);
    dialog->close();
}

void TestWalkthrough::vacuumWhileWatching()
{
    auto* dialog = qobject_cast<VacuumDialog*>(openModeless(u"vacuumAction"_s));
    QVERIFY(dialog);
    QCOMPARE(QApplication::activeModalWidget(), nullptr);
    QTRY_VERIFY_WITH_TIMEOUT(dialog->hasCheckedBefore(), 20000);
    // Before it runs it says what there is to reclaim (or that there is nothing).
    QVERIFY2(dialog->introText().contains(u"reclaim"_s) || dialog->introText().contains(u"free"_s),
        qPrintable(dialog->introText()));
    QSignalSpy finished(dialog, &VacuumDialog::finished);
    QPushButton* run = nullptr;
    for (QPushButton* button : dialog->findChildren<QPushButton*>())
        if (button->text().remove(u'&') == u"Start"_s)
            run = button;
    QVERIFY2(run, "no button that runs the vacuum");
    QTest::mouseClick(run, Qt::LeftButton);
    QVERIFY(finished.wait(60000));
    activityKeepsDrawing();
    QVERIFY2(dialog->resultText().contains(u"The vacuum is complete: the database and its -wal took "_s),
        qPrintable(dialog->resultText()));
    shoot(u"7-vacuum"_s, dialog);
    dialog->close();
}

void TestWalkthrough::deleteTheSelectedEntry()
{
    m_window->activateWindow(); // the user clicks back into the window after closing the dialog
    QTRY_COMPARE(QApplication::activeWindow(), m_window.get());
    QTest::keyClick(m_window.get(), Qt::Key_2, Qt::AltModifier);
    QCOMPARE(m_window->pages()->currentWidget(), m_window->entriesPage());
    selectRow(0);
    const EntryTableModel* model = m_window->entriesPage()->tableModel();
    const QString key = cell(model, 0, model->view().columnIndex(EntryColumn::Role::Key)).toString();
    QCOMPARE(key, m_key);
    const auto rowsWithKey = [this, &key] {
        QString quoted = key;
        quoted.replace(u"'"_s, u"''"_s);
        return queryInt(m_db, u"SELECT count(*) FROM llm_cache WHERE key = '%1'"_s.arg(quoted));
    };
    QCOMPARE(rowsWithKey(), 1);
    auto* dialog = qobject_cast<PruneDialog*>(openModeless(u"deleteSelectedAction"_s));
    QVERIFY(dialog);
    QCOMPARE(QApplication::activeModalWidget(), nullptr);
    QTRY_VERIFY2_WITH_TIMEOUT(dialog->previewText().contains(u"1 entr"_s), qPrintable(dialog->previewText()), 20000);
    QVERIFY(dialog->pruneButton()->isEnabled());
    shoot(u"8-delete-entry-preview"_s, dialog);
    QSignalSpy finished(dialog, &PruneDialog::finished);
    QTest::mouseClick(dialog->pruneButton(), Qt::LeftButton);
    QVERIFY(finished.wait(30000));
    QVERIFY2(finished.first().first().toBool(), qPrintable(dialog->resultText()));
    QVERIFY2(dialog->resultText().startsWith(u"Removed 1 entry ("_s), qPrintable(dialog->resultText()));
    QVERIFY2(!dialog->resultText().contains(u"cachescope-cli"_s), qPrintable(dialog->resultText())); // no shell advice
    QVERIFY(!dialog->pruneButton()->isEnabled()); // what it chose is gone
    QCOMPARE(rowsWithKey(), 0);
    // The table follows: the filter that showed the entry now shows none.
    QTRY_VERIFY_WITH_TIMEOUT(model->rowCount() == 0, 20000);
    // and the detail no longer shows the entry that is gone (it did: the review's walk-9 screenshot).
    QVERIFY2(!m_window->entriesPage()->detailText().contains(key), qPrintable(m_window->entriesPage()->detailText()));
    shoot(u"9-delete-entry-done"_s, dialog);
    dialog->close();
    auto* filter = m_window->entriesPage()->findChild<QLineEdit*>(u"filterEdit"_s);
    filter->clear();
    QTRY_VERIFY_WITH_TIMEOUT(model->rowCount() > 2, 20000);
}

void TestWalkthrough::deleteCacheCancelThenIntoTheTrash()
{
    selectRow(1);
    const QModelIndex selected = rows()->currentIndex();
    const QVariant selectedKey = selected.data(EntryModel::KeyRole);
    auto* remove = m_window->findChild<QAction*>(u"deleteAction"_s);
    QVERIFY(remove && remove->isEnabled());
    // While the demo's writers have it open, the dialog names them and Delete stays disabled;
    // Cancel leaves the cache open, on the same entry.
    insideModal([remove] { remove->trigger(); },
        [this](QDialog* modal) {
            auto* dialog = qobject_cast<DeleteDialog*>(modal);
            QVERIFY(dialog);
            QVERIFY(
                QTest::qWaitFor([dialog] { return dialog->checksDone() > 0 && dialog->holderCount() >= 4; }, 20000));
            QVERIFY(!dialog->deleteButton()->isEnabled());
            QVERIFY(dialog->movesToTrash());
            // #28: the blockers are the demo's own writers, and the way to stop them is named.
            QVERIFY2(dialog->blockedText().startsWith(u"the demo's writers have the files open"_s),
                qPrintable(dialog->blockedText()));
            QVERIFY2(
                dialog->blockedText().contains(u"File ▸ Stop the Demo's Writers"_s), qPrintable(dialog->blockedText()));
            shoot(u"10-delete-cache-held"_s, dialog);
            QTest::mouseClick(dialog->cancelButton(), Qt::LeftButton);
        });
    QVERIFY(m_window->database());
    QCOMPARE(m_window->database()->path(), m_db);
    QCOMPARE(rows()->currentIndex().data(EntryModel::KeyRole), selectedKey);
    // File ▸ Stop the Demo's Writers: the cache stays open, nobody else holds it, and it goes
    // to the trash for real (Move to trash is on: the default).
    auto* stop = m_window->findChild<QAction*>(u"stopDemoWritersAction"_s);
    QVERIFY2(stop && stop->isEnabled(), "no way to stop the demo's writers");
    stop->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->isDemoRunning(), 30000);
    QVERIFY(m_window->database());
    const int trashedBefore = trashedFiles();
    QStringList deleted;
    insideModal([remove] { remove->trigger(); },
        [this, &deleted](QDialog* modal) {
            auto* dialog = qobject_cast<DeleteDialog*>(modal);
            QVERIFY(dialog);
            QVERIFY(QTest::qWaitFor([dialog] { return dialog->deleteButton()->isEnabled(); }, 20000));
            QCOMPARE(dialog->holderCount(), 0);
            QVERIFY(dialog->movesToTrash());
            shoot(u"11-delete-cache-free"_s, dialog);
            QTest::mouseClick(dialog->deleteButton(), Qt::LeftButton);
            QVERIFY(QTest::qWaitFor([dialog] { return !dialog->isVisible(); }, 20000)); // done: it closes
            QCOMPARE(dialog->result(), int(QDialog::Accepted));
            deleted = dialog->deleted();
        });
    QVERIFY(deleted.contains(m_db));
    QVERIFY(!QFileInfo::exists(m_db));
    QVERIFY(trashedFiles() > trashedBefore);
    QTRY_VERIFY(!m_window->database());
    // What was said about the deleted cache goes with it.
    QVERIFY(m_window->findChild<WelcomePage*>()->isVisible());
    // The status line accounts for every file the dialog listed (the -wal and -shm went as our
    // connection closed), so its count does not contradict the list.
    const auto* statusLine = m_window->findChild<StatusLine*>();
    QVERIFY(statusLine);
    const QString said = statusLine->message();
    QVERIFY2(deleted.size() == 3 || said.contains(u"went as CacheScope closed it"_s), qPrintable(said));
    shoot(u"12-after-delete"_s);
}

void TestWalkthrough::exportStartsBesideTheCache()
{
    // Export's file dialog opens in the open cache's folder, with a name that says which cache
    // and table (not in the working directory, as "llm_cache.jsonl").
    const QString folder = m_dir.filePath(u"project"_s);
    QVERIFY(QDir().mkpath(folder));
    const QString db = folder + u"/answers.db"_s;
    makeCache(db, u"wal"_s, 20);
    QVERIFY(QDir::currentPath() != folder);
    QVERIFY(openAndWait(*m_window, db, Database::Mode::ReadOnly, MainWindow::Remember::No));
    QTest::keyClick(m_window.get(), Qt::Key_2, Qt::AltModifier);
    selectRow(0);
    const QString table = m_window->entriesPage()->tableModel()->view().table;
    auto* button = m_window->entriesPage()->findChild<QPushButton*>(u"exportButton"_s);
    QVERIFY(button && button->menu() && button->menu()->actions().size() == 3);
    const QStringList suffixes { u"-selection"_s, QString(), QString() }; // no filter: the view is every entry
    for (int scope = 0; scope < 3; ++scope) {
        QString directory, file;
        insideModal([button, scope] { button->menu()->actions().at(scope)->trigger(); },
            [&directory, &file](QDialog* modal) {
                auto* dialog = qobject_cast<QFileDialog*>(modal);
                QVERIFY(dialog);
                directory = dialog->directory().absolutePath();
                file = dialog->selectedFiles().value(0);
                dialog->reject();
            });
        QCOMPARE(directory, folder);
        QCOMPARE(file, folder + u"/answers-"_s + table + suffixes.at(scope) + u".jsonl"_s);
    }
    // The demo's folder goes with it: there the dialog starts at home.
    QSignalSpy opened(m_window.get(), &MainWindow::openFinished);
    DemoSession::Options options;
    options.cliPath = QStringLiteral(CACHESCOPE_CLI_PATH);
    QVERIFY(m_window->startDemo(options).ok());
    QVERIFY(opened.wait(60000));
    QTRY_VERIFY_WITH_TIMEOUT(m_window->entriesPage()->tableModel(), 20000);
    QCOMPARE(QFileInfo(m_window->entriesPage()->suggestedExportPath(EntriesPage::ExportScope::All)).absolutePath(),
        m_dir.filePath(u"home"_s));
    m_window->stopDemo();
}

QTEST_MAIN(TestWalkthrough)
#include "tst_walkthrough.moc"
