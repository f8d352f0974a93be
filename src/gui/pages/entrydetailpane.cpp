// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/entrydetailpane.h"

#include "models/fanoutentrymodel.h"
#include "pages/entrydetail.h"
#include "pages/entryform.h"
#include "pages/entrywholevalue.h"
#include "pages/relativetimeticker.h"
#include "sqlite/database.h"

#include <QCoreApplication>
#include <QFileDialog>
#include <QTabWidget>
#include <QTextBrowser>
#include <QTextDocument>
#include <QTimer>
#include <QTreeWidget>

// The form's document, parsed on the worker that made its HTML: setHtml of a 33,269-character
// form took the GUI thread 15–16 ms in one delivery (bench_gui_stall, select_1_6mb_pickle).
struct EntryDetailPane::ParsedForm {
    struct DeleteLater {
        void operator()(QTextDocument* document) const { document->deleteLater(); }
    };
    std::unique_ptr<QTextDocument, DeleteLater> document; // set on the worker, moved to the GUI thread
};

EntryDetailPane::EntryDetailPane(QTextBrowser* form, QTreeWidget* jsonTree, QObject* parent)
    : QObject(parent)
    , m_form(form)
    , m_jsonTree(jsonTree)
{
    // The form and the tree are tabs of one QTabWidget (in its stack): the whole value gets one beside them.
    auto* tabs = qobject_cast<QTabWidget*>(form->parentWidget() ? form->parentWidget()->parentWidget() : nullptr);
    Q_ASSERT(tabs);
    m_whole = new EntryWholeValue(tabs, this);
    connect(m_form, &QTextBrowser::anchorClicked, this, &EntryDetailPane::followLink);
    connect(m_whole, &EntryWholeValue::saved, this, &EntryDetailPane::status);
    connect(m_jsonTree, &QTreeWidget::itemActivated, this, [](QTreeWidgetItem* item) { EntryDetail::showAll(item); });
    new RelativeTimeTicker(m_form, this); // "12 seconds ago" stays true while the form is shown
}

void EntryDetailPane::setModel(EntryTableModel* model, Database* database)
{
    m_whole->clear();
    m_row = -1;
    m_key.clear();
    m_model = model;
    m_database = database;
}

void EntryDetailPane::show(int row)
{
    if (!m_model || row < 0)
        return;
    // Read off the GUI thread (a 100 MiB cell is cut inside SQLite, but SQLite still reads it
    // whole); a read for a row the user has since left is dropped.
    const CancelToken token = m_read.start();
    const auto shownRow = m_model->rowAt(row);
    // Another entry: the whole value shown before goes. The same entry at another row (rows above it went, and
    // EntriesPage follows it) keeps its "Show all" tab.
    if (!shownRow || shownRow->key != m_key)
        m_whole->clear();
    showPlainText(tr("Reading entry %1…").arg(row + 1));
    m_jsonTree->clear();
    m_waitsForRow = !shownRow.has_value();
    m_row = row;
    m_key = shownRow ? shownRow->key : QVariantList();
    if (m_waitsForRow)
        return; // its page is being read: shown when it arrives (pageLoaded)
    const EntryView view = m_model->view();
    auto parsed = std::make_shared<ParsedForm>();
    m_model->readEntry(
        row, MaxLength, this,
        [this, token, parsed](Result<EntryTableModel::WholeEntry> entry) {
            if (m_read.isCurrent(token))
                showEntry(entry, token, parsed);
        },
        [view, path = databasePathOf(row), font = m_form->document()->defaultFont(),
            guiThread = QCoreApplication::instance()->thread(), parsed](const EntryTableModel::WholeEntry& entry) {
            // on the worker: the form of a big value takes a while, and so does parsing it
            QString html = EntryForm::html(view, entry, path, MaxLength);
            auto* document = new QTextDocument;
            document->setUndoRedoEnabled(false); // RelativeTimeTicker's rewrites are no edits to undo
            document->setDefaultFont(font);
            document->setHtml(html);
            document->moveToThread(guiThread);
            parsed->document.reset(document);
            return html;
        });
}

QString EntryDetailPane::databasePathOf(int row) const
{
    if (const auto* fanout = qobject_cast<const FanoutEntryModel*>(m_model))
        return fanout->databasePathOfRow(row);
    return m_database ? m_database->path() : QString();
}

void EntryDetailPane::showEntry(const Result<EntryTableModel::WholeEntry>& entry, const CancelToken& token,
    const std::shared_ptr<ParsedForm>& parsed)
{
    if (!m_model)
        return;
    if (!entry) {
        showPlainText(entry.error().message);
        Q_EMIT shown();
        return;
    }
    EntryDetail::fillJsonTree(
        m_jsonTree, m_model->view(), entry->decoded, m_model->view().schema.columnNames(), entry->values);
    // The form in an event of its own, after the tree: for a big pickle the two together held the
    // GUI thread too long in one delivery (docs/BENCHMARKS.md, bench_gui_stall's select_1_6mb_pickle).
    QTimer::singleShot(0, this, [this, token, parsed] {
        if (!m_model || !m_read.isCurrent(token) || !parsed->document)
            return; // another entry (or none) is shown by now
        showDocument(parsed->document.release());
        Q_EMIT shown();
    });
}

void EntryDetailPane::clear()
{
    m_read.drop();
    blank();
}

void EntryDetailPane::blank()
{
    m_whole->clear();
    m_row = -1;
    m_key.clear();
    showPlainText(QString());
    m_jsonTree->clear();
}

int EntryDetailPane::currentRow() const
{
    if (!m_model || m_row < 0 || m_key.isEmpty())
        return -1;
    const auto row = m_model->rowAt(m_row);
    if (row && row->key == m_key)
        return m_row;
    return m_model->findKey(m_key, m_row); // rows came or went before it since
}

void EntryDetailPane::followLink(const QUrl& url)
{
    const int row = currentRow();
    const QString column = url.path();
    if (row < 0 || column.isEmpty())
        return;
    if (url.toString(QUrl::FullyEncoded) == EntryWholeValue::showLink(column)) {
        m_whole->show(m_model, row, column);
    } else if (url.toString(QUrl::FullyEncoded) == EntryWholeValue::saveLink(column)) {
        const QString path = QFileDialog::getSaveFileName(m_form, tr("Save %1 to a file").arg(column));
        if (!path.isEmpty() && currentRow() >= 0)
            m_whole->save(m_model, currentRow(), column, path);
    }
}

void EntryDetailPane::showPlainText(const QString& text)
{
    auto* document = new QTextDocument;
    document->setUndoRedoEnabled(false);
    document->setDefaultFont(m_form->document()->defaultFont());
    document->setPlainText(text);
    showDocument(document);
}

void EntryDetailPane::showDocument(QTextDocument* document)
{
    QTextDocument* before = m_form->document();
    const bool ours = before->parent() == m_form; // else the browser's first one, which setDocument deletes
    document->setParent(m_form);
    m_form->setDocument(document);
    if (ours)
        before->deleteLater(); // a big form goes in an event of its own
}

QString EntryDetailPane::text() const
{
    return m_form->toPlainText();
}
