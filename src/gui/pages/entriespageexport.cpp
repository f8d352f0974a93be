// SPDX-License-Identifier: GPL-3.0-or-later
// EntriesPage's exports: the selected rows written at once, the whole filtered view in the
// background (FilteredExport: progress, cancel, QSaveFile). The rest of the page is in
// entriespage.cpp.
#include "pages/entriespage.h"
#include "ui_entriespage.h"

#include "entries/entryexport.h"
#include "models/entrymodel.h"
#include "pages/filteredexport.h"

#include <QFileDialog>
#include <QSaveFile>
#include <QTableView>

using namespace Qt::Literals::StringLiterals;

void EntriesPage::chooseExport(bool filteredView)
{
    if (!m_model)
        return;
    const QString path
        = QFileDialog::getSaveFileName(this, filteredView ? tr("Export filtered view") : tr("Export selection"),
            m_model->view().table + u".jsonl"_s, tr("JSON Lines (*.jsonl);;CSV (*.csv)"));
    if (!path.isEmpty())
        exportTo(path, filteredView);
}

bool EntriesPage::isExporting() const
{
    return m_export && m_export->isRunning();
}

void EntriesPage::exportTo(const QString& path, bool filteredView)
{
    const auto report = [this, path](qint64 written, const QString& error) {
        m_ui->statusLabel->setText(
            error.isEmpty() ? tr("Exported %n entries to %1", nullptr, int(written)).arg(path) : error);
        Q_EMIT exportFinished(path, written, error);
    };
    if (!m_model)
        return report(0, tr("no table is shown"));
    if (isExporting())
        return report(0, tr("an export is already running; cancel it or wait for it to end"));
    const QModelIndexList selected = m_ui->rowsView->selectionModel()->selectedRows();
    if (!filteredView && !selected.isEmpty()) {
        auto written = exportSelection(path, selected);
        return report(written ? written.value() : 0, written ? QString() : written.error().message);
    }
    m_export = std::make_unique<FilteredExport>(m_database->path(), m_model->view().table, m_model->filter(), this);
    connect(m_export.get(), &FilteredExport::finished, this,
        [report](const QString&, qint64 written, const QString& error) { report(written, error); });
    m_ui->statusLabel->setText(tr("Exporting %1 to %2…").arg(m_model->view().table, path));
    m_export->start(path, m_model->rowCount());
}

Result<qint64> EntriesPage::exportSelection(const QString& path, const QModelIndexList& selected)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Error { Error::Kind::Io, u"cannot write %1: %2"_s.arg(path, file.errorString()) };
    const auto format = EntryExport::formatForFile(path);
    file.write(EntryExport::header(m_model->view(), format));
    qint64 written = 0;
    for (const QModelIndex& index : selected) {
        if (const auto row = m_model->rowAt(index.row())) {
            file.write(EntryExport::line(m_model->view(), *row, format));
            ++written;
        }
    }
    if (!file.commit())
        return Error { Error::Kind::Io, u"cannot write %1: %2"_s.arg(path, file.errorString()) };
    return written;
}
