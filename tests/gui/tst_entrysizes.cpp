// SPDX-License-Identifier: GPL-3.0-or-later
#include "entrycells.h"
#include "models/entrycells.h"
#include "models/entrymodel.h"
#include "openedwindow.h"
#include "pages/entriespage.h"
#include "pages/entrycolumnfit.h"
#include "prunecaches.h"
#include "shownentry.h"
#include "testsupport.h"
#include "window/mainwindow.h"

#include <QHeaderView>
#include <QRegularExpression>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

// How the Entries table and the detail say an entry's size and key alike, and size their columns for them (split
// from tst_entrydetail, whose cases are the library caches' decoded values).
class TestEntrySizes : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(u"CacheScopeTests"_s);
        QVERIFY(m_dir.isValid());
    }
    void sizesAndHashesReadAlike();

private:
    QTemporaryDir m_dir;
};

void TestEntrySizes::sizesAndHashesReadAlike()
{
    // #28: the table said "size 2019" where the detail said "2,019 bytes"; the key column (a
    // hash) took 360 px while the prompt was cut.
    const QString file = m_dir.filePath(u"simulated.db"_s);
    const auto made = PruneCaches::simulate(file, 1, 12, 2000);
    QVERIFY2(made.exitCode == 0, made.err.constData());
    MainWindow window;
    QVERIFY(showAndOpen(window, file, Database::Mode::ReadOnly, MainWindow::Remember::No));
    window.pages()->setCurrentWidget(window.entriesPage());
    EntriesPage* page = window.entriesPage();
    QTRY_VERIFY_WITH_TIMEOUT(page->entryModel() && page->entryModel()->rowAt(0), 20000);
    const EntryModel* model = page->entryModel();
    auto* rows = page->findChild<QTableView*>(u"rowsView"_s);
    rows->selectRow(0);
    const QString detail = shownDetail(page);
    const int size = int(model->view().columnNames().indexOf(u"size"_s));
    const QString tableSize = model->index(0, size).data().toString();
    // 2,000 bytes and more: as sizes read elsewhere ("2.0 KiB"), the exact count grouped on hover and in the form.
    static const QRegularExpression scaled(u"^\\d+(\\.\\d)?\u00a0KiB$"_s);
    QVERIFY2(scaled.match(tableSize).hasMatch(), qPrintable(tableSize));
    const QString exact = model->index(0, size).data(Qt::ToolTipRole).toString();
    static const QRegularExpression grouped(u"^\\d{1,3}(,\\d{3})+ bytes$"_s);
    QVERIFY2(grouped.match(exact).hasMatch(), qPrintable(exact));
    // The size row: its name, what it counts (bytes, not characters), then the exact count and the table's words.
    const QStringList sizeRow = detail.section(u"\nsize\n"_s, 1).split(u'\n').mid(0, 2);
    QVERIFY2(sizeRow.size() == 2 && sizeRow[0].contains(u"in bytes of UTF-8"_s)
            && sizeRow[1] == u"%1 (%2)"_s.arg(exact, QString(tableSize).replace(QChar(0x00a0), u' ')),
        qPrintable(detail));
    // The hash narrow, whole in its tooltip; the prompt given the room.
    const int key = int(model->view().columnNames().indexOf(u"key"_s));
    const int prompt = int(model->view().columnNames().indexOf(u"prompt"_s));
    const QString hash = model->index(0, key).data(Qt::ToolTipRole).toString();
    QVERIFY2(EntryCells::looksLikeHash(hash), qPrintable(hash));
    QVERIFY(rows->horizontalHeader()->sectionSize(key) <= EntryColumnFit::HashWidth);
    // The prompt whole, or as wide as the view has room for: in sight from its start to the view's right edge.
    const QString question = model->index(0, prompt).data().toString();
    const QHeaderView* header = rows->horizontalHeader();
    const int right = header->sectionPosition(prompt) + header->sectionSize(prompt);
    const bool whole = header->sectionSize(prompt) > rows->fontMetrics().horizontalAdvance(question);
    QVERIFY2(right <= rows->viewport()->width() && (whole || right >= rows->viewport()->width() - 2),
        qPrintable(u"prompt %1 px wide, ends at %2 of %3 px"_s.arg(header->sectionSize(prompt))
                       .arg(right)
                       .arg(rows->viewport()->width())));
    QVERIFY(window.grab().save(screenshotPath(u"entries-hash-and-prompt-default.png"_s)));
}

QTEST_MAIN(TestEntrySizes)
#include "tst_entrysizes.moc"
