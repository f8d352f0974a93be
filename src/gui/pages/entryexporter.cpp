// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/entryexporter.h"

#include "common/format.h"
#include "models/fanoutentrymodel.h"
#include "pages/filteredexport.h"
#include "sqlite/database.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QPushButton>
#include <QSaveFile>
#include <QTableView>

using namespace Qt::Literals::StringLiterals;

EntryExporter::EntryExporter(QTableView* rows, QPushButton* button, QWidget* page)
    : QObject(page)
    , m_rows(rows)
    , m_page(page)
{
    auto* menu = new QMenu(button);
    menu->addAction(tr("Export selection…"), this, [this] { choose(Scope::Selection); });
    menu->addAction(tr("Export filtered view…"), this, [this] { choose(Scope::Filtered); });
    menu->addAction(tr("Export all entries…"), this, [this] { choose(Scope::All); });
    // A push button's size makes room for its menu's arrow (an InstantPopup tool button drew
    // the arrow over its text's last letters).
    button->setMenu(menu);
}

EntryExporter::~EntryExporter() = default;

EntryTableModel* EntryExporter::model() const
{
    return qobject_cast<EntryTableModel*>(m_rows->model());
}

void EntryExporter::choose(Scope scope)
{
    const EntryTableModel* model = this->model();
    if (!model)
        return;
    const QString title = scope == Scope::Selection ? tr("Export selection")
        : scope == Scope::Filtered                  ? tr("Export filtered view")
                                                    : tr("Export all entries");
    // The file type says the format and how binary values are written.
    const QString jsonl = tr("JSON Lines, binary values as a preview (*.jsonl)");
    const QString jsonlBase64 = tr("JSON Lines, binary values whole in base64 (*.jsonl)");
    const QString csv = tr("CSV, binary values as a preview (*.csv)");
    const QString csvBase64 = tr("CSV, binary values whole in base64 (*.csv)");
    QString chosen = jsonl;
    const QString path = QFileDialog::getSaveFileName(
        m_page, title, suggestedPath(scope), QStringList { jsonl, jsonlBase64, csv, csvBase64 }.join(u";;"_s), &chosen);
    if (path.isEmpty())
        return;
    const bool wantsCsv = chosen == csv || chosen == csvBase64;
    QString file = path;
    if (wantsCsv != (EntryExport::formatForFile(file) == EntryExport::Format::Csv))
        file += wantsCsv ? u".csv"_s : u".jsonl"_s; // the type chosen wins over a name that says otherwise
    exportTo(file, scope,
        chosen == jsonlBase64 || chosen == csvBase64 ? EntryExport::Binary::Base64 : EntryExport::Binary::Preview);
}

QString EntryExporter::suggestedPath(Scope scope) const
{
    const EntryTableModel* model = this->model();
    const QString table = model ? model->view().table : QString();
    // The file the user opened (a private copy's path is never shown), not the working directory.
    const QFileInfo cache(m_database ? m_database->path() : QString());
    QString folder = m_folder.isEmpty() && m_database ? cache.absolutePath() : m_folder;
    if (folder.isEmpty() || !QFileInfo(folder).isWritable())
        folder = QDir::homePath();
    QString name = cache.completeBaseName();
    if (!table.isEmpty())
        name += (name.isEmpty() ? u""_s : u"-"_s) + table;
    if (name.isEmpty())
        name = u"entries"_s;
    if (scope == Scope::Filtered && model && !model->filter().isEmpty())
        name += u"-filtered"_s;
    else if (scope == Scope::Selection)
        name += u"-selection"_s;
    name.replace(u'/', u'_'); // a table or sub-cache name may hold one
    return QDir(folder).filePath(name + u".jsonl"_s);
}

bool EntryExporter::isExporting() const
{
    return m_export && m_export->isRunning();
}

void EntryExporter::exportTo(const QString& path, Scope scope, EntryExport::Binary binary)
{
    const auto report = [this, path](qint64 written, const QString& error) {
        Q_EMIT status(error.isEmpty() ? tr("Exported %1 to %2").arg(Format::entries(written), path) : error);
        Q_EMIT finished(path, written, error);
    };
    const EntryTableModel* model = this->model();
    if (!model)
        return report(0, tr("no table is shown"));
    if (isExporting())
        return report(0, tr("an export is already running; cancel it or wait for it to end"));
    const bool fanout = qobject_cast<const FanoutEntryModel*>(model);
    // The selected entries by their keys, read again whole (the page holds previews).
    QList<QVariantList> keys;
    if (scope == Scope::Selection) {
        const QModelIndexList selected = m_rows->selectionModel()->selectedRows();
        if (fanout && !selected.isEmpty()) { // rows of several shards: written from their pages at once
            auto written = exportSelection(path, selected);
            return report(written ? written.value() : 0, written ? QString() : written.error().message);
        }
        for (const QModelIndex& index : selected) {
            if (const auto row = model->rowAt(index.row()))
                keys.append(row->key);
        }
        if (keys.isEmpty())
            scope = Scope::Filtered;
    }
    if (fanout) // FilteredExport reads one database
        return report(0,
            tr("exporting the filtered view or every entry of a FanoutCache is done one shard at a time: open the "
               "shard's cache.db; \u201cExport selection\u201d exports selected rows of any shard"));
    const EntryFilter filter = scope == Scope::All ? EntryFilter {} : model->filter();
    m_export = std::make_unique<FilteredExport>(m_database->path(), model->view().table, filter, m_page);
    connect(m_export.get(), &FilteredExport::finished, this,
        [report](const QString&, qint64 written, const QString& error) { report(written, error); });
    Q_EMIT status(tr("Exporting %1 to %2…").arg(model->view().table, path));
    const qint64 estimate = !keys.isEmpty()                     ? keys.size()
        : scope == Scope::Filtered || model->filter().isEmpty() ? model->rowCount()
                                                                : -1; // all, while a filter shows fewer

    m_export->start(path, estimate, binary, keys);
}

Result<qint64> EntryExporter::exportSelection(const QString& path, const QModelIndexList& selected)
{
    const EntryTableModel* model = this->model();
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Error { Error::Kind::Io, u"cannot write %1: %2"_s.arg(path, file.errorString()) };
    const auto format = EntryExport::formatForFile(path);
    file.write(EntryExport::header(model->view(), format));
    qint64 written = 0;
    for (const QModelIndex& index : selected) {
        if (const auto row = model->rowAt(index.row())) {
            file.write(EntryExport::line(model->view(), *row, format));
            ++written;
        }
    }
    if (!file.commit())
        return Error { Error::Kind::Io, u"cannot write %1: %2"_s.arg(path, file.errorString()) };
    return written;
}
