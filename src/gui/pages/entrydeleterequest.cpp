// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/entrydeleterequest.h"

#include "common/format.h"
#include "models/fanoutentrymodel.h"

#include <QAction>
#include <QTableView>

using namespace Qt::Literals::StringLiterals;

EntryDeleteRequest::EntryDeleteRequest(QTableView* rows, QObject* parent)
    : QObject(parent)
    , m_rows(rows)
{
}

void EntryDeleteRequest::addActions()
{
    auto* separator = new QAction(m_rows);
    separator->setSeparator(true);
    m_rows->addAction(separator);
    auto* selected = new QAction(tr("Delete Selected Entries…"), m_rows);
    selected->setObjectName(u"deleteSelectedAction"_s);
    connect(selected, &QAction::triggered, this, [this] { request(false); });
    m_rows->addAction(selected);
    auto* matching = new QAction(tr("Delete All Entries Matching This Filter…"), m_rows);
    matching->setObjectName(u"deleteMatchingAction"_s);
    connect(matching, &QAction::triggered, this, [this] { request(true); });
    m_rows->addAction(matching);
}

void EntryDeleteRequest::request(bool wholeFilter)
{
    const auto* model = qobject_cast<const EntryTableModel*>(m_rows->model());
    if (!model)
        return;
    if (const auto* fanout = qobject_cast<const FanoutEntryModel*>(model)) {
        // Prune acts on one database: here, the first shard's rowids would name other entries.
        Q_EMIT status(tr("Entries of a FanoutCache are deleted one shard at a time: open the shard's "
                         "cache.db (the shard column names it, e.g. %1/cache.db) and delete them there.")
                          .arg(fanout->shardLabel(0)));
        return;
    }
    if (!m_subCache.isEmpty()) {
        Q_EMIT status(tr("Entries of the sub-cache %1 are deleted in its own database: open %2 and delete them there.")
                          .arg(m_subCache, m_subCachePath));
        return;
    }
    const EntryView& view = model->view();
    PruneSelection selection;
    selection.table = view.table;
    QString description;
    if (wholeFilter) {
        selection.filter = model->filter();
        // Column filters are by column index, of the window of columns shown from firstColumn.
        if (view.firstColumn > 0 && !selection.filter.columns.isEmpty()) {
            QMap<int, QString> shifted;
            for (auto it = selection.filter.columns.cbegin(); it != selection.filter.columns.cend(); ++it)
                shifted.insert(it.key() + view.firstColumn, it.value());
            selection.filter.columns = shifted;
        }
        description = selection.filter.isEmpty()
            ? tr("No filter is set: set one to choose the entries of %1 to delete.").arg(view.table)
            : tr("Every entry of %1 the filter shows (%2), also those not read yet.")
                  .arg(view.table, selection.describe());
        if (selection.filter.isEmpty())
            selection.rowids = QList<qint64>(); // nothing: the preview says 0
    } else {
        QList<qint64> rowids;
        const bool byRowid = !view.schema.withoutRowid && !view.schema.rowidName.isEmpty();
        for (const QModelIndex& index : m_rows->selectionModel()->selectedRows()) {
            const auto row = model->rowAt(index.row());
            if (byRowid && row && row->key.size() == 1)
                rowids << row->key.first().toLongLong();
        }
        selection.rowids = rowids;
        description
            = tr("The %1 of %2.")
                  .arg(Format::counted(rowids.size(), tr("selected entry"), tr("selected entries")), view.table);
    }
    Q_EMIT pruneRequested(selection, description);
}
