// SPDX-License-Identifier: GPL-3.0-or-later
// What leaves EntriesPage: the selection, the filtered view or every entry exported in the
// background with whole values (FilteredExport: progress, cancel, QSaveFile), and the clipboard copies (a cell
// or row from its page; a whole entry read and rendered on the entry reader). The rest of the
// page is in entriespage.cpp.
#include "pages/entriespage.h"
#include "ui_entriespage.h"

#include "common/format.h"
#include "entries/entryexport.h"
#include "entries/keyjson.h"
#include "models/entrymodel.h"
#include "pages/entrydetail.h"
#include "pages/filteredexport.h"

#include <QApplication>
#include <QClipboard>
#include <QFileDialog>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <QSaveFile>
#include <QTableView>

using namespace Qt::Literals::StringLiterals;

void EntriesPage::chooseExport(ExportScope scope)
{
    if (!m_model)
        return;
    const QString title = scope == ExportScope::Selection ? tr("Export selection")
        : scope == ExportScope::Filtered                  ? tr("Export filtered view")
                                                          : tr("Export all entries");
    // The file type says the format and how binary values are written.
    const QString jsonl = tr("JSON Lines, binary values as a preview (*.jsonl)");
    const QString jsonlBase64 = tr("JSON Lines, binary values whole in base64 (*.jsonl)");
    const QString csv = tr("CSV, binary values as a preview (*.csv)");
    const QString csvBase64 = tr("CSV, binary values whole in base64 (*.csv)");
    QString chosen = jsonl;
    const QString path = QFileDialog::getSaveFileName(this, title, m_model->view().table + u".jsonl"_s,
        QStringList { jsonl, jsonlBase64, csv, csvBase64 }.join(u";;"_s), &chosen);
    if (path.isEmpty())
        return;
    const bool wantsCsv = chosen == csv || chosen == csvBase64;
    QString file = path;
    if (wantsCsv != (EntryExport::formatForFile(file) == EntryExport::Format::Csv))
        file += wantsCsv ? u".csv"_s : u".jsonl"_s; // the type chosen wins over a name that says otherwise
    exportTo(file, scope,
        chosen == jsonlBase64 || chosen == csvBase64 ? EntryExport::Binary::Base64 : EntryExport::Binary::Preview);
}

bool EntriesPage::isExporting() const
{
    return m_export && m_export->isRunning();
}

void EntriesPage::exportTo(const QString& path, ExportScope scope, EntryExport::Binary binary)
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
    // The selected entries by their keys, read again whole (the page holds previews).
    QList<QVariantList> keys;
    if (scope == ExportScope::Selection) {
        const QModelIndexList selected = m_ui->rowsView->selectionModel()->selectedRows();
        if (fanoutModel() && !selected.isEmpty()) { // rows of several shards: written from their pages at once
            auto written = exportSelection(path, selected);
            return report(written ? written.value() : 0, written ? QString() : written.error().message);
        }
        for (const QModelIndex& index : selected) {
            if (const auto row = m_model->rowAt(index.row()))
                keys.append(row->key);
        }
        if (keys.isEmpty())
            scope = ExportScope::Filtered;
    }
    if (fanoutModel()) // FilteredExport reads one database
        return report(0,
            tr("exporting the filtered view or every entry of a FanoutCache is done one shard at a time: open the "
               "shard's cache.db; \u201cExport selection\u201d exports selected rows of any shard"));
    const EntryFilter filter = scope == ExportScope::All ? EntryFilter {} : m_model->filter();
    m_export = std::make_unique<FilteredExport>(m_database->path(), m_model->view().table, filter, this);
    connect(m_export.get(), &FilteredExport::finished, this,
        [report](const QString&, qint64 written, const QString& error) { report(written, error); });
    m_ui->statusLabel->setText(tr("Exporting %1 to %2…").arg(m_model->view().table, path));
    const qint64 estimate = !keys.isEmpty()                             ? keys.size()
        : scope == ExportScope::Filtered || m_model->filter().isEmpty() ? m_model->rowCount()
                                                                        : -1; // all, while a filter shows fewer

    m_export->start(path, estimate, binary, keys);
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

namespace {
// `--key 'TEXT'` for a text key, `--key-json 'JSON'` for any other (a tuple, a number), quoted
// for a POSIX shell.
QString cliKeyOption(const QVariant& value)
{
    const auto quoted = [](QString text) -> QString { return u'\'' + text.replace(u'\'', u"'\\''"_s) + u'\''; };
    if (value.typeId() == QMetaType::QString)
        return u"--key "_s + quoted(value.toString());
    return u"--key-json "_s + quoted(KeyJson::of(value));
}
} // namespace

