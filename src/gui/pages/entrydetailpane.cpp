// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/entrydetailpane.h"

#include "models/fanoutentrymodel.h"
#include "pages/entrydetail.h"
#include "pages/entryform.h"
#include "pages/relativetimeticker.h"
#include "sqlite/database.h"

#include <QTextBrowser>
#include <QTimer>
#include <QTreeWidget>

EntryDetailPane::EntryDetailPane(QTextBrowser* form, QTreeWidget* jsonTree, QObject* parent)
    : QObject(parent)
    , m_form(form)
    , m_jsonTree(jsonTree)
{
    connect(m_jsonTree, &QTreeWidget::itemActivated, this, [](QTreeWidgetItem* item) { EntryDetail::showAll(item); });
    new RelativeTimeTicker(m_form, this); // "12 seconds ago" stays true while the form is shown
}

void EntryDetailPane::setModel(EntryTableModel* model, Database* database)
{
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
    m_form->setPlainText(tr("Reading entry %1…").arg(row + 1));
    m_jsonTree->clear();
    m_waitsForRow = !m_model->rowAt(row).has_value();
    if (m_waitsForRow)
        return; // its page is being read: shown when it arrives (pageLoaded)
    const EntryView view = m_model->view();
    m_model->readEntry(
        row, MaxLength, this,
        [this, token](Result<EntryTableModel::WholeEntry> entry) {
            if (m_read.isCurrent(token))
                showEntry(entry, token);
        },
        [view, path = databasePathOf(row)](const EntryTableModel::WholeEntry& entry) {
            // on the worker: the form of a big value takes a while
            return EntryForm::html(view, entry, path, MaxLength);
        });
}

QString EntryDetailPane::databasePathOf(int row) const
{
    if (const auto* fanout = qobject_cast<const FanoutEntryModel*>(m_model))
        return fanout->databasePathOfRow(row);
    return m_database ? m_database->path() : QString();
}

void EntryDetailPane::showEntry(const Result<EntryTableModel::WholeEntry>& entry, const CancelToken& token)
{
    if (!m_model)
        return;
    if (!entry) {
        m_form->setPlainText(entry.error().message);
        Q_EMIT shown();
        return;
    }
    EntryDetail::fillJsonTree(
        m_jsonTree, m_model->view(), entry->decoded, m_model->view().schema.columnNames(), entry->values);
    // The form in an event of its own, after the tree: for a big pickle the two together held the
    // GUI thread too long in one delivery (docs/BENCHMARKS.md, bench_gui_stall's select_1_6mb_pickle).
    QTimer::singleShot(0, this, [this, token, rendered = entry->rendered] {
        if (!m_model || !m_read.isCurrent(token))
            return; // another entry (or none) is shown by now
        m_form->setHtml(rendered);
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
    m_form->clear();
    m_jsonTree->clear();
}

QString EntryDetailPane::text() const
{
    return m_form->toPlainText();
}
