// SPDX-License-Identifier: GPL-3.0-or-later
// EntriesPage: the current entry in the detail pane — read whole and made a form (EntryForm) off
// the GUI thread (a read for a row since left is dropped), the JSON tree filled — and the
// selection kept on the same entry when rows move. The rest of the page is in entriespage.cpp.
#include "pages/entriespage.h"
#include "ui_entriespage.h"

#include "models/entrymodel.h"
#include "pages/entrydetail.h"
#include "pages/entryform.h"

#include <QTimer>

using namespace Qt::Literals::StringLiterals;

void EntriesPage::followCurrentEntry()
{
    const QModelIndex current = m_ui->rowsView->currentIndex();
    if (!m_model || !current.isValid() || m_currentKey.isEmpty()
        || m_model->data(current, EntryModel::KeyRole).toList() == m_currentKey)
        return;
    const int row = m_model->findKey(m_currentKey, current.row());
    if (row < 0)
        return; // the entry is gone (deleted, or replaced and moved to the end)
    const QModelIndex moved = m_model->index(row, current.column());
    m_ui->rowsView->selectionModel()->setCurrentIndex(
        moved, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
}

void EntriesPage::showDetail(int row)
{
    if (!m_model || row < 0)
        return;
    // Read off the GUI thread (a 100 MiB cell is cut inside SQLite, but SQLite still reads it
    // whole); a read for a row the user has since left is dropped.
    const CancelToken token = m_detailRead.start();
    m_ui->detailText->setPlainText(tr("Reading entry %1…").arg(row + 1));
    m_ui->jsonTree->clear();
    m_detailWaitsForRow = !m_model->rowAt(row).has_value();
    if (m_detailWaitsForRow)
        return; // its page is being read: shown when it arrives (pageLoaded)
    const EntryView view = m_model->view();
    m_model->readEntry(
        row, DetailMaxLength, this,
        [this, token](Result<EntryModel::WholeEntry> entry) {
            if (m_detailRead.isCurrent(token))
                showEntry(entry, token);
        },
        [view, path = databasePathOf(row)](const EntryModel::WholeEntry& entry) {
            // on the worker: the form of a big value takes a while
            return EntryForm::html(view, entry, path, DetailMaxLength);
        });
}

QString EntriesPage::databasePathOf(int row) const
{
    if (const FanoutEntryModel* fanout = fanoutModel())
        return fanout->databasePathOfRow(row);
    return m_database ? m_database->path() : QString();
}

void EntriesPage::showEntry(const Result<EntryModel::WholeEntry>& entry, const CancelToken& token)
{
    if (!m_model)
        return;
    if (!entry) {
        m_ui->detailText->setPlainText(entry.error().message);
        Q_EMIT detailShown();
        return;
    }
    EntryDetail::fillJsonTree(
        m_ui->jsonTree, m_model->view(), entry->decoded, m_model->view().schema.columnNames(), entry->values);
    // The form in an event of its own, after the tree: with a 1.6 MB pickle the two held the GUI
    // thread for 8–9 ms of CPU in one delivery (bench_gui_stall's max_gui_cpu_ms).
    QTimer::singleShot(0, this, [this, token, rendered = entry->rendered] {
        if (!m_model || !m_detailRead.isCurrent(token))
            return; // another entry (or none) is shown by now
        m_ui->detailText->setHtml(rendered);
        Q_EMIT detailShown();
    });
}

QString EntriesPage::detailText() const
{
    return m_ui->detailText->toPlainText();
}