QString EntriesPage::shardOption(int row) const
{
    const FanoutEntryModel* fanout = fanoutModel();
    const int shard = fanout ? fanout->shardOfRow(row) : -1;
    return shard < 0 ? QString() : u" --shard "_s + fanout->shardLabel(shard);
}

QString EntriesPage::copyText(const QString& what) const
{
    if (!m_model)
        return QString();
    const QModelIndex current = m_ui->rowsView->currentIndex();
    const auto row = m_model->rowAt(current.row());
    if (!current.isValid() || !row)
        return QString();
    const EntryView& view = m_model->view();
    if (what == u"cell"_s) {
        const QJsonValue value = row->json(current.column());
        return value.isString()
            ? value.toString()
            : QString::fromUtf8(QJsonDocument(QJsonArray { value }).toJson(QJsonDocument::Compact)).chopped(1).mid(1);
    }
    if (what == u"row"_s)
        return QString::fromUtf8(EntryExport::line(view, *row, EntryExport::Format::JsonLines)).trimmed();
    if (what == u"cli-key"_s) { // the option cachescope-cli entries takes for this entry's key
        const int key = view.columnIndex(EntryColumn::Role::Key);
        if (key < 0 || row->isTruncated(key))
            return QString(); // a cut preview is not the key: copyKey() reads it whole
        return cliKeyOption(row->values.value(key)) + shardOption(current.row());
    }
    return QString();
}

void EntriesPage::copyEntry()
{
    const int row = m_ui->rowsView->currentIndex().row();
    if (!m_model || row < 0)
        return;
    m_ui->statusLabel->setText(tr("Copying entry %1 as JSON…").arg(row + 1));
    m_model->readEntry(
        row, 0, this,
        [this, row](Result<EntryModel::WholeEntry> entry) {
            if (!entry) {
                m_ui->statusLabel->setText(tr("Could not copy entry %1: %2").arg(row + 1).arg(entry.error().message));
                Q_EMIT entryCopied(QString());
                return;
            }
            QApplication::clipboard()->setText(entry->rendered);
            m_ui->statusLabel->setText(
                tr("Copied entry %1 as JSON (%2 characters).").arg(row + 1).arg(Format::count(entry->rendered.size())));
            Q_EMIT entryCopied(entry->rendered);
        },
        [view = m_model->view()](const EntryModel::WholeEntry& entry) {
            return QString::fromUtf8(
                QJsonDocument(EntryDetail::json(view, entry.decoded, entry.values)).toJson(QJsonDocument::Indented));
        });
}

void EntriesPage::copyKey()
{
    const int row = m_ui->rowsView->currentIndex().row();
    const auto shown = m_model ? m_model->rowAt(row) : std::nullopt;
    const int key = m_model ? m_model->view().columnIndex(EntryColumn::Role::Key) : -1;
    if (!shown || key < 0)
        return Q_EMIT keyCopied(QString());
    if (!shown->isTruncated(key)) {
        const QString option = copyText(u"cli-key"_s);
        QApplication::clipboard()->setText(option);
        return Q_EMIT keyCopied(option);
    }
    // The row shows a preview of a long key: the option needs all of it, read on the entry reader.
    m_ui->statusLabel->setText(tr("Copying the key of entry %1…").arg(row + 1));
    m_model->readEntry(
        row, 0, this,
        [this, row](Result<EntryModel::WholeEntry> entry) {
            if (!entry || entry->rendered.isEmpty()) {
                m_ui->statusLabel->setText(tr("Could not copy the key of entry %1: %2")
                                               .arg(row + 1)
                                               .arg(entry ? tr("it is gone") : entry.error().message));
                return Q_EMIT keyCopied(QString());
            }
            QApplication::clipboard()->setText(entry->rendered);
            m_ui->statusLabel->setText(tr("Copied the key of entry %1 (%2 characters).")
                                           .arg(row + 1)
                                           .arg(Format::count(entry->rendered.size())));
            Q_EMIT keyCopied(entry->rendered);
        },
        [key, shard = shardOption(row)](const EntryModel::WholeEntry& entry) {
            return entry.decoded ? cliKeyOption(entry.decoded->values.value(key)) + shard : QString();
        });
}
