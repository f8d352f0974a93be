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
    const auto* fanout = qobject_cast<const FanoutEntryModel*>(model);
    const EntryView& view = model->view();
    PruneSelection selection;
    selection.table = view.table;
    selection.database = m_subCachePath; // a named sub-cache is pruned in its own database
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
        if (selection.filter.isEmpty() && fanout)
            selection.rowidsByShard = QMap<QString, QList<qint64>>(); // nothing: the preview says 0
        else if (selection.filter.isEmpty())
            selection.rowids = QList<qint64>();
    } else {
        QList<qint64> rowids;
        QMap<QString, QList<qint64>> byShard; // a FanoutCache: every shard numbers its own rows
        const bool byRowid = !view.schema.withoutRowid && !view.schema.rowidName.isEmpty();
        qsizetype unread = 0; // selected rows whose page was never read: not known, so not taken
        for (const QModelIndex& index : m_rows->selectionModel()->selectedRows()) {
            const auto row = model->rowAt(index.row());
            unread += row ? 0 : 1;
            if (!byRowid || !row || row->key.isEmpty())
                continue;
            if (fanout && fanout->shardOfRow(index.row()) >= 0)
                byShard[fanout->shardLabel(fanout->shardOfRow(index.row()))] << row->key.first().toLongLong();
            else if (!fanout && row->key.size() == 1)
                rowids << row->key.first().toLongLong();
        }
        qsizetype chosen = rowids.size();
        if (fanout) {
            selection.rowidsByShard = byShard;
            chosen = 0;
            for (const QList<qint64>& shard : std::as_const(byShard))
                chosen += shard.size();
        } else {
            selection.rowids = rowids;
        }
        description = tr("The %1 of %2.")
                          .arg(Format::counted(chosen, tr("selected entry"), tr("selected entries")), view.table);
        if (unread > 0)
            description += u' '
                + tr("%1 not read yet (never scrolled to) and stay; to delete every entry shown, use "
                     "Delete All Entries Matching This Filter.")
                      .arg(Format::counted(unread, tr("other selected row is"), tr("other selected rows are")));
        if (fanout && !byShard.isEmpty())
            description += u' '
                + tr("They are in %1: %2.")
                      .arg(Format::counted(byShard.size(), tr("shard"), tr("shards")), byShard.keys().join(u", "_s));
    }
    if (!m_subCache.isEmpty())
        description += u' ' + tr("They are in the sub-cache %1.").arg(m_subCache);
    else if (fanout && wholeFilter && !selection.filter.isEmpty())
        description += u' ' + tr("Every shard of the FanoutCache is pruned.");
    Q_EMIT pruneRequested(selection, description);
}
